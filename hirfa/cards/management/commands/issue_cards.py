from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hirfa.cards import services


class Command(BaseCommand):
    help = (
        "Issue the first card of every active registration that has none (daily: after "
        "imports, or when the batch an approval asked for was lost with its process)."
    )

    def handle(self, *args, **options):
        issued = services.issue_first_cards()
        self.stdout.write(_("%(count)d first cards issued.") % {"count": issued})
