"""Who may do what on a coverage (hirfa.coverage.policy): the services refuse by it, and the
screens offer only what it allows."""

import pytest

from hirfa.core.errors import Conflict, Forbidden
from hirfa.coverage import policy, services
from hirfa.coverage.models import ClosingReason, Dependant
from tests.coverage.helpers import SOURCE, immatriculated
from tests.factories import UserFactory, agent_of, approved_registration, officer_of, pdf_upload

pytestmark = pytest.mark.django_db

SPOUSE = {
    "relation": "spouse",
    "first_name_ar": "إبراهيم",
    "last_name_ar": "أيت لحسن",
    "first_name_latin": "Brahim",
    "last_name_latin": "Ait Lahcen",
    "sex": "M",
    "birth_date": "1975-01-01",
}


@pytest.fixture
def registration():
    return approved_registration()


def _rejected(registration):
    services.mark_sent(registration_numbers=[registration.number], batch_id="B", source=SOURCE)
    return services.record_rejection(
        number=registration.number, code="CNIE_UNKNOWN", reason="CNIE not found", source=SOURCE
    )


def test_the_artisan_and_an_agent_of_the_territory_may_act_for_the_artisan(registration):
    owner = UserFactory(phone="+212612345678")
    registration.person.user = owner
    registration.person.save()
    assert policy.may_act_for(owner, registration)
    assert policy.may_act_for(agent_of("09"), registration)
    assert not policy.may_act_for(agent_of("01"), registration)
    assert not policy.may_act_for(officer_of("09.581"), registration)


def test_an_artisan_may_not_close_their_own_coverage(registration):
    owner = UserFactory(phone="+212612345678")
    registration.person.user = owner
    registration.person.save()
    assert not policy.may_close(owner, registration, None)
    with pytest.raises(Forbidden):
        services.close_enrolment(agent=owner, registration=registration, reason="death")


def test_nobody_may_declare_a_dependant_on_a_closed_coverage(registration):
    agent = agent_of("09")
    immatriculated(registration)
    enrolment = services.close_enrolment(
        agent=agent, registration=registration, reason=ClosingReason.DEATH
    )
    assert not policy.may_declare(agent, registration, enrolment)
    assert not policy.may_close(agent, registration, enrolment)
    with pytest.raises(Conflict):
        services.declare_dependant(actor=agent, registration=registration, data=SPOUSE)


def test_a_rejected_file_may_be_sent_again_once(registration):
    agent = agent_of("09")
    enrolment = _rejected(registration)
    assert policy.may_send_again(agent, registration, enrolment)
    enrolment = services.send_again(agent=agent, registration=registration)
    assert not policy.may_send_again(agent, registration, enrolment)
    with pytest.raises(Conflict):
        services.send_again(agent=agent, registration=registration)


def test_a_checked_dependant_takes_no_more_documents_nor_a_second_check(registration):
    agent = agent_of("09")
    dependant = services.declare_dependant(actor=agent, registration=registration, data=SPOUSE)
    assert policy.DependantActions.of(agent, dependant) == policy.DependantActions(True, True)
    services.attach_dependant_document(
        actor=agent, dependant=dependant, kind="family_record", uploaded=pdf_upload()
    )
    dependant = services.confirm_dependant(agent=agent, dependant=dependant)
    assert dependant.state == Dependant.State.CONFIRMED
    assert policy.DependantActions.of(agent, dependant) == policy.DependantActions(False, False)


def test_the_agents_page_offers_sending_again_only_while_the_file_waits(client, registration):
    agent = agent_of("09")
    client.force_login(agent)
    client.cookies["hirfa_language"] = "en"
    url = f"/coverage/artisans/{registration.number}/"
    assert "send it again" not in client.get(url).content.decode()
    _rejected(registration)
    assert "send it again" in client.get(url).content.decode()
    services.send_again(agent=agent, registration=registration)
    assert "send it again" not in client.get(url).content.decode()


def test_the_agents_page_offers_neither_declaring_nor_closing_once_closed(client, registration):
    agent = agent_of("09")
    client.force_login(agent)
    client.cookies["hirfa_language"] = "en"
    url = f"/coverage/artisans/{registration.number}/"
    page = client.get(url).content.decode()
    assert "Declare a spouse or a child" in page
    assert "Close the coverage" in page
    services.close_enrolment(agent=agent, registration=registration, reason=ClosingReason.DEATH)
    page = client.get(url).content.decode()
    assert "Declare a spouse or a child" not in page
    assert "Close the coverage (death" not in page
