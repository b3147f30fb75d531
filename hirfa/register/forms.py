"""The register's forms (self-service and assisted filing, review, registrations) and the
choices they offer: activities by branch and the province-then-commune picker. Forms collect;
services validate."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from hirfa.core.errors import NotFound
from hirfa.core.forms import PlainLabels
from hirfa.core.languages import interpolate_lazy
from hirfa.crafts.selectors import nomenclature_tree
from hirfa.register.models import NATURAL_PERSON_CATEGORIES, Category, Education, Sex, WorkplaceKind
from hirfa.register.rules import RejectionReason
from hirfa.territory import selectors as territory

PERSON_FIELDS = [
    "cnie",
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "sex",
    "birth_date",
    "birth_place",
    "address",
    "commune",
    "phone",
    "email",
    "education",
]
CRAFT_FIELDS = [
    "category",
    "principal_activity",
    "secondary_activities",
    "workplace_kind",
    "workplace_commune",
    "workplace_address",
]


class PersonForm(forms.Form):
    cnie = forms.CharField(
        label=_("National identity card number (CNIE)"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "BE123456"}),
    )
    first_name_ar = forms.CharField(label=_("First name in Arabic"), max_length=100)
    last_name_ar = forms.CharField(label=_("Family name in Arabic"), max_length=100)
    first_name_latin = forms.CharField(label=_("First name in Latin letters"), max_length=100)
    last_name_latin = forms.CharField(label=_("Family name in Latin letters"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_place = forms.CharField(label=_("Place of birth"), max_length=100)
    address = forms.CharField(label=_("Home address"), max_length=250)
    commune = forms.CharField(label=_("Commune (code)"), max_length=12)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(label=_("E-mail (optional)"), max_length=200, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices)


class CraftForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[(c.value, c.label) for c in Category if c in NATURAL_PERSON_CATEGORIES],
        widget=forms.RadioSelect,
    )
    principal_activity = forms.CharField(label=_("Principal activity (code)"), max_length=16)
    secondary_activities = forms.CharField(
        label=_("Secondary activities (up to three codes, separated by commas)"),
        max_length=80,
        required=False,
    )
    workplace_kind = forms.ChoiceField(
        label=_("Where do you work?"), choices=WorkplaceKind.choices, widget=forms.RadioSelect
    )
    workplace_commune = forms.CharField(label=_("Commune of the workplace (code)"), max_length=12)
    workplace_address = forms.CharField(label=_("Address of the workplace"), max_length=250)

    def craft_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["secondary_activities"] = [
            code.strip() for code in (data.get("secondary_activities") or "").split(",")
        ]
        return data


class EntityForm(forms.Form):
    """A cooperative or an enterprise, filed by a chamber agent with its representative."""

    category = forms.ChoiceField(
        label=_("Kind"),
        choices=[(c.value, c.label) for c in (Category.COOPERATIVE, Category.ENTERPRISE)],
        widget=forms.RadioSelect,
    )
    name_ar = forms.CharField(label=_("Name in Arabic"), max_length=200)
    name_fr = forms.CharField(label=_("Name in French"), max_length=200)
    ice = forms.CharField(
        label=_("Common company identifier (ICE, 15 digits)"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    register_number = forms.CharField(
        label=_("Trade or cooperative register number (optional)"),
        max_length=30,
        required=False,
    )
    address = forms.CharField(label=_("Address of the head office"), max_length=250)
    commune = forms.CharField(label=_("Commune of the head office"), max_length=12)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(label=_("E-mail (optional)"), max_length=200, required=False)
    members = forms.CharField(
        label=_(
            "Registration numbers of the members "
            "(cooperatives: one per line or separated by commas)"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
    )
    supervisor = forms.CharField(
        label=_("Registration number of the supervising artisan (enterprises)"),
        max_length=30,
        required=False,
    )

    def entity_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("category", None)
        data["members"] = [
            number.strip()
            for number in re.split(r"[,;\n]", data.get("members") or "")
            if number.strip()
        ]
        return data


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The artisan heard the personal data notice (Law 09-08) and agrees."),
        required=False,
    )


class EntityConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The representative heard the personal data notice (Law 09-08) and agrees."),
        required=False,
    )


class DocumentForm(forms.Form):
    kind = forms.SlugField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        label=_("What must the artisan change?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ApproveForm(forms.Form):
    """Approving cannot be undone (a national number is issued): a box to tick first."""

    confirm = forms.BooleanField(
        label=_("I confirm: this person is registered and receives a national number."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    note = forms.CharField(
        label=_("Note to the artisan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    confirm = forms.BooleanField(
        label=_("I confirm the rejection: it cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    until = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def person_initial(person) -> dict:
    return {field: getattr(person, field) for field in PERSON_FIELDS if field != "commune"} | {
        "commune": person.commune.code
    }


def craft_initial(dossier) -> dict:
    return {
        "category": dossier.category,
        "principal_activity": dossier.principal_activity.code,
        "secondary_activities": ", ".join(a.code for a in dossier.secondary_activities.all()),
        "workplace_kind": dossier.workplace_kind,
        "workplace_commune": dossier.workplace_commune.code,
        "workplace_address": dossier.workplace_address,
    }


# --- Choices ------------------------------------------------------------------------------


def activity_choices(*, include_retired: bool = False, with_codes: bool = False) -> list:
    """Activities grouped by branch, in the nomenclature's order (branches with none left out);
    `with_codes` shows each activity's code after its name, as staff type and read codes."""
    return [
        (branch.name, activities)
        for category in nomenclature_tree(include_retired=include_retired)
        for branch in category.branches.all()
        if (
            activities := [
                (a.code, f"{a.name} ({a.code})" if with_codes else a.name)
                for a in branch.activities.all()
            ]
        )
    ]


