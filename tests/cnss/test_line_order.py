"""The same payment facts in one CNSS file give the same rights, whatever the order of its
lines (issue 16, item 7; ADR 0053): a file's lines are applied per artisan in the dates of
their facts, and the rights are judged once, after the last line."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hirfa.cnss import services
from hirfa.coverage import services as coverage
from hirfa.coverage.models import Enrolment, State
from tests.coverage.helpers import SOURCE, immatriculated, pay
from tests.factories import approved_registration

pytestmark = pytest.mark.django_db

TODAY = date(2026, 9, 15)
WAITING = ["2026-01", "2026-02", "2026-03"]


def _line(registration, period: str) -> dict:
    year, month = map(int, period.split("-"))
    return {
        "type": "payment",
        "number": registration.number,
        "period": period,
        "amount": "135.00",
        "paid_on": date(year, month, 25),
        "reference": f"F{registration.number}{period}",
    }


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def insured(frozen_today):
    """Two insured artisans immatriculated in January 2026: the first still in its waiting
    period, the second with rights open (its first three months paid earlier)."""
    waiting = approved_registration(cnie="AB100001", phone="0611000001")
    open_ = approved_registration(cnie="AB100002", phone="0611000002")
    immatriculated(waiting, cnss_number="200000001")
    immatriculated(open_, cnss_number="200000002")
    for period in WAITING:
        pay(open_, period)
    assert coverage.statement_of(Enrolment.objects.get(registration=open_)) is not None
    assert Enrolment.objects.get(registration=open_).state == State.RIGHTS_OPEN
    return waiting, open_


def _facts(waiting, open_) -> list[dict]:
    """January to August paid, but for May: one unpaid month, under the two that suspend."""
    months = [f"2026-{m:02d}" for m in range(1, 9) if m != 5]
    later = [f"2026-{m:02d}" for m in range(4, 9) if m != 5]
    return [_line(waiting, p) for p in months] + [_line(open_, p) for p in later]


def _rights(*registrations) -> list[tuple]:
    return [
        Enrolment.objects.filter(registration=r)
        .values_list("state", "rights_open_on", "suspended_on", "arrears", "unpaid_months")
        .get()
        for r in registrations
    ]


def _imported(cnss_batch, lines) -> list[tuple]:
    path = cnss_batch("payments", lines)
    report = services.import_file(path)
    assert (report.status, report.rejected) == ("applied", 0)


def test_one_unpaid_month_leaves_the_rights_open_in_the_files_chronological_order(
    insured, cnss_batch
):
    waiting, open_ = insured
    _imported(cnss_batch, _facts(waiting, open_))
    assert _rights(waiting, open_) == [
        (State.RIGHTS_OPEN, date(2026, 4, 1), None, 135, 1),
        (State.RIGHTS_OPEN, date(2026, 4, 1), None, 135, 1),
    ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=st.permutations(range(11)))
def test_any_order_of_the_same_lines_gives_the_same_rights(insured, cnss_batch, order):
    waiting, open_ = insured
    facts = _facts(waiting, open_)
    assert len(facts) == len(order)
    with transaction.atomic():
        _imported(cnss_batch, [facts[i] for i in order])
        assert _rights(waiting, open_) == [
            (State.RIGHTS_OPEN, date(2026, 4, 1), None, 135, 1),
            (State.RIGHTS_OPEN, date(2026, 4, 1), None, 135, 1),
        ]
        transaction.set_rollback(True)


def test_paying_the_arrears_reopens_the_rights_the_day_after_the_last_payment(insured):
    _waiting, open_ = insured
    coverage.record_rights(number=open_.number, status="suspended", on="2026-06-01", source=SOURCE)
    for period in ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08"):
        pay(open_, period, paid_on=date(2026, 9, 3))
    enrolment = Enrolment.objects.get(registration=open_)
    assert (enrolment.state, enrolment.rights_open_on) == (State.RIGHTS_OPEN, date(2026, 9, 4))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=st.permutations(range(3)))
def test_the_cnss_statements_about_one_artisan_apply_in_their_dates(insured, cnss_batch, order):
    _waiting, open_ = insured
    statements = [
        {"type": "rights", "number": open_.number, "status": "suspended", "on": date(2026, 6, 1)},
        {"type": "rights", "number": open_.number, "status": "open", "on": date(2026, 7, 1)},
        {"type": "rights", "number": open_.number, "status": "suspended", "on": date(2026, 8, 1)},
    ]
    with transaction.atomic():
        path = cnss_batch("rights", [statements[i] for i in order])
        report = services.import_file(path)
        assert (report.applied, report.rejected) == (3, 0)
        enrolment = Enrolment.objects.get(registration=open_)
        assert (enrolment.state, enrolment.rights_open_on, enrolment.suspended_on) == (
            State.SUSPENDED,
            date(2026, 7, 1),
            date(2026, 8, 1),
        )
        transaction.set_rollback(True)
