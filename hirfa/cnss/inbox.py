"""CNSS rejections in the inbox of the staff of the artisan's province (decision 54).

After a batch of the CNSS is applied: each artisan it refused (a `rejection` record answering
our pre-registration), or whose line could not be applied, goes in the inbox of the officers
and agents covering their province, linked to the artisan's coverage; the item is resolved
when a later batch of the CNSS accepts the artisan (their sent item answered "accepted").
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import Capability
from hirfa.accounts.selectors import staff_covering
from hirfa.cnss.models import Batch, SentItem
from hirfa.coverage.models import Dependant
from hirfa.notifications import inbox
from hirfa.register.models import Registration

REJECTED = "cnss.rejected"
DEPENDANT_PREFIX = "dependant:"

inbox.register_kind(REJECTED, _("The CNSS rejected a line about an artisan of your territory"))


def _numbers(keys: set[str]) -> set[str]:
    """Registration numbers of the keys: a dependant's key stands for its registration's."""
    dependant_ids = [
        int(key.removeprefix(DEPENDANT_PREFIX))
        for key in keys
        if key.startswith(DEPENDANT_PREFIX) and key.removeprefix(DEPENDANT_PREFIX).isdigit()
    ]
    numbers = {key for key in keys if key.isdigit()}
    if dependant_ids:
        numbers |= set(
            Dependant.objects.filter(pk__in=dependant_ids).values_list(
                "registration__number", flat=True
            )
        )
    return numbers


def _answered(batch: Batch, outcome: str) -> set[str]:
    return set(
        SentItem.objects.filter(answered_by=batch, outcome=outcome).values_list("key", flat=True)
    )


def batch_applied(batch: Batch) -> None:
    """A batch of the CNSS was applied: the artisans it refused (its `rejection` records)
    or whose lines we could not apply are told; those it accepted are done."""
    refused_lines = set(batch.rejections.exclude(key="").values_list("key", flat=True))
    rejected = _numbers(refused_lines | _answered(batch, SentItem.Outcome.REJECTED))
    accepted = _numbers(_answered(batch, SentItem.Outcome.ACCEPTED)) - rejected
    if accepted:
        inbox.resolve_many(
            model=Registration,
            ids=Registration.objects.filter(number__in=accepted).values_list("pk", flat=True),
            kinds=[REJECTED],
        )
    registrations = Registration.objects.filter(number__in=rejected).select_related(
        "province__region"
    )
    staff_of: dict[int, list] = {}
    for registration in registrations.order_by("province_id", "number"):
        province = registration.province
        if province.pk not in staff_of:
            staff_of[province.pk] = list(
                staff_covering(province, Capability.FILE_ASSISTED, Capability.REVIEW)
            )
        inbox.tell(
            recipients=staff_of[province.pk],
            kind=REJECTED,
            subject=registration,
            url=reverse("coverage:artisan", args=[registration.number]),
            province_code=province.code,
            reference=registration.number,
        )
