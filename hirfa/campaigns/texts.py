"""A campaign's message: its placeholders, checked, and filled for one recipient."""

import re

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from hirfa.campaigns import sms
from hirfa.core.errors import DomainError
from hirfa.core.languages import interpolate_lazy

PLACEHOLDERS = ("name", "event", "place", "date", "link")
LANGUAGES = ("ar", "fr", "zgh", "en")
_FIELD = re.compile(r"\{([^{}]*)\}")
# What a name may take in the length check: most names are shorter.
NAME_ALLOWANCE = 30


def placeholders_in(text: str) -> list[str]:
    return _FIELD.findall(text)


def _listed() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def check_placeholders(text: str, *, field: str, event, link: str) -> None:
    for name in placeholders_in(text):
        if name not in PLACEHOLDERS:
            message = interpolate_lazy(
                _("Unknown placeholder %(name)s: use %(known)s."),
                {"name": "{" + name + "}", "known": _listed()},
            )
            raise DomainError(message, fields={field: [message]})
        if name in ("event", "place", "date") and event is None:
            message = interpolate_lazy(
                _("The placeholder %(name)s needs an event: choose one."),
                {"name": "{" + name + "}"},
            )
            raise DomainError(message, fields={field: [message]})
        if name == "link" and not (link or event):
            message = interpolate_lazy(
                _("The placeholder %(name)s needs a link or an event."), {"name": "{link}"}
            )
            raise DomainError(message, fields={field: [message]})


def name_in(language: str, person: dict) -> str:
    """The person's name in the script of `language` (`person` holds the name fields)."""
    if language == "zgh" and person.get("first_name_zgh"):
        return f"{person['first_name_zgh']} {person.get('last_name_zgh', '')}".strip()
    if language in ("ar", "zgh"):
        return f"{person['first_name_ar']} {person['last_name_ar']}"
    return f"{person['first_name_latin']} {person['last_name_latin']}"


def event_values(campaign, language: str) -> dict[str, str]:
    """{event}, {place}, {date} and {link} of the campaign in `language`."""
    event = campaign.event
    values = {"event": "", "place": "", "date": "", "link": campaign.link}
    if event is None:
        return values
    with translation.override(language):
        values["event"] = event.name
        values["place"] = f"{event.venue}, {event.commune.name}"
        if event.starts_at:
            values["date"] = formats.date_format(
                timezone.localtime(event.starts_at), "DATETIME_FORMAT"
            )
    if not values["link"]:
        path = reverse("outreach:event", kwargs={"key": event.slug})
        values["link"] = settings.PUBLIC_URL.rstrip("/") + path
    return values


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each known placeholder replaced, in one pass."""
    return _FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def allowance_for(language: str) -> str:
    return ("ا" if language in ("ar", "zgh") else "x") * NAME_ALLOWANCE


def check_length(text: str, *, field: str, values: dict[str, str], language: str) -> None:
    """Refuse an SMS text that takes more than CAMPAIGN_MAX_SMS_SEGMENTS parts."""
    filled = fill(text, values | {"name": allowance_for(language)})
    length = sms.measure(filled)
    limit = settings.CAMPAIGN_MAX_SMS_SEGMENTS
    if length.segments > limit:
        message = interpolate_lazy(
            _(
                "This message takes %(segments)s SMS (%(units)s characters in %(encoding)s, "
                "names counted as %(allowance)s); at most %(limit)s are allowed."
            ),
            {
                "segments": length.segments,
                "units": length.units,
                "encoding": length.encoding,
                "allowance": NAME_ALLOWANCE,
                "limit": limit,
            },
        )
        raise DomainError(message, fields={field: [message]})
