"""The staff's inbox: what each member of staff has to do, until it is done (decision 54).

Layer 1, no domain: the apps above decide who is told of what (their `inbox.py`, connected to
their own signals or called by their services) and register the words of each kind of item
here. An item links to the thing to do and is resolved when that thing changes state
(`resolve`), whoever acted; an item that only informs (an import finished) is done once its
reader opens it. The reader's territorial scope is applied where the items are read
(`hirfa.accounts.selectors.inbox_for`), so an item about a file that moved away is not shown.
"""

from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.functional import Promise

from hirfa.core.errors import NotFound
from hirfa.notifications.models import DigestSubscription, InboxItem


@dataclass(frozen=True)
class Kind:
    text: Promise  # what to do, in the reader's language: "A new file waits for review"
    done_when_opened: bool = False


KINDS: dict[str, Kind] = {}


def register_kind(kind: str, text: Promise, *, done_when_opened: bool = False) -> None:
    """Called by the app that tells items of `kind`, at import of its inbox module."""
    KINDS[kind] = Kind(text, done_when_opened)


def text_of(kind: str) -> str:
    known = KINDS.get(kind)
    return str(known.text) if known is not None else kind


def subject_of(obj) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def tell(
    *,
    recipients,
    kind: str,
    subject,
    url: str,
    province_code: str | None = None,
    reference: str = "",
) -> int:
    """Put one item of `kind` about `subject` (a saved model instance) in each recipient's
    inbox, unless one is already open there. Returns how many were added."""
    if kind not in KINDS:
        raise ValueError(f"unknown inbox kind {kind!r}: register it first")
    subject_type, subject_id = subject_of(subject)
    items = [
        InboxItem(
            recipient=recipient,
            kind=kind,
            subject_type=subject_type,
            subject_id=subject_id,
            province_code=province_code or None,
            reference=str(reference)[:100],
            url=url[:300],
        )
        for recipient in recipients
    ]
    if not items:
        return 0
    # The partial unique constraint keeps one open item per recipient and thing.
    return len(InboxItem.objects.bulk_create(items, ignore_conflicts=True))


def resolve(*, subject, kinds=None, recipient=None) -> int:
    """The thing to do about `subject` is done (or no longer to do): its open items, of
    `kinds` if given, leave every inbox (or `recipient`'s only)."""
    subject_type, subject_id = subject_of(subject)
    if kinds is None and recipient is None:
        return _resolve_every(subject_type, subject_id)
    items = InboxItem.objects.filter(
        subject_type=subject_type, subject_id=subject_id, resolved_at__isnull=True
    )
    if kinds is not None:
        items = items.filter(kind__in=list(kinds))
    if recipient is not None:
        items = items.filter(recipient=recipient)
    return items.update(resolved_at=timezone.now())


def _resolve_every(subject_type: str, subject_id: str) -> int:
    """`resolve` of every open item about a thing, in one plain UPDATE: every decision on a
    file runs it, and building the ORM's cost more than running it (decision 81)."""
    connection = connections[router.db_for_write(InboxItem)]
    quote, field = connection.ops.quote_name, InboxItem._meta.get_field
    resolved_at = quote(field("resolved_at").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(InboxItem._meta.db_table)} SET {resolved_at} = %s "
            f"WHERE {quote(field('subject_type').column)} = %s "
            f"AND {quote(field('subject_id').column)} = %s AND {resolved_at} IS NULL",
            [
                field("resolved_at").get_db_prep_value(timezone.now(), connection),
                subject_type,
                subject_id,
            ],
        )
        return cursor.rowcount


def relocate(*, subject, province_code: str | None) -> int:
    """`subject` moved to another province: its open items follow it, so that readers who
    no longer cover it stop seeing them."""
    subject_type, subject_id = subject_of(subject)
    return (
        InboxItem.objects.filter(
            subject_type=subject_type, subject_id=subject_id, resolved_at__isnull=True
        )
        .exclude(province_code=province_code)
        .update(province_code=province_code)
    )


def open_item(items, pk) -> InboxItem:
    """The reader follows an item of `items` (their inbox as they may see it): an item that
    only informs is done once opened. NotFound for anything else."""
    try:
        item = items.get(pk=int(pk))
    except (InboxItem.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound() from None
    known = KINDS.get(item.kind)
    if known is not None and known.done_when_opened and item.resolved_at is None:
        item.resolved_at = timezone.now()
        item.save(update_fields=["resolved_at"])
    return item


def wants_digest(user) -> bool:
    return DigestSubscription.objects.filter(user=user).exists()


@transaction.atomic
def set_digest(*, user, on: bool) -> None:
    if on:
        DigestSubscription.objects.get_or_create(user=user)
    else:
        DigestSubscription.objects.filter(user=user).delete()


def open_subject_ids(*, model, kinds) -> set[str]:
    """The keys of the subjects of `model` with an open item of `kinds` in some inbox."""
    return set(
        InboxItem.objects.filter(
            subject_type=model._meta.label_lower, kind__in=list(kinds), resolved_at__isnull=True
        )
        .values_list("subject_id", flat=True)
        .distinct()
    )


def resolve_many(*, model, ids, kinds=None) -> int:
    """`resolve` for many subjects of one model at once (their keys, or a query of them)."""
    items = InboxItem.objects.filter(
        subject_type=model._meta.label_lower,
        subject_id__in=[str(pk) for pk in ids],
        resolved_at__isnull=True,
    )
    if kinds is not None:
        items = items.filter(kind__in=list(kinds))
    return items.update(resolved_at=timezone.now())
