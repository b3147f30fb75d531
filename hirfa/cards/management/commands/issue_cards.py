from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from hirfa.cards import services
from hirfa.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Issue the first card of every active registration that has none (daily: after "
        "imports, or when the batch an approval asked for was lost with its process)."
    )

    def handle(self, *args, **options):
        try:
            issued = services.issue_first_cards()
        except DomainError as error:  # no signing key valid now, for one
            raise CommandError(str(error.message)) from None
        self.stdout.write(
            ngettext("%(count)d first card issued.", "%(count)d first cards issued.", issued)
            % {"count": issued}
        )
