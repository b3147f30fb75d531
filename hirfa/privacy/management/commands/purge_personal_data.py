from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from hirfa.privacy.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Daily: anonymise the persons whose registrations have all been struck off for longer "
        "than PERSONAL_DATA_RETENTION_DAYS and who have no open file (Law 09-08)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the registration numbers concerned and change nothing.",
        )

    def handle(self, *args, **options):
        result = purge_personal_data(dry_run=options["dry_run"])
        values = {"persons": result.persons, "cutoff": result.cutoff.date().isoformat()}
        if result.dry_run:
            self.stdout.write(
                ngettext(
                    "Dry run: %(persons)d person struck off before %(cutoff)s would be "
                    "made anonymous. Registration numbers:",
                    "Dry run: %(persons)d persons struck off before %(cutoff)s would be "
                    "made anonymous. Registration numbers:",
                    result.persons,
                )
                % values
            )
            for number in result.numbers:
                self.stdout.write(number)
            return
        self.stdout.write(
            ngettext(
                "%(persons)d person struck off before %(cutoff)s made anonymous.",
                "%(persons)d persons struck off before %(cutoff)s made anonymous.",
                result.persons,
            )
            % values
        )
