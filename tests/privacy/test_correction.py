"""Law 09-08, right of rectification: the artisan asks for a correction of their identity; it
is filed as a modification of their registration and applied only when an officer approves."""

import pytest

from hirfa.audit.models import AuditEntry
from hirfa.core.errors import Conflict, DomainError
from hirfa.privacy import services
from hirfa.register import selectors
from hirfa.register import services as register
from hirfa.register.models import Dossier, Person
from tests.factories import UserFactory, agent_of, craft_data, person_data, png_upload

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    return person_data(**overrides)


def send(artisan, dossier):
    for requirement in selectors.missing_documents(dossier):
        register.attach_document(
            actor=artisan, dossier=dossier, kind=requirement.code, uploaded=png_upload()
        )
    return register.submit(actor=artisan, dossier=dossier)


def test_a_correction_opens_a_modification_with_the_identity_change(client, registration, artisan):
    client.force_login(artisan)
    response = client.post("/me/data/", form_data(birth_place="Agadir", cnie="JK123457"))
    assert response.status_code == 302
    dossier = Dossier.objects.get(kind=Dossier.Kind.MODIFICATION)
    assert dossier.registration == registration
    assert dossier.person_changes == {
        "birth_place": {"from": "Tiznit", "to": "Agadir"},
        "cnie": {"from": "JK123456", "to": "JK123457"},
    }


def test_the_modification_keeps_the_craft_of_the_registration(registration, artisan):
    dossier = services.request_correction(actor=artisan, person_data=form_data(address="1 Rue"))
    assert (dossier.category, dossier.principal_activity, dossier.workplace_address) == (
        registration.category,
        registration.principal_activity,
        registration.workplace_address,
    )
    assert set(dossier.secondary_activities.all()) == set(registration.secondary_activities.all())


def test_the_person_does_not_change_until_an_officer_approves(registration, artisan, officer):
    dossier = services.request_correction(actor=artisan, person_data=form_data(address="1 Rue"))
    assert Person.objects.get(pk=registration.person_id).address == "12 Derb Idzikri"
    register.approve(officer=officer, dossier=send(artisan, dossier))
    assert Person.objects.get(pk=registration.person_id).address == "1 Rue"


def test_the_request_is_audited_with_the_fields_only(registration, artisan):
    services.request_correction(actor=artisan, person_data=form_data(address="1 Rue"))
    entry = AuditEntry.objects.get(action="privacy.correction_requested")
    assert entry.data == {"fields": ["address"]}


def test_the_artisan_is_sent_on_to_the_documents_of_the_request(client, registration, artisan):
    client.force_login(artisan)
    response = client.post("/me/data/", form_data(address="1 Rue"))
    assert response["Location"] in ("/me/apply/documents/", "/me/apply/check/")


def test_a_correction_that_changes_nothing_is_refused_and_opens_no_file(registration, artisan):
    with pytest.raises(DomainError):
        services.request_correction(actor=artisan, person_data=form_data())
    assert not Dossier.objects.filter(kind=Dossier.Kind.MODIFICATION).exists()


def test_an_invalid_correction_opens_no_file(client, registration, artisan):
    client.force_login(artisan)
    response = client.post("/me/data/", form_data(cnie="not a cnie"))
    assert response.status_code == 200
    assert not Dossier.objects.filter(kind=Dossier.Kind.MODIFICATION).exists()


def test_a_cnie_of_someone_else_is_refused_and_opens_no_file(registration, artisan, other_artisan):
    with pytest.raises(Conflict):
        services.request_correction(actor=artisan, person_data=form_data(cnie="K998877"))
    assert not Dossier.objects.filter(kind=Dossier.Kind.MODIFICATION).exists()


def test_a_correction_goes_into_the_modification_being_prepared(registration, artisan):
    first = services.request_correction(actor=artisan, person_data=form_data(address="1 Rue"))
    second = services.request_correction(actor=artisan, person_data=form_data(address="2 Rue"))
    assert first.pk == second.pk
    assert Dossier.objects.get(pk=first.pk).person_changes["address"]["to"] == "2 Rue"


def test_the_form_shows_the_correction_already_proposed(client, registration, artisan):
    services.request_correction(actor=artisan, person_data=form_data(address="1 Rue"))
    client.force_login(artisan)
    assert 'value="1 Rue"' in client.get("/me/data/").content.decode()


def test_while_a_request_is_with_the_register_the_correction_waits(registration, artisan):
    dossier = services.request_correction(actor=artisan, person_data=form_data(address="1 Rue"))
    send(artisan, dossier)
    with pytest.raises(Conflict):
        services.request_correction(actor=artisan, person_data=form_data(address="2 Rue"))


def test_an_artisan_with_an_open_first_application_is_sent_to_edit_it(client):
    artisan = UserFactory()
    register.start_dossier(
        applicant=artisan,
        person_data=form_data(),
        craft_data=craft_data(),
    )
    client.force_login(artisan)
    page = client.get("/me/data/").content.decode()
    assert "/me/apply/you/" in page
    with pytest.raises(Conflict):
        services.request_correction(actor=artisan, person_data=form_data(address="1 Rue"))


def test_staff_cannot_ask_for_a_correction(client):
    client.force_login(agent_of("09"))
    assert client.post("/me/data/", form_data()).status_code == 403
