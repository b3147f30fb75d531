from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.cards import printing, selectors
from hirfa.register.numbers import parse_number


class Command(BaseCommand):
    help = "Write the A4 print sheet (with crop marks) of the current cards selected."

    def add_arguments(self, parser):
        parser.add_argument("output", help="PDF file to write")
        parser.add_argument("--province", help="HCP code of the province, e.g. 09.581")
        parser.add_argument("--number", action="append", default=[], help="Registration number")
        parser.add_argument("--limit", type=int, help="At most this many cards")

    def handle(self, *args, output, province, number, limit, **options):
        try:
            numbers = [parse_number(n) for n in number]
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        if limit is not None and limit < 1:
            raise CommandError(_("The limit must be at least 1."))
        cards = list(selectors.cards_to_print(province=province, numbers=numbers, limit=limit))
        if not cards:
            raise CommandError(_("No current card matches."))
        Path(output).write_bytes(printing.sheet_pdf(cards))
        self.stdout.write(
            _("%(count)d cards written to %(path)s.") % {"count": len(cards), "path": output}
        )
