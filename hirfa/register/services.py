"""Writes on the register. Every state change goes through here, in a transaction,
with an audit entry and a notification."""

import base64
import functools
import hashlib
import hmac
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.accounts.roles import Capability, Role, has_capability
from hirfa.audit.services import record
from hirfa.cards import services as cards
from hirfa.core import validators
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.coverage import services as coverage
from hirfa.crafts.models import Activity
from hirfa.notifications.services import notify
from hirfa.register import selectors
from hirfa.register.documents import JPEG, PNG, check_upload
from hirfa.register.models import (
    NATURAL_PERSON_CATEGORIES,
    Category,
    Document,
    Dossier,
    Education,
    LegalEntity,
    Message,
    NumberCounter,
    Person,
    Registration,
    Sex,
    WorkplaceKind,
)
from hirfa.register.numbers import make_number
from hirfa.register.rules import EDITABLE_STATES, OPEN_STATES, TRANSITIONS, RejectionReason
from hirfa.territory.models import Commune

NATIONAL_COUNTER = "national"
# The document kind whose image also becomes the person's photo (professional card).
PHOTO_KIND = "photo"
MAX_SECONDARY_ACTIVITIES = 3


# --- Validation at the edge -------------------------------------------------------------


class _Errors:
    """Collects every problem of a submission so the person fixes them all at once."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def check(self, field: str, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            for message in error.messages:
                self.add(field, message)
            return None

    def raise_if_any(self) -> None:
        if self.fields:
            raise DomainError(_("Some information is missing or not valid."), fields=self.fields)


def _required_text(value, max_length: int) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValidationError(gettext_lazy("This field is required."), code="required")
    if len(text) > max_length:
        raise ValidationError(
            gettext_lazy("Ensure this value has at most %(limit)s characters.")
            % {"limit": max_length},
            code="max_length",
        )
    return text


@functools.cache
def _values_of(choices) -> frozenset[str]:
    # `.values` is rebuilt with the labels at each call, and membership in the enum
    # itself walks its members: a bulk import asks millions of times.
    return frozenset(choices.values)


def _choice(value, choices) -> str:
    if not isinstance(value, str) or value not in _values_of(choices):
        raise ValidationError(gettext_lazy("Choose one of the proposed values."), code="choice")
    return value


def _commune(code, known=None) -> Commune:
    try:
        if known is not None:  # a bulk import's code → commune table
            return known[str(code or "")]
        return Commune.objects.select_related("province__region").get(code=str(code or ""))
    except (Commune.DoesNotExist, KeyError):
        raise ValidationError(gettext_lazy("Unknown commune."), code="unknown") from None


def _activity(code, known=None) -> Activity:
    try:
        if known is not None:  # a bulk import's code → active activity table
            return known[str(code or "")]
        return Activity.objects.get(code=str(code or ""), is_active=True)
    except (Activity.DoesNotExist, KeyError):
        raise ValidationError(
            gettext_lazy("Unknown or retired craft activity."), code="unknown"
        ) from None


def _date(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        raise ValidationError(gettext_lazy("Enter a valid date."), code="invalid") from None


def clean_person(data: dict, *, communes=None, today: date | None = None) -> dict:
    """Person data validated and normalised; DomainError listing every problem otherwise.

    `communes` (code → Commune) spares a query per row to bulk imports, and `today`
    (the local date) a time-zone conversion."""
    errors = _Errors()
    today = today or timezone.localdate()
    clean = {
        "cnie": errors.check("cnie", validators.normalise_cnie, data.get("cnie")),
        "sex": errors.check("sex", _choice, data.get("sex"), Sex),
        "birth_place": errors.check("birth_place", _required_text, data.get("birth_place"), 100),
        "nationality": (str(data.get("nationality") or "MA").upper())[:2],
        "address": errors.check("address", _required_text, data.get("address"), 250),
        "commune": errors.check("commune", _commune, data.get("commune"), communes),
        "phone": errors.check("phone", validators.normalise_phone, data.get("phone")),
        "email": "",
        "education": errors.check("education", _choice, data.get("education"), Education),
    }
    for field, script in [
        ("first_name_ar", validators.Script.ARABIC),
        ("last_name_ar", validators.Script.ARABIC),
        ("first_name_latin", validators.Script.LATIN),
        ("last_name_latin", validators.Script.LATIN),
    ]:
        clean[field] = errors.check(field, validators.clean_person_name, data.get(field), script)
    for field in ("first_name_zgh", "last_name_zgh"):
        value = data.get(field) or ""
        clean[field] = (
            errors.check(field, validators.clean_person_name, value, validators.Script.TIFINAGH)
            if value
            else ""
        )
    if data.get("email"):
        clean["email"] = errors.check("email", validators.normalise_email, data.get("email"))
    birth_date = errors.check("birth_date", _date, data.get("birth_date"))
    if birth_date is not None:
        errors.check(
            "birth_date",
            validators.validate_birth_date,
            birth_date,
            today=today,
            minimum_age=settings.REGISTRATION_MIN_AGE,
        )
    clean["birth_date"] = birth_date
    errors.raise_if_any()
    return clean


def clean_craft(data: dict, *, legal_person: bool = False, communes=None, activities=None) -> dict:
    """Category, activities and workplace, validated.

    A natural person applies as an artisan or master artisan; cooperatives and
    enterprises (`legal_person`) use their own categories.
    """
    errors = _Errors()
    clean = {
        "category": errors.check("category", _choice, data.get("category"), Category),
        "principal_activity": errors.check(
            "principal_activity", _activity, data.get("principal_activity"), activities
        ),
        "workplace_kind": errors.check(
            "workplace_kind", _choice, data.get("workplace_kind"), WorkplaceKind
        ),
        "workplace_commune": errors.check(
            "workplace_commune", _commune, data.get("workplace_commune"), communes
        ),
        "workplace_address": errors.check(
            "workplace_address", _required_text, data.get("workplace_address"), 250
        ),
    }
    codes = [c for c in (data.get("secondary_activities") or []) if c]
    if len(codes) > MAX_SECONDARY_ACTIVITIES:
        errors.add("secondary_activities", _("Choose at most three secondary activities."))
    principal = clean["principal_activity"]
    secondary = []
    for code in dict.fromkeys(codes):
        activity = errors.check("secondary_activities", _activity, code, activities)
        if activity is not None and activity != principal:
            secondary.append(activity)
    clean["secondary_activities"] = secondary
    category = clean["category"]
    if category and (category in NATURAL_PERSON_CATEGORIES) == legal_person:
        errors.add(
            "category",
            _("Choose the category of a cooperative or an enterprise.")
            if legal_person
            else _("Cooperatives and enterprises are registered by a chamber agent, not online."),
        )
    errors.raise_if_any()
    return clean


def _registered_person(number) -> Person:
    registration = (
        Registration.objects.select_related("person")
        .filter(number=str(number or "").replace(" ", ""), person__isnull=False)
        .exclude(status=Registration.Status.STRUCK_OFF)
        .first()
    )
    if registration is None:
        raise ValidationError(
            gettext_lazy("No registered artisan has this registration number."), code="unknown"
        )
    return registration.person


def clean_entity(data: dict, category: str | None) -> dict:
    """A cooperative or an enterprise, with its members or its supervising artisan."""
    errors = _Errors()
    clean = {
        "name_ar": errors.check("name_ar", _required_text, data.get("name_ar"), 200),
        "name_fr": errors.check("name_fr", _required_text, data.get("name_fr"), 200),
        "ice": errors.check("ice", validators.normalise_ice, data.get("ice")),
        "register_number": str(data.get("register_number") or "").strip()[:30],
        "address": errors.check("address", _required_text, data.get("address"), 250),
        "commune": errors.check("commune", _commune, data.get("commune")),
        "phone": "",
        "email": "",
    }
    if clean["name_ar"] and not any(validators.is_arabic_character(c) for c in clean["name_ar"]):
        errors.add("name_ar", _("Write this name in Arabic letters."))
    if data.get("phone"):
        clean["phone"] = errors.check(
            "phone", validators.normalise_phone, data.get("phone"), mobile_only=False
        )
    if data.get("email"):
        clean["email"] = errors.check("email", validators.normalise_email, data.get("email"))
    members = [
        errors.check("members", _registered_person, number)
        for number in dict.fromkeys(data.get("members") or [])
    ]
    clean["members"] = [m for m in members if m is not None]
    clean["supervisor"] = None
    if category == Category.ENTERPRISE:
        clean["supervisor"] = errors.check("supervisor", _registered_person, data.get("supervisor"))
    elif category == Category.COOPERATIVE and not data.get("members"):
        errors.add("members", _("Give the registration numbers of the members."))
    errors.raise_if_any()
    return clean


# --- Who may do what --------------------------------------------------------------------


def _is_applicant(user, dossier: Dossier) -> bool:
    person = dossier.person
    return bool(person and person.user_id and person.user_id == user.pk)


def _may_edit(user, dossier: Dossier) -> bool:
    if _is_applicant(user, dossier):
        return True
    return dossier.filed_by_id == user.pk and has_capability(user, Capability.FILE_ASSISTED)


def _require_reviewer(user, dossier: Dossier) -> None:
    if not has_capability(user, Capability.REVIEW):
        raise Forbidden()
    # Four-eyes rule: whoever filed or assisted a file never decides it.
    if dossier.filed_by_id == user.pk or _is_applicant(user, dossier):
        raise Forbidden(_("You filed or assisted this file: another officer must decide it."))


# --- Transitions ------------------------------------------------------------------------


def _locked(dossier: Dossier) -> Dossier:
    """The dossier re-read under a row lock, so two decisions cannot both pass."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("person__user", "province", "filed_by")
        .get(pk=dossier.pk)
    )


