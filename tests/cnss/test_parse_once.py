"""Each line of an answer is parsed and validated once, as it is applied (ADR 0087): a light
pass finds the artisans named by several lines, and only their lines are validated before.
The outcome is the one of ADR 0053: the same lines applied, the same lines rejected with the
same reasons, an artisan's only valid line applied where the stream has it."""

import json

import pytest

from hirfa.audit.models import AuditEntry
from hirfa.cnss import exchange_format as fmt
from hirfa.cnss import services
from hirfa.coverage.models import Enrolment, State

pytestmark = pytest.mark.django_db


def immatriculation(registration, cnss_number: str) -> bytes:
    return fmt.dumps(
        {
            "type": "immatriculation",
            "number": registration.number,
            "cnss_number": cnss_number,
            "on": "2026-11-25",
        }
    )


@pytest.fixture
def sent(approve):
    """Three artisans sent to the CNSS in one pre-registration batch."""
    registrations = [
        approve("JK123456", "0611111111"),
        approve("JK223457", "0622222222"),
        approve("JK323458", "0633333333"),
    ]
    [batch] = services.export_batches()
    return batch, registrations


def immatriculated_in_order() -> list[str]:
    entries = AuditEntry.objects.filter(action="enrolment.immatriculated").order_by("id")
    return [item[0] for entry in entries for item in entry.data["items"]]


def test_a_line_refused_for_its_field_is_rejected_with_its_reason(sent, raw_cnss_batch, english):
    batch, (first, second, third) = sent
    lines = [
        immatriculation(first, "512345678"),
        immatriculation(second, "51234"),  # not nine digits
        b"not json",
        immatriculation(third, "512345679"),
    ]
    report = services.import_file(
        raw_cnss_batch("acknowledgement", lines, in_reply_to=batch.batch_id)
    )
    assert (report.applied, report.rejected) == (2, 2)
    rejections = report.batch.rejections.order_by("line")
    assert list(rejections.values_list("line", "code", "key")) == [
        (3, "bad_field", second.number),
        (4, "bad_json", ""),
    ]
    assert "“cnss_number”" in rejections[0].reason
    assert Enrolment.objects.get(registration=second).state == State.SENT


def test_an_invalid_line_does_not_hold_back_the_valid_line_of_the_same_artisan(
    sent, raw_cnss_batch, monkeypatch
):
    # One line per chunk: a line held back would be applied after the stream's last one.
    monkeypatch.setattr("hirfa.cnss.services.exchange.FLUSH_EVERY", 1)
    batch, (first, second, third) = sent
    lines = [
        immatriculation(first, "512345678"),
        immatriculation(second, "512345677"),
        immatriculation(second, "51234"),  # the same artisan, refused for its field
        immatriculation(third, "512345679"),
    ]
    report = services.import_file(
        raw_cnss_batch("acknowledgement", lines, in_reply_to=batch.batch_id)
    )
    assert (report.applied, report.rejected) == (3, 1)
    assert immatriculated_in_order() == [first.number, second.number, third.number]


def test_the_valid_lines_of_an_artisan_named_twice_are_applied_after_the_stream(
    sent, raw_cnss_batch, monkeypatch
):
    monkeypatch.setattr("hirfa.cnss.services.exchange.FLUSH_EVERY", 1)
    batch, (first, second, third) = sent
    again = json.dumps(json.loads(immatriculation(second, "512345677")), indent=1)
    lines = [
        immatriculation(first, "512345678"),
        immatriculation(second, "512345677"),
        immatriculation(second, "512345677"),  # the same line again
        again.replace("\n", "").encode(),  # the same fact, spelt otherwise
        immatriculation(third, "512345679"),
    ]
    report = services.import_file(
        raw_cnss_batch("acknowledgement", lines, in_reply_to=batch.batch_id)
    )
    assert (report.applied, report.rejected) == (4, 1)
    assert list(report.batch.rejections.values_list("line", "code")) == [(4, "repeated_line")]
    assert immatriculated_in_order() == [first.number, third.number, second.number]
