from django.core.management.base import BaseCommand

from hirfa.cnss.keys import public_key_text


class Command(BaseCommand):
    help = "Print our Ed25519 public key (base64url), for the CNSS to verify our batches."

    def handle(self, *args, **options):
        self.stdout.write(public_key_text())