def _locked_for_review(officer, dossier: Dossier) -> Dossier:
    """The dossier, in the officer's scope, under a row lock; refused to non-reviewers."""
    if not has_capability(officer, Capability.REVIEW):
        raise Forbidden()
    dossier = selectors.dossier_to_decide(officer, dossier.pk)
    _require_reviewer(officer, dossier)
    return dossier


def _check_state(dossier: Dossier, action: str) -> None:
    if dossier.state not in TRANSITIONS[action][0]:
        raise Conflict(
            _("This file cannot do that now: it is “%(state)s”.")
            % {"state": dossier.get_state_display()}
        )


def _move(dossier: Dossier, action: str, actor, *, reason: str = "", data=None, also=()) -> Dossier:
    """Apply a transition, saving `also` (other changed fields) in the same UPDATE."""
    _check_state(dossier, action)
    target = TRANSITIONS[action][1]
    previous = dossier.state
    dossier.state = target
    now = timezone.now()
    fields = ["state", "updated_at", *also]
    if action in ("submit", "resubmit"):
        dossier.submitted_at = dossier.submitted_at or now
        fields.append("submitted_at")
    if action in ("approve", "reject"):
        dossier.decided_at, dossier.decided_by = now, actor
        fields += ["decided_at", "decided_by"]
    dossier.save(update_fields=fields)
    record(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        province_code=dossier.province.code,
        reason=reason,
        data={"from": previous, "to": target, **(data or {})},
    )
    _notify_applicant(dossier, action, reason)
    return dossier


