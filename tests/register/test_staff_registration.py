"""The registration page for staff: status, validity, history, and its lifecycle actions."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from hirfa.audit.models import AuditEntry
from hirfa.register.models import Registration
from tests.factories import officer_of
from tests.register.helpers import AGADIR_CITY, approved

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Status = Registration.Status


def url(registration, action=""):
    return f"/registrations/{registration.number}/{action}"


def test_the_registration_page_shows_the_data_status_validity_and_history(
    client, officer, registration
):
    response = client.get(url(registration))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Active" in page and "Fadma AIT LAHCEN" in page
    with translation.override("en"):
        assert date_format(registration.valid_until, "DATE_FORMAT") in page
    assert "The artisan was registered and received a number." in page
    assert "registration.created" not in page


def test_opening_the_registration_page_writes_an_access_audit_entry(client, officer, registration):
    client.get(url(registration))
    assert AuditEntry.objects.filter(
        action="person.viewed", actor=officer, object_id=str(registration.person_id)
    ).exists()


def test_suspend_then_reinstate_then_strike_off(client, officer, registration):
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(
        url(registration, "suspend/"),
        {"suspend-reason": "Inspection pending", "suspend-until": until},
    )
    registration.refresh_from_db()
    assert registration.status == Status.SUSPENDED
    assert registration.suspended_until.isoformat() == until

    client.post(url(registration, "reinstate/"), {"reinstate-reason": "Inspection passed"})
    registration.refresh_from_db()
    assert registration.status == Status.ACTIVE and registration.suspended_until is None

    confirmation = client.get(url(registration, "strike-off/"))
    assert "final" in confirmation.content.decode()
    client.post(
        url(registration, "strike-off/"),
        {"strike-reason": "Ceased the activity", "strike-confirm": "on"},
    )
    registration.refresh_from_db()
    assert registration.status == Status.STRUCK_OFF


def test_striking_off_needs_the_confirmation_box(client, officer, registration):
    response = client.post(url(registration, "strike-off/"), {"strike-reason": "Ceased"})
    assert response.status_code == 400
    assert 'id="id_strike-confirm_errors"' in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.ACTIVE


def test_a_struck_off_registration_cannot_be_reinstated(client, officer, registration):
    client.post(
        url(registration, "strike-off/"), {"strike-reason": "Fraud", "strike-confirm": "on"}
    )
    response = client.post(
        url(registration, "reinstate/"), {"reinstate-reason": "Mistake"}, follow=True
    )
    assert "Only a suspended registration can be reinstated." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.STRUCK_OFF
    assert b"/reinstate/" not in response.content and b"/strike-off/" not in response.content


def test_a_suspension_needs_a_reason_shown_beside_the_field(client, officer, registration):
    response = client.post(url(registration, "suspend/"), {"suspend-reason": " "})
    assert response.status_code == 400
    assert 'id="id_suspend-reason_errors"' in response.content.decode()


def test_a_suspension_ending_in_the_past_is_refused_beside_the_date(client, officer, registration):
    response = client.post(
        url(registration, "suspend/"), {"suspend-reason": "Check", "suspend-until": "2001-01-01"}
    )
    assert response.status_code == 400
    assert 'id="id_suspend-until_errors"' in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.ACTIVE


def test_an_agent_sees_the_registration_but_cannot_change_it(client, agent, registration):
    client.force_login(agent)
    response = client.get(url(registration))
    assert response.status_code == 200 and b"/suspend/" not in response.content
    assert client.post(url(registration, "suspend/"), {"suspend-reason": "x"}).status_code == 403


def test_a_registration_outside_the_scope_is_not_found(client, agent, officer):
    agadir = approved(
        agent, officer_of("09.001"), cnie="AB654321", phone="0611111111", workplace=AGADIR_CITY
    ).registration
    assert client.get(url(agadir)).status_code == 404
    assert client.post(url(agadir, "suspend/"), {"suspend-reason": "x"}).status_code == 404
    assert client.get("/registrations/not-a-number/").status_code == 404


def test_the_list_of_registrations_is_scoped_and_searchable_by_number(client, agent, officer):
    tiznit = approved(agent, officer_of("09.581")).registration
    agadir = approved(
        agent, officer_of("09.001"), cnie="AB654321", phone="0611111111", workplace=AGADIR_CITY
    ).registration
    page = client.get("/registrations/").content.decode()
    assert url(tiznit) in page and url(agadir) not in page
    spaced = f"{tiznit.number[:3]} {tiznit.number[3:6]} {tiznit.number[6:9]} {tiznit.number[9]}"
    assert url(tiznit) in client.get("/registrations/", {"q": spaced}).content.decode()
    assert url(agadir) not in client.get("/registrations/", {"q": agadir.number}).content.decode()


def test_a_bad_search_or_status_is_ignored_with_a_message(client, officer, registration):
    response = client.get("/registrations/", {"q": "hello", "status": "nope", "page": "x"})
    assert response.status_code == 200
    assert len(response.context["warnings"]) == 2
