"""Reads of the exchange for the CNSS liaison: batches, rejected lines, reconciliation.

Only users with the EXCHANGE_CNSS capability see anything; the exchange is national.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hirfa.cnss import policy
from hirfa.cnss.models import Batch, Direction, LineRejection, RefusedFile, SentItem
from hirfa.core.errors import NotFound


def batches_for(user, *, direction: str = "", kind: str = "") -> QuerySet[Batch]:
    if not policy.may_exchange(user):
        return Batch.objects.none()
    batches = Batch.objects.all()
    if direction:
        batches = batches.filter(direction=direction)
    if kind:
        batches = batches.filter(kind=kind)
    return batches.order_by("-created_at", "-id")


def batch_for(user, batch_id: str) -> Batch:
    try:
        return batches_for(user).get(batch_id=batch_id)
    except Batch.DoesNotExist:
        raise NotFound() from None


def rejections_of(batch: Batch) -> QuerySet[LineRejection]:
    return batch.rejections.order_by("line")


def refused_files_for(user) -> QuerySet[RefusedFile]:
    if not policy.may_exchange(user):
        return RefusedFile.objects.none()
    return RefusedFile.objects.order_by("-at", "-id")


@dataclass(frozen=True)
class BatchReconciliation:
    batch: Batch
    sent: int
    accepted: int
    rejected: int
    pending: int
    answered_by: list[str]
    overdue: bool

    @property
    def acknowledged(self) -> int:
        return self.accepted + self.rejected

    @property
    def missing(self) -> int:
        """Sent, and the CNSS answered the batch (or should have by now) without them."""
        return self.pending if (self.answered_by or self.overdue) else 0

    @property
    def awaiting(self) -> int:
        return self.pending - self.missing


@dataclass(frozen=True)
class Reconciliation:
    batches: list[BatchReconciliation]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.batches)

    @property
    def totals(self) -> dict[str, int]:
        names = ("sent", "acknowledged", "accepted", "rejected", "awaiting", "missing")
        return {name: self.total(name) for name in names}


def reconciliation(user, *, now=None) -> Reconciliation:
    """Per outbound batch: sent, acknowledged (accepted or rejected), awaiting, missing."""
    if not policy.may_exchange(user):
        return Reconciliation([])
    now = now or timezone.now()
    deadline = now - timedelta(days=settings.CNSS_ANSWER_DAYS)
    outbound = Batch.objects.filter(direction=Direction.OUTBOUND).order_by("-sequence")
    counts = (
        SentItem.objects.filter(batch__in=outbound)
        .values("batch_id")
        .annotate(
            sent=Count("id"),
            accepted=Count("id", filter=Q(outcome=SentItem.Outcome.ACCEPTED)),
            rejected=Count("id", filter=Q(outcome=SentItem.Outcome.REJECTED)),
        )
    )
    by_batch = {row["batch_id"]: row for row in counts}
    answers: dict[str, list[str]] = {}
    for reply_to, batch_id in (
        Batch.objects.filter(direction=Direction.INBOUND)
        .exclude(in_reply_to="")
        .values_list("in_reply_to", "batch_id")
    ):
        answers.setdefault(reply_to, []).append(batch_id)
    rows = []
    for batch in outbound:
        count = by_batch.get(batch.pk, {"sent": 0, "accepted": 0, "rejected": 0})
        rows.append(
            BatchReconciliation(
                batch=batch,
                sent=count["sent"],
                accepted=count["accepted"],
                rejected=count["rejected"],
                pending=count["sent"] - count["accepted"] - count["rejected"],
                answered_by=sorted(answers.get(batch.batch_id, [])),
                overdue=batch.created_at < deadline,
            )
        )
    return Reconciliation(rows)


def missing_items(user, *, now=None) -> QuerySet[SentItem]:
    """The artisans and dependants counted as missing, oldest batch first."""
    if not policy.may_exchange(user):
        return SentItem.objects.none()
    now = now or timezone.now()
    deadline = now - timedelta(days=settings.CNSS_ANSWER_DAYS)
    answered = (
        Batch.objects.filter(direction=Direction.INBOUND)
        .exclude(in_reply_to="")
        .values("in_reply_to")
    )
    return (
        SentItem.objects.filter(outcome=SentItem.Outcome.PENDING)
        .filter(Q(batch__batch_id__in=answered) | Q(batch__created_at__lt=deadline))
        .select_related("batch")
        .order_by("batch__sequence", "line")
    )


def batches_with_rejections(user, *, since) -> QuerySet[Batch]:
    """Batches with rejected lines (to correct and send again), processed since `since`."""
    return batches_for(user).filter(rejected_count__gt=0, created_at__gte=since)
