"""The register in the admin: documents per category editable, the rest read-only."""

import pytest

from hirfa.audit.models import AuditEntry
from hirfa.register.models import DocumentRequirement
from tests.factories import agent_of, national, officer_of
from tests.register.helpers import approved

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def admin_user(client):
    user = national(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_required_documents_are_editable_in_the_admin(client, admin_user):
    requirement = DocumentRequirement.objects.filter(category="master").first()
    page = client.get(f"/admin/register/documentrequirement/{requirement.pk}/change/")
    assert page.status_code == 200 and b'name="name_fr"' in page.content
    assert client.get("/admin/register/documentrequirement/add/").status_code == 200


@pytest.mark.parametrize("model", ["dossier", "registration", "person"])
def test_dossiers_registrations_and_persons_are_read_only_in_the_admin(client, admin_user, model):
    dossier = approved(agent_of("09"), officer_of("09.581"))
    pk = {"dossier": dossier, "registration": dossier.registration, "person": dossier.person}[
        model
    ].pk
    assert client.get(f"/admin/register/{model}/").status_code == 200
    assert client.get(f"/admin/register/{model}/add/").status_code == 403
    change = client.get(f"/admin/register/{model}/{pk}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert client.get(f"/admin/register/{model}/{pk}/delete/").status_code == 403


def test_opening_a_person_in_the_admin_is_logged(client, admin_user):
    person = approved(agent_of("09"), officer_of("09.581")).person
    client.get(f"/admin/register/person/{person.pk}/change/")
    assert AuditEntry.objects.filter(action="person.viewed", actor=admin_user).exists()
