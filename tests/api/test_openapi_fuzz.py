"""Schemathesis drives every operation of the published OpenAPI schema with generated
input, with a bearer token of each role (an officer with real dossiers in the database,
an agent, an artisan holding a registration, the CNSS liaison, the national administrator
and the auditor): whatever it sends, the API answers without a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from hirfa.accounts.roles import Role
from hirfa.accounts.services import create_api_token
from hirfa.register import services
from tests.factories import account_for, agent_of, national, officer_of, submitted_dossier

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes database connections after each request; inside a test
    that would close the test's own transaction (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


ROLES = ["officer", "agent", "artisan", Role.CNSS, Role.ADMIN, Role.AUDITOR]


@pytest.fixture(params=ROLES)
def token(request, db, keep_test_connection, settings):
    # The request budget of each token is on, as in production (docs/decisions/0077).
    settings.API_REQUESTS_PER_MINUTE = 120
    officer = officer_of("09.581", username="fuzz.officer")
    agent = agent_of("09", username="fuzz.agent")
    dossier = submitted_dossier(agent)
    approved = services.approve(
        officer=officer, dossier=submitted_dossier(agent, cnie="FZ123456", phone="0611111111")
    )
    assert dossier.pk
    users = {
        "officer": lambda: officer,
        "agent": lambda: agent,
        "artisan": lambda: account_for(approved.person, role=Role.ARTISAN),
    }
    user = users.get(request.param, lambda: national(request.param))()
    _token, secret = create_api_token(user=user, name="fuzz", created_by=None)
    return secret


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_generated_request_causes_a_server_error(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
    )