STATE_MESSAGES = {
    "submit": gettext_lazy("We received your file. An officer will check it."),
    "start_review": gettext_lazy("An officer is checking your file."),
    "request_changes": gettext_lazy("Your file needs changes. Open your space to see what to do."),
    "resubmit": gettext_lazy("We received your corrected file."),
    "approve": gettext_lazy("Your registration is approved. Your number is %(number)s."),
    "reject": gettext_lazy("Your file was not accepted. Open your space to see why."),
    "withdraw": gettext_lazy("Your file was withdrawn."),
}


def _notify_applicant(dossier: Dossier, action: str, reason: str) -> None:
    person = dossier.person
    if person is None:
        return
    number = dossier.registration.number if dossier.registration_id else ""
    body = STATE_MESSAGES[action]
    notify(
        user=person.user,
        phone=None if person.user_id else person.phone,
        email=None if person.user_id else (person.email or None),
        event=f"dossier.{action}",
        subject=gettext_lazy("National Register of Traditional Crafts"),
        body=_Formatted(body, {"number": number}),
    )


class _Formatted:
    """A lazy translated text with its values, rendered in the recipient's language."""

    def __init__(self, text, values):
        self.text, self.values = text, values

    def __str__(self) -> str:
        text = str(self.text)
        return text % self.values if "%(" in text else text


