from datetime import timedelta

import pytest
from django.utils import timezone, translation

from hirfa.audit.models import AuditEntry
from hirfa.core.errors import DomainError, Forbidden
from hirfa.outreach import selectors, services
from hirfa.outreach.models import Event, EventSession
from tests.factories import agent_of, national, officer_of
from tests.outreach.conftest import event_data, make_event, soon

pytestmark = pytest.mark.django_db


def test_a_new_event_is_a_draft_organised_by_the_chamber_of_its_region(souss_agent):
    event = make_event(souss_agent)
    assert event.state == Event.State.DRAFT
    assert event.organiser.code == "chamber-09"
    assert (event.province.code, event.region.code) == ("09.581", "09")
    assert event.sessions.count() == 1


def test_the_states_go_draft_published_held_closed_each_audited(souss_agent):
    event = make_event(souss_agent, publish=True)
    event = services.mark_held(actor=souss_agent, event=event, now=event.starts_at)
    event = services.close(actor=souss_agent, event=event, report="80 artisans came.")
    assert (event.state, event.report) == (Event.State.CLOSED, "80 artisans came.")
    actions = set(
        AuditEntry.objects.filter(object_id=str(event.pk)).values_list("action", flat=True)
    )
    assert {"event.created", "event.published", "event.held", "event.closed"} <= actions


def test_a_closed_event_cannot_be_cancelled(souss_agent):
    event = make_event(souss_agent, publish=True)
    services.mark_held(actor=souss_agent, event=event, now=event.starts_at)
    services.close(actor=souss_agent, event=event, report="Done.")
    with pytest.raises(DomainError) as refused:
        services.cancel(actor=souss_agent, event=event)
    assert refused.value.status == 409


def test_closing_needs_a_report(souss_agent):
    event = make_event(souss_agent, publish=True)
    services.mark_held(actor=souss_agent, event=event, now=event.starts_at)
    with pytest.raises(DomainError) as refused:
        services.close(actor=souss_agent, event=event, report="  ")
    assert "report" in refused.value.fields


def test_an_event_cannot_be_held_before_it_starts(souss_agent):
    event = make_event(souss_agent, publish=True)
    with pytest.raises(DomainError):
        services.mark_held(actor=souss_agent, event=event)


def test_an_event_in_the_past_is_refused_and_nothing_is_written(souss_agent):
    start = timezone.now() - timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        services.create_event(
            actor=souss_agent,
            data=event_data(),
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    assert "starts_at" in refused.value.fields
    assert not Event.objects.exists()


def test_a_session_ending_before_it_starts_is_refused(souss_agent):
    start = soon()
    with pytest.raises(DomainError) as refused:
        services.create_event(
            actor=souss_agent,
            data=event_data(),
            starts_at=start,
            ends_at=start - timedelta(hours=1),
        )
    assert "ends_at" in refused.value.fields


def test_overlapping_sessions_of_one_event_are_refused(souss_agent):
    event = make_event(souss_agent, hours=3)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.add_session(
            actor=souss_agent,
            event=event,
            starts_at=event.starts_at + timedelta(hours=1),
            ends_at=event.starts_at + timedelta(hours=5),
        )
    assert str(refused.value.message) == "This session overlaps another session of the event."
    assert EventSession.objects.filter(event=event).count() == 1


def test_a_fair_has_sessions_on_several_days(souss_agent):
    event = make_event(souss_agent, kind="fair", hours=8)
    services.add_session(
        actor=souss_agent,
        event=event,
        starts_at=event.starts_at + timedelta(days=1),
        ends_at=event.starts_at + timedelta(days=1, hours=8),
    )
    event.refresh_from_db()
    assert event.ends_at - event.starts_at == timedelta(days=1, hours=8)


def test_a_negative_capacity_is_refused(souss_agent):
    with pytest.raises(DomainError) as refused:
        make_event(souss_agent, capacity=-5)
    assert "capacity" in refused.value.fields
    assert not Event.objects.exists()


def test_an_agent_of_another_region_cannot_manage_the_event(souss_agent):
    event = make_event(souss_agent)
    with pytest.raises(Forbidden):
        services.publish(actor=agent_of("01"), event=event)


def test_an_agent_cannot_hold_an_event_outside_the_region():
    with pytest.raises(Forbidden):
        make_event(agent_of("01"))


def test_an_officer_cannot_manage_events(souss_agent):
    event = make_event(souss_agent)
    with pytest.raises(Forbidden):
        services.publish(actor=officer_of("09.581"), event=event)


def test_an_officer_of_agadir_does_not_see_the_drafts_of_tiznit(souss_agent):
    event = make_event(souss_agent)
    assert not selectors.events_for(officer_of("09.001")).filter(pk=event.pk).exists()
    assert selectors.events_for(officer_of("09.581")).filter(pk=event.pk).exists()


def test_the_cnss_liaison_reads_the_events_of_the_country(souss_agent):
    event = make_event(souss_agent)
    assert selectors.events_for(national(role="cnss")).filter(pk=event.pk).exists()


def test_cancelling_tells_those_signed_up(souss_agent):
    from hirfa.notifications.models import Notification

    event = make_event(souss_agent, publish=True)
    services.sign_up_for(
        agent=souss_agent, event=event, name="Fadma", phone="0612345678", consent=True
    )
    services.cancel(actor=souss_agent, event=event)
    assert Notification.objects.filter(event="outreach.cancelled", address="+212612345678").exists()
