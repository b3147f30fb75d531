import pytest

from hirfa.outreach import funnel
from hirfa.outreach.demo import MEETING, load_demo_outreach
from hirfa.outreach.models import Attendee, Event, Question, Referral
from tests.factories import use_test_signing_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def signing_key(settings):
    use_test_signing_key(settings)


def test_the_demo_holds_the_founding_meeting_and_events_to_come_and_runs_twice():
    assert load_demo_outreach() == {"created": 7}
    meeting = Event.objects.get(name_fr=MEETING["name_fr"])
    assert meeting.state == Event.State.HELD
    assert meeting.starts_at.isoformat() == "2022-08-29T09:00:00+00:00"
    assert set(meeting.partners.values_list("code", flat=True)) == {"directorate-09-581", "cnss"}
    assert Attendee.objects.filter(event=meeting, checked_in_at__isnull=False).count() == 8
    assert Question.objects.filter(event=meeting, published=True).count() == 3
    assert Referral.objects.filter(event=meeting).count() == 6
    fair = Event.objects.get(kind=Event.Kind.FAIR, region__code="09")
    assert fair.sessions.count() == 8
    upcoming = Event.objects.filter(state=Event.State.PUBLISHED)
    assert set(upcoming.values_list("region__code", flat=True)) == {"01", "06", "07", "08", "09"}
    assert load_demo_outreach() == {"created": 0}
    assert Event.objects.count() == 7


def test_the_founding_meetings_funnel_shows_someone_at_every_step():
    load_demo_outreach()
    meeting = Event.objects.get(name_fr=MEETING["name_fr"])
    assert funnel.funnel(events=[meeting.pk], splits=()).counts == {
        "signed_up": 8,
        "attended": 8,
        "started": 6,
        "submitted": 5,
        "approved": 4,
        "card": 3,
        "enrolled": 2,
        "rights": 1,
    }


def test_the_fairs_visitor_who_filed_later_at_the_desk_is_credited_to_the_fair():
    load_demo_outreach()
    fair = Event.objects.get(kind=Event.Kind.FAIR, region__code="09")
    counts = funnel.funnel(events=[fair.pk], splits=()).counts
    assert (counts["attended"], counts["started"], counts["submitted"]) == (3, 1, 1)