# --- Filing -----------------------------------------------------------------------------


def _save_person(clean: dict, *, person: Person | None, user=None) -> Person:
    existing = Person.objects.filter(cnie=clean["cnie"]).exclude(pk=getattr(person, "pk", None))
    if existing.exists():
        raise Conflict(
            _("A file already exists for this national identity card number."),
            fields={"cnie": [_("This CNIE is already in the register.")]},
        )
    person = person or Person()
    for field, value in clean.items():
        setattr(person, field, value)
    if user is not None:
        person.user = user
    person.save()
    return person


def _apply_craft(dossier: Dossier, craft: dict) -> None:
    for field in ("category", "principal_activity", "workplace_kind", "workplace_commune"):
        setattr(dossier, field, craft[field])
    dossier.workplace_address = craft["workplace_address"]
    dossier.province = craft["workplace_commune"].province


@transaction.atomic
def start_dossier(*, applicant, person_data: dict, craft_data: dict) -> Dossier:
    """An artisan starts their own application (self-service), saved as a draft."""
    if applicant.role != Role.ARTISAN:
        raise Forbidden()
    existing = Person.objects.select_for_update().filter(user=applicant).first()
    if existing is not None and (
        existing.dossiers.filter(state__in=OPEN_STATES).exists()
        or existing.registrations.exclude(status=Registration.Status.STRUCK_OFF).exists()
    ):
        raise Conflict(_("You already have a file. Continue it from your space."))
    person_clean, craft = clean_person(person_data), clean_craft(craft_data)
    # After a withdrawn or rejected application, the same person applies again.
    person = _save_person(person_clean, person=existing, user=applicant)
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
    person = _save_person(person_clean, person=None)
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


@transaction.atomic
def update_dossier(*, actor, dossier: Dossier, person_data=None, craft_data=None) -> Dossier:
    """Edit a draft, or a file whose reviewer asked for changes."""
    dossier = _locked(dossier)
    if not _may_edit(actor, dossier):
        raise Forbidden()
    if dossier.state not in EDITABLE_STATES:
        raise Conflict(_("This file can no longer be changed."))
    changed = []
    if person_data is not None:
        _save_person(clean_person(person_data), person=dossier.person)
        changed.append("person")
    if craft_data is not None:
        craft = clean_craft(craft_data)
        _apply_craft(dossier, craft)
        dossier.save()
        dossier.secondary_activities.set(craft["secondary_activities"])
        changed.append("craft")
    record(
        actor=actor,
        action="dossier.updated",
        obj=dossier,
        province_code=dossier.province.code,
        data={"changed": changed},
    )
    return dossier


@transaction.atomic
def attach_document(*, actor, dossier: Dossier, kind: str, uploaded) -> Document:
    dossier = _locked(dossier)
    if not _may_edit(actor, dossier):
        raise Forbidden()
    if dossier.state not in EDITABLE_STATES:
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


def _require_complete(dossier: Dossier) -> None:
    missing = selectors.missing_documents(dossier)
    if missing:
        raise DomainError(
            _("Attach the missing documents first: %(names)s.")
            % {"names": ", ".join(str(r.name) for r in missing)},
            fields={"documents": [str(r.name) for r in missing]},
        )


