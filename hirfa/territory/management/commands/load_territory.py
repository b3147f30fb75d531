from django.core.management.base import BaseCommand, CommandError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hirfa.core.errors import DomainError
from hirfa.territory.models import Commune, Organisation, Province, Region
from hirfa.territory.services import load_territory

LABELS = {
    "regions": Region,
    "provinces": Province,
    "communes": Commune,
    "organisations": Organisation,
}


class Command(BaseCommand):
    @property
    def help(self):
        # A property, not a lazy string: argparse accepts only real strings.
        return _(
            "Load or update Morocco's regions, provinces, communes and the organisations "
            "of the register, from the 2024 census. Safe to run again."
        )

    def handle(self, *args, **options):
        try:
            summary = load_territory()
        except DomainError as error:
            for messages in error.fields.values():
                for message in messages:
                    self.stderr.write(str(message))
            raise CommandError(str(error.message)) from None
        for key, model in LABELS.items():
            counts = summary[key]
            self.stdout.write(
                _("%(units)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"units": capfirst(model._meta.verbose_name_plural), **counts}
            )
        self.stdout.write(self.style.SUCCESS(_("The territory is loaded.")))
