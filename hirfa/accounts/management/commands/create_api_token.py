from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.accounts.models import User
from hirfa.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create an API token for a user and print its secret (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(_("No active user named %(name)s.") % {"name": username}) from None
        token, secret = create_api_token(user=user, name=name, created_by=None)
        self.stdout.write(secret)
        self.stderr.write(
            _("Token %(prefix)s created; keep the secret, it is not stored.")
            % {"prefix": token.prefix}
        )
