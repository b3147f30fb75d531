import pytest

from hirfa.cards import qr
from hirfa.core.errors import DomainError
from hirfa.outreach import services
from hirfa.outreach.models import Attendee
from tests.factories import issued_card, use_test_signing_key
from tests.outreach.conftest import make_event
from tests.verification.helpers import altered_text

pytestmark = pytest.mark.django_db


def signed_up(agent, event, phone="0612345678"):
    return services.sign_up_for(agent=agent, event=event, name="Fadma", phone=phone, consent=True)


def test_a_second_check_in_of_the_same_person_changes_nothing(souss_agent):
    event = make_event(souss_agent, publish=True)
    attendee = signed_up(souss_agent, event)
    first, new = services.check_in_by(actor=souss_agent, event=event, phone="0612345678")[:2]
    assert new
    again, new_again = services.check_in_by(actor=souss_agent, event=event, phone="+212612345678")[
        :2
    ]
    assert (again.pk, new_again) == (attendee.pk, False)
    assert again.checked_in_at == first.checked_in_at


def test_the_door_page_checks_in_by_phone_and_counts(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    signed_up(souss_agent, event)
    client.force_login(souss_agent)
    response = client.post(f"/outreach/{event.pk}/door/check-in/", {"phone": "0612345678"})
    assert response.status_code == 200
    assert response.context["counts"].checked_in == 1
    counts = client.get(f"/outreach/{event.pk}/door/counts/")
    assert counts.status_code == 200
    assert 'hx-trigger="every 5s"' in counts.content.decode()


def test_an_unknown_phone_at_the_door_is_told_to_record_a_walk_in(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    client.force_login(souss_agent)
    response = client.post(f"/outreach/{event.pk}/door/check-in/", {"phone": "0612345678"})
    assert response.status_code == 404


def test_a_forged_card_is_refused_at_the_door(client, souss_agent, settings, run_jobs):
    use_test_signing_key(settings)
    card = issued_card(run_jobs, agent=souss_agent)
    event = make_event(souss_agent, publish=True)
    forged = altered_text(card.qr_text)  # the holder changed, the signature kept
    client.force_login(souss_agent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"/outreach/{event.pk}/door/check-in/", {"qr_text": forged})
    assert response.status_code == 400
    assert "This card is not genuine: The signature does not match" in response.content.decode()
    assert not Attendee.objects.filter(event=event).exists()


def test_a_genuine_card_checks_its_holder_in(souss_agent, settings, run_jobs):
    use_test_signing_key(settings)
    card = issued_card(run_jobs, agent=souss_agent)
    event = make_event(souss_agent, publish=True)
    attendee, new, note = services.check_in_by(actor=souss_agent, event=event, qr_text=card.qr_text)
    assert (new, note) == (True, "")
    assert attendee.registration == card.registration
    assert services.check_in_by(actor=souss_agent, event=event, qr_text=card.qr_text)[1] is False


def test_the_card_of_someone_signed_up_checks_in_their_own_row(souss_agent, settings, run_jobs):
    use_test_signing_key(settings)
    card = issued_card(run_jobs, agent=souss_agent)
    event = make_event(souss_agent, publish=True)
    row = signed_up(souss_agent, event, phone=card.registration.person.phone)
    attendee = services.check_in_by(actor=souss_agent, event=event, qr_text=card.qr_text)[0]
    assert attendee.pk == row.pk
    assert Attendee.objects.filter(event=event).count() == 1


def test_a_walk_in_needs_consent(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    client.force_login(souss_agent)
    response = client.post(
        f"/outreach/{event.pk}/door/walk-in/", {"name": "Ijja", "phone": "0612345670"}
    )
    assert response.status_code == 400
    assert not Attendee.objects.filter(event=event).exists()


def test_a_walk_in_with_consent_is_recorded_and_checked_in(souss_agent):
    event = make_event(souss_agent, publish=True)
    attendee, new = services.record_walk_in(
        actor=souss_agent, event=event, name="Ijja", phone="0612345670", consent=True
    )
    assert (attendee.source, new, attendee.checked_in_at is not None) == ("walk_in", True, True)


def test_the_door_is_closed_to_an_agent_of_another_region(client, souss_agent):
    from tests.factories import agent_of

    event = make_event(souss_agent, publish=True)
    client.force_login(agent_of("01"))
    assert client.get(f"/outreach/{event.pk}/door/").status_code == 404


def test_the_door_is_not_for_a_draft(souss_agent):
    event = make_event(souss_agent)
    with pytest.raises(DomainError) as refused:
        services.record_walk_in(
            actor=souss_agent, event=event, name="Ijja", phone="0612345670", consent=True
        )
    assert refused.value.status == 409


def test_a_card_that_is_not_a_card_is_refused_with_its_reason(souss_agent, settings):
    use_test_signing_key(settings)
    event = make_event(souss_agent, publish=True)
    with pytest.raises(DomainError) as refused:
        services.check_in_by(actor=souss_agent, event=event, qr_text="hello")
    assert refused.value.code == "not_genuine"
    assert str(qr.Verdict.NOT_GENUINE)  # the verifier's own verdict, not a second one
