"""Limited retention (Law 09-08): once every registration of a person has been struck off for
longer than `PERSONAL_DATA_RETENTION_DAYS`, and no file of theirs is open, the person is
anonymised — not deleted: the registration numbers, categories, crafts, places, dates and
statuses stay, so the register's numbers and statistics do not change.

What goes: names (a placeholder), the CNIE (a unique placeholder that no real CNIE can
match), phone, e-mail, address, place of birth, the day and month of birth (the year stays,
for statistics), the photo, the files of the documents (their rows stay: kind, size, date,
checksum; their original names go), the identity changes proposed on files, the names, CNIE
and documents of the AMO dependants, the QR text of the (revoked) cards and who received
them, the addresses and texts of the notifications sent, and the artisan's account (made
unusable). Each person purged gets an audit entry with no personal data in it, and each run a
summary entry. The audit trail itself is append-only and is not rewritten (docs/privacy.md).
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F

from hirfa.audit.services import record
from hirfa.cards.models import Card
from hirfa.coverage.models import Dependant, DependantDocument
from hirfa.notifications.models import Notification
from hirfa.privacy import policy, selectors
from hirfa.register import policy as register_policy
from hirfa.register.models import Document, Dossier, Person

logger = logging.getLogger(__name__)

ACTOR_LABEL = "system:purge-personal-data"
# What replaces a name: the same in every script, so that nobody is told apart by it.
PLACEHOLDER_NAME = "—"


@dataclass
class PurgeResult:
    cutoff: datetime
    dry_run: bool
    numbers: list[str] = field(default_factory=list)  # registration numbers concerned
    persons: int = 0


def purge_personal_data(*, dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Anonymise every person kept past the retention period; `dry_run` only says who."""
    cutoff = policy.retention_cutoff(now)
    result = PurgeResult(cutoff=cutoff, dry_run=dry_run)
    for pk in list(selectors.persons_past_retention(cutoff).values_list("pk", flat=True)):
        if dry_run:
            numbers = Person.objects.get(pk=pk).registrations.values_list("number", flat=True)
        else:
            numbers = _purge_person(pk, cutoff)
            if numbers is None:  # no longer due (a file opened meanwhile)
                continue
        result.persons += 1
        result.numbers.extend(sorted(numbers))
    if not dry_run:
        with transaction.atomic():
            record(
                actor=None,
                actor_label=ACTOR_LABEL,
                action="privacy.purge_run",
                data={
                    "persons": result.persons,
                    "retention_days": policy.retention_days(),
                    "cutoff": cutoff.isoformat(),
                },
            )
    return result


@transaction.atomic
def _purge_person(pk: int, cutoff: datetime) -> list[str] | None:
    person = Person.objects.select_for_update().filter(pk=pk).first()
    # Checked again under the lock: an application may have been opened since the list.
    if person is None or not selectors.persons_past_retention(cutoff).filter(pk=pk).exists():
        return None
    files: list[str] = []
    numbers = sorted(person.registrations.values_list("number", flat=True))
    province = person.registrations.order_by("-updated_at").values_list("province__code", flat=True)
    documents = _purge_documents(Document.objects.filter(dossier__person=person), files)
    Dossier.objects.filter(person=person).update(person_changes={})
    dependants = _purge_dependants(person, files)
    Card.objects.filter(registration__person=person).update(qr_text="", received_by="")
    if person.photo:
        files.append(person.photo.name)
    user = person.user
    _anonymise_person(person)
    if user is not None:
        Notification.objects.filter(recipient=user).update(address="", subject="", body="")
        if register_policy.may_apply(user):  # an artisan's account, never a staff member's
            _anonymise_account(user)
    record(
        actor=None,
        actor_label=ACTOR_LABEL,
        action="person.purged",
        obj=person,
        province_code=province.first(),
        data={
            "registrations": numbers,
            "documents": documents,
            "dependants": dependants,
            "retention_days": policy.retention_days(),
        },
    )
    transaction.on_commit(lambda: _delete_files(files))
    return numbers


def _jan_first(value: date) -> date:
    return date(value.year, 1, 1)


def _anonymise_person(person: Person) -> None:
    for name in Person.NAME_FIELDS:
        setattr(person, name, PLACEHOLDER_NAME)
    person.first_name_zgh = person.last_name_zgh = ""
    person.cnie = policy.purged_cnie(person.pk)
    person.birth_date = _jan_first(person.birth_date)
    person.birth_place = ""
    person.address = ""
    person.phone = ""
    person.email = ""
    person.photo = ""
    person.save()  # the search keys are recomputed from the placeholder names


def _purge_documents(documents, files: list[str]) -> int:
    """The files go; the rows stay (kind, size, date, checksum), without their names."""
    names = [name for name in documents.values_list("file", flat=True) if name]
    files.extend(names)
    return documents.update(file="", original_name=F("kind"))


def _purge_dependants(person: Person, files: list[str]) -> int:
    dependants = list(Dependant.objects.select_for_update().filter(registration__person=person))
    for dependant in dependants:
        dependant.first_name_ar = dependant.last_name_ar = PLACEHOLDER_NAME
        dependant.first_name_latin = dependant.last_name_latin = PLACEHOLDER_NAME
        dependant.cnie = ""
        dependant.birth_date = _jan_first(dependant.birth_date)
        dependant.decision_reason = ""
        dependant.save(
            update_fields=[
                "first_name_ar",
                "last_name_ar",
                "first_name_latin",
                "last_name_latin",
                "cnie",
                "birth_date",
                "decision_reason",
            ]
        )
    _purge_documents(DependantDocument.objects.filter(dependant__in=dependants), files)
    return len(dependants)


def _anonymise_account(user) -> None:
    user.username = f"purged-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.phone = None
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _delete_files(names: list[str]) -> None:
    """After the commit: a rolled-back purge keeps its files."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # already gone, or the store refused: say so, never stop the run
            logger.warning("purge: could not delete a stored file")
