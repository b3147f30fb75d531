"""Validation at the edge: person, craft and entity data checked and normalised, every
problem of a submission reported at once."""

import functools
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.core import validators
from hirfa.core.errors import DomainError
from hirfa.crafts.models import Activity
from hirfa.register.models import (
    NATURAL_PERSON_CATEGORIES,
    Category,
    Education,
    Person,
    Registration,
    Sex,
    WorkplaceKind,
)
from hirfa.territory.models import Commune

MAX_SECONDARY_ACTIVITIES = 3


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
    validators.refuse_bidi_controls(text)
    if len(text) > max_length:
        raise ValidationError(
            gettext_lazy("Ensure this value has at most %(limit)s characters.")
            % {"limit": max_length},
            code="max_length",
        )
    return text


def free_text(value, field: str, *, max_length: int = 2000) -> str:
    """An officer's or applicant's free text (a message, a reason, a note): white space
    made single, hidden direction marks refused, cut at `max_length`; "" when empty."""
    text = " ".join(str(value or "").split())
    try:
        validators.refuse_bidi_controls(text)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={field: error.messages}) from None
    return text[:max_length]


def _entity_name(value, max_length: int) -> str:
    text = _required_text(value, max_length)
    validators.validate_not_formula(text)  # no real name starts like a formula
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
        "name_ar": errors.check("name_ar", _entity_name, data.get("name_ar"), 200),
        "name_fr": errors.check("name_fr", _entity_name, data.get("name_fr"), 200),
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
