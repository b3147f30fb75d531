"""The forms of the coverage screens: they collect; the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy

from hirfa.core.forms import PlainLabels
from hirfa.coverage.models import ClosingReason, ContributionCategory, Dependant, DependantDocument
from hirfa.register.models import Sex


class DependantForm(PlainLabels, forms.Form):
    relation = forms.ChoiceField(
        label=gettext_lazy("Who is it?"),
        choices=Dependant.Relation.choices,
        widget=forms.RadioSelect,
    )
    first_name_ar = forms.CharField(label=gettext_lazy("First name in Arabic"), max_length=100)
    last_name_ar = forms.CharField(label=gettext_lazy("Family name in Arabic"), max_length=100)
    first_name_latin = forms.CharField(
        label=gettext_lazy("First name in Latin letters"), max_length=100
    )
    last_name_latin = forms.CharField(
        label=gettext_lazy("Family name in Latin letters"), max_length=100
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"), choices=Sex.choices, widget=forms.RadioSelect
    )
    birth_date = forms.CharField(
        label=gettext_lazy("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    cnie = forms.CharField(
        label=gettext_lazy("National identity card number (if any)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    student = forms.BooleanField(label=gettext_lazy("In higher education"), required=False)
    married = forms.BooleanField(label=gettext_lazy("Married (for a child)"), required=False)
    disabled = forms.BooleanField(label=gettext_lazy("Has a disability"), required=False)


class DocumentForm(PlainLabels, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"), choices=DependantDocument.Kind.choices)
    file = forms.FileField(label=gettext_lazy("File (PDF, JPEG or PNG)"))


class RefuseForm(PlainLabels, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class CloseForm(PlainLabels, forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[
            (ClosingReason.DEATH, ClosingReason.DEATH.label),
            (ClosingReason.OTHER_SCHEME, ClosingReason.OTHER_SCHEME.label),
        ],
    )
    on = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class RateForm(PlainLabels, forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Contribution category"), choices=ContributionCategory.choices
    )
    starts_on = forms.CharField(
        label=gettext_lazy("From the month (YYYY-MM)"),
        widget=forms.TextInput(attrs={"type": "month", "dir": "ltr"}),
    )
    basis = forms.CharField(
        label=gettext_lazy("Flat-rate monthly income (MAD)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    rate = forms.CharField(
        label=gettext_lazy("Rate (%)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    monthly_amount = forms.CharField(
        label=gettext_lazy("Monthly contribution (MAD)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    source = forms.CharField(label=gettext_lazy("Source (decree, date)"), max_length=300)
