"""The set-based services the CNSS importer calls: many lines at once, the same rules."""

from datetime import date

import pytest
from django_tasks_db.models import DBTaskResult

from hirfa.audit.models import AuditEntry
from hirfa.coverage import services
from hirfa.coverage.models import Enrolment, Payment, State
from hirfa.notifications.models import Notification
from tests.coverage.helpers import SOURCE, immatriculated
from tests.factories import approved_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def artisans():
    registrations = [
        approved_registration(cnie=f"JK12345{i}", phone=f"061234567{i}") for i in range(3)
    ]
    services.mark_sent(
        registration_numbers=[r.number for r in registrations], batch_id="B1", source=SOURCE
    )
    return registrations


def state_of(registration):
    return Enrolment.objects.get(registration=registration).state


def test_valid_lines_are_applied_and_each_refused_line_comes_back_with_its_reason(artisans):
    a, b, c = artisans
    refused = services.record_immatriculations(
        items=[
            (2, a.number, "111111111", "2026-01-10"),
            (3, b.number, "111111111", "2026-01-10"),  # the number just given to a
            (4, "1234567890", "222222222", "2026-01-10"),
            (5, c.number, "12AB", "2026-01-10"),
        ],
        source=SOURCE,
    )
    assert {line: error.code for line, error in refused.items()} == {
        3: "cnss_number_taken",
        4: "unknown_artisan",
        5: "invalid_cnss_number",
    }
    assert [state_of(r) for r in artisans] == [State.IMMATRICULATED, State.SENT, State.SENT]
    assert Enrolment.objects.get(registration=a).dues_from == date(2026, 1, 1)


def test_a_chunk_of_lines_writes_one_audit_entry_listing_them(artisans):
    services.record_immatriculations(
        items=[(i, r.number, f"10000000{i}", "2026-01-10") for i, r in enumerate(artisans)],
        source=SOURCE,
    )
    [entry] = AuditEntry.objects.filter(action="enrolment.immatriculated")
    assert entry.actor_label == SOURCE
    assert entry.data["count"] == 3
    assert [item[0] for item in entry.data["items"]] == [r.number for r in artisans]


def test_the_artisans_of_a_chunk_are_told_by_one_job_after_the_commit(
    artisans, django_capture_on_commit_callbacks, run_jobs
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.record_immatriculations(
            items=[(i, r.number, f"10000000{i}", "2026-01-10") for i, r in enumerate(artisans)],
            source=SOURCE,
        )
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(task_path__endswith="tell_artisans").count() == 1
    run_jobs()
    told = Notification.objects.filter(event="coverage.immatriculated")
    assert told.count() == 3
    assert "01/04/2026" in told.first().body


def test_lines_of_the_same_artisan_are_applied_in_order(artisans):
    a = artisans[0]
    services.record_immatriculation(
        number=a.number, cnss_number="111111111", on="2026-01-10", source=SOURCE
    )
    refused = services.record_payments(
        items=[
            (line, a.number, period, "135.00", date(2026, 4, 1), f"R{period}")
            for line, period in enumerate(["2026-01", "2026-02", "2026-03"])
        ],
        source=SOURCE,
    )
    enrolment = Enrolment.objects.get(registration=a)
    assert refused == {}
    assert Payment.objects.filter(enrolment=enrolment).count() == 3
    assert (enrolment.state, enrolment.rights_open_on) == (State.RIGHTS_OPEN, date(2026, 4, 2))
    assert AuditEntry.objects.filter(
        action="enrolment.rights_open", data__source="rule:waiting-period"
    ).exists()


def test_payments_of_many_artisans_open_their_rights_together(artisans):
    for i, registration in enumerate(artisans):
        immatriculated(registration, cnss_number=f"10000000{i}")
    items = [
        (line, r.number, period, "135.00", date(2026, 3, 31), f"P{r.number}{period}")
        for line, (r, period) in enumerate(
            (r, p) for p in ["2026-01", "2026-02", "2026-03"] for r in artisans
        )
    ]
    items.append((99, artisans[0].number, "2026-04", "135.00", date(2026, 4, 1), items[0][5]))
    refused = services.record_payments(items=items, source=SOURCE)
    assert {line: error.code for line, error in refused.items()} == {99: "reference_reused"}
    assert {state_of(r) for r in artisans} == {State.RIGHTS_OPEN}
    opened = AuditEntry.objects.get(action="enrolment.rights_open")
    assert opened.data["count"] == 3


def test_rights_statements_apply_to_the_insured_and_refuse_the_others(artisans):
    a, b, c = artisans
    immatriculated(a, cnss_number="100000001")
    immatriculated(b, cnss_number="100000002")
    refused = services.record_rights_statements(
        items=[
            (1, a.number, "open", "2026-02-01"),
            (2, b.number, "suspended", "2026-02-01"),
            (3, c.number, "open", "2026-02-01"),
            (4, a.number, "open", "2026-02-03"),  # a later line: the CNSS's new date
        ],
        source=SOURCE,
    )
    assert {line: error.code for line, error in refused.items()} == {3: "not_insured"}
    enrolment = Enrolment.objects.get(registration=a)
    assert (enrolment.state, enrolment.rights_open_on) == (State.RIGHTS_OPEN, date(2026, 2, 3))
    assert state_of(b) == State.SUSPENDED
    assert AuditEntry.objects.filter(action="enrolment.rights_dated").count() == 1


def test_an_artisan_rejected_then_corrected_is_sent_again_on_the_same_enrolment(artisans):
    a = artisans[0]
    services.record_rejection(number=a.number, code="CNIE_UNKNOWN", reason="?", source=SOURCE)
    first = Enrolment.objects.get(registration=a)
    a.person.save()  # corrected by an agent
    marked = services.mark_sent(registration_numbers=[a.number], batch_id="B2", source=SOURCE)
    again = Enrolment.objects.get(registration=a)
    assert marked == 1
    assert (again.pk, again.state, again.sent_batch) == (first.pk, State.SENT, "B2")
