"""Spouses and children: declared, documented, confirmed, sent, and ended by the rules."""

from datetime import date

import pytest
from django.utils import timezone

from hirfa.core.errors import DomainError, Forbidden, NotFound
from hirfa.coverage import selectors, services
from hirfa.coverage.models import Dependant, EligibilityRule
from hirfa.register.models import Person
from tests.coverage.helpers import SOURCE, child, confirmed_child, immatriculated
from tests.factories import UserFactory, account_for, agent_of, approved_registration, pdf_upload

pytestmark = pytest.mark.django_db


def years_ago(years, days=0):
    today = timezone.localdate()
    return date(today.year - years, today.month, min(today.day, 28)).isoformat()


@pytest.fixture
def registration():
    return approved_registration()


def test_an_agent_declares_a_child_who_is_eligible_until_the_day_before_22(registration, agent):
    dependant = services.declare_dependant(actor=agent, registration=registration, data=child())
    assert dependant.state == Dependant.State.DECLARED
    assert dependant.eligible_until == date(2037, 5, 1)
    assert services.missing_documents(dependant) == ["birth_certificate"]


def test_the_artisan_declares_their_own_spouse(registration):
    user = account_for(registration.person, phone="+212612345678")
    spouse = services.declare_dependant(
        actor=user,
        registration=registration,
        data=child(
            relation="spouse",
            first_name_latin="Brahim",
            first_name_ar="إبراهيم",
            birth_date="1975-01-01",
        ),
    )
    assert spouse.eligible_until is None


def test_someone_else_cannot_declare_for_the_artisan(registration):
    with pytest.raises(Forbidden):
        services.declare_dependant(actor=UserFactory(), registration=registration, data=child())


def test_a_child_over_the_age_limit_is_refused_with_a_clear_message(registration, agent):
    with pytest.raises(DomainError) as error:
        services.declare_dependant(
            actor=agent, registration=registration, data=child(birth_date=years_ago(23))
        )
    assert error.value.code == "over_age"
    assert "21" in str(error.value.message)


def test_an_unmarried_student_is_covered_until_26(registration, agent):
    dependant = services.declare_dependant(
        actor=agent,
        registration=registration,
        data=child(birth_date="2003-02-10", student="on"),
    )
    assert dependant.eligible_until == date(2030, 2, 9)
    assert services.missing_documents(dependant) == ["birth_certificate", "school_certificate"]


def test_a_married_student_over_21_is_refused(registration, agent):
    with pytest.raises(DomainError):
        services.declare_dependant(
            actor=agent,
            registration=registration,
            data=child(birth_date=years_ago(23), student=True, married=True),
        )


def test_the_disabled_child_rule_is_data_that_can_be_switched_on(registration, agent):
    data = child(birth_date=years_ago(30), disabled=True)
    with pytest.raises(DomainError):
        services.declare_dependant(actor=agent, registration=registration, data=data)
    EligibilityRule.objects.filter(code="child-disabled").update(active=True)
    dependant = services.declare_dependant(actor=agent, registration=registration, data=data)
    assert dependant.eligible_until is None


def test_an_agent_confirms_only_with_the_documents(registration, agent):
    dependant = services.declare_dependant(actor=agent, registration=registration, data=child())
    with pytest.raises(DomainError):
        services.confirm_dependant(agent=agent, dependant=dependant)
    services.attach_dependant_document(
        actor=agent, dependant=dependant, kind="birth_certificate", uploaded=pdf_upload()
    )
    dependant = services.confirm_dependant(agent=agent, dependant=dependant)
    assert dependant.state == Dependant.State.CONFIRMED


def test_confirmed_dependants_are_sent_once_the_artisan_is_immatriculated(registration, agent):
    dependant = confirmed_child(registration, agent)
    assert list(selectors.dependant_updates()) == []
    immatriculated(registration)
    records = list(selectors.dependant_updates())
    assert [(r.number, r.dependant_id, r.relation) for r in records] == [
        (registration.number, dependant.pk, "child")
    ]
    services.mark_dependants_sent(dependant_ids=[dependant.pk], batch_id="D1", source=SOURCE)
    assert list(selectors.dependant_updates()) == []
    services.record_dependant_decision(
        dependant_id=dependant.pk, accepted=True, reason="", source=SOURCE
    )
    services.record_dependant_decision(
        dependant_id=dependant.pk, accepted=True, reason="", source=SOURCE
    )
    assert Dependant.objects.get().state == Dependant.State.ACCEPTED


def test_the_daily_rules_end_a_child_past_the_age_limit_and_send_the_change(registration, agent):
    dependant = confirmed_child(registration, agent, birth_date=years_ago(21, 0))
    immatriculated(registration)
    services.mark_dependants_sent(dependant_ids=[dependant.pk], batch_id="D1", source=SOURCE)
    later = dependant.eligible_until.replace(year=dependant.eligible_until.year + 1)
    counts = services.apply_rules(today=later)
    assert counts["dependants_ended"] == 1
    assert Dependant.objects.get().state == Dependant.State.ENDED
    assert [r.dependant_id for r in selectors.dependant_updates()] == [dependant.pk]


def test_a_dependant_is_found_by_its_artisan_and_staff_of_its_territory_only(registration, agent):
    dependant = services.declare_dependant(actor=agent, registration=registration, data=child())
    artisan = UserFactory(role="artisan")
    Person.objects.filter(pk=registration.person_id).update(user=artisan)
    assert selectors.dependant_for(agent, dependant.pk) == dependant
    assert selectors.dependant_for(artisan, dependant.pk) == dependant
    for outsider in (agent_of("06"), UserFactory(role="artisan")):
        with pytest.raises(NotFound):
            selectors.dependant_for(outsider, dependant.pk)
