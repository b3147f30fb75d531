import pytest

from hirfa.accounts.models import User
from hirfa.register import services
from hirfa.register.models import Person
from tests.factories import agent_of, officer_of, submitted_dossier


@pytest.fixture
def agent():
    return agent_of("09", username="agent")


@pytest.fixture
def officer():
    return officer_of("09.581", username="officer")


def registered(agent, officer, *, username, **person_overrides):
    """An approved registration in Tiznit whose person has the artisan account `username`."""
    dossier = submitted_dossier(agent, **person_overrides)
    registration = services.approve(officer=officer, dossier=dossier).registration
    user = User.objects.create_user(username=username, phone=username)
    Person.objects.filter(pk=registration.person_id).update(user=user)
    registration.refresh_from_db()
    return registration, user


@pytest.fixture
def registration_and_artisan(agent, officer):
    return registered(agent, officer, username="+212612345678")


@pytest.fixture
def registration(registration_and_artisan):
    return registration_and_artisan[0]


CHILD = {
    "relation": "child",
    "first_name_ar": "يوسف",
    "last_name_ar": "أيت لحسن",
    "first_name_latin": "Youssef",
    "last_name_latin": "Ait Lahcen",
    "sex": "M",
    "birth_date": "2015-05-02",
    "cnie": "",
}


@pytest.fixture
def covered(registration, agent):
    """The registration immatriculated at the CNSS, one month paid, a child declared with
    its family record attached."""
    from hirfa.coverage import services as coverage
    from tests.coverage.helpers import immatriculated, pay
    from tests.factories import png_upload

    immatriculated(registration)
    pay(registration, "2026-01")
    child = coverage.declare_dependant(actor=agent, registration=registration, data=CHILD)
    coverage.attach_dependant_document(
        actor=agent, dependant=child, kind="family_record", uploaded=png_upload("livret.png")
    )
    return registration


@pytest.fixture
def artisan(registration_and_artisan):
    return registration_and_artisan[1]


@pytest.fixture
def other_artisan(agent, officer):
    """Another registered artisan: Brahim, CNIE K998877, in the same province."""
    return registered(
        agent,
        officer,
        username="+212698765432",
        cnie="K998877",
        phone="0698765432",
        first_name_latin="Brahim",
        last_name_latin="Oubella",
        first_name_ar="ابراهيم",
        last_name_ar="أوبلا",
    )[1]
