from django.conf import settings
from django.core.management.base import BaseCommand

from hirfa.site.inbox import send_digests


class Command(BaseCommand):
    help = (
        "E-mail each member of staff who asked for it what waits in their inbox (run once a "
        "day, e.g. from cron or a systemd timer); only when something arrived since the last."
    )

    def handle(self, *args, **options):
        sent = send_digests(site_url=settings.PUBLIC_URL.rstrip("/"))
        self.stdout.write(f"{sent} digests queued")
