"""Filing: an artisan's own application, assisted filing by a chamber agent (persons and
entities), corrections, documents, modification and renewal requests, claiming a file."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts.roles import Capability, has_capability
from hirfa.audit.services import record
from hirfa.core import validators
from hirfa.core.errors import Conflict, DomainError, Forbidden, NotFound
from hirfa.register import policy, selectors, signals
from hirfa.register.documents import JPEG, PNG, check_upload
from hirfa.register.models import (
    Document,
    Dossier,
    LegalEntity,
    Person,
    Registration,
)
from hirfa.register.rules import OPEN_STATES
from hirfa.register.services.identity import person_diff, refuse_taken_cnie, save_person
from hirfa.register.services.validation import clean_craft, clean_entity, clean_person
from hirfa.register.services.workflow import _locked_for_editor

# The document kind whose image also becomes the person's photo (professional card).
PHOTO_KIND = "photo"


def _apply_craft(dossier: Dossier, craft: dict) -> None:
    for field in ("category", "principal_activity", "workplace_kind", "workplace_commune"):
        setattr(dossier, field, craft[field])
    dossier.workplace_address = craft["workplace_address"]
    dossier.province = craft["workplace_commune"].province


@transaction.atomic
def start_dossier(*, applicant, person_data: dict, craft_data: dict) -> Dossier:
    """An artisan starts their own application (self-service), saved as a draft."""
    if not policy.may_apply(applicant):
        raise Forbidden()
    existing = Person.objects.select_for_update().filter(user=applicant).first()
    if existing is not None and not policy.may_start(
        existing.dossiers.filter(state__in=OPEN_STATES).first(),
        existing.registrations.exclude(status=Registration.Status.STRUCK_OFF).first(),
    ):
        raise Conflict(_("You already have a file. Continue it from your space."))
    person_clean, craft = clean_person(person_data), clean_craft(craft_data)
    # After a withdrawn or rejected application, the same person applies again.
    person = save_person(person_clean, person=existing, user=applicant)
    return _create_dossier(person, craft, filed_by=applicant, assisted=False)


@transaction.atomic
def file_assisted(*, agent, person_data: dict, craft_data: dict, consent: bool) -> Dossier:
    """A chamber agent files for (or with) an artisan, who consented under Law 09-08."""
    if not has_capability(agent, Capability.FILE_ASSISTED):
        raise Forbidden()
    person_clean, craft = clean_person(person_data), clean_craft(craft_data)
    if not consent:
        raise DomainError(
            _("The artisan must agree to the personal data notice before you file."),
            fields={"consent": [_("Read the notice to the artisan and tick the box.")]},
        )
    if not selectors.province_in_scope(agent, craft["workplace_commune"].province):
        raise Forbidden(_("This workplace is outside your territory."))
    person = save_person(person_clean, person=None)
    dossier = _create_dossier(person, craft, filed_by=agent, assisted=True)
    dossier.consent_at = timezone.now()
    dossier.save(update_fields=["consent_at"])
    return dossier


@transaction.atomic
def file_entity(*, agent, entity_data: dict, craft_data: dict, consent: bool) -> Dossier:
    """A chamber agent files the application of a cooperative or an enterprise."""
    if not has_capability(agent, Capability.FILE_ASSISTED):
        raise Forbidden()
    craft = clean_craft(craft_data, legal_person=True)
    clean = clean_entity(entity_data, craft["category"])
    if not consent:
        raise DomainError(
            _("The representative must agree to the personal data notice before you file."),
            fields={"consent": [_("Read the notice and tick the box.")]},
        )
    if not selectors.province_in_scope(agent, craft["workplace_commune"].province):
        raise Forbidden(_("This workplace is outside your territory."))
    if LegalEntity.objects.filter(ice=clean["ice"]).exists():
        raise Conflict(
            _("A file already exists for this ICE."),
            fields={"ice": [_("This ICE is already in the register.")]},
        )
    members = clean.pop("members")
    entity = LegalEntity.objects.create(kind=LegalEntity.Kind(craft["category"]), **clean)
    entity.members.set(members)
    dossier = _create_dossier(None, craft, filed_by=agent, assisted=True, entity=entity)
    dossier.consent_at = timezone.now()
    dossier.save(update_fields=["consent_at"])
    return dossier


def _create_dossier(person, craft, *, filed_by, assisted, entity=None) -> Dossier:
    dossier = Dossier(person=person, entity=entity, filed_by=filed_by, assisted=assisted)
    _apply_craft(dossier, craft)
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:
        raise Conflict(_("This person already has an open file.")) from None
    dossier.secondary_activities.set(craft["secondary_activities"])
    record(
        actor=filed_by,
        action="dossier.created",
        obj=dossier,
        province_code=dossier.province.code,
        data={"assisted": assisted, "category": dossier.category},
    )
    return dossier


def _craft_values(dossier: Dossier) -> dict:
    return {
        "category": dossier.category,
        "principal_activity": dossier.principal_activity.code,
        "workplace_kind": dossier.workplace_kind,
        "workplace_commune": dossier.workplace_commune.code,
        "workplace_address": dossier.workplace_address,
        "secondary_activities": sorted(a.code for a in dossier.secondary_activities.all()),
    }


@transaction.atomic
def update_dossier(*, actor, dossier: Dossier, person_data=None, craft_data=None) -> Dossier:
    """Edit a draft, or a file whose reviewer asked for changes.

    The identity of a registered person (a modification or a renewal) is not written: the
    change is kept on the dossier for the reviewer, and applied only if it is approved.
    """
    dossier = _locked_for_editor(actor, dossier)
    if not policy.is_editable(dossier):
        raise Conflict(_("This file can no longer be changed."))
    changed, audit = [], {}
    if person_data is not None:
        clean = clean_person(person_data)
        diff = person_diff(dossier.person, clean)
        if policy.identity_waits_for_approval(dossier):
            refuse_taken_cnie(clean["cnie"], dossier.person)
            dossier.person_changes = diff
            dossier.save(update_fields=["person_changes", "updated_at"])
            changed.append("person_changes")
        else:
            save_person(clean, person=dossier.person)
            changed.append("person")
        audit["person"] = diff
    if craft_data is not None:
        craft = clean_craft(craft_data)
        before = _craft_values(dossier)
        _apply_craft(dossier, craft)
        dossier.save()
        dossier.secondary_activities.set(craft["secondary_activities"])
        after = _craft_values(dossier)
        changed.append("craft")
        audit["craft"] = {
            field: {"from": before[field], "to": after[field]}
            for field in before
            if before[field] != after[field]
        }
    signals.dossier_updated.send(sender=Dossier, dossier=dossier)
    record(
        actor=actor,
        action="dossier.updated",
        obj=dossier,
        province_code=dossier.province.code,
        data={"changed": changed, **audit},
    )
    return dossier


@transaction.atomic
def remove_document(*, actor, dossier: Dossier, document_id) -> None:
    """Take a document attached by mistake out of a file not sent yet (its stored file is
    deleted once the transaction commits). After sending: a clear refusal."""
    dossier = _locked_for_editor(actor, dossier)
    document = (
        dossier.documents.filter(pk=document_id).first() if str(document_id).isdigit() else None
    )
    if document is None:
        raise NotFound(_("This document is not in this file."))
    if not policy.may_remove_document(dossier):
        raise Conflict(
            _(
                "This file was sent: its documents can no longer be removed or replaced. "
                "If one is wrong, the officer will ask you for another, or ask your chamber "
                "of crafts."
            )
        )
    name, storage = document.file.name, document.file.storage
    record(
        actor=actor,
        action="document.removed",
        obj=dossier,
        province_code=dossier.province.code,
        data={"kind": document.kind, "sha256": document.sha256, "size": document.size},
    )
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attach_document(*, actor, dossier: Dossier, kind: str, uploaded, replacing=None) -> Document:
    """Attach a document; with `replacing` (a document's id), that one is removed in the
    same transaction (only before the file is sent, as `remove_document`)."""
    if replacing:
        remove_document(actor=actor, dossier=dossier, document_id=replacing)
    dossier = _locked_for_editor(actor, dossier)
    if not policy.is_editable(dossier):
        raise Conflict(_("This file can no longer be changed."))
    if kind not in {r.code for r in selectors.required_documents(dossier.category)}:
        raise DomainError(_("This kind of document is not asked for this file."))
    checked = check_upload(uploaded)
    if kind == PHOTO_KIND and checked.content_type not in (JPEG, PNG):
        raise DomainError(
            _("Send the photo as a JPEG or PNG image."),
            fields={"file": [_("Send the photo as a JPEG or PNG image.")]},
            code="unsupported_file",
        )
    document = Document.objects.create(
        dossier=dossier, kind=kind, **checked.stored_fields(uploaded, actor)
    )
    record(
        actor=actor,
        action="document.attached",
        obj=dossier,
        province_code=dossier.province.code,
        data={"kind": kind, "sha256": checked.sha256, "size": checked.size},
    )
    if kind == PHOTO_KIND and dossier.person is not None:
        # The professional card shows this photo: keep it on the person too.
        person = dossier.person
        checked.content.seek(0)
        person.photo.save(checked.content.name, checked.content, save=False)
        person.save(update_fields=["photo", "updated_at"])
    return document


# --- Modification and renewal requests --------------------------------------------------


@transaction.atomic
def request_modification(*, actor, registration: Registration, craft_data: dict) -> Dossier:
    """A change of category, activities or workplace, filed and reviewed like an application."""
    registration = _owned_or_filed_registration(actor, registration)
    if registration.dossiers.filter(state__in=OPEN_STATES).exists():
        raise Conflict(_("A request for this registration is already open."))
    craft = clean_craft(craft_data)
    dossier = Dossier(
        kind=Dossier.Kind.MODIFICATION,
        person=registration.person,
        entity=registration.entity,
        registration=registration,
        filed_by=actor,
        assisted=not policy.may_apply(actor),
    )
    _apply_craft(dossier, craft)
    dossier.save()
    dossier.secondary_activities.set(craft["secondary_activities"])
    record(
        actor=actor,
        action="dossier.created",
        obj=dossier,
        province_code=dossier.province.code,
        data={"kind": "modification", "registration": registration.number},
    )
    return dossier


@transaction.atomic
def request_renewal(*, actor, registration: Registration) -> Dossier:
    registration = _owned_or_filed_registration(actor, registration)
    if not policy.may_renew(registration):
        raise Conflict(_("Only an active or expired registration can be renewed."))
    # The registration row is locked: a double click cannot open two renewals.
    if registration.dossiers.filter(kind=Dossier.Kind.RENEWAL, state__in=OPEN_STATES).exists():
        raise Conflict(_("A renewal of this registration is already in progress."))
    dossier = Dossier.objects.create(
        kind=Dossier.Kind.RENEWAL,
        category=registration.category,
        person=registration.person,
        entity=registration.entity,
        registration=registration,
        principal_activity=registration.principal_activity,
        workplace_kind=registration.workplace_kind,
        workplace_commune=registration.workplace_commune,
        workplace_address=registration.workplace_address,
        province=registration.province,
        filed_by=actor,
        assisted=not policy.may_apply(actor),
    )
    dossier.secondary_activities.set(registration.secondary_activities.all())
    record(
        actor=actor,
        action="dossier.created",
        obj=dossier,
        province_code=dossier.province.code,
        data={"kind": "renewal", "registration": registration.number},
    )
    return dossier


def _owned_or_filed_registration(actor, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    person = registration.person
    own = person is not None and person.user_id == actor.pk
    if not own and not (
        has_capability(actor, Capability.FILE_ASSISTED)
        and selectors.province_in_scope(actor, registration.province)
    ):
        raise Forbidden()
    if registration.status == Registration.Status.STRUCK_OFF:
        raise Conflict(_("This registration was struck off."))
    return registration


# --- Claiming a file filed by an agent --------------------------------------------------


@transaction.atomic
def claim_person(*, user, cnie: str) -> Person:
    """An artisan whose phone was confirmed takes over the file an agent filed for them.

    Both the confirmed phone and the CNIE must match, so knowing one of them is not
    enough to take someone's file.
    """
    if not policy.may_apply(user) or not user.phone:
        raise Forbidden()
    try:
        cnie = validators.normalise_cnie(cnie)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={"cnie": error.messages}) from None
    person = (
        Person.objects.select_for_update()
        .filter(cnie=cnie, phone=user.phone, user__isnull=True)
        .first()
    )
    if person is None:
        raise DomainError(
            _("No file matches this phone number and this CNIE. Ask your chamber of crafts."),
            code="not_found",
            status=404,
        )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    record(actor=user, action="person.claimed", obj=person, data={"cnie": cnie})
    return person
