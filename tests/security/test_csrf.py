"""A staff form refuses a post without its CSRF token (ASVS 4.2.2, docs/security.md).

The test client skips Django's CSRF check unless asked: these tests ask for it."""

import pytest
from django.test import Client

from hirfa.audit.models import AuditEntry
from hirfa.register.models import Dossier
from tests.factories import agent_of, officer_of
from tests.register.helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return submitted(agent_of("09", username="agent.souss"))


@pytest.fixture
def strict_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_of("09.581", username="officer.tiznit"))
    return client


def test_approving_without_the_csrf_token_is_forbidden_and_changes_nothing(strict_client, dossier):
    entries = AuditEntry.objects.exclude(action__endswith=".viewed").count()
    response = strict_client.post(f"/review/{dossier.pk}/approve/", {"state": "submitted"})
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED
    assert AuditEntry.objects.exclude(action__endswith=".viewed").count() == entries


def test_approving_with_the_token_of_the_page_goes_through(strict_client, dossier):
    assert strict_client.get(f"/review/{dossier.pk}/").status_code == 200
    token = strict_client.cookies["csrftoken"].value
    response = strict_client.post(
        f"/review/{dossier.pk}/approve/",
        {"state": "submitted", "confirm": "on", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.APPROVED
