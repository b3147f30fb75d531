from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hirfa.outreach import ics, services
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db


def unfold(data: bytes) -> list[str]:
    """RFC 5545 §3.1: CRLF line ends, a line starting with a space continues the last."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    lines = []
    for raw in text.split("\r\n")[:-1]:
        assert len(raw.encode()) <= 75
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def parse(data: bytes) -> list[dict]:
    """The VEVENTs as {name: (params, value)}; checks that components nest properly."""
    stack, events = [], []
    for line in unfold(data):
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack and stack[-1] == "VEVENT":
            events[-1][name] = (params, value)
    assert stack == []
    return events


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def test_an_event_calendar_parses_with_local_times_in_casablanca(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    response = client.get(f"/events/{event.slug}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (vevent,) = parse(response.content)
    params, value = vevent["DTSTART"]
    assert params == ["TZID=Africa/Casablanca"]
    start = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo("Africa/Casablanca"))
    assert start == event.starts_at
    assert unescape(vevent["SUMMARY"][1]) == event.name_ar
    assert "BEGIN:VTIMEZONE" in response.content.decode()


def test_text_is_escaped_and_long_lines_folded_without_cutting_a_letter():
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "ⵜⴰⵎⴰⵣⵉⵖⵜ " * 20
    folded = ics.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_fair_of_several_days_gives_one_vevent_per_session(souss_agent):
    event = make_event(souss_agent, kind="fair", hours=8)
    services.add_session(
        actor=souss_agent,
        event=event,
        starts_at=event.starts_at + timedelta(days=1),
        ends_at=event.starts_at + timedelta(days=1, hours=8),
    )
    assert len(parse(ics.calendar([event]))) == 2


def test_the_region_feed_holds_its_published_events_only(client, souss_agent):
    published = make_event(souss_agent, publish=True, venue="Salle A, Tiznit; centre")
    make_event(souss_agent, days=20)  # a draft
    response = client.get("/events/region/09.ics")
    assert response.status_code == 200
    events = parse(response.content)
    assert [unescape(e["LOCATION"][1]).split(",")[0] for e in events] == ["Salle A"]
    assert events[0]["UID"][1].startswith(published.slug)
    assert client.get("/events/region/99.ics").status_code == 404
