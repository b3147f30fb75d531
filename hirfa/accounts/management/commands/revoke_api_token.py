from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.accounts.models import ApiToken
from hirfa.accounts.services import revoke_api_token


class Command(BaseCommand):
    help = "Revoke an API token by its prefix."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        try:
            token = ApiToken.objects.get(prefix=prefix)
        except ApiToken.DoesNotExist:
            raise CommandError(
                _("No API token with prefix %(prefix)s.") % {"prefix": prefix}
            ) from None
        revoke_api_token(token)
        self.stdout.write(_("Token %(prefix)s revoked.") % {"prefix": prefix})
