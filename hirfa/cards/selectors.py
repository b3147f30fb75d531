"""Reads on cards, through the user's territorial scope (a card's province)."""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from hirfa.accounts.selectors import restrict
from hirfa.audit.access import seen
from hirfa.cards.models import Card
from hirfa.cards.policy import may_manage_cards
from hirfa.core.changestamp import ChangeStamp
from hirfa.core.errors import NotFound
from hirfa.core.memo import ProcessMemo
from hirfa.register.models import Registration
from hirfa.territory.models import Organisation


def _base() -> QuerySet[Card]:
    return Card.objects.select_related(
        "registration__person",
        "registration__entity",
        "registration__principal_activity",
        "province",
    )


def cards_for(user) -> QuerySet[Card]:
    if not may_manage_cards(user):
        return Card.objects.none()
    return restrict(_base(), user)


def card_for(user, pk) -> Card:
    """A card of the user's territory; the holder's data on it is read (and logged)."""
    try:
        card = cards_for(user).get(pk=int(pk))
    except (Card.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    registration = card.registration
    seen(registration.person or registration.entity, province_code=card.province.code)
    return card


def print_queue(user, *, province: str | None = None, state: str = Card.PrintState.TO_PRINT):
    """Current cards of the user's territory in a printing state, oldest first."""
    queue = cards_for(user).filter(status=Card.Status.CURRENT, print_state=state)
    if province:
        queue = queue.filter(province__code=province)
    return queue.order_by("issued_at", "id")


def cards_of(registration: Registration) -> QuerySet[Card]:
    return registration.cards.select_related("province", "registration").order_by("-version")


def current_card(registration: Registration) -> Card | None:
    return registration.cards.filter(status=Card.Status.CURRENT).first()


# Online verification answers from memory for a few seconds (docs/decisions/0012): a
# card checked again within STATUS_SECONDS gets the same answer without a query. This
# process forgets everything when it changes a card; other processes within seconds.
STATUS_SECONDS = 10
STATUS_ENTRIES = 50_000
_statuses: dict[tuple[str, int], tuple[float, str]] = {}


def forget_statuses() -> None:
    _statuses.clear()


def cached_status(number: str, version: int) -> str:
    """`live_status`, at most STATUS_SECONDS old."""
    now = time.monotonic()
    key = (number, version)
    hit = _statuses.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    status = live_status(number, version)
    if len(_statuses) >= STATUS_ENTRIES:
        _statuses.clear()
    _statuses[key] = (now + STATUS_SECONDS, status)
    return status


def live_status(number: str, version: int) -> str:
    """What the register says now of the card (number, version), for public checks.

    One hand-written query: this answers every online verification, and building the
    ORM query cost more than running it.
    """
    cards = connection.ops.quote_name(Card._meta.db_table)
    registrations = connection.ops.quote_name(Registration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.status, c.expires_at FROM {cards} c JOIN {registrations} r "
            "ON r.id = c.registration_id WHERE r.number = %s AND c.version = %s",
            [number, version],
        )
        row = cursor.fetchone()
    if row is None:
        return "unknown"
    status, expires_at = row
    if status in (Card.Status.REVOKED, Card.Status.SUSPENDED):
        return str(status)
    if isinstance(expires_at, str):  # SQLite: text, in UTC
        expires_at = datetime.fromisoformat(expires_at)
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    if timezone.now() > expires_at:
        return "expired"
    return "valid"


# The cards withdrawn from use (revoked or suspended, not expired), kept in each process for
# the online checks (docs/decisions/0089): a card's status only moves from current to
# suspended or revoked (a reinstated registration gets a new version), so what the
# verdict needs is this list. Revoking a card bumps WITHDRAWN once committed; every
# process reads the list again on its next check. WITHDRAWN_RECHECK_SECONDS bounds a
# change the stamp missed (a process stopped between its commit and the stamp).
WITHDRAWN = ChangeStamp("card-statuses.stamp")
WITHDRAWN_RECHECK_SECONDS = 60


def _read_withdrawn(stamp=None) -> dict[tuple[str, int], str]:
    rows = (
        Card.objects.filter(
            status__in=(Card.Status.REVOKED, Card.Status.SUSPENDED),
            expires_at__gte=timezone.now(),
        )
        .values_list("registration__number", "version", "status")
        .iterator(chunk_size=10_000)
    )
    return {(number, version): str(status) for number, version, status in rows}


_withdrawn = ProcessMemo(_read_withdrawn, ttl=WITHDRAWN_RECHECK_SECONDS)


def withdrawal(number: str, version: int, *, expired: bool) -> str | None:
    """ "revoked" or "suspended" when the card (number, version) is withdrawn, else None:
    what the live status adds to a card's verdict, for every online check.

    From the list kept in this process, read again whenever a card was withdrawn since
    (one `os.stat`, no query). An expired card (few are checked), a check inside a
    transaction (which may see its own uncommitted changes) and every check of an
    installation whose hosts share no stamp (`CARD_CHECK_ASKS_DATABASE`) ask the database."""
    if expired or connection.in_atomic_block or settings.CARD_CHECK_ASKS_DATABASE:
        status = live_status(number, version)
        return status if status in (Card.Status.REVOKED, Card.Status.SUSPENDED) else None
    stamp = WITHDRAWN.read()
    withdrawn = _withdrawn.held(stamp)
    if withdrawn is None:
        _withdrawn.forget()
        withdrawn = _withdrawn.get(stamp)
    return withdrawn.get((number, version))


def cards_to_print(*, province: str | None = None, numbers=(), limit: int | None = None):
    """Current cards for a print sheet (command line: no user, no scope)."""
    cards = _base().filter(status=Card.Status.CURRENT).order_by("province__code", "issued_at", "id")
    if province:
        cards = cards.filter(province__code=province)
    if numbers:
        cards = cards.filter(registration__number__in=list(numbers))
    return cards[:limit] if limit else cards


def holders_shown(cards) -> None:
    """The cards of a page or a print sheet: their holders' data is read (and logged)."""
    for card in cards:
        registration = card.registration
        seen(registration.person or registration.entity, province_code=card.province.code)


def chamber_for(card: Card):
    """The chamber of crafts that prints and hands over `card`: its province's region's."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.CHAMBER, region_id=card.province.region_id
    ).first()
