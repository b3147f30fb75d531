from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.cards import keys
from hirfa.core.errors import DomainError


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("Enter a date as %(date)s or %(moment)s.")
            % {"date": "YYYY-MM-DD", "moment": "YYYY-MM-DDTHH:MM"}
        ) from None
    return moment if moment.tzinfo else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Create an Ed25519 key that signs professional cards, written with mode 0600 to "
        "CARD_SIGNING_KEYS_DIR. Several keys may be valid at once (rotation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--valid-from", type=_moment, help="Start (default: now).")
        parser.add_argument(
            "--valid-until", type=_moment, help="End (default: CARD_KEY_VALIDITY_DAYS later)."
        )
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="Create a key only when no key is valid now (for `make run`).",
        )

    def handle(self, *args, valid_from, valid_until, if_none, **options):
        if if_none and any(k.valid_at(timezone.now()) for k in keys.all_keys()):
            return
        try:
            key, path = keys.create_key(valid_from=valid_from, valid_until=valid_until)
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(
            _("Key %(kid)s written to %(path)s, valid from %(start)s until %(end)s.")
            % {
                "kid": keys.b64url(key.kid),
                "path": path,
                "start": key.valid_from.isoformat(),
                "end": key.valid_until.isoformat(),
            }
        )
