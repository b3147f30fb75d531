"""What we send to the CNSS: the records of each kind of outbound batch (docs/cnss-exchange.md).

Who is to be sent is the coverage's to say (its selectors); this module turns them, and the
register's changes since the CNSS last heard of an artisan, into exchange records.
"""

from collections.abc import Iterator

from django.db.models import F, OuterRef, Q, Subquery

from hirfa.cnss.models import Kind, SentItem
from hirfa.coverage import selectors as coverage
from hirfa.register.models import Registration


def _iso(value):
    # Dates as the writer would spell them, without a call back from the JSON encoder.
    return value.isoformat() if value is not None else None


def _pre_registration(record) -> dict:
    return {
        "type": "pre_registration",
        "number": record.number,
        "cnie": record.cnie,
        "first_name_ar": record.first_name_ar,
        "last_name_ar": record.last_name_ar,
        "first_name_latin": record.first_name_latin,
        "last_name_latin": record.last_name_latin,
        "sex": record.sex,
        "birth_date": _iso(record.birth_date),
        "phone": record.phone,
        "province": record.province_code,
        "commune": record.commune_code,
        "category": record.category,
        "activity": record.activity_code,
        "approved_on": _iso(record.approved_on),
    }


def _dependant(record) -> dict:
    return {
        "type": "dependant",
        "number": record.number,
        "dependant_id": record.dependant_id,
        "relation": record.relation,
        "first_name_ar": record.first_name_ar,
        "last_name_ar": record.last_name_ar,
        "first_name_latin": record.first_name_latin,
        "last_name_latin": record.last_name_latin,
        "birth_date": record.birth_date,
        "cnie": record.cnie or None,
        "student": record.student,
        "disabled": record.disabled,
        "eligible_until": record.eligible_until,
    }


def _updates(limit: int | None) -> Iterator[dict]:
    """Artisans the CNSS knows whose register data changed since we last sent them."""
    last_sent = (
        SentItem.objects.filter(key=OuterRef("number"))
        .order_by("-batch__created_at")
        .values("batch__created_at")[:1]
    )
    accepted = SentItem.objects.filter(
        batch__kind=Kind.PRE_REGISTRATION, outcome=SentItem.Outcome.ACCEPTED
    ).values("key")
    changed = (
        Registration.objects.filter(number__in=accepted, person__isnull=False)
        .annotate(last_sent=Subquery(last_sent))
        .filter(Q(updated_at__gt=F("last_sent")) | Q(person__updated_at__gt=F("last_sent")))
        .select_related("person", "person__commune", "province", "principal_activity")
        .order_by("number")
    )
    if limit is not None:
        changed = changed[:limit]
    for registration in changed.iterator(chunk_size=2000):
        person = registration.person
        yield {
            "type": "update",
            "number": registration.number,
            "cnie": person.cnie,
            "first_name_ar": person.first_name_ar,
            "last_name_ar": person.last_name_ar,
            "first_name_latin": person.first_name_latin,
            "last_name_latin": person.last_name_latin,
            "sex": person.sex,
            "birth_date": person.birth_date,
            "phone": person.phone,
            "province": registration.province.code,
            "commune": person.commune.code,
            "category": registration.category,
            "activity": registration.principal_activity.code,
            "approved_on": registration.registered_on,
            "status": registration.status,
        }


def sources(limit: int | None) -> list[tuple[str, Iterator[dict]]]:
    """Each kind of outbound batch with its records, in the order they are sent."""
    return [
        (Kind.PRE_REGISTRATION, map(_pre_registration, coverage.to_pre_register(limit=limit))),
        (Kind.DEPENDANTS, map(_dependant, coverage.dependant_updates(limit=limit))),
        (Kind.UPDATE, _updates(limit)),
    ]
