"""Fixtures shared by the register's tests (their `agent` and `officer` stand in for those
of tests/conftest.py: the register's screens speak of agent.souss and officer.tiznit)."""

import pytest

from tests.factories import agent_of, officer_of
from tests.register.helpers import approved


@pytest.fixture
def english(settings, client):
    """Staff pages in English, easier to read in assertions
    (`pytestmark = pytest.mark.usefixtures("english")`)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def agent():
    """The agent of the Souss-Massa chamber of crafts (region 09), not signed in."""
    return agent_of("09", username="agent.souss")


@pytest.fixture
def officer(client):
    """The officer of the Tiznit directorate (province 09.581), signed in."""
    officer = officer_of("09.581", username="officer.tiznit")
    client.force_login(officer)
    return officer


@pytest.fixture
def registration(agent):
    """A natural person filed by `agent`, approved by another officer of Tiznit."""
    return approved(agent, officer_of("09.581")).registration
