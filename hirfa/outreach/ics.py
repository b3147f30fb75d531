"""iCalendar (RFC 5545) for events: one file per event and a feed per region.

Written by hand (a few dozen lines; no dependency): text values escaped (§3.3.11), lines
folded at 75 octets without cutting a UTF-8 character (§3.1), CRLF line ends, times local
to Africa/Casablanca with a TZID (§3.2.19) and the VTIMEZONE it names. Each session of an
event is one VEVENT, so a fair of eight days shows on each of its days.
"""

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from hirfa.outreach.models import Event

TZID = "Africa/Casablanca"
ZONE = ZoneInfo(TZID)
PRODID = "-//Kingdom of Morocco//hirfa outreach//AR"

# Morocco keeps UTC+1 but for the month of Ramadan (UTC+0), moved each year by decree; a
# client knowing the TZID (the IANA database) uses its own rules, the others this offset.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0100",
    "TZNAME:+01",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Cut a content line into lines of at most 75 octets, each continuation starting with
    a space; a UTF-8 character is never cut."""
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not parts else 74  # a continuation's leading space counts
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _local(moment: datetime) -> str:
    return moment.astimezone(ZONE).strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def event_url(event: Event) -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}/events/{event.slug}/"


def _vevents(event: Event, stamp: datetime) -> list[str]:
    host = urlsplit(settings.PUBLIC_URL).hostname or "hirfa"
    url = event_url(event)
    place = ", ".join(part for part in (event.venue, event.commune.name) if part)
    description = "\n".join([*event.agenda_items(), "", url])
    lines = []
    for session in event.sessions.all():
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.slug}-{session.pk}@{host}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART;TZID={TZID}:{_local(session.starts_at)}",
            f"DTEND;TZID={TZID}:{_local(session.ends_at)}",
            f"SUMMARY:{escape(event.name)}",
            f"LOCATION:{escape(place)}",
            f"DESCRIPTION:{escape(description)}",
            f"URL:{url}",
            f"ORGANIZER;CN={escape(event.organiser.name)}:{url}",
            "STATUS:CANCELLED" if event.state == Event.State.CANCELLED else "STATUS:CONFIRMED",
        ]
        if event.latitude is not None and event.longitude is not None:
            lines.append(f"GEO:{event.latitude};{event.longitude}")
        lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str = "") -> bytes:
    """A VCALENDAR holding every session of `events`, as bytes ready to serve."""
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    lines += VTIMEZONE
    for event in events:
        lines += _vevents(event, stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()
