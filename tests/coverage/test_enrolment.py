"""An artisan's enrolment from approval to closing, through the services the cnss app calls."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.core.errors import Conflict, DomainError, NotFound
from hirfa.coverage import selectors, services
from hirfa.coverage.models import ClosingReason, CoverageRules, Enrolment, Payment, State
from hirfa.register import services as register
from hirfa.register.models import Registration
from tests.coverage.helpers import SOURCE, immatriculated, pay
from tests.factories import approved_registration, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return approved_registration()


@pytest.fixture
def today(monkeypatch):
    """Freeze the coverage's idea of today (the rules depend on the date)."""

    def set_today(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args: day)
        return day

    return set_today


def test_a_newly_approved_artisan_is_waiting_for_pre_registration_without_any_row(
    registration,
):
    assert not Enrolment.objects.exists()
    records = list(selectors.to_pre_register())
    assert [r.number for r in records] == [registration.number]
    assert records[0].cnie == "JK123456"
    assert records[0].province_code == "09.581"
    assert records[0].approved_on == registration.registered_on


def test_marking_sent_creates_the_enrolment_in_the_sent_state_with_an_audit_entry(registration):
    marked = services.mark_sent(
        registration_numbers=iter([registration.number]), batch_id="RNA-1", source=SOURCE
    )
    enrolment = Enrolment.objects.get(registration=registration)
    assert marked == 1
    assert (enrolment.state, enrolment.sent_batch) == (State.SENT, "RNA-1")
    assert list(selectors.to_pre_register()) == []
    entry = AuditEntry.objects.get(action="enrolment.sent")
    assert entry.actor_label == SOURCE
    assert entry.data["numbers"] == [registration.number]


def test_an_immatriculation_records_the_cnss_number_and_the_expected_opening(registration):
    enrolment = immatriculated(registration, on=date(2026, 1, 10))
    assert enrolment.state == State.IMMATRICULATED
    assert enrolment.cnss_number == "123456789"
    assert enrolment.dues_from == date(2026, 1, 1)
    assert services.expected_opening(enrolment) == date(2026, 4, 1)
    assert AuditEntry.objects.filter(
        action="enrolment.immatriculated", data__source=SOURCE
    ).exists()


def test_the_same_immatriculation_again_changes_nothing(registration):
    immatriculated(registration)
    count = AuditEntry.objects.count()
    services.record_immatriculation(
        number=registration.number, cnss_number="123 456 789", on="2026-01-10", source=SOURCE
    )
    assert AuditEntry.objects.count() == count


def test_another_cnss_number_for_an_immatriculated_artisan_is_refused(registration):
    immatriculated(registration)
    with pytest.raises(Conflict):
        services.record_immatriculation(
            number=registration.number, cnss_number="987654321", on="2026-01-10", source=SOURCE
        )


def test_a_malformed_cnss_number_is_refused(registration):
    services.mark_sent(registration_numbers=[registration.number], batch_id="B", source=SOURCE)
    with pytest.raises(DomainError) as error:
        services.record_immatriculation(
            number=registration.number, cnss_number="12AB", on="2026-01-10", source=SOURCE
        )
    assert error.value.code == "invalid_cnss_number"


def test_an_unknown_artisan_is_reported_as_such():
    with pytest.raises(NotFound) as error:
        services.record_immatriculation(
            number="1234567890", cnss_number="123456789", on="2026-01-10", source=SOURCE
        )
    assert error.value.code == "unknown_artisan"


def test_a_rejection_sends_the_artisan_back_with_the_reason_until_the_data_changes(
    registration,
):
    services.mark_sent(registration_numbers=[registration.number], batch_id="B", source=SOURCE)
    enrolment = services.record_rejection(
        number=registration.number, code="CNIE_UNKNOWN", reason="CNIE not found", source=SOURCE
    )
    assert enrolment.state == State.NOT_ENROLLED
    assert enrolment.rejection_reason == "CNIE not found"
    assert list(selectors.to_pre_register()) == []
    person = registration.person
    person.save()  # corrected by an agent: updated_at moves on
    assert [r.number for r in selectors.to_pre_register()] == [registration.number]


def test_payments_of_the_waiting_period_open_the_rights(registration, today):
    today(date(2026, 1, 20))
    immatriculated(registration, on=date(2026, 1, 10))
    pay(registration, "2026-01")
    pay(registration, "2026-02")
    assert Enrolment.objects.get().state == State.IMMATRICULATED
    pay(registration, "2026-03", paid_on=date(2026, 3, 31))
    enrolment = Enrolment.objects.get()
    assert enrolment.state == State.RIGHTS_OPEN
    assert enrolment.rights_open_on == date(2026, 4, 1)
    assert enrolment.arrears == Decimal("0.00")


def test_a_payment_imported_twice_is_recorded_once(registration):
    immatriculated(registration)
    pay(registration, "2026-01", reference="R1")
    pay(registration, "2026-01", reference="R1")
    assert Payment.objects.count() == 1


def test_a_reference_reused_for_another_payment_is_refused(registration):
    immatriculated(registration)
    pay(registration, "2026-01", reference="R1")
    with pytest.raises(Conflict):
        pay(registration, "2026-02", reference="R1")