def choice_values(choices) -> set[str]:
    """The values of (possibly grouped) choices."""
    values = set()
    for value, label in choices:
        if isinstance(label, list | tuple):
            values.update(code for code, _name in label)
        elif value:
            values.add(value)
    return values


def grouped_commune_choices(communes) -> list:
    """Communes as choices grouped by province, in the order given."""
    groups: dict = {}
    for commune in communes:
        groups.setdefault(commune.province, []).append((commune.code, commune.name))
    return [(province.name, items) for province, items in groups.items()]


def commune_picker(*, provinces, commune_code="", province_code="", communes=None) -> dict:
    """What a province-then-commune picker shows.

    The province is the one chosen (`province_code`), else the chosen commune's, else the only
    one offered; its communes are listed. `communes` (a territory's, already read) are used
    instead of a query and, when no province is chosen, are all offered grouped by province,
    so that the picker works without JavaScript.
    """
    provinces = list(provinces)
    by_code = {province.code: province for province in provinces}
    commune_code = str(commune_code or "")
    province = by_code.get(str(province_code or ""))
    if province is None and commune_code:
        if communes is not None:
            commune = next((c for c in communes if c.code == commune_code), None)
        else:
            try:
                commune = territory.commune_by_code(commune_code)
            except NotFound:
                commune = None
        province = by_code.get(commune.province.code) if commune is not None else None
    if province is None and len(provinces) == 1:
        province = provinces[0]
    picker = {"provinces": provinces, "commune": commune_code, "groups": []}
    if province is None:
        picker.update(province="", communes=[])
        if communes is not None:
            picker["groups"] = grouped_commune_choices(communes)
        return picker
    if communes is not None:
        shown = [c for c in communes if c.province_id == province.pk]
    else:
        shown = list(territory.communes(province).order_by("code"))
    picker.update(province=province.code, communes=shown)
    return picker


# --- Assisted filing (chamber agents) -----------------------------------------------------

OUTSIDE_TERRITORY = _("Choose a commune of your territory.")


def _commune_field(label, commune_choices) -> forms.ChoiceField:
    field = forms.ChoiceField(label=label, error_messages={"invalid_choice": OUTSIDE_TERRITORY})
    field.choices = [("", _("Choose a commune")), *commune_choices]
    return field


class AssistedPersonForm(PersonForm):
    """The person's data, with the home commune picked from the agent's territory."""

    def __init__(self, *args, commune_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"] = _commune_field(_("Commune of residence"), commune_choices)
        for name in ("cnie", "phone", "email", "first_name_latin", "last_name_latin"):
            self.fields[name].widget.attrs.update({"dir": "ltr", "autocomplete": "off"})
        for name in ("first_name_ar", "last_name_ar"):
            self.fields[name].widget.attrs.update({"dir": "rtl", "lang": "ar"})
        self.fields["email"].widget.attrs["inputmode"] = "email"


class AssistedCraftForm(CraftForm):
    """Category (natural persons only), activities picked by branch, workplace in scope."""

    def __init__(self, *args, commune_choices, activity_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal_activity"] = forms.ChoiceField(
            label=_("Principal activity"),
            choices=[("", _("Choose the activity")), *activity_choices],
        )
        self.fields["secondary_activities"] = forms.MultipleChoiceField(
            label=_("Secondary activities (up to three)"),
            choices=activity_choices,
            required=False,
        )
        self.fields["workplace_commune"] = _commune_field(
            _("Commune of the workplace"), commune_choices
        )

    def craft_data(self) -> dict:
        return dict(self.cleaned_data)


class AssistedEntityForm(EntityForm):
    """The entity's data, with the head office's commune picked from the agent's territory."""

    def __init__(self, *args, commune_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"] = _commune_field(_("Commune of the head office"), commune_choices)
        for name in ("ice", "register_number", "phone", "email", "name_fr", "supervisor"):
            self.fields[name].widget.attrs.update({"dir": "ltr", "autocomplete": "off"})
        self.fields["name_ar"].widget.attrs.update({"dir": "rtl", "lang": "ar"})
        self.fields["email"].widget.attrs["inputmode"] = "email"


class AssistedEntityCraftForm(AssistedCraftForm):
    """The craft of an entity: its category is asked with the entity itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["category"]


class StrikeOffForm(ReasonForm):
    until = None
    confirm = forms.BooleanField(
        label=_("I understand that striking off is final: it cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


# --- The artisan's own space --------------------------------------------------------------


class ClaimForm(PlainLabels, forms.Form):
    cnie = forms.CharField(
        label=_("Your national identity card number (CNIE)"),
        max_length=20,
        help_text=interpolate_lazy(
            _("As written on your card, for example %(example)s."), {"example": "BE123456"}
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )


class DeclarationForm(PlainLabels, forms.Form):
    declaration = forms.BooleanField(
        label=_("I declare that this information is true and complete."),
        error_messages={"required": _("Tick this box to send your application.")},
    )
