from django.core.management.base import BaseCommand

from hirfa.registry import services


class Command(BaseCommand):
    help = (
        "Daily: delete the SPDCI answers and delivered notices older than REGISTRY_KEEP_DAYS "
        "(docs/spdci.md)."
    )

    def handle(self, *args, **options):
        answers, notices = services.forget_old_messages()
        self.stdout.write(f"{answers} answers, {notices} notices deleted.")
