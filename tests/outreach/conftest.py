from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.outreach import services
from hirfa.territory.models import Commune, Organisation
from tests.factories import AGADIR_CITY, TIZNIT_CITY, agent_of


def soon(days=10, hour=10):
    return (timezone.localtime() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def event_data(**overrides):
    data = {
        "kind": "awareness",
        "name_ar": "لقاء تحسيسي حول التغطية الصحية",
        "name_fr": "Rencontre de sensibilisation sur l'AMO",
        "name_zgh": "ⴰⵎⵢⴰⵡⴰⴹ ⵅⴼ ⵓⵙⵜⴰⵡⵉ ⴰⵏⵙⵙⵓⵜⵍ",
        "commune": Commune.objects.get(code=TIZNIT_CITY),
        "venue": "Salle de conférences, place Prince Moulay Abdellah",
        "capacity": 100,
        "languages": ["ar", "zgh", "fr"],
        "agenda": "Accueil\nLe registre national\nLes étapes de l'AMO\nQuestions",
        "speakers": "Directeur provincial de l'artisanat\nDirecteur provincial de la CNSS",
        "partners": [Organisation.objects.get(code="cnss")],
    }
    return data | overrides


def make_event(agent=None, *, days=10, hours=2, publish=False, **overrides):
    agent = agent or agent_of("09")
    start = soon(days)
    event = services.create_event(
        actor=agent,
        data=event_data(**overrides),
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )
    if publish:
        event = services.publish(actor=agent, event=event)
    return event


@pytest.fixture
def souss_agent():
    return agent_of("09")


@pytest.fixture
def agadir_commune():
    return Commune.objects.get(code=AGADIR_CITY)
