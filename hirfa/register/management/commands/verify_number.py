from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.register.numbers import format_number, parse_number
from hirfa.register.selectors import registration_by_number


class Command(BaseCommand):
    help = "Tell whether a typed registration number is mistyped, unknown, or whose it is."

    def add_arguments(self, parser):
        parser.add_argument("number")

    def handle(self, *args, number, **options):
        try:
            canonical = parse_number(number)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        registration = registration_by_number(canonical)
        if registration is None:
            raise CommandError(_("No registration has this number."))
        self.stdout.write(
            f"{format_number(canonical)}  {registration.get_status_display()}  "
            f"{registration.registrant_name_latin}"
        )
