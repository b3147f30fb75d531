"""The auditor's search of the audit trail: the form, and its terms turned into one query.

Who may read the trail is the accounts' (`trail_for`, `may_read_trail`); the entries are told
in words by `hirfa.audit.wording`. An artisan is searched by CNIE or registration number: the
entries about their person, registrations, files, cards, enrolments and dependants, which
is where "who opened this artisan's file" is found (decision 40).
"""

import re
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.selectors import account_named, trail_for
from hirfa.audit import selectors as audit
from hirfa.audit import wording
from hirfa.cards.models import Card
from hirfa.core.languages import interpolate_lazy
from hirfa.core.validators import normalise_cnie
from hirfa.coverage.models import Dependant, Enrolment
from hirfa.register.models import Dossier, Person, Registration
from hirfa.register.numbers import parse_number

PAGE_SIZE = 50
READS = "reads"  # every "<model>.viewed": who opened which file
OBJECT = re.compile(r"^([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*):([A-Za-z0-9_.-]{1,100})$", re.ASCII)
EARLIEST = datetime(2000, 1, 1).date()


def _action_choices():
    return [
        ("", _("Any action")),
        (READS, _("Openings of personal data (who opened which file)")),
        *wording.choices(),
    ]


class TrailSearchForm(forms.Form):
    who = forms.CharField(
        label=_("Done by (user name)"), max_length=150, required=False, strip=True
    )
    artisan = forms.CharField(
        label=_("Artisan (CNIE or registration number)"),
        max_length=40,
        required=False,
        strip=True,
    )
    object = forms.CharField(
        label=_("Object (type:id)"),
        max_length=200,
        required=False,
        strip=True,
        help_text=_("As shown beside each entry."),
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_action_choices)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To (included)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_object(self):
        value = self.cleaned_data["object"]
        if value and not OBJECT.match(value):
            raise ValidationError(_("Write the object as shown beside an entry, type:id."))
        return value

    def clean_artisan(self):
        value = self.cleaned_data["artisan"]
        if not value:
            return value
        for reader in (normalise_cnie, parse_number):
            try:
                return reader(value)
            except ValidationError:
                continue
        raise ValidationError(
            interpolate_lazy(
                _("Enter a CNIE (for example %(cnie)s) or a registration number."),
                {"cnie": "BE123456"},
            )
        )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        today = timezone.localdate()
        for name in ("since", "until"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= today + timedelta(days=1):
                self.add_error(name, _("Choose a day between 2000 and today."))
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return data


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def artisan_objects(value: str) -> list[tuple[str, str]]:
    """The objects of the trail that are about one artisan (found by CNIE or registration
    number): none when nobody matches. A fixed number of queries."""
    if not value:
        return []
    if value[0].isdigit():
        person_ids = list(
            Registration.objects.filter(number=value, person__isnull=False).values_list(
                "person_id", flat=True
            )
        )
    else:
        person_ids = list(Person.objects.filter(cnie=value).values_list("pk", flat=True))
    if not person_ids:
        return []
    registrations = list(
        Registration.objects.filter(person_id__in=person_ids).values_list("pk", flat=True)
    )
    found = {
        Person: person_ids,
        Registration: registrations,
        Dossier: Dossier.objects.filter(person_id__in=person_ids).values_list("pk", flat=True),
        Card: Card.objects.filter(registration_id__in=registrations).values_list("pk", flat=True),
        Enrolment: Enrolment.objects.filter(registration_id__in=registrations).values_list(
            "pk", flat=True
        ),
        Dependant: Dependant.objects.filter(registration_id__in=registrations).values_list(
            "pk", flat=True
        ),
    }
    return [(model._meta.label_lower, str(pk)) for model, pks in found.items() for pk in pks]


class Result:
    """One page of the search: the entries, the id of the next page, and why it is empty."""

    def __init__(self, entries, following, *, unknown: str = ""):
        self.entries, self.following, self.unknown = entries, following, unknown


def search(user, data: dict) -> Result:
    """The page of the trail `user` may read matching the form's cleaned `data`."""
    entries = trail_for(user)
    actor_id, actor_label = None, ""
    if data.get("who"):
        account = account_named(data["who"])
        if account is not None:
            actor_id = account.pk
        else:
            actor_label = data["who"]  # the system's doers: "system", "system:cnss-import"
    objects = None
    if data.get("artisan"):
        objects = artisan_objects(data["artisan"])
        if not objects:
            return Result([], None, unknown="artisan")
    if data.get("object"):
        match = OBJECT.match(data["object"])
        objects = [o for o in objects if o == match.groups()] if objects else [match.groups()]
    action = data.get("action") or ""
    actions = None
    if action == READS:
        actions = [a for a in wording.PHRASES if wording.is_read(a)]
    elif action:
        actions = [action]
    since = _aware(data["since"]) if data.get("since") else None
    until = _aware(data["until"] + timedelta(days=1)) if data.get("until") else None
    matching = audit.search(
        entries,
        actor_id=actor_id,
        actor_label=actor_label,
        objects=objects,
        actions=actions,
        since=since,
        until=until,
    )
    rows, following = audit.page_before(matching, data.get("before"), PAGE_SIZE)
    for entry in rows:
        entry.sentence = wording.sentence(entry.actor_label, entry.action)
        entry.is_read = wording.is_read(entry.action)
        entry.about = wording.about(entry.object_type, entry.object_id)
    return Result(rows, following)
