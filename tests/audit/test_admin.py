import pytest

from hirfa.accounts.roles import Role
from hirfa.audit import services
from tests.factories import DEFAULT_PASSWORD, national

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return services.record(
        actor=None,
        action="dossier.submitted",
        object_type="register.dossier",
        object_id="D-77",
        province_code="09.581",
    )


@pytest.fixture
def auditor_client(client):
    auditor = national(Role.AUDITOR, username="a.bennani", is_staff=True)
    client.login(username=auditor.username, password=DEFAULT_PASSWORD)
    return client


def test_an_auditor_searches_the_trail_in_the_admin(auditor_client, entry):
    response = auditor_client.get("/admin/audit/auditentry/", {"q": "D-77"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [entry]


def test_the_admin_cannot_add_change_or_delete_entries(auditor_client, entry):
    assert auditor_client.get("/admin/audit/auditentry/add/").status_code == 403
    page = auditor_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert auditor_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
