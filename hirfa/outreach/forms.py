"""Forms of outreach: they collect and type the input; services check the rules."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hirfa.core.forms import PlainLabels
from hirfa.core.languages import LOCAL_NAMES
from hirfa.crafts.models import Branch
from hirfa.outreach.models import Event, EventService
from hirfa.register.models import Category
from hirfa.territory.models import Commune, Organisation, Province

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in Morocco's time (an `<input type="datetime-local">`)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)
    input_formats = [LOCAL_INPUT, "%Y-%m-%d %H:%M"]

    def to_python(self, value):
        moment = super().to_python(value)
        if isinstance(moment, datetime) and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


class SessionForm(PlainLabels, forms.Form):
    starts_at = LocalDateTimeField(label=_("Start"))
    ends_at = LocalDateTimeField(label=_("End"))


class EventForm(PlainLabels, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices)
    name_ar = forms.CharField(label=_("Title in Arabic"), max_length=200)
    name_zgh = forms.CharField(label=_("Title in Tamazight"), max_length=200, required=False)
    name_fr = forms.CharField(label=_("Title in French"), max_length=200)
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), to_field_name="code"
    )
    venue = forms.CharField(label=_("Venue"), max_length=300)
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"), required=False, max_digits=8, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"), required=False, max_digits=8, decimal_places=5
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"), queryset=Organisation.objects.none(), required=False
    )
    other_partners = forms.CharField(label=_("Other partners"), max_length=300, required=False)
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches"), queryset=Branch.objects.all(), required=False
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=Category.choices, required=False
    )
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces"), queryset=Province.objects.none(), required=False
    )
    capacity = forms.IntegerField(label=_("Capacity (empty: no limit)"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=list(LOCAL_NAMES.items()), required=False
    )
    agenda = forms.CharField(
        label=_("Agenda (one item per line)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    speakers = forms.CharField(
        label=_("Speakers (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, communes, provinces, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["provinces"].queryset = provinces
        self.fields["partners"].queryset = organisations

    def event_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("starts_at", None)
        data.pop("ends_at", None)
        return data


class NewEventForm(EventForm):
    starts_at = LocalDateTimeField(label=_("First session starts"))
    ends_at = LocalDateTimeField(label=_("First session ends"))


class SignUpForm(PlainLabels, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )


class CodeForm(PlainLabels, forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(
        label=_("Code received by SMS"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )


class PersonForm(PlainLabels, forms.Form):
    """Someone signed up by an agent, or a walk-in: name, phone, consent (Law 09-08)."""

    name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    cnie = forms.CharField(
        label=_("CNIE (optional)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    consent = forms.BooleanField(
        label=_("The person heard the personal data notice (Law 09-08) and agrees."),
        required=False,
    )


class CheckInForm(PlainLabels, forms.Form):
    qr_text = forms.CharField(
        label=_("Card QR code (scan it)"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "autofocus": True}),
    )
    number = forms.CharField(
        label=_("Registration number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    cnie = forms.CharField(
        label=_("CNIE"), required=False, max_length=12, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )


class ReportForm(PlainLabels, forms.Form):
    report = forms.CharField(label=_("Short report"), widget=forms.Textarea(attrs={"rows": 4}))


class ServiceForm(PlainLabels, forms.Form):
    kind = forms.ChoiceField(label=_("Help given"), choices=EventService.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class QuestionForm(PlainLabels, forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=150)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
