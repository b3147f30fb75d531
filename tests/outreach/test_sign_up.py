import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from hirfa.core.errors import DomainError
from hirfa.notifications.models import Notification
from hirfa.outreach import services
from hirfa.outreach.models import Attendee
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db


def last_code(phone="+212612345678") -> str:
    sms = Notification.objects.filter(event="account.phone_code", address=phone).latest("id")
    return re.search(r"\b(\d{6})\b", sms.body).group(1)


def test_signing_up_by_phone_texts_a_code_that_gives_a_seat(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    response = client.post(
        f"/events/{event.slug}/sign-up/", {"name": "Fadma Ait Lahcen", "phone": "06 12 34 56 78"}
    )
    assert response.status_code == 302
    attendee = Attendee.objects.get(event=event)
    assert attendee.status == Attendee.Status.PENDING
    response = client.post(
        f"/events/{event.slug}/sign-up/confirm/", {"phone": "+212612345678", "code": last_code()}
    )
    assert response.status_code == 200
    attendee.refresh_from_db()
    assert attendee.status == Attendee.Status.SIGNED_UP
    assert Notification.objects.filter(event="outreach.seat", address="+212612345678").exists()


def test_a_wrong_code_gives_no_seat(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    client.post(f"/events/{event.slug}/sign-up/", {"name": "Fadma", "phone": "0612345678"})
    wrong = "000000" if last_code() != "000000" else "111111"
    response = client.post(
        f"/events/{event.slug}/sign-up/confirm/", {"phone": "+212612345678", "code": wrong}
    )
    assert response.status_code == 400
    assert Attendee.objects.get(event=event).status == Attendee.Status.PENDING


def test_a_draft_event_takes_no_sign_up(client, souss_agent):
    event = make_event(souss_agent)
    with pytest.raises(DomainError) as refused:
        services.start_sign_up(event=event, name="Fadma", phone="0612345678")
    assert refused.value.status == 409


def test_an_agent_signs_someone_up_only_with_consent(souss_agent):
    event = make_event(souss_agent, publish=True)
    with pytest.raises(DomainError) as refused:
        services.sign_up_for(
            agent=souss_agent, event=event, name="Fadma", phone="0612345678", consent=False
        )
    assert "consent" in refused.value.fields
    assert not Attendee.objects.exists()


def test_when_full_people_wait_and_a_cancellation_promotes_the_first_in_line(souss_agent):
    event = make_event(souss_agent, publish=True, capacity=1)
    first = services.sign_up_for(
        agent=souss_agent, event=event, name="Fadma", phone="0612345678", consent=True
    )
    second = services.sign_up_for(
        agent=souss_agent, event=event, name="Ahmed", phone="0612345679", consent=True
    )
    third = services.sign_up_for(
        agent=souss_agent, event=event, name="Ijja", phone="0612345670", consent=True
    )
    assert [a.status for a in (first, second, third)] == ["signed_up", "waiting", "waiting"]
    promoted = services.cancel_sign_up(actor=souss_agent, event=event, attendee=first)
    assert promoted == second
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("signed_up", "waiting")
    assert Notification.objects.filter(event="outreach.seat", address="+212612345679").count() == 2


def test_the_same_phone_cannot_sign_up_twice(souss_agent):
    event = make_event(souss_agent, publish=True)
    services.sign_up_for(
        agent=souss_agent, event=event, name="Fadma", phone="0612345678", consent=True
    )
    with pytest.raises(DomainError) as refused:
        services.sign_up_for(
            agent=souss_agent, event=event, name="Fadma", phone="0612345678", consent=True
        )
    assert refused.value.status == 409


def test_the_reminder_goes_out_once_the_day_before(souss_agent):
    event = make_event(souss_agent, days=3, publish=True)
    services.sign_up_for(
        agent=souss_agent, event=event, name="Fadma", phone="0612345678", consent=True
    )
    assert services.send_reminders(now=event.starts_at - timedelta(days=2)) == 0
    the_day_before = event.starts_at - timedelta(hours=20)
    assert services.send_reminders(now=the_day_before) == 1
    assert services.send_reminders(now=the_day_before) == 0
    assert Notification.objects.filter(event="outreach.reminder").count() == 1


def test_the_daily_command_sends_the_reminders(souss_agent, capsys):
    event = make_event(souss_agent, days=3, publish=True)
    services.sign_up_for(
        agent=souss_agent, event=event, name="Fadma", phone="0612345678", consent=True
    )
    event.sessions.update(starts_at=timezone.now() + timedelta(hours=5))
    event.starts_at = timezone.now() + timedelta(hours=5)
    event.save(update_fields=["starts_at"])
    call_command("remind_events")
    assert Notification.objects.filter(event="outreach.reminder").count() == 1
