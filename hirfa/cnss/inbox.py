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
from hirfa.territory.models import Province

REJECTED = "cnss.rejected"
DEPENDANT_PREFIX = "dependant:"

inbox.register_kind(REJECTED, _("The CNSS rejected a line about an artisan of your territory"))


# Keys per query: a batch may answer 500,000 artisans, more than SQLite takes in one IN list.
CHUNK = 5000


def _chunks(values) -> list[list]:
    values = sorted(values)
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


def _numbers(keys: set[str]) -> set[str]:
    """Registration numbers of the keys: a dependant's key stands for its registration's."""
    dependant_ids = [
        int(key.removeprefix(DEPENDANT_PREFIX))
        for key in keys
        if key.startswith(DEPENDANT_PREFIX) and key.removeprefix(DEPENDANT_PREFIX).isdigit()
    ]
    numbers = {key for key in keys if key.isdigit()}
    for chunk in _chunks(dependant_ids):
        numbers |= set(
            Dependant.objects.filter(pk__in=chunk).values_list("registration__number", flat=True)
        )
    return numbers


def _answered(batch: Batch, outcome: str) -> set[str]:
    return set(
        SentItem.objects.filter(answered_by=batch, outcome=outcome).values_list("key", flat=True)
    )


def _resolve_accepted(batch: Batch, rejected: set[str]) -> None:
    """The open items about artisans this batch accepted (their own sent item or one of their
    dependants', and no line of theirs refused) leave the inboxes. Read from the open items
    (a few), not from the accepted (up to a whole batch: 450,000 keys held at once were the
    import's peak of memory, ADR 0087)."""
    open_ids = [
        int(key)
        for key in inbox.open_subject_ids(model=Registration, kinds=[REJECTED])
        if key.isdigit()
    ]
    done = []
    for chunk in _chunks(open_ids):
        pks = dict(Registration.objects.filter(pk__in=chunk).values_list("number", "pk"))
        dependants = dict(
            Dependant.objects.filter(registration_id__in=chunk).values_list(
                "pk", "registration__number"
            )
        )
        keys = [*pks, *(f"{DEPENDANT_PREFIX}{pk}" for pk in dependants)]
        accepted = set()
        for part in _chunks(keys):
            answered = SentItem.objects.filter(
                answered_by=batch, outcome=SentItem.Outcome.ACCEPTED, key__in=part
            )
            for key in answered.values_list("key", flat=True):
                dependant = key.removeprefix(DEPENDANT_PREFIX)
                accepted.add(dependants[int(dependant)] if dependant != key else key)
        done += [pks[number] for number in accepted - rejected]
    for chunk in _chunks(done):
        inbox.resolve_many(model=Registration, ids=chunk, kinds=[REJECTED])


def batch_applied(batch: Batch) -> None:
    """A batch of the CNSS was applied: the artisans it refused (its `rejection` records)
    or whose lines we could not apply are told; those it accepted are done."""
    refused_lines = set(batch.rejections.exclude(key="").values_list("key", flat=True))
    rejected = _numbers(refused_lines | _answered(batch, SentItem.Outcome.REJECTED))
    _resolve_accepted(batch, rejected)
    # The staff of each province first: the artisans of a province with no one to tell
    # are not read (a batch may reject 50,000 artisans).
    provinces = set()
    for chunk in _chunks(rejected):
        numbers = Registration.objects.filter(number__in_many=set(chunk))
        provinces |= set(numbers.values_list("province_id", flat=True).distinct())
    staff_of: dict[int, list] = {}
    for province in Province.objects.filter(pk__in=provinces):
        staff = list(staff_covering(province, Capability.FILE_ASSISTED, Capability.REVIEW))
        if staff:
            staff_of[province.pk] = staff
    if not staff_of:
        return
    for chunk in _chunks(rejected):
        registrations = Registration.objects.filter(
            number__in_many=set(chunk), province_id__in=list(staff_of)
        ).select_related("province")
        for registration in registrations.order_by("province_id", "number"):
            province = registration.province
            inbox.tell(
                recipients=staff_of[province.pk],
                kind=REJECTED,
                subject=registration,
                url=reverse("coverage:artisan", args=[registration.number]),
                province_code=province.code,
                reference=registration.number,
            )
