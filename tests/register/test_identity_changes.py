"""A registered person's identity changes only through review (security finding: a
modification draft's PATCH used to rewrite the live person, unreviewed, and the audit kept
only the names of the changed parts)."""

import pytest

from hirfa.accounts.models import User
from hirfa.audit.models import AuditEntry
from hirfa.register import selectors, services
from hirfa.register.models import Dossier, Person
from tests.factories import agent_of, officer_of, person_data, png_upload, submitted_dossier

pytestmark = pytest.mark.django_db

NEW_IDENTITY = {"cnie": "ZZ999999", "first_name_latin": "Someone", "birth_date": "1990-01-01"}


@pytest.fixture
def agent():
    return agent_of("09", username="agent")


@pytest.fixture
def officer():
    return officer_of("09.581", username="officer")


@pytest.fixture
def registration(agent, officer):
    dossier = submitted_dossier(agent)
    return services.approve(officer=officer, dossier=dossier).registration


@pytest.fixture
def artisan(registration):
    user = User.objects.create_user(username="+212612345678", phone="+212612345678")
    Person.objects.filter(pk=registration.person_id).update(user=user)
    return user


def open_modification(client, registration):
    response = client.post(
        f"/api/v1/register/registrations/{registration.number}/modifications",
        {
            "category": registration.category,
            "principal_activity": registration.principal_activity.code,
            "secondary_activities": [],
            "workplace_kind": registration.workplace_kind,
            "workplace_commune": registration.workplace_commune.code,
            "workplace_address": registration.workplace_address,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def submit(actor, dossier_id):
    dossier = Dossier.objects.get(pk=dossier_id)
    for requirement in selectors.required_documents(dossier.category):
        services.attach_document(
            actor=actor, dossier=dossier, kind=requirement.code, uploaded=png_upload()
        )
    return services.submit(actor=actor, dossier=dossier)


def patch_identity(client, dossier_id):
    return client.patch(
        f"/api/v1/register/dossiers/{dossier_id}",
        {"person": person_data(**NEW_IDENTITY)},
        content_type="application/json",
    )


def test_an_artisan_s_identity_change_on_a_modification_is_not_written_on_the_person(
    client, registration, artisan
):
    client.force_login(artisan)
    response = patch_identity(client, open_modification(client, registration))
    assert response.status_code == 200
    person = Person.objects.get(pk=registration.person_id)
    assert (person.cnie, person.first_name_latin) == ("JK123456", "Fadma")
    assert response.json()["person_changes"]["cnie"] == {"from": "JK123456", "to": "ZZ999999"}


def test_an_agent_s_identity_change_on_a_modification_is_not_written_on_the_person(
    client, registration, agent
):
    client.force_login(agent)
    assert patch_identity(client, open_modification(client, registration)).status_code == 200
    assert Person.objects.get(pk=registration.person_id).cnie == "JK123456"


def test_a_withdrawn_modification_leaves_the_identity_as_it_was(client, registration, artisan):
    client.force_login(artisan)
    dossier_id = open_modification(client, registration)
    patch_identity(client, dossier_id)
    services.withdraw(actor=artisan, dossier=Dossier.objects.get(pk=dossier_id))
    person = Person.objects.get(pk=registration.person_id)
    assert (person.cnie, str(person.birth_date)) == ("JK123456", "1978-03-14")


def test_the_identity_change_is_applied_when_the_officer_approves_it(
    client, registration, artisan, officer
):
    client.force_login(artisan)
    dossier_id = open_modification(client, registration)
    patch_identity(client, dossier_id)
    dossier = submit(artisan, dossier_id)
    services.approve(officer=officer, dossier=dossier)
    person = Person.objects.get(pk=registration.person_id)
    assert (person.cnie, person.first_name_latin, str(person.birth_date)) == (
        "ZZ999999",
        "Someone",
        "1990-01-01",
    )


def test_the_applied_identity_change_is_audited_with_before_and_after(
    client, registration, artisan, officer
):
    client.force_login(artisan)
    dossier_id = open_modification(client, registration)
    patch_identity(client, dossier_id)
    dossier = submit(artisan, dossier_id)
    services.approve(officer=officer, dossier=dossier)
    entry = AuditEntry.objects.filter(action="person.changed").get()
    assert entry.data["changes"]["cnie"] == {"from": "JK123456", "to": "ZZ999999"}
    assert entry.actor_id == officer.pk


def test_the_proposed_change_is_audited_with_before_and_after(client, registration, artisan):
    client.force_login(artisan)
    patch_identity(client, open_modification(client, registration))
    entry = AuditEntry.objects.filter(action="dossier.updated").latest("id")
    assert entry.data["changed"] == ["person_changes"]
    assert entry.data["person"]["first_name_latin"] == {"from": "Fadma", "to": "Someone"}


def test_the_reviewer_sees_the_identity_change_on_the_decision_page(
    client, registration, artisan, officer
):
    client.force_login(artisan)
    dossier_id = open_modification(client, registration)
    patch_identity(client, dossier_id)
    submit(artisan, dossier_id)
    client.force_login(officer)
    page = client.get(f"/review/{dossier_id}/").content.decode()
    assert "ZZ999999" in page and "JK123456" in page


def test_a_cnie_already_taken_is_refused_when_the_change_is_proposed(
    client, registration, artisan, agent
):
    submitted_dossier(agent, cnie="ZZ999999", phone="0698765432")
    client.force_login(artisan)
    response = patch_identity(client, open_modification(client, registration))
    assert response.status_code == 409
    assert Dossier.objects.get(kind="modification").person_changes == {}


def test_correcting_a_first_application_is_audited_with_before_and_after(agent):
    dossier = submitted_dossier(agent)
    dossier.state = Dossier.State.CHANGES_REQUESTED
    dossier.save(update_fields=["state"])
    services.update_dossier(
        actor=agent, dossier=dossier, person_data=person_data(address="5 Rue Nouvelle")
    )
    entry = AuditEntry.objects.filter(action="dossier.updated").latest("id")
    assert entry.data["person"] == {"address": {"from": "12 Derb Idzikri", "to": "5 Rue Nouvelle"}}
    assert Person.objects.get(pk=dossier.person_id).address == "5 Rue Nouvelle"
