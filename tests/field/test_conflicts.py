"""Conflicts are kept and shown, never merged or dropped: a CNIE registered meanwhile, a
person who looks like one already in the register, a commune or activity retired since the
phone cached the lists (decision 60)."""

import pytest

from hirfa.crafts.models import Activity
from hirfa.field.models import FieldItem
from hirfa.notifications.models import InboxItem
from hirfa.register import services as register
from hirfa.register.models import Dossier, Person
from tests.factories import approved_registration, complete_dossier, officer_of
from tests.field.conftest import post_item, registration_item

pytestmark = pytest.mark.django_db


def test_a_cnie_registered_meanwhile_keeps_the_item_as_needing_attention(
    agent_client, agent, officer
):
    approved_registration(agent=agent, officer=officer, cnie="JK123456")
    item = registration_item(agent, person={"cnie": "JK123456", "phone": "0698765432"})

    response = post_item(agent_client, item)

    assert response.status_code == 202
    assert response.json()["state"] == "attention"
    assert response.json()["reason"] == "cnie_taken"
    kept = FieldItem.objects.get(uuid=item["id"])
    assert kept.body["person"]["first_name_latin"] == "Fadma" and kept.dossier is None
    assert Person.objects.filter(cnie="JK123456").count() == 1


def test_the_officer_of_the_province_finds_it_in_the_inbox(agent_client, agent, officer):
    approved_registration(agent=agent, officer=officer, cnie="JK123456")
    post_item(agent_client, registration_item(agent, person={"cnie": "JK123456"}))

    item = InboxItem.objects.get(kind="field.attention")

    assert item.recipient == officer and item.province_code == "09.581"
    assert item.resolved_at is None


def test_a_possible_duplicate_is_filed_but_flagged_for_the_agent_and_the_officer(
    agent_client, agent, officer
):
    complete_dossier(agent, cnie="AB111111", phone="0611111111")
    item = registration_item(agent, person={"cnie": "AB222222", "phone": "0611111111"})

    response = post_item(agent_client, item)

    assert response.status_code == 202
    assert response.json()["reason"] == "possible_duplicate"
    assert Dossier.objects.filter(pk=response.json()["dossier"]).exists()
    assert Person.objects.count() == 2  # never merged
    assert InboxItem.objects.filter(kind="field.attention", recipient=officer).exists()


def test_the_flagged_file_moving_on_ends_the_attention(agent_client, agent, officer):
    complete_dossier(agent, cnie="AB111111", phone="0611111111")
    answer = post_item(
        agent_client, registration_item(agent, person={"cnie": "AB222222", "phone": "0611111111"})
    ).json()
    dossier = Dossier.objects.get(pk=answer["dossier"])
    register.withdraw(actor=agent, dossier=dossier)

    assert FieldItem.objects.get().settled_at is not None
    assert not InboxItem.objects.filter(kind="field.attention", resolved_at__isnull=True).exists()


def test_an_activity_retired_since_the_phone_cached_the_lists_needs_attention(agent_client, agent):
    item = registration_item(agent)
    Activity.objects.filter(code=item["body"]["craft"]["principal_activity"]).update(
        is_active=False
    )

    response = post_item(agent_client, item)

    assert response.status_code == 202
    assert response.json()["reason"] == "retired"
    assert item["body"]["craft"]["principal_activity"] in response.json()["message"]
    assert not Dossier.objects.exists()


def test_an_officer_settles_an_item_and_it_leaves_the_queue(agent_client, agent, officer, client):
    approved_registration(agent=agent, officer=officer, cnie="JK123456")
    post_item(agent_client, registration_item(agent, person={"cnie": "JK123456"}))
    kept = FieldItem.objects.get()
    client.force_login(officer)

    page = client.get(f"/field/attention/{kept.pk}/")
    assert page.status_code == 200 and "Fadma" in page.content.decode()
    response = client.post(f"/field/attention/{kept.pk}/settle")

    assert response.status_code == 302
    assert not client.get("/field/attention/").context["page"].object_list
    assert InboxItem.objects.get(kind="field.attention").resolved_at is not None


def test_an_officer_of_another_province_does_not_see_the_item(agent_client, agent, officer, client):
    approved_registration(agent=agent, officer=officer, cnie="JK123456")
    post_item(agent_client, registration_item(agent, person={"cnie": "JK123456"}))
    client.force_login(officer_of("09.001", username="agadir"))

    assert client.get(f"/field/attention/{FieldItem.objects.get().pk}/").status_code == 404
