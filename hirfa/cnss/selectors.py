"""Reads of the exchange for the CNSS liaison: batches, rejected lines, reconciliation; and
the rejections worklist, for the liaison (national) and the staff of the artisans' provinces.

Only users with the EXCHANGE_CNSS capability see the batches; the exchange is national.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts.selectors import provinces_for, restrict
from hirfa.audit.access import seen
from hirfa.cnss import policy
from hirfa.cnss.messages import rejection_label
from hirfa.cnss.models import Batch, Direction, LineRejection, RefusedFile, Rejection, SentItem
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


# --- The rejections worklist ------------------------------------------------------------

# "Older than" choices, in days.
AGES = (7, 30, 90)
_BATCH_ID = re.compile(r"(RNA|CNSS)-[0-9]{8}", re.ASCII)
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}", re.ASCII)


@dataclass(frozen=True)
class RejectionFilters:
    code: str = ""
    batch: str = ""
    province: str = ""
    older_than: int = 0


def clean_rejection_filters(user, query) -> tuple[RejectionFilters, list[str]]:
    """The worklist's filters from a query string: a value that is not one of the choices
    is dropped, with a translated message saying so."""
    problems, values = [], {}
    code = str(query.get("code") or "").strip()
    if code:
        if _CODE.fullmatch(code):
            values["code"] = code
        else:
            problems.append(_("Unknown reason: the filter is ignored."))
    batch = str(query.get("batch") or "").strip().upper()
    if batch:
        if _BATCH_ID.fullmatch(batch):
            values["batch"] = batch
        else:
            problems.append(
                _("A batch is written like %(example)s: the filter is ignored.")
                % {"example": "RNA-00000001, CNSS-00000001"}
            )
    province = str(query.get("province") or "").strip()
    if province:
        if _CODE.fullmatch(province) and provinces_for(user).filter(code=province).exists():
            values["province"] = province
        else:
            problems.append(_("Unknown province, or outside your territory."))
    age = str(query.get("older_than") or "").strip()
    if age:
        if age.isdigit() and int(age) in AGES:
            values["older_than"] = int(age)
        else:
            problems.append(_("Choose an age among those proposed: the filter is ignored."))
    return RejectionFilters(**values), problems


def rejections_for(user, filters: RejectionFilters | None = None) -> QuerySet[Rejection]:
    """The open rejections in the user's territory (every one for the liaison), oldest
    first, with what a row of the list shows."""
    if not policy.may_follow_rejections(user):
        return Rejection.objects.none()
    rows = restrict(
        Rejection.objects.filter(closed_at__isnull=True), user, via="registration__province"
    )
    filters = filters or RejectionFilters()
    if filters.code:
        rows = rows.filter(code=filters.code)
    if filters.batch:
        rows = rows.filter(Q(batch__batch_id=filters.batch) | Q(sent_batch__batch_id=filters.batch))
    if filters.province:
        rows = rows.filter(registration__province__code=filters.province)
    if filters.older_than:
        rows = rows.filter(received_at__lt=timezone.now() - timedelta(days=filters.older_than))
    return rows.select_related(
        "batch", "sent_batch", "registration__province", "registration__person"
    ).order_by("received_at", "id")


def rejection_codes_for(user) -> list[tuple[str, str]]:
    """The reasons of the open rejections the user sees, for the filter."""
    codes = rejections_for(user).order_by("code").values_list("code", flat=True).distinct()
    return [(code, rejection_label(code)) for code in codes]


def rejection_for(user, pk) -> Rejection:
    """One rejection of the user's territory, open or closed, with its notes."""
    if not policy.may_follow_rejections(user):
        raise NotFound()
    try:
        rejection = (
            restrict(Rejection.objects.all(), user, via="registration__province")
            .select_related(
                "batch", "sent_batch", "registration__province", "registration__person", "closed_by"
            )
            .get(pk=int(pk))
        )
    except (Rejection.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    if rejection.registration is not None:
        seen(rejection.registration.person, province_code=province_code_of(rejection))
    return rejection


def notes_of(rejection: Rejection):
    return rejection.notes.select_related("author").order_by("at", "id")


def province_code_of(rejection: Rejection) -> str | None:
    registration = rejection.registration
    return registration.province.code if registration is not None else None


def rejections_shown(rows) -> list[Rejection]:
    """The rows of a worklist page, read (and logged as read)."""
    rows = list(rows)
    for row in rows:
        if row.registration is not None:
            seen(row.registration.person, province_code=province_code_of(row))
    return rows


def cnss_rejections_of(batch: Batch) -> QuerySet[Rejection]:
    """The artisans a CNSS answer rejected (its `rejection` records), or those of a batch
    we sent that its answers rejected; open or since closed."""
    if batch.direction == Direction.OUTBOUND:
        return batch.rejections_of_sent.order_by("batch__sequence", "line")
    return batch.cnss_rejections.order_by("line")
