import pytest

from hirfa.outreach.demo import MEETING, load_demo_outreach
from hirfa.outreach.models import Attendee, Event, Question, Referral

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_founding_meeting_and_events_to_come_and_runs_twice():
    assert load_demo_outreach() == {"created": 6}
    meeting = Event.objects.get(name_fr=MEETING["name_fr"])
    assert meeting.state == Event.State.HELD
    assert meeting.starts_at.isoformat() == "2022-08-29T09:00:00+00:00"
    assert set(meeting.partners.values_list("code", flat=True)) == {"directorate-09-581", "cnss"}
    assert Attendee.objects.filter(event=meeting, checked_in_at__isnull=False).count() == 8
    assert Question.objects.filter(event=meeting, published=True).count() == 3
    assert Referral.objects.filter(event=meeting).count() == 2
    fair = Event.objects.get(kind=Event.Kind.FAIR, region__code="09")
    assert fair.sessions.count() == 8
    upcoming = Event.objects.filter(state=Event.State.PUBLISHED)
    assert set(upcoming.values_list("region__code", flat=True)) == {"01", "06", "07", "09"}
    assert load_demo_outreach() == {"created": 0}
    assert Event.objects.count() == 6
