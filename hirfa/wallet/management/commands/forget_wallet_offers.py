from django.core.management.base import BaseCommand

from hirfa.wallet import services


class Command(BaseCommand):
    help = "Daily: delete the phone-wallet offers older than 30 days (they name a phone)."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.forget_old_offers()} offers deleted.")
