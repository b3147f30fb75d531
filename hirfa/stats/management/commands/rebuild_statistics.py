from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hirfa.stats import ledger


class Command(BaseCommand):
    help = "Rebuild every statistical count from the register (exact; takes a while at scale)."

    def handle(self, *args, **options):
        counted = ledger.rebuild()
        for source, n in counted.items():
            self.stdout.write(_("%(source)s: %(n)d counted") % {"source": source, "n": n})
