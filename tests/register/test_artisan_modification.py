"""Asking to change a registration (category, crafts, workplace) from the HTML pages,
and the identity photo kept on the person for the professional card."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hirfa.core.errors import DomainError
from hirfa.register import selectors, services
from hirfa.register.models import Dossier, Person
from tests.factories import agent_of, officer_of
from tests.register.helpers import (
    TIZNIT,
    activity_code,
    approved,
    approved_registration_of,
    commune_code,
    draft_of,
    logged_in_artisan,
    pdf_bytes,
    png_bytes,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def modification_post(registration, **overrides) -> dict:
    return {
        "category": registration.category,
        "principal_activity": registration.principal_activity.code,
        "secondary_activities": ["", "", ""],
        "workplace_kind": registration.workplace_kind,
        "workplace_commune": registration.workplace_commune.code,
        "workplace_address": registration.workplace_address,
    } | overrides


def test_an_active_artisan_is_offered_to_change_the_craft_from_the_space(client):
    user = logged_in_artisan(client)
    approved_registration_of(user)
    page = client.get("/me/").content.decode()
    assert "Change my craft, category or workplace" in page
    assert 'href="/me/modify/"' in page


def test_the_change_form_is_filled_with_the_registration(client):
    user = logged_in_artisan(client)
    registration = approved_registration_of(user)
    form = client.get("/me/modify/").context["form"]
    assert form["principal_activity"].value() == registration.principal_activity.code
    assert form["workplace_commune"].value() == registration.workplace_commune.code
    assert form["category"].value() == registration.category


def test_an_artisan_changes_the_activity_sends_it_and_the_officer_approves(client):
    user = logged_in_artisan(client)
    registration = approved_registration_of(user)
    new_activity = activity_code(1)
    assert new_activity != registration.principal_activity.code

    response = client.post(
        "/me/modify/", modification_post(registration, principal_activity=new_activity)
    )
    assert response["Location"] == "/me/apply/documents/"
    modification = selectors.current_dossier_of(user)
    assert modification.kind == Dossier.Kind.MODIFICATION
    assert modification.registration == registration
    assert modification.state == Dossier.State.DRAFT
    space = client.get("/me/").content.decode()
    assert "Your request to change your registration is not sent yet" in space

    for kind, name, content in [
        ("cnie", "cnie.pdf", pdf_bytes()),
        ("experience", "attestation.pdf", pdf_bytes()),
        ("photo", "photo.png", png_bytes()),
    ]:
        assert upload(client, kind, name, content).status_code == 302
    assert client.post("/me/apply/check/", {"declaration": "on"})["Location"] == "/me/"
    modification.refresh_from_db()
    assert modification.state == Dossier.State.SUBMITTED
    assert (
        "Your request to change your registration is being checked"
        in client.get("/me/").content.decode()
    )

    services.approve(officer=officer_of(TIZNIT, username="officer.two"), dossier=modification)
    registration.refresh_from_db()
    assert registration.principal_activity.code == new_activity
    assert registration.number == modification.registration.number


def test_an_artisan_with_an_open_file_cannot_ask_for_a_change(client):
    user = logged_in_artisan(client)
    registration = approved_registration_of(user)
    client.post("/me/modify/", modification_post(registration, principal_activity=activity_code(1)))
    assert client.get("/me/modify/")["Location"] == "/me/"
    assert Dossier.objects.filter(kind=Dossier.Kind.MODIFICATION).count() == 1


def test_an_artisan_without_a_registration_cannot_ask_for_a_change(client):
    logged_in_artisan(client)
    assert client.get("/me/modify/")["Location"] == "/me/"


def test_a_chamber_agent_files_a_change_from_the_registration_page(client):
    agent = agent_of("09", username="agent.souss")
    registration = approved(agent, officer_of(TIZNIT, username="officer.tiznit")).registration
    client.force_login(agent)
    page = client.get(f"/registrations/{registration.number}/").content.decode()
    assert f"/registrations/{registration.number}/modify/" in page
    form_page = client.get(f"/registrations/{registration.number}/modify/")
    assert form_page.status_code == 200
    response = client.post(
        f"/registrations/{registration.number}/modify/",
        {
            "category": registration.category,
            "principal_activity": activity_code(1),
            "workplace_kind": registration.workplace_kind,
            "workplace_commune": commune_code(),
            "workplace_address": "Souk Tiznit, boutique 9",
        },
    )
    modification = Dossier.objects.get(kind=Dossier.Kind.MODIFICATION)
    assert response["Location"] == f"/desk/dossiers/{modification.pk}/"
    assert modification.filed_by == agent and modification.assisted
    assert modification.workplace_address == "Souk Tiznit, boutique 9"


def test_an_officer_without_filing_rights_cannot_file_a_change(client):
    agent = agent_of("09", username="agent.souss")
    officer = officer_of(TIZNIT, username="officer.tiznit")
    registration = approved(agent, officer).registration
    client.force_login(officer)
    assert client.get(f"/registrations/{registration.number}/modify/").status_code == 403


def test_attaching_a_png_photo_sets_the_photo_of_the_person(client):
    user = logged_in_artisan(client)
    dossier = draft_of(user)
    assert upload(client, "photo", "me.png", png_bytes()).status_code == 302
    person = Person.objects.get(pk=dossier.person.pk)
    assert person.photo
    assert person.photo.name.startswith("photos/") and person.photo.name.endswith(".png")
    assert person.photo.read().startswith(b"\x89PNG")


def test_a_pdf_photo_is_refused_with_a_clear_message(client):
    user = logged_in_artisan(client)
    dossier = draft_of(user)
    response = upload(client, "photo", "me.pdf", pdf_bytes())
    assert response.status_code == 200
    assert "Send the photo as a JPEG or PNG image." in response.content.decode()
    assert not dossier.documents.exists()
    assert not Person.objects.get(pk=dossier.person.pk).photo
    with pytest.raises(DomainError):
        services.attach_document(
            actor=user,
            dossier=dossier,
            kind="photo",
            uploaded=SimpleUploadedFile("me.pdf", pdf_bytes()),
        )
