from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.stats.report import last_month, write_monthly_report


class Command(BaseCommand):
    help = (
        "Write the national monthly report (PDF in Arabic and French, CSV files) of last month, "
        "once; run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--force", action="store_true", help="write it again")

    def handle(self, *args, month=None, force=False, **options):
        if month:
            try:
                chosen = date.fromisoformat(f"{month}-01")
            except ValueError:
                raise CommandError(_("Give the month as %(form)s.") % {"form": "YYYY-MM"}) from None
        else:
            chosen = last_month()
        try:
            report = write_monthly_report(month=chosen, force=force)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if report.written:
            self.stdout.write(_("Report of %(month)s written:") % {"month": f"{chosen:%Y-%m}"})
        else:
            self.stdout.write(
                _("Report of %(month)s already written:") % {"month": f"{chosen:%Y-%m}"}
            )
        for name in report.files:
            self.stdout.write(f"  {name}")
