"""Cooperatives and enterprises filed by a chamber agent: HTML desk, API and demo."""

import pytest
from django.core.management import call_command

from hirfa.core.errors import DomainError
from hirfa.register import selectors, services
from hirfa.register.models import Dossier, LegalEntity
from tests.factories import craft_data, officer_of, pdf_upload
from tests.register.helpers import TIZNIT_CITY, approved

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

COOPERATIVE_ICE = "001234567000089"


@pytest.fixture
def agent(agent, client):
    """The chamber's agent, signed in."""
    client.force_login(agent)
    return agent


@pytest.fixture
def member(agent):
    """An artisan of Tiznit already in the register."""
    return approved(agent, officer_of("09.581", username="officer.other")).registration


def entity_post(*, consent=True, **overrides) -> dict:
    """The entity filing page as the browser sends it."""
    craft = craft_data()
    del craft["category"]
    data = {
        "category": "cooperative",
        "name_ar": "تعاونية تيزنيت للفضة",
        "name_fr": "Coopérative Tiznit Argent",
        "ice": COOPERATIVE_ICE,
        "register_number": "RC-123",
        "address": "Souk des bijoutiers",
        "commune": TIZNIT_CITY,
        "phone": "",
        "email": "",
        "members": "",
        "supervisor": "",
        "province": ["", ""],
        **craft,
    }
    if consent:
        data["consent"] = "on"
    return data | overrides


def test_the_desk_offers_to_register_a_cooperative_or_an_enterprise(client, agent):
    assert b"/desk/new-entity/" in client.get("/desk/").content
    page = client.get("/desk/new-entity/").content.decode()
    assert 'value="cooperative"' in page and 'value="enterprise"' in page
    assert "CNDP" in page and 'hx-get="/desk/communes"' in page


def test_a_cooperative_with_an_approved_member_lands_in_the_tiznit_queue_and_renders(
    client, agent, member
):
    response = client.post("/desk/new-entity/", entity_post(members=f"{member.number}\n"))
    dossier = Dossier.objects.get(entity__isnull=False)
    assert response.status_code == 302
    assert response["Location"] == f"/desk/dossiers/{dossier.pk}/"
    assert dossier.person is None and dossier.entity.members.get() == member.person
    assert dossier.province.code == "09.581" and dossier.consent_at is not None
    page = client.get(f"/desk/dossiers/{dossier.pk}/")
    assert page.status_code == 200 and COOPERATIVE_ICE.encode() in page.content
    for requirement in selectors.required_documents(dossier.category):
        client.post(
            f"/desk/dossiers/{dossier.pk}/documents/",
            {"kind": requirement.code, "file": pdf_upload(f"{requirement.code}.pdf")},
        )
    client.post(f"/desk/dossiers/{dossier.pk}/submit/")
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED
    client.force_login(officer_of("09.581"))
    assert f"/review/{dossier.pk}/".encode() in client.get("/review/").content
    decision = client.get(f"/review/{dossier.pk}/")
    assert decision.status_code == 200
    text = decision.content.decode()
    assert "تعاونية تيزنيت للفضة" in text and "Coopérative Tiznit Argent" in text
    assert COOPERATIVE_ICE in text and "RC-123" in text
    assert member.person.full_name_latin in text


def test_an_unknown_member_number_is_shown_beside_the_field_and_nothing_is_written(client, agent):
    response = client.post("/desk/new-entity/", entity_post(members="1000000017"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_members_errors"' in page
    assert "No registered artisan has this registration number." in page
    assert not LegalEntity.objects.exists() and not Dossier.objects.exists()


def test_an_enterprise_without_a_supervising_artisan_is_refused(client, agent, member):
    response = client.post(
        "/desk/new-entity/", entity_post(category="enterprise", members=member.number)
    )
    assert response.status_code == 400
    assert 'id="id_supervisor_errors"' in response.content.decode()
    assert not LegalEntity.objects.exists()


def test_an_agent_files_a_cooperative_through_the_api_and_a_replay_returns_the_same_file(
    client, agent, member
):
    payload = {
        "entity": {
            "name_ar": "تعاونية تيزنيت للفضة",
            "name_fr": "Coopérative Tiznit Argent",
            "ice": COOPERATIVE_ICE,
            "address": "Souk",
            "commune": TIZNIT_CITY,
            "members": [member.number],
        },
        "craft": craft_data(category="cooperative", secondary_activities=[]),
        "consent": True,
    }

    def send():
        return client.post(
            "/api/v1/register/dossiers/entities",
            payload,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="coop-tiznit-1",
        )

    first, second = send(), send()
    assert first.status_code == 201 and second.status_code == 201
    body = first.json()
    assert second.json()["id"] == body["id"]
    assert body["cnie"] is None and body["name_latin"] == "Coopérative Tiznit Argent"
    assert body["category"] == "cooperative" and body["state"] == "draft"
    assert LegalEntity.objects.count() == 1


def test_loading_the_demo_twice_files_its_cooperatives_once():
    call_command("load_demo", artisans=40)
    count = LegalEntity.objects.count()
    assert count > 0
    assert LegalEntity.objects.filter(kind="cooperative").exists()
    assert Dossier.objects.filter(entity__isnull=False, state="approved").exists()
    call_command("load_demo", artisans=40)
    assert LegalEntity.objects.count() == count


def test_the_service_refuses_an_enterprise_without_supervisor(agent, member):
    with pytest.raises(DomainError) as refused:
        services.file_entity(
            agent=agent,
            entity_data={
                "name_ar": "مقاولة",
                "name_fr": "Entreprise",
                "ice": COOPERATIVE_ICE,
                "address": "Souk",
                "commune": TIZNIT_CITY,
                "members": [member.number],
            },
            craft_data=craft_data(category="enterprise"),
            consent=True,
        )
    assert "supervisor" in refused.value.fields
