"""A damaged, duplicate or out-of-order file is refused whole, and says why."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hirfa.audit.models import AuditEntry
from hirfa.cnss import exchange_format as fmt
from hirfa.cnss import services
from hirfa.cnss.models import Batch, RefusedFile

pytestmark = pytest.mark.django_db


def rights(number="1234567890"):
    return {"type": "rights", "number": number, "status": "open", "on": "2026-12-01"}


def test_a_truncated_file_is_refused_and_nothing_is_recorded_but_the_refusal(cnss_batch, english):
    path = cnss_batch("rights", [rights()])
    path.write_bytes(path.read_bytes()[:-30])
    report = services.import_file(path)
    assert report.refused and report.code == "truncated"
    assert "truncated" in report.message
    assert not Batch.objects.exists()
    refused = RefusedFile.objects.get()
    assert (refused.code, refused.batch_id) == ("truncated", "CNSS-00000001")
    assert AuditEntry.objects.filter(action="cnss.file_refused").count() == 1


def test_a_wrong_checksum_refuses_the_file(cnss_batch):
    path = cnss_batch("rights", [rights()])
    path.write_bytes(path.read_bytes().replace(b'"open"', b'"shut"'))
    report = services.import_file(path)
    assert report.code == "checksum_mismatch" and not Batch.objects.exists()


def test_a_file_signed_by_someone_else_is_refused(tmp_path, settings):
    path = tmp_path / "CNSS-00000001.jsonl"
    with fmt.BatchWriter(
        path, kind="rights", sequence=1, key=Ed25519PrivateKey.generate()
    ) as writer:
        writer.write(rights())
    report = services.import_file(path)
    assert report.code == "unknown_key" and not Batch.objects.exists()


def test_without_a_configured_cnss_key_nothing_is_trusted(cnss_batch, settings):
    settings.CNSS_SANDBOX = False
    report = services.import_file(cnss_batch("rights", []))
    assert report.code == "unknown_key"


def test_a_configured_cnss_key_is_trusted(cnss_batch, settings, sandbox):
    settings.CNSS_SANDBOX = False
    settings.CNSS_PUBLIC_KEYS = [fmt.b64url(fmt.public_bytes(sandbox.key.public_key()))]
    assert services.import_file(cnss_batch("rights", [])).status == "applied"


def test_our_own_outbound_batch_is_not_imported(tmp_path):
    from hirfa.cnss.keys import signing_key

    path = tmp_path / "RNA-00000001.jsonl"
    with fmt.BatchWriter(path, kind="update", sequence=1, key=signing_key()):
        pass
    assert services.import_file(path).code == "unknown_key"


def test_refusing_the_same_file_twice_records_it_once(cnss_batch):
    path = cnss_batch("rights", [rights()])
    path.write_bytes(path.read_bytes()[:-30])
    services.import_file(path)
    entries = AuditEntry.objects.count()
    assert services.import_file(path).refused
    assert RefusedFile.objects.count() == 1 and AuditEntry.objects.count() == entries


def test_an_empty_batch_is_applied_and_its_sequence_counted(cnss_batch):
    report = services.import_file(cnss_batch("payments", []))
    assert report.status == "applied"
    batch = Batch.objects.get()
    assert (batch.batch_id, batch.sequence, batch.status) == ("CNSS-00000001", 1, "applied")
    assert batch.file.read().startswith(b'{"batch_id":"CNSS-00000001"')


def test_the_same_batch_imported_twice_changes_nothing(cnss_batch):
    path = cnss_batch("payments", [])
    services.import_file(path)
    entries = AuditEntry.objects.count()
    report = services.import_file(path)
    assert report.status == "already_imported"
    assert Batch.objects.count() == 1 and AuditEntry.objects.count() == entries


def test_a_batch_id_reused_with_another_content_is_refused(cnss_batch):
    services.import_file(cnss_batch("payments", [], name="a.jsonl"))
    report = services.import_file(cnss_batch("rights", [rights()], name="b.jsonl"))
    assert report.code == "batch_conflict"
    assert Batch.objects.get().kind == "payments"


def test_an_out_of_order_batch_is_refused_until_the_missing_one_arrives(cnss_batch):
    second = cnss_batch("payments", [], sequence=2)
    report = services.import_file(second)
    assert report.code == "out_of_order" and "1" in report.message
    assert services.import_file(cnss_batch("payments", [], sequence=1)).status == "applied"
    assert services.import_file(second).status == "applied"
    assert list(Batch.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]


def test_a_sequence_already_used_by_another_batch_is_a_duplicate(cnss_batch, sandbox, tmp_path):
    services.import_file(cnss_batch("payments", [], sequence=1))
    services.import_file(cnss_batch("payments", [], sequence=2))
    # Another batch claiming an old sequence: a replay or a CNSS-side mix-up.
    path = tmp_path / "again.jsonl"
    with fmt.BatchWriter(path, kind="payments", sequence=1, key=sandbox.key) as writer:
        writer.write(
            {
                "type": "payment",
                "number": "1234567890",
                "period": "2026-01",
                "amount": "135.00",
                "paid_on": "2026-02-01",
                "reference": "X1",
            }
        )
    report = services.import_file(path)
    assert report.code in {"batch_conflict", "sequence_used"}
    assert Batch.objects.count() == 2


def test_malformed_lines_are_each_rejected_with_their_line_and_reason(raw_cnss_batch, english):
    path = raw_cnss_batch(
        "rights",
        [
            b"not json",
            b"[1, 2]",
            b'{"type": "payment"}',
            b'{"type": "rights"}',
            b'{"type": "rights", "number": "1234567890", "status": "open", "on": "2026-13-01"}',
        ],
    )
    report = services.import_file(path)
    assert (report.status, report.applied, report.rejected) == ("applied", 0, 5)
    rejections = list(report.batch.rejections.values_list("line", "code", "key"))
    assert rejections == [
        (2, "bad_json", ""),
        (3, "bad_json", ""),
        (4, "wrong_type", ""),
        (5, "missing_field", ""),
        (6, "bad_field", "1234567890"),
    ]
    assert report.batch.status == "partly_applied"
    assert "“on”" in report.batch.rejections.get(line=6).reason
