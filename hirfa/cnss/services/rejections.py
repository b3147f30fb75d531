"""The CNSS rejections worklist (ADR 0053): a rejection is kept as its answer is imported,
closed when the CNSS accepts the artisan (or rejects them again: the newer line replaces
it), and whoever works on it records that the artisan was contacted and why it stays open.

Correcting the data is the register's own modification workflow (an approved change of the
person sends them again with the next batch, `coverage.selectors.not_enrolled`), or the
coverage's "send again" when an agent checked the file unchanged.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.cnss import policy, selectors
from hirfa.cnss.models import Batch, Rejection, RejectionNote
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.register.bulk import insert_rows
from hirfa.register.models import Registration

NOTE_MAX_LENGTH = 2000


def record_received(batch: Batch, sent_batch: Batch | None, items: list[tuple]) -> None:
    """The rejections of an answer being imported: items are (line, number, code, reason).
    Older open rejections of the same artisans are closed as rejected again."""
    if not items:
        return
    now = timezone.now()
    numbers = {number for _line, number, _code, _reason in items}
    registrations = dict(
        Registration.objects.filter(number__in_many=set(numbers)).values_list("number", "id")
    )
    Rejection.objects.filter(number__in_many=set(numbers), closed_at__isnull=True).update(
        closed_at=now, closing=Rejection.Closing.REJECTED_AGAIN, closed_by=batch
    )
    # Without a model instance each: an answer may reject 50,000 artisans.
    received_at = (
        now
        if connection.vendor == "postgresql"
        else (connection.ops.adapt_datetimefield_value(now))
    )
    sent_batch_id = sent_batch.pk if sent_batch is not None else None
    insert_rows(
        Rejection._meta.db_table,
        [
            "batch_id",
            "sent_batch_id",
            "line",
            "number",
            "registration_id",
            "code",
            "reason",
            "received_at",
            "closed_at",
            "closing",
            "closed_by_id",
        ],
        [
            (
                batch.pk,
                sent_batch_id,
                line,
                number[:20],
                registrations.get(number),
                str(code)[:40],
                " ".join(str(reason or "").split())[:300],
                received_at,
                None,
                "",
                None,
            )
            for line, number, code, reason in items
        ],
    )


def close_accepted(batch: Batch, numbers: Iterable[str]) -> int:
    """The CNSS accepted these artisans: their open rejections leave the worklist."""
    return Rejection.objects.filter(number__in_many=set(numbers), closed_at__isnull=True).update(
        closed_at=timezone.now(), closing=Rejection.Closing.ACCEPTED, closed_by=batch
    )


@transaction.atomic
def note_contact(*, actor, rejection_id, note: str) -> RejectionNote:
    """Record that the artisan was contacted about a rejection, and why it stays open."""
    rejection = selectors.rejection_for(actor, rejection_id)
    if not policy.may_work_on_rejection(actor, rejection):
        raise Forbidden()
    rejection = Rejection.objects.select_for_update().get(pk=rejection.pk)
    if rejection.closed_at is not None:
        raise Conflict(_("This rejection is closed: the CNSS answered since."))
    note = " ".join(str(note or "").split())
    if not note or len(note) > NOTE_MAX_LENGTH:
        message = _(
            "Write who was contacted and why the rejection stays open (%(max)d characters at most)."
        ) % {"max": NOTE_MAX_LENGTH}
        raise DomainError(message, fields={"note": [message]}, code="invalid_note")
    saved = RejectionNote.objects.create(rejection=rejection, author=actor, note=note)
    record(
        actor=actor,
        action="cnss.rejection_noted",
        obj=rejection,
        province_code=selectors.province_code_of(rejection),
        reason=note,
        data={
            "number": rejection.number,
            "code": rejection.code,
            "batch": rejection.batch.batch_id,
        },
    )
    return saved
