import pytest

from hirfa.outreach.models import Event
from tests.factories import TIZNIT_CITY, agent_of, officer_of
from tests.outreach.conftest import make_event, soon

pytestmark = pytest.mark.django_db


def test_an_agent_creates_a_draft_from_the_form(client, souss_agent):
    client.force_login(souss_agent)
    start = soon()
    response = client.post(
        "/outreach/new/",
        {
            "kind": "drive",
            "name_ar": "قافلة التسجيل",
            "name_fr": "Caravane d'inscription",
            "commune": TIZNIT_CITY,
            "venue": "Maison de l'artisan",
            "capacity": "40",
            "languages": ["ar", "zgh"],
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": start.replace(hour=16).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/outreach/{event.pk}/"
    assert (event.state, event.capacity, event.starts_at) == ("draft", 40, start)


def test_the_form_refuses_a_negative_capacity_with_its_message(client, souss_agent):
    client.force_login(souss_agent)
    start = soon()
    client.cookies["django_language"] = "en"
    response = client.post(
        "/outreach/new/",
        {
            "kind": "drive",
            "name_ar": "قافلة",
            "name_fr": "Caravane",
            "commune": TIZNIT_CITY,
            "venue": "Maison",
            "capacity": "-1",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": start.replace(hour=16).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_an_officer_cannot_create_events(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/outreach/new/").status_code == 403


def test_an_officer_of_agadir_does_not_find_a_draft_of_tiznit(client, souss_agent):
    event = make_event(souss_agent)
    client.force_login(officer_of("09.001"))
    assert client.get(f"/outreach/{event.pk}/").status_code == 404
    client.force_login(officer_of("09.581"))
    assert client.get(f"/outreach/{event.pk}/").status_code == 200


def test_an_agent_of_another_region_cannot_publish(client, souss_agent):
    event = make_event(souss_agent)
    client.force_login(agent_of("01"))
    assert client.post(f"/outreach/{event.pk}/move/published/").status_code == 404
    event.refresh_from_db()
    assert event.state == "draft"


def test_an_officer_of_the_province_reads_but_cannot_publish(client, souss_agent):
    event = make_event(souss_agent)
    client.force_login(officer_of("09.581"))
    assert client.post(f"/outreach/{event.pk}/move/published/").status_code == 403
    event.refresh_from_db()
    assert event.state == "draft"


def test_the_agent_publishes_from_the_event_page(client, souss_agent):
    event = make_event(souss_agent)
    client.force_login(souss_agent)
    response = client.post(f"/outreach/{event.pk}/move/published/")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.state == "published"


def test_closing_without_a_report_is_refused_on_the_page(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    client.force_login(souss_agent)
    response = client.post(f"/outreach/{event.pk}/move/closed/", {"report": "x"})
    assert response.status_code == 409  # a published event is not held yet


def test_the_staff_list_is_closed_to_artisans(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/outreach/").status_code == 403
