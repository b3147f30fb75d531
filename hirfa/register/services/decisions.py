"""Approval: national numbers and what an approved dossier makes of the register."""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import Conflict
from hirfa.core.prepared_writes import insert
from hirfa.register import policy, signals
from hirfa.register.models import (
    Dossier,
    NumberCounter,
    Registration,
)
from hirfa.register.numbers import make_number
from hirfa.register.services.identity import apply_person_changes
from hirfa.register.services.validation import free_text
from hirfa.register.services.workflow import _check_state, _locked_for_review, _move

NATIONAL_COUNTER = "national"


def allocate_number() -> str:
    """The next national number. Must run inside the approval's transaction."""
    return make_number(reserve_serials(1))


def reserve_serials(count: int) -> int:
    """The first of `count` consecutive national serials, taken in the caller's transaction.

    The UPDATE takes the counter row's lock until commit, so concurrent approvals (and
    imports) are served one after the other and never get the same serial; the counter
    only grows, so a number is never reused.
    """
    with connection.cursor() as cursor:
        # One statement increments and reads (SQLite >= 3.35 and PostgreSQL).
        cursor.execute(RESERVE_SQL, [count, NATIONAL_COUNTER])
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the national number counter is missing (migrations not applied?)")
    return row[0] - count + 1


@transaction.atomic
def approve(*, officer, dossier: Dossier, note: str = "") -> Dossier:
    dossier = _locked_for_review(officer, dossier)
    _check_state(dossier, "approve")
    today = timezone.localdate()
    entries = []  # written with the dossier's own: the chain's head read once (decision 72)
    if dossier.kind == Dossier.Kind.REGISTRATION:
        registration = _register(dossier, officer, today, entries)
    elif dossier.kind == Dossier.Kind.MODIFICATION:
        registration = _apply_modification(dossier, officer)
    else:
        registration = _renew(dossier, officer, today)
    if policy.identity_waits_for_approval(dossier):
        apply_person_changes(dossier, officer)
    dossier.registration = registration
    # The cards app issues (or reissues) the card, after commit for a first registration.
    signals.registration_approved.send(
        sender=Registration, registration=registration, dossier=dossier
    )
    dossier.decision_note = free_text(note, "note")
    return _move(
        dossier,
        "approve",
        officer,
        reason=dossier.decision_note,
        data={"number": registration.number},
        also=["registration", "decision_note"],
        entries=entries,
    )


def _register(dossier: Dossier, officer, today: date, entries: list) -> Registration:
    registration = Registration(
        number=allocate_number(),
        category=dossier.category,
        # Ids, not objects: the related rows need not be read to be referenced.
        person_id=dossier.person_id,
        entity_id=dossier.entity_id,
        principal_activity_id=dossier.principal_activity_id,
        workplace_kind=dossier.workplace_kind,
        workplace_commune_id=dossier.workplace_commune_id,
        workplace_address=dossier.workplace_address,
        province=dossier.province,
        registered_on=today,
        valid_until=today + timedelta(days=settings.REGISTRATION_VALIDITY_DAYS),
    )
    try:
        # No savepoint: on a violation the whole approval is rolled back anyway.
        insert(registration)  # its INSERT compiled once (decision 86)
    except IntegrityError:
        raise Conflict(_("This person is already registered.")) from None
    _copy_secondary_activities(dossier, registration)
    entries.append(
        {
            "action": "registration.created",
            "object_type": Registration._meta.label_lower,
            "object_id": registration.pk,
            "province_code": registration.province.code,
            "data": {"number": registration.number, "dossier": dossier.pk},
        }
    )
    return registration


def _copy_secondary_activities(dossier: Dossier, registration: Registration) -> None:
    # One INSERT … SELECT: approvals are the register's hottest write.
    with connection.cursor() as cursor:
        cursor.execute(COPY_SECONDARY_SQL, [registration.pk, dossier.pk])


# Built once (approvals are the hottest write): PostgreSQL and SQLite both quote with "".
RESERVE_SQL = (
    f'UPDATE "{NumberCounter._meta.db_table}" SET last = last + %s WHERE name = %s RETURNING last'
)
COPY_SECONDARY_SQL = (
    f'INSERT INTO "{Registration.secondary_activities.through._meta.db_table}" '
    "(registration_id, activity_id) "
    f'SELECT %s, activity_id FROM "{Dossier.secondary_activities.through._meta.db_table}" '
    "WHERE dossier_id = %s"
)


def _apply_modification(dossier: Dossier, officer) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=dossier.registration_id)
    before = {
        "category": registration.category,
        "principal_activity": registration.principal_activity.code,
        "workplace_commune": registration.workplace_commune.code,
    }
    for field in (
        "category",
        "principal_activity",
        "workplace_kind",
        "workplace_commune",
        "workplace_address",
        "province",
    ):
        setattr(registration, field, getattr(dossier, field))
    registration.save()
    registration.secondary_activities.set(dossier.secondary_activities.all())
    record(
        actor=officer,
        action="registration.modified",
        obj=registration,
        province_code=registration.province.code,
        data={"before": before, "dossier": dossier.pk},
    )
    return registration


def _renew(dossier: Dossier, officer, today: date) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=dossier.registration_id)
    start = max(today, registration.valid_until)
    previous = registration.valid_until
    registration.valid_until = start + timedelta(days=settings.REGISTRATION_VALIDITY_DAYS)
    if registration.status == Registration.Status.EXPIRED:
        registration.status = Registration.Status.ACTIVE
    registration.save(update_fields=["valid_until", "status", "updated_at"])
    record(
        actor=officer,
        action="registration.renewed",
        obj=registration,
        province_code=registration.province.code,
        data={"from": str(previous), "to": str(registration.valid_until)},
    )
    return registration