@pytest.mark.parametrize("amount", ["135", "135.1", "135.001", 135.0, 135, "-135.00", "0.00"])
def test_an_amount_of_the_wrong_precision_or_sign_is_refused(registration, amount):
    immatriculated(registration)
    with pytest.raises(DomainError):
        pay(registration, "2026-01", amount=amount)
    assert not Payment.objects.exists()


def test_a_payment_before_the_dues_start_is_refused(registration):
    immatriculated(registration, on=date(2026, 1, 10))
    with pytest.raises(DomainError) as error:
        pay(registration, "2025-12")
    assert error.value.code == "before_dues"


def test_unpaid_months_suspend_the_rights_and_paying_them_reopens(registration, today):
    today(date(2026, 1, 20))
    immatriculated(registration, on=date(2026, 1, 10))
    for period in ("2026-01", "2026-02", "2026-03"):
        pay(registration, period)
    counts = services.apply_rules(today=date(2026, 5, 15))
    assert counts["suspended"] == 0
    assert Enrolment.objects.get().unpaid_months == 1
    counts = services.apply_rules(today=date(2026, 6, 2))
    enrolment = Enrolment.objects.get()
    assert counts["suspended"] == 1
    assert (enrolment.state, enrolment.suspended_on) == (State.SUSPENDED, date(2026, 6, 1))
    assert enrolment.arrears == Decimal("270.00")
    today(date(2026, 6, 10))
    pay(registration, "2026-04", paid_on=date(2026, 6, 10))
    pay(registration, "2026-05", paid_on=date(2026, 6, 10))
    enrolment = Enrolment.objects.get()
    assert enrolment.state == State.RIGHTS_OPEN
    # From the day after the last payment (docs/coverage.md, ADR 0016 and 0053).
    assert enrolment.rights_open_on == date(2026, 6, 11)


def test_the_rules_run_twice_change_nothing_more(registration, today):
    today(date(2026, 1, 20))
    immatriculated(registration, on=date(2026, 1, 10))
    for period in ("2026-01", "2026-02", "2026-03"):
        pay(registration, period)
    services.apply_rules(today=date(2026, 6, 2))
    count = AuditEntry.objects.count()
    assert services.apply_rules(today=date(2026, 6, 2))["suspended"] == 0
    assert AuditEntry.objects.count() == count


def test_the_waiting_period_and_suspension_are_configurable(registration, today):
    rules = CoverageRules.current()
    rules.waiting_months, rules.suspend_after_unpaid_months = 1, 1
    rules.save()
    today(date(2026, 1, 20))
    immatriculated(registration, on=date(2026, 1, 10))
    pay(registration, "2026-01")
    assert Enrolment.objects.get().rights_open_on == date(2026, 2, 1)
    services.apply_rules(today=date(2026, 3, 1))
    assert Enrolment.objects.get().state == State.SUSPENDED


def test_a_cnss_rights_statement_is_applied_once_and_outranks_the_rules(registration, today):
    today(date(2026, 1, 20))
    immatriculated(registration, on=date(2026, 1, 10))
    services.record_rights(
        number=registration.number, status="open", on="2026-02-01", source=SOURCE
    )
    count = AuditEntry.objects.count()
    services.record_rights(
        number=registration.number, status="open", on="2026-02-01", source=SOURCE
    )
    assert AuditEntry.objects.count() == count
    enrolment = Enrolment.objects.get()
    assert (enrolment.state, enrolment.rights_open_on) == (State.RIGHTS_OPEN, date(2026, 2, 1))
    services.record_rights(
        number=registration.number, status="suspended", on="2026-05-01", source=SOURCE
    )
    assert Enrolment.objects.get().state == State.SUSPENDED


def test_an_unknown_rights_status_is_refused(registration):
    immatriculated(registration)
    with pytest.raises(DomainError):
        services.record_rights(
            number=registration.number, status="maybe", on="2026-02-01", source=SOURCE
        )


def test_striking_off_closes_the_enrolment_in_the_same_transaction(registration):
    immatriculated(registration)
    officer = officer_of("09.581")
    register.strike_off(officer=officer, registration=registration, reason="Fraud")
    enrolment = Enrolment.objects.get()
    assert (enrolment.state, enrolment.closing_reason) == (State.CLOSED, ClosingReason.STRUCK_OFF)
    entry = AuditEntry.objects.get(action="enrolment.closed")
    assert (entry.actor, entry.data["source"], entry.reason) == (
        officer,
        "register:struck-off",
        "Fraud",
    )
    assert services.apply_rules()["closed"] == 0


def test_the_daily_pass_closes_an_enrolment_a_striking_off_left_open(registration):
    immatriculated(registration)
    # Struck off without the register's service (a repair in the database).
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.STRUCK_OFF)
    assert services.apply_rules()["closed"] == 1
    enrolment = Enrolment.objects.get()
    assert (enrolment.state, enrolment.closing_reason) == (State.CLOSED, ClosingReason.STRUCK_OFF)
    assert AuditEntry.objects.filter(
        action="enrolment.closed", data__source="rule:struck-off"
    ).exists()


def test_an_agent_closes_the_coverage_on_death(registration):
    from tests.factories import agent_of

    immatriculated(registration)
    enrolment = services.close_enrolment(
        agent=agent_of("09"), registration=registration, reason=ClosingReason.DEATH
    )
    assert enrolment.state == State.CLOSED
    assert AuditEntry.objects.get(action="enrolment.closed").data["source"] == "agent"
