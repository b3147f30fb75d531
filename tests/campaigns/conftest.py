import pytest
from django.test import TestCase

from hirfa.campaigns import services
from tests.factories import AGADIR_CITY, agent_of, approved_registration, officer_of

MESSAGES = {
    "ar": "السلام {name}، سجلوا في التغطية الصحية: {link}",
    "fr": "Bonjour {name}, inscrivez-vous à l'AMO : {link}",
    "zgh": "ⴰⵣⵓⵍ {name}: {link}",
    "en": "Hello {name}, enrol in AMO: {link}",
}


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """Campaign SMS go at any hour in tests, except those about the quiet hours."""
    settings.CAMPAIGN_QUIET_FROM = settings.CAMPAIGN_QUIET_UNTIL = "00:00"
    settings.CAMPAIGN_RATES = {"http": 0, "smtp": 0, "file": 0, "console": 0, "memory": 0}


@pytest.fixture
def souss_agent():
    return agent_of("09", username="souss-agent")


def campaign_data(**overrides):
    data = {
        "name": "Tiznit: AMO",
        "channel": "sms",
        "criteria": {"province": "09.581", "amo": "not_enrolled"},
        "link": "https://hirfa.ma/amo",
        "messages": dict(MESSAGES),
    }
    return data | overrides


@pytest.fixture
def make_campaign(souss_agent):
    def make(actor=None, **overrides):
        return services.create_campaign(actor=actor or souss_agent, data=campaign_data(**overrides))

    return make


@pytest.fixture
def tiznit_artisans():
    """Three artisans registered in Tiznit (they consented when filing), none in AMO."""
    return [
        approved_registration(cnie=f"JK10000{index}", phone=f"061100000{index}").person
        for index in range(3)
    ]


@pytest.fixture
def agadir_artisan():
    craft = {"workplace_commune": AGADIR_CITY}
    return approved_registration(
        officer=officer_of("09.001"),
        cnie="JA200000",
        phone="0622000000",
        commune=AGADIR_CITY,
        craft=craft,
    ).person


@pytest.fixture
def launched(make_campaign, souss_agent):
    """Launch a campaign and commit, so that its batches are queued."""

    def launch(campaign=None, **overrides):
        campaign = campaign or make_campaign(**overrides)
        with TestCase.captureOnCommitCallbacks(execute=True):
            return services.launch(actor=souss_agent, campaign=campaign)

    return launch
