"""Export to the CNSS and import of its answers, applied through the coverage services."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from hirfa.audit.models import AuditEntry
from hirfa.cnss import exchange_format as fmt
from hirfa.cnss import selectors, services
from hirfa.cnss.keys import signing_key
from hirfa.cnss.models import Batch, LineRejection, SentItem
from hirfa.cnss.sandbox import cnss_number_for
from hirfa.coverage.models import Enrolment
from tests.factories import national

pytestmark = pytest.mark.django_db

ACCEPTED_CNIE = "JK123456"
REJECTED_CNIE = "JK123413"  # the sandbox rejects a CNIE ending in 13


def our_keys():
    key = signing_key().public_key()
    return {fmt.key_id(key): key}


def enrolment(registration):
    return Enrolment.objects.get(registration=registration)


def snapshot():
    """What an import can change, to show that a second one changes nothing."""
    return (
        list(Enrolment.objects.order_by("id").values()),
        Batch.objects.count(),
        LineRejection.objects.count(),
        list(SentItem.objects.order_by("id").values_list("outcome", "answered_by")),
        AuditEntry.objects.count(),
    )


def test_export_sends_each_newly_approved_artisan_once(approve, settings):
    registration = approve(ACCEPTED_CNIE, "0611111111")
    [batch] = services.export_batches()
    assert (batch.batch_id, batch.kind, batch.record_count, batch.status) == (
        "RNA-00000001",
        "pre_registration",
        1,
        "sent",
    )
    delivered = settings.CNSS_OUTBOX_DIR / "RNA-00000001.jsonl"
    header = fmt.verify(delivered, our_keys())
    [line] = fmt.records(delivered, header.kind)
    assert line.record["number"] == registration.number
    assert line.record["cnie"] == ACCEPTED_CNIE
    assert enrolment(registration).state == "sent"
    assert services.export_batches() == []
    assert AuditEntry.objects.filter(action="cnss.batch_exported").count() == 1


def test_the_export_command_writes_into_the_folder_given(approve, tmp_path, capsys, english):
    approve(ACCEPTED_CNIE, "0611111111")
    call_command("cnss_export", str(tmp_path / "drop"))
    assert "RNA-00000001: 1" in capsys.readouterr().out
    assert fmt.verify(tmp_path / "drop" / "RNA-00000001.jsonl", our_keys()).record_count == 1
    call_command("cnss_export", str(tmp_path / "drop"))
    assert "Nothing to send" in capsys.readouterr().out


def test_an_acknowledgement_records_numbers_and_rejections(approve, answer):
    accepted = approve(ACCEPTED_CNIE, "0611111111")
    rejected = approve(REJECTED_CNIE, "0622222222")
    services.export_batches()
    [path] = answer()
    report = services.import_file(path)
    assert (report.status, report.applied, report.rejected) == ("applied", 2, 0)
    assert enrolment(accepted).cnss_number == cnss_number_for(ACCEPTED_CNIE)
    assert enrolment(accepted).state == "immatriculated"
    assert enrolment(rejected).state == "not_enrolled"
    assert enrolment(rejected).rejection_code == "CNIE_UNKNOWN"
    totals = selectors.reconciliation(national("cnss")).totals
    assert totals == {
        "sent": 2,
        "acknowledged": 2,
        "accepted": 1,
        "rejected": 1,
        "awaiting": 0,
        "missing": 0,
    }


def test_the_import_command_prints_what_it_applied_and_rejected(
    approve, answer, raw_cnss_batch, capsys, english
):
    registration = approve(ACCEPTED_CNIE, "0611111111")
    services.export_batches()
    services.import_file(answer()[0])
    good = fmt.dumps(
        {
            "type": "payment",
            "number": registration.number,
            "period": "2026-12",
            "amount": "135.00",
            "paid_on": "2026-12-31",
            "reference": "PAY-1",
        }
    )
    cents = good.replace(b"135.00", b"135.5").replace(b"PAY-1", b"PAY-2")
    stranger = good.replace(registration.number.encode(), b"1000000007").replace(b"PAY-1", b"PAY-3")
    path = raw_cnss_batch("payments", [good, cents, stranger], sequence=2)
    call_command("cnss_import", str(path))
    out = capsys.readouterr().out
    assert "CNSS-00000002 (Payments): 1 lines applied, 2 rejected." in out
    assert f"line 3 {registration.number}: rejected (amount_precision)" in out
    assert "line 4 1000000007: rejected (unknown_artisan)" in out
    call_command("cnss_import", str(path))
    assert "already imported: nothing changed" in capsys.readouterr().out


def test_the_import_command_fails_on_a_refused_file(cnss_batch, english):
    path = cnss_batch("rights", [])
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(CommandError, match="refused, nothing applied"):
        call_command("cnss_import", str(path))


def test_a_rejected_line_is_not_applied_and_the_others_are(approve, answer, raw_cnss_batch):
    first = approve(ACCEPTED_CNIE, "0611111111")
    second = approve("JK223457", "0622222222")
    services.export_batches()
    services.import_file(answer()[0])
    lines = [
        fmt.dumps(
            {
                "type": "payment",
                "number": first.number,
                "period": "2026-12",
                "amount": "135.00",
                "paid_on": "2026-12-31",
                "reference": "A1",
            }
        ),
        fmt.dumps(
            {
                "type": "payment",
                "number": second.number,
                "period": "2026-12",
                "amount": "-135.00",
                "paid_on": "2026-12-31",
                "reference": "A2",
            }
        ),
    ]
    report = services.import_file(raw_cnss_batch("payments", lines, sequence=2))
    assert (report.applied, report.rejected) == (1, 1)
    assert enrolment(first).payments.count() == 1
    assert enrolment(second).payments.count() == 0


def test_an_unexpected_failure_applies_nothing_of_the_batch(approve, answer, monkeypatch):
    from hirfa.coverage import services as coverage

    approve(ACCEPTED_CNIE, "0611111111")
    approve("JK223457", "0622222222")
    services.export_batches()
    [path] = answer()
    # One line a chunk: the first chunk is applied when the second one fails.
    from hirfa.cnss.services import exchange

    monkeypatch.setattr(exchange, "FLUSH_EVERY", 1)
    calls = []
    real = coverage.record_immatriculations

    def failing_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(coverage, "record_immatriculations", failing_second)
    before = snapshot()
    with pytest.raises(RuntimeError):
        services.import_file(path)
    assert len(calls) == 2
    assert snapshot() == before
    assert set(Enrolment.objects.values_list("state", flat=True)) == {"sent"}
    monkeypatch.setattr(coverage, "record_immatriculations", real)
    assert services.import_file(path).applied == 2


def test_reimporting_an_acknowledgement_changes_nothing(approve, answer):
    approve(ACCEPTED_CNIE, "0611111111")
    approve(REJECTED_CNIE, "0622222222")
    services.export_batches()
    [path] = answer()
    services.import_file(path)
    before = snapshot()
    assert services.import_file(path).status == "already_imported"
    assert snapshot() == before


def test_an_answer_without_some_artisans_shows_them_missing(approve, raw_cnss_batch):
    first = approve(ACCEPTED_CNIE, "0611111111")
    second = approve("JK223457", "0622222222")
    [sent] = services.export_batches()
    liaison = national("cnss")
    assert selectors.reconciliation(liaison).totals["awaiting"] == 2
    line = fmt.dumps(
        {
            "type": "immatriculation",
            "number": first.number,
            "cnss_number": "512345678",
            "on": "2026-11-25",
        }
    )
    services.import_file(raw_cnss_batch("acknowledgement", [line], in_reply_to=sent.batch_id))
    result = selectors.reconciliation(liaison)
    assert (result.totals["accepted"], result.totals["missing"]) == (1, 1)
    assert result.batches[0].answered_by == ["CNSS-00000001"]
    assert [item.key for item in selectors.missing_items(liaison)] == [second.number]


def test_an_unanswered_batch_becomes_missing_after_the_agreed_delay(approve, settings):
    from datetime import timedelta

    from django.utils import timezone

    approve(ACCEPTED_CNIE, "0611111111")
    services.export_batches()
    liaison = national("cnss")
    later = timezone.now() + timedelta(days=settings.CNSS_ANSWER_DAYS + 1)
    assert selectors.reconciliation(liaison).totals["missing"] == 0
    assert selectors.reconciliation(liaison, now=later).totals["missing"] == 1


def test_payments_with_the_wrong_precision_are_rejected_per_line(approve, answer, raw_cnss_batch):
    registration = approve(ACCEPTED_CNIE, "0611111111")
    services.export_batches()
    services.import_file(answer()[0])
    lines = [
        fmt.dumps(
            {
                "type": "payment",
                "number": registration.number,
                "period": "2026-12",
                "amount": amount,
                "paid_on": "2026-12-31",
                "reference": f"R{i}",
            }
        )
        for i, amount in enumerate(["135.00", "135.001", "13500", "1.5"])
    ]
    report = services.import_file(raw_cnss_batch("payments", lines, sequence=2))
    assert (report.applied, report.rejected) == (1, 3)
    assert set(report.batch.rejections.values_list("code", flat=True)) == {"amount_precision"}
    assert enrolment(registration).payments.get().amount == Decimal("135.00")