@transaction.atomic
def submit(*, actor, dossier: Dossier) -> Dossier:
    dossier = _locked(dossier)
    if not _may_edit(actor, dossier):
        raise Forbidden()
    _require_complete(dossier)
    from hirfa.duplicates.services import check_submission

    # Refuses a CNIE already registered; flags likely duplicates to the reviewer.
    check_submission(dossier)
    action = "resubmit" if dossier.state == Dossier.State.CHANGES_REQUESTED else "submit"
    return _move(dossier, action, actor)


@transaction.atomic
def withdraw(*, actor, dossier: Dossier, reason: str = "") -> Dossier:
    dossier = _locked(dossier)
    if not _may_edit(actor, dossier):
        raise Forbidden()
    return _move(dossier, "withdraw", actor, reason=reason)


@transaction.atomic
def start_review(*, officer, dossier: Dossier) -> Dossier:
    dossier = _locked_for_review(officer, dossier)
    return _move(dossier, "start_review", officer)


@transaction.atomic
def request_changes(*, officer, dossier: Dossier, message: str) -> Dossier:
    dossier = _locked_for_review(officer, dossier)
    text = " ".join(str(message or "").split())
    if not text:
        raise DomainError(
            _("Tell the artisan what to change."),
            fields={"message": [_("This field is required.")]},
        )
    Message.objects.create(dossier=dossier, author=officer, body=text[:2000])
    return _move(dossier, "request_changes", officer, reason=text[:2000])


@transaction.atomic
def reject(*, officer, dossier: Dossier, reason: str, note: str = "") -> Dossier:
    dossier = _locked_for_review(officer, dossier)
    if reason not in RejectionReason.values:
        raise DomainError(
            _("Choose the reason of the rejection."),
            fields={"reason": [_("Choose one of the proposed values.")]},
        )
    note = " ".join(str(note or "").split())[:2000]
    if reason == RejectionReason.OTHER and not note:
        raise DomainError(
            _("Explain the reason in the note."),
            fields={"note": [_("This field is required.")]},
        )
    _check_state(dossier, "reject")
    dossier.rejection_reason, dossier.decision_note = reason, note
    if note:
        Message.objects.create(dossier=dossier, author=officer, body=note)
    return _move(
        dossier,
        "reject",
        officer,
        reason=note or reason,
        data={"reason": reason},
        also=["rejection_reason", "decision_note"],
    )


def allocate_number() -> str:
    """The next national number. Must run inside the approval's transaction."""
    return make_number(reserve_serials(1))


