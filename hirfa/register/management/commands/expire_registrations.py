from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hirfa.register.services import expire_registrations


class Command(BaseCommand):
    help = "Mark registrations past their validity as expired and remind those close to it."

    def handle(self, *args, **options):
        result = expire_registrations()
        self.stdout.write(
            _("%(expired)d registrations expired, %(reminded)d artisans reminded.") % result
        )
