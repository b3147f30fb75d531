"""Issue 5, "Done when": approve → pre-registration batch → the sandbox answers → import →
the artisan sees their CNSS number and the date their rights open; a payment file then
opens rights, a missing payment later suspends them; re-importing any file changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from hirfa.accounts.roles import Role
from hirfa.audit.models import AuditEntry
from hirfa.cnss import services
from hirfa.cnss.models import Batch, LineRejection, SentItem
from hirfa.cnss.sandbox import cnss_number_for
from hirfa.coverage import selectors as coverage
from hirfa.coverage import services as coverage_services
from hirfa.coverage.models import Enrolment, Payment
from hirfa.coverage.money import add_months, month_end
from hirfa.register.services import claim_person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CNIE = "JK123456"


def state():
    return (
        list(Enrolment.objects.order_by("id").values()),
        list(Payment.objects.order_by("id").values()),
        list(Batch.objects.order_by("id").values("batch_id", "status", "applied_count")),
        LineRejection.objects.count(),
        list(SentItem.objects.order_by("id").values_list("outcome", "answered_by")),
        AuditEntry.objects.count(),
    )


def test_the_whole_loop_with_the_cnss_sandbox(approve, sandbox, answer, settings, client):
    # An officer approves the artisan, who then claims their file.
    registration = approve(CNIE, "0611111111")
    artisan = UserFactory(role=Role.ARTISAN, phone=registration.person.phone)
    claim_person(user=artisan, cnie=CNIE)

    # The pre-registration batch goes out through the file transport…
    result = services.synchronise()
    assert result["exported"] == ["RNA-00000001"]
    assert coverage.enrolment_of(registration).state == "sent"

    # …the sandbox answers, and the next exchange imports the answer.
    assert [p.name for p in answer()] == ["CNSS-00000001.jsonl"]
    assert services.synchronise()["imported"] == ["CNSS-00000001"]
    enrolment = coverage.enrolment_of(registration)
    assert enrolment.state == "immatriculated"
    assert enrolment.cnss_number == cnss_number_for(CNIE)
    opens = coverage_services.expected_opening(enrolment)
    assert opens == add_months(sandbox.today.replace(day=1), 3)

    # The artisan sees both on their own coverage page.
    client.force_login(artisan)
    client.cookies["hirfa_language"] = "en"
    page = client.get(reverse("coverage:mine")).content.decode()
    assert cnss_number_for(CNIE) in page
    assert f'<time datetime="{opens.isoformat()}">' in page

    # Three simulated months: each brings a payment file; the third payment opens rights.
    payment_files = []
    for _month in range(3):
        written = sandbox.month()
        payment_files.append(settings.CNSS_INBOX_DIR / f"{written[0]}.jsonl")
    assert [path.exists() for path in payment_files] == [True] * 3
    for path in payment_files:
        assert services.import_file(path).applied == 1
    enrolment.refresh_from_db()
    assert enrolment.state == "rights_open"
    assert enrolment.rights_open_on == opens
    # The CNSS's own rights statement (the sandbox's rights batch) agrees.
    services.receive()
    enrolment.refresh_from_db()
    assert (enrolment.state, enrolment.rights_open_on) == ("rights_open", opens)

    # No payment comes for the following months: the daily rules suspend the rights.
    last_paid = month_end(add_months(sandbox.today.replace(day=1), -1))
    later = add_months(last_paid.replace(day=1), 3)
    coverage_services.apply_rules(today=later)
    enrolment.refresh_from_db()
    assert enrolment.state == "suspended"
    assert enrolment.suspended_on == month_end(add_months(last_paid.replace(day=1), 2)) + (
        timedelta(days=1)
    )

    # Re-importing any file, in any order, changes nothing.
    before = state()
    files = sorted((settings.CNSS_INBOX_DIR / "done").glob("*.jsonl"))
    assert [path.stem for path in files] == [f"CNSS-0000000{n}" for n in range(1, 6)]
    for path in reversed(files):
        report = services.import_file(path)
        assert report.status == "already_imported"
    assert state() == before
