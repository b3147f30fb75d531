from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hirfa.outreach.services import send_reminders


class Command(BaseCommand):
    help = "Daily: text a reminder to those signed up to an event starting within a day."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(_("Event reminders sent: %(count)d.") % {"count": sent})
