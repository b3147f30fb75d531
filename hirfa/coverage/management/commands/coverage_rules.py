from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.coverage.services import apply_rules


class Command(BaseCommand):
    help = (
        "Daily: close the coverage of struck-off artisans, open rights after the waiting "
        "period, suspend after unpaid months, end dependants past their eligibility."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Apply the rules as of this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(_("Enter a valid date.")) from None
        result = apply_rules(today)
        self.stdout.write(
            _(
                "%(closed)d closed, %(opened)d opened, %(suspended)d suspended, "
                "%(reopened)d reopened, %(dependants_ended)d dependants ended."
            )
            % result
        )
