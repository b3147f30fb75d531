"""A person's identity: saved when an application is filed or corrected, and — once the person
is registered — only proposed by a modification or a renewal, then applied on approval.

Every change is audited with its values before and after (Law 09-08: accurate data, and who
changed what).
"""

from datetime import date

from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import Conflict
from hirfa.register.models import Dossier, Person
from hirfa.territory.models import Commune


def refuse_taken_cnie(cnie: str, person: Person | None) -> None:
    """One file per national identity card: refuse a CNIE another person already has."""
    if Person.objects.filter(cnie=cnie).exclude(pk=getattr(person, "pk", None)).exists():
        raise Conflict(
            _("A file already exists for this national identity card number."),
            fields={"cnie": [_("This CNIE is already in the register.")]},
        )


def _stored(value):
    """A value as the audit trail and a proposed change keep it: codes and ISO dates."""
    if isinstance(value, Commune):
        return value.code
    if isinstance(value, date):
        return value.isoformat()
    return value


def person_diff(person: Person | None, clean: dict) -> dict:
    """{field: {"from": old, "to": new}} for each field of `clean` that differs."""
    diff = {}
    for field, value in clean.items():
        old = _stored(getattr(person, field)) if person is not None else None
        if field == "commune" and person is not None:
            old = person.commune.code if person.commune_id else None
        new = _stored(value)
        if old != new:
            diff[field] = {"from": old, "to": new}
    return diff


def save_person(clean: dict, *, person: Person | None, user=None) -> Person:
    """Write validated person data (a new applicant, or an application not yet approved)."""
    refuse_taken_cnie(clean["cnie"], person)
    person = person or Person()
    for field, value in clean.items():
        setattr(person, field, value)
    if user is not None:
        person.user = user
    person.save()
    return person


def apply_person_changes(dossier: Dossier, officer) -> None:
    """On approval of a modification or a renewal: the identity changes it proposed are
    written on the person, in the approval's transaction, audited before and after."""
    changes = dossier.person_changes or {}
    if not changes or dossier.person_id is None:
        return
    person = Person.objects.select_for_update().get(pk=dossier.person_id)
    for field, change in changes.items():
        value = change["to"]
        if field == "commune":
            commune = Commune.objects.filter(code=value).first()
            if commune is None:
                raise Conflict(_("The commune of the new address no longer exists."))
            value = commune
        elif field == "birth_date":
            value = date.fromisoformat(value)
        setattr(person, field, value)
    refuse_taken_cnie(person.cnie, person)
    person.save()
    record(
        actor=officer,
        action="person.changed",
        obj=person,
        province_code=dossier.province.code,
        data={"dossier": dossier.pk, "changes": changes},
    )
