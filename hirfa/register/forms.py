"""Forms shared by self-service and assisted filing. They collect; services validate."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from hirfa.register.models import NATURAL_PERSON_CATEGORIES, Category, Education, Sex, WorkplaceKind
from hirfa.register.rules import RejectionReason

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


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    note = forms.CharField(
        label=_("Note to the artisan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
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
