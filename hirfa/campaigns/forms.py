"""The campaign form: it collects and types the input; services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hirfa.core.forms import PlainLabels
from hirfa.core.languages import LOCAL_NAMES, interpolate_lazy
from hirfa.coverage.models import State as AmoState
from hirfa.crafts.models import Activity, Branch
from hirfa.notifications.models import Channel
from hirfa.outreach.forms import LocalDateTimeField
from hirfa.outreach.models import Event
from hirfa.register.models import Category, Registration
from hirfa.territory.models import Commune, Region

ANY = [("", _("Any"))]
CRITERIA = (
    "region",
    "province",
    "commune",
    "branch",
    "activity",
    "category",
    "status",
    "amo",
    "card_not_collected",
    "stalled_days",
    "attended",
)


class SegmentForm(PlainLabels, forms.Form):
    """The segment's criteria; also read alone for the live count."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    region = forms.ChoiceField(label=_("Region"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    commune = forms.ChoiceField(label=_("Commune of the workplace"), required=False)
    branch = forms.ChoiceField(label=_("Branch"), required=False)
    activity = forms.ChoiceField(label=_("Activity"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Registration state"), required=False)
    amo = forms.ChoiceField(label=_("AMO state"), required=False)
    card_not_collected = forms.BooleanField(label=_("Card ready, not collected"), required=False)
    stalled_days = forms.IntegerField(
        label=_("Application started over this many days ago and not submitted"),
        required=False,
        min_value=0,
        max_value=3650,
    )
    attended = forms.ChoiceField(label=_("Came to the event"), required=False)

    def __init__(self, *args, provinces, events, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = provinces.select_related("region").order_by("code")
        regions = Region.objects.filter(provinces__in=provinces).distinct().order_by("code")
        communes = Commune.objects.filter(province__in=provinces).order_by("code")
        self.fields["region"].choices = ANY + [(r.code, r.name) for r in regions]
        self.fields["province"].choices = ANY + [(p.code, p.name) for p in provinces]
        self.fields["commune"].choices = ANY + [(c.code, c.name) for c in communes]
        self.fields["branch"].choices = ANY + [
            (b.code, b.name) for b in Branch.objects.order_by("code")
        ]
        self.fields["activity"].choices = ANY + [
            (a.code, a.name) for a in Activity.objects.order_by("code")
        ]
        self.fields["category"].choices = ANY + list(Category.choices)
        self.fields["status"].choices = ANY + list(Registration.Status.choices)
        self.fields["amo"].choices = ANY + list(AmoState.choices)
        self.fields["attended"].choices = ANY + [(str(e.pk), e.name) for e in events]

    def segment_fields(self) -> list:
        """The bound fields of the segment (and the channel), for the template."""
        return [self[name] for name in ("channel", *CRITERIA)]

    def message_fields(self) -> list:
        """The other bound fields: the name, the event, the link, the texts, the time."""
        segment = {"channel", *CRITERIA}
        return [field for field in self if field.name not in segment]

    def criteria(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in CRITERIA if name != "attended"}
        values["event"] = data.get("attended") or None
        return values


class CampaignForm(SegmentForm):
    name = forms.CharField(label=_("Name of the campaign"), max_length=200)
    event = forms.ModelChoiceField(
        label=interpolate_lazy(
            _("Event named in the message (%(placeholders)s)"),
            {"placeholders": "{event}, {place}, {date}"},
        ),
        queryset=Event.objects.none(),
        required=False,
    )
    link = forms.URLField(
        label=interpolate_lazy(_("Link (%(placeholder)s)"), {"placeholder": "{link}"}),
        max_length=300,
        required=False,
        assume_scheme="https",
    )
    subject = forms.CharField(label=_("Subject (e-mail)"), max_length=200, required=False)
    scheduled_for = LocalDateTimeField(label=_("Send at (empty: now)"), required=False)

    field_order = ["name", "channel", *CRITERIA, "event", "link", "subject"]

    def __init__(self, *args, provinces, events, **kwargs):
        super().__init__(*args, provinces=provinces, events=events, **kwargs)
        self.fields["event"].queryset = events
        for code, local_name in LOCAL_NAMES.items():
            self.fields[f"message_{code}"] = forms.CharField(
                label=_("Message in %(language)s") % {"language": local_name},
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
                required=False,
                help_text=interpolate_lazy(
                    _("Placeholders: %(placeholders)s"),
                    {"placeholders": "{name} {event} {place} {date} {link}"},
                ),
            )
        self.fields["scheduled_for"] = self.fields.pop("scheduled_for")

    def campaign_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "channel": data["channel"],
            "criteria": self.criteria(),
            "event": data.get("event"),
            "link": data.get("link") or "",
            "subject": data.get("subject") or "",
            "scheduled_for": data.get("scheduled_for"),
            "messages": {code: data.get(f"message_{code}") or "" for code in LOCAL_NAMES},
        }