def reserve_serials(count: int) -> int:
    """The first of `count` consecutive national serials, taken in the caller's transaction.

    The UPDATE takes the counter row's lock until commit, so concurrent approvals (and
    imports) are served one after the other and never get the same serial; the counter
    only grows, so a number is never reused.
    """
    table = connection.ops.quote_name(NumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        # One statement increments and reads (SQLite >= 3.35 and PostgreSQL).
        cursor.execute(
            f"UPDATE {table} SET last = last + %s WHERE name = %s RETURNING last",
            [count, NATIONAL_COUNTER],
        )
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the national number counter is missing (migrations not applied?)")
    return row[0] - count + 1


@transaction.atomic
def approve(*, officer, dossier: Dossier, note: str = "") -> Dossier:
    dossier = _locked_for_review(officer, dossier)
    _check_state(dossier, "approve")
    today = timezone.localdate()
    if dossier.kind == Dossier.Kind.REGISTRATION:
        registration = _register(dossier, officer, today)
    elif dossier.kind == Dossier.Kind.MODIFICATION:
        registration = _apply_modification(dossier, officer)
    else:
        registration = _renew(dossier, officer, today)
    dossier.registration = registration
    cards.registration_approved(registration, dossier)
    dossier.decision_note = " ".join(str(note or "").split())[:2000]
    return _move(
        dossier,
        "approve",
        officer,
        reason=dossier.decision_note,
        data={"number": registration.number},
        also=["registration", "decision_note"],
    )


def _register(dossier: Dossier, officer, today: date) -> Registration:
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
        registration.save(force_insert=True)
    except IntegrityError:
        raise Conflict(_("This person is already registered.")) from None
    _copy_secondary_activities(dossier, registration)
    record(
        actor=officer,
        action="registration.created",
        obj=registration,
        province_code=registration.province.code,
        data={"number": registration.number, "dossier": dossier.pk},
    )
    return registration


def _copy_secondary_activities(dossier: Dossier, registration: Registration) -> None:
    # One INSERT … SELECT: approvals are the register's hottest write.
    target = connection.ops.quote_name(Registration.secondary_activities.through._meta.db_table)
    source = connection.ops.quote_name(Dossier.secondary_activities.through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (registration_id, activity_id) "
            f"SELECT %s, activity_id FROM {source} WHERE dossier_id = %s",
            [registration.pk, dossier.pk],
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
        assisted=actor.role != Role.ARTISAN,
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
    if registration.status not in (Registration.Status.ACTIVE, Registration.Status.EXPIRED):
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
        assisted=actor.role != Role.ARTISAN,
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


# --- Lifecycle of a registration --------------------------------------------------------


def _locked_registration(officer, registration: Registration) -> Registration:
    if not has_capability(officer, Capability.REVIEW):
        raise Forbidden()
    registration = selectors.registration_for(officer, registration.number)
    return (
        Registration.objects.select_for_update().select_related("province").get(pk=registration.pk)
    )


def _set_status(registration, officer, status, action, reason, **extra) -> Registration:
    previous = registration.status
    registration.status = status
    registration.status_reason = reason
    registration.suspended_until = extra.get("until")
    registration.save(update_fields=["status", "status_reason", "suspended_until", "updated_at"])
    record(
        actor=officer,
        action=f"registration.{action}",
        obj=registration,
        province_code=registration.province.code,
        reason=reason,
        data={"from": previous, "to": status, **{k: str(v) for k, v in extra.items()}},
    )
    cards.registration_status_changed(registration, officer, action, reason)
    if action == "struck_off":
        coverage.registration_struck_off(registration, officer, reason)
    return registration


def _reason(reason: str) -> str:
    text = " ".join(str(reason or "").split())
    if not text:
        raise DomainError(_("Give the reason."), fields={"reason": [_("This field is required.")]})
    return text[:2000]


@transaction.atomic
def suspend(
    *, officer, registration: Registration, reason: str, until: date | None
) -> Registration:
    registration = _locked_registration(officer, registration)
    reason = _reason(reason)
    if registration.status != Registration.Status.ACTIVE:
        raise Conflict(_("Only an active registration can be suspended."))
    if until is not None and until <= timezone.localdate():
        raise DomainError(
            _("The end of the suspension must be in the future."),
            fields={"until": [_("Enter a date after today.")]},
        )
    return _set_status(
        registration, officer, Registration.Status.SUSPENDED, "suspended", reason, until=until
    )


@transaction.atomic
def reinstate(*, officer, registration: Registration, reason: str) -> Registration:
    registration = _locked_registration(officer, registration)
    reason = _reason(reason)
    if registration.status != Registration.Status.SUSPENDED:
        raise Conflict(_("Only a suspended registration can be reinstated."))
    return _set_status(registration, officer, Registration.Status.ACTIVE, "reinstated", reason)


@transaction.atomic
def strike_off(*, officer, registration: Registration, reason: str) -> Registration:
    registration = _locked_registration(officer, registration)
    reason = _reason(reason)
    if registration.status == Registration.Status.STRUCK_OFF:
        raise Conflict(_("This registration was already struck off."))
    return _set_status(registration, officer, Registration.Status.STRUCK_OFF, "struck_off", reason)


@transaction.atomic
def expire_registrations(today: date | None = None) -> dict:
    """Mark expired registrations and remind those close to expiry (run daily)."""
    today = today or timezone.localdate()
    expired = 0
    for registration in (
        Registration.objects.select_for_update()
        .filter(status=Registration.Status.ACTIVE, valid_until__lt=today)
        .select_related("province")
    ):
        _set_status(
            registration,
            None,
            Registration.Status.EXPIRED,
            "expired",
            _("The validity period ended."),
        )
        expired += 1
    reminded = 0
    horizon = today + timedelta(days=settings.RENEWAL_REMINDER_DAYS)
    due = (
        Registration.objects.filter(
            status=Registration.Status.ACTIVE, valid_until__lte=horizon, person__isnull=False
        )
        .exclude(reminder_sent_for=F("valid_until"))
        .select_related("person__user")
    )
    for registration in due:
        person = registration.person
        notify(
            user=person.user,
            phone=None if person.user_id else person.phone,
            event="registration.renewal_reminder",
            subject=gettext_lazy("National Register of Traditional Crafts"),
            body=_Formatted(
                gettext_lazy("Your registration ends on %(date)s. Ask for its renewal."),
                {"date": registration.valid_until.strftime("%d/%m/%Y")},
            ),
        )
        registration.reminder_sent_for = registration.valid_until
        registration.save(update_fields=["reminder_sent_for"])
        reminded += 1
    return {"expired": expired, "reminded": reminded}


# --- Attestation ------------------------------------------------------------------------


def verification_code(registration: Registration) -> str:
    """A short code printed on the attestation, that only this platform can compute."""
    message = f"attestation:{registration.number}:{registration.registered_on.isoformat()}"
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    code = base64.b32encode(digest[:10]).decode()[:12]
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


def attestation_pdf(*, actor, registration: Registration) -> bytes:
    from hirfa.register.attestation import AttestationData, render_attestation

    if registration.status != Registration.Status.ACTIVE:
        raise Conflict(_("An attestation is issued only for an active registration."))
    activity = registration.principal_activity
    code = verification_code(registration)
    data = AttestationData(
        number=registration.number,
        full_name_ar=registration.registrant_name_ar,
        full_name_latin=registration.registrant_name_latin,
        category_ar=CATEGORY_NAMES[registration.category][0],
        category_fr=CATEGORY_NAMES[registration.category][1],
        activity_ar=activity.name_ar,
        activity_fr=activity.name_fr,
        province_ar=registration.province.name_ar,
        province_fr=registration.province.name_fr,
        registered_on=registration.registered_on,
        valid_until=registration.valid_until,
        issued_on=timezone.localdate(),
        verification_code=code,
        verification_url=f"{settings.PUBLIC_URL}/verify/attestation/{registration.number}/{code}/",
    )
    with transaction.atomic():
        record(
            actor=actor,
            action="attestation.issued",
            obj=registration,
            province_code=registration.province.code,
        )
    return render_attestation(data)


# Official wording of the categories on bilingual documents (not UI translations).
CATEGORY_NAMES = {
    Category.ARTISAN_DIPLOMA: ("صانع تقليدي (حاصل على دبلوم)", "Artisan (diplômé)"),
    Category.ARTISAN_EXPERIENCE: ("صانع تقليدي (ذو خبرة)", "Artisan (expérience)"),
    Category.MASTER: ("معلم حرفي", "Maître artisan (maâlem)"),
    Category.COOPERATIVE: ("تعاونية الصناعة التقليدية", "Coopérative artisanale"),
    Category.ENTERPRISE: ("مقاولة الصناعة التقليدية", "Entreprise artisanale"),
}


# --- Claiming a file filed by an agent --------------------------------------------------


@transaction.atomic
def claim_person(*, user, cnie: str) -> Person:
    """An artisan whose phone was confirmed takes over the file an agent filed for them.

    Both the confirmed phone and the CNIE must match, so knowing one of them is not
    enough to take someone's file.
    """
    if user.role != Role.ARTISAN or not user.phone:
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
