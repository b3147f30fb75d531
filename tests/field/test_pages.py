"""The field app's pages: the app and its worker, the offline reference data, the agent's
items list, check-ins from the field, logout erasing the phone's outbox (decision 60)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.crafts.models import Activity
from hirfa.field.selectors import agent_key
from hirfa.outreach.models import Attendee
from hirfa.territory.models import Commune
from tests.factories import agent_of
from tests.field.conftest import API, post_item, registration_item
from tests.outreach.conftest import event_data


def make_event(agent, *, days=0, publish=True, **overrides):
    """An event of `agent`'s chamber starting in a few minutes (`days` later if given)."""
    from hirfa.outreach import services

    start = timezone.now() + timedelta(days=days, minutes=2)
    event = services.create_event(
        actor=agent,
        data=event_data(**overrides),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    return services.publish(actor=agent, event=event) if publish else event


pytestmark = pytest.mark.django_db


def test_the_app_carries_the_agents_key_and_its_reference_data(agent_client, agent):
    response = agent_client.get("/field/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-agent="{agent_key(agent)}"' in page
    assert 'rel="manifest"' in page


def test_the_reference_data_holds_only_the_communes_of_the_agents_provinces(agent_client):
    data = agent_client.get("/field/reference.json").json()
    codes = {c["code"] for group in data["communes"] for c in group["items"]}
    assert codes == set(
        Commune.objects.filter(province__region__code="09").values_list("code", flat=True)
    )
    assert data["activities"] and data["documents"]["artisan_experience"]


def test_the_events_of_the_day_are_in_the_reference_data(agent_client, agent):
    event = make_event(agent, days=0, publish=True)
    make_event(agent, days=3, publish=True, name_fr="Plus tard")
    data = agent_client.get("/field/reference.json").json()
    assert [e["id"] for e in data["events"]] == [event.pk]


def test_the_app_is_for_agents_only(client, officer):
    client.force_login(officer)
    assert client.get("/field/").status_code == 403


def test_the_worker_is_served_from_the_apps_scope_and_never_cached(client):
    response = client.get("/field/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "/static/hirfa/field/app.js" in response.content.decode()


def test_the_session_tells_who_is_logged_in_before_a_sync(client, agent):
    assert client.get("/field/session.json").status_code == 401
    client.force_login(agent)
    body = client.get("/field/session.json").json()
    assert body["agent"] == agent_key(agent) and body["csrf"]


def test_each_agent_has_a_key_of_their_own(agent):
    assert agent_key(agent) != agent_key(agent_of("09", username="other"))


def test_logging_out_tells_the_phone_to_erase_that_agents_outbox(agent_client, agent):
    response = agent_client.post("/accounts/logout/")
    assert response.cookies["hirfa_field_wipe"].value == agent_key(agent)


def test_a_check_in_from_the_field_is_recorded_once(agent_client, agent):
    event = make_event(agent, days=0, publish=True)
    now = timezone.now()
    item = {
        "id": str(uuid.uuid4()),
        "kind": "check_in",
        "captured_at": (now - timedelta(minutes=5)).isoformat(),
        "sent_at": now.isoformat(),
        "body": {
            "agent": agent_key(agent),
            "event": event.pk,
            "walk_in": True,
            "name": "Lahcen Amazigh",
            "phone": "0622334455",
            "consent": True,
        },
    }
    assert post_item(agent_client, item).status_code == 201
    assert post_item(agent_client, item).json()["replayed"] is True
    attendee = Attendee.objects.get(event=event)
    assert attendee.checked_in_at is not None and attendee.source == "walk_in"


def test_a_check_in_at_an_event_of_another_territory_is_refused(agent_client, agent):
    event = make_event(agent_of("09", username="organiser"), days=0, publish=True)
    stranger = agent_of("01", username="stranger")
    agent_client.force_login(stranger)
    item = {
        "id": str(uuid.uuid4()),
        "kind": "check_in",
        "captured_at": timezone.now().isoformat(),
        "sent_at": timezone.now().isoformat(),
        "body": {"agent": agent_key(stranger), "event": event.pk, "phone": "0622334455"},
    }
    response = post_item(agent_client, item)
    assert response.status_code == 403 and response.json()["state"] == "refused"


@pytest.mark.parametrize("n", [1, 12])
def test_the_agents_list_of_items_takes_a_fixed_number_of_queries(
    agent_client, agent, n, django_assert_num_queries
):
    for _ in range(n):
        post_item(agent_client, registration_item(agent, person={"cnie": "", "phone": ""}))
    # session, user, count, page
    with django_assert_num_queries(4):
        body = agent_client.get(f"{API}/items").json()
    assert body["count"] == n and len(body["items"]) == n


@pytest.mark.parametrize("n", [1, 12])
def test_the_attention_queue_takes_a_fixed_number_of_queries(
    agent_client, agent, officer, client, n, django_assert_num_queries
):
    for _ in range(n):
        item = registration_item(agent)
        Activity.objects.filter(code=item["body"]["craft"]["principal_activity"]).update(
            is_active=False
        )
        assert post_item(agent_client, item).status_code == 202
    client.force_login(officer)
    # session, user, count, page (the scope as a subquery), the menu's inbox count
    with django_assert_num_queries(5):
        response = client.get("/field/attention/")
    assert len(response.context["page"].object_list) == min(n, 25)
