"""The exchange format: signed JSON Lines, streamed, refusing any damaged file whole."""

from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hirfa.cnss import exchange_format as fmt

KEY = Ed25519PrivateKey.generate()
KEYS = {fmt.key_id(KEY.public_key()): KEY.public_key()}


def payment(number="1234567890", period="2026-01", amount="135.00", reference="P1"):
    return {
        "type": "payment",
        "number": number,
        "period": period,
        "amount": amount,
        "paid_on": "2026-02-01",
        "reference": reference,
    }


def write(path, records, kind="payments", sequence=1, key=KEY):
    with fmt.BatchWriter(path, kind=kind, sequence=sequence, key=key) as writer:
        for record in records:
            writer.write(record)
    return writer.header


def refusal(path) -> str:
    """The code of the FileError that verifying the batch at `path` raises."""
    with pytest.raises(fmt.FileError) as error:
        fmt.verify(path, KEYS)
    return error.value.code


def test_a_written_batch_reads_back_record_for_record(tmp_path):
    path = tmp_path / "b.jsonl"
    written = write(path, [payment(reference="P1"), payment(period="2026-02", reference="P2")])
    header = fmt.verify(path, KEYS)
    assert header == written
    assert header.batch_id == "CNSS-00000001" and header.record_count == 2
    lines = list(fmt.records(path, header.kind))
    assert [line.number for line in lines] == [2, 3]
    assert lines[1].record["period"] == "2026-02"
    assert lines[0].record["amount"] == Decimal("135.00")


def test_the_header_announces_the_checksum_of_the_record_lines(tmp_path):
    import hashlib

    path = tmp_path / "b.jsonl"
    header = write(path, [payment()])
    lines = path.read_bytes().splitlines(keepends=True)
    assert hashlib.sha256(b"".join(lines[1:-1])).hexdigest() == header.records_sha256
    assert b'"signature"' in lines[-1]


def test_an_empty_batch_is_valid(tmp_path):
    path = tmp_path / "b.jsonl"
    write(path, [])
    assert fmt.verify(path, KEYS).record_count == 0


@pytest.mark.parametrize("cut", [1, 10, 200, -1, -20, -120])
def test_a_truncated_file_is_refused_whole(tmp_path, cut):
    path = tmp_path / "b.jsonl"
    write(path, [payment(reference=f"P{i}") for i in range(3)])
    data = path.read_bytes()
    path.write_bytes(data[:cut])
    with pytest.raises(fmt.FileError) as error:
        fmt.verify(path, KEYS)
    assert error.value.code in {"truncated", "bad_header"}


def test_a_file_without_its_last_record_and_signature_is_truncated(tmp_path):
    path = tmp_path / "b.jsonl"
    write(path, [payment(reference=f"P{i}") for i in range(3)])
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-2]))  # the header's count no longer matches
    assert refusal(path) == "truncated"


def test_a_changed_record_breaks_the_checksum(tmp_path):
    path = tmp_path / "b.jsonl"
    write(path, [payment()])
    path.write_bytes(path.read_bytes().replace(b"135.00", b"935.00"))
    assert refusal(path) == "checksum_mismatch"


def test_an_added_line_is_seen(tmp_path):
    path = tmp_path / "b.jsonl"
    write(path, [payment()])
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines[:-1], lines[1], lines[-1]]))
    assert refusal(path) == "count_mismatch"


def test_a_header_rewritten_to_match_changed_records_fails_the_signature(tmp_path):
    import hashlib
    import json

    path = tmp_path / "b.jsonl"
    write(path, [payment()])
    lines = path.read_bytes().splitlines(keepends=True)
    forged = lines[1].replace(b"135.00", b"935.00")
    header = json.loads(lines[0])
    header["records_sha256"] = hashlib.sha256(forged).hexdigest()
    path.write_bytes(fmt.dumps(header) + b"\n" + forged + lines[-1])
    assert refusal(path) == "bad_signature"


def test_a_batch_signed_by_an_unknown_key_is_refused(tmp_path):
    path = tmp_path / "b.jsonl"
    write(path, [payment()], key=Ed25519PrivateKey.generate())
    assert refusal(path) == "unknown_key"


@pytest.mark.parametrize(
    "first_line",
    [b"not json", b"[]", b'{"format": "other"}', b'{"format": "hirfa-cnss-exchange"}'],
)
def test_a_bad_header_is_refused(tmp_path, first_line):
    path = tmp_path / "b.jsonl"
    write(path, [payment()])
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(first_line + b"\n" + b"".join(lines[1:]))
    assert refusal(path) == "bad_header"


def test_an_unknown_schema_version_is_named(tmp_path):
    path = tmp_path / "b.jsonl"
    write(path, [payment()])
    path.write_bytes(path.read_bytes().replace(b'"schema_version":1', b'"schema_version":9'))
    assert refusal(path) == "unsupported_schema"


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_bytes(b"")
    assert refusal(path) == "empty_file"


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("135.5", "amount_precision"),
        ("135.001", "amount_precision"),
        ("135", "amount_precision"),
        ("0.00", "bad_field"),
        ("-1.00", "amount_precision"),
    ],
)
def test_amounts_need_exactly_two_decimals(amount, code):
    line = fmt.parse_line("payments", fmt.dumps(payment(amount=amount)))
    assert line.error.code == code and line.error.field == "amount"


def test_an_amount_as_a_json_number_is_refused():
    raw = fmt.dumps(payment()).replace(b'"135.00"', b"135.00")
    assert fmt.parse_line("payments", raw).error.code == "amount_precision"


def test_a_record_of_another_kind_of_batch_is_refused():
    line = fmt.parse_line("rights", fmt.dumps(payment()))
    assert line.error.code == "wrong_type"


def test_a_missing_field_is_named():
    record = payment()
    del record["period"]
    line = fmt.parse_line("payments", fmt.dumps(record))
    assert (line.error.code, line.error.field, line.key) == (
        "missing_field",
        "period",
        "1234567890",
    )


def test_a_line_longer_than_a_read_chunk_is_hashed_whole_and_rejected(tmp_path):
    path = tmp_path / "b.jsonl"
    huge = payment(reference="P2") | {"padding": "x" * (3 * fmt.CHUNK)}
    with fmt.BatchWriter(path, kind="payments", sequence=1, key=KEY) as writer:
        writer.write(payment())
        writer.write(huge)
        writer.write(payment(reference="P3"))
    header = fmt.verify(path, KEYS)
    lines = list(fmt.records(path, header.kind))
    assert [line.number for line in lines] == [2, 3, 4]
    assert lines[1].error.code == "line_too_long"
    assert lines[0].record and lines[2].record


def test_a_writer_that_fails_leaves_no_file(tmp_path):
    path = tmp_path / "b.jsonl"
    with (
        pytest.raises(ValueError),
        fmt.BatchWriter(path, kind="payments", sequence=1, key=KEY) as w,
    ):
        w.write({"type": "rights"})
    assert list(tmp_path.iterdir()) == []


KINDS = sorted(fmt.KINDS)


@given(kind=st.sampled_from(KINDS), raw=st.binary(max_size=400))
def test_no_garbage_line_crashes_the_parser(kind, raw):
    line = fmt.parse_line(kind, raw)
    assert (line.record is None) != (line.error is None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=8,
)
fields = st.sampled_from(
    [
        "type",
        "number",
        "cnss_number",
        "on",
        "code",
        "reason",
        "amount",
        "period",
        "paid_on",
        "reference",
        "status",
        "dependant_id",
        "accepted",
        "cnie",
        "birth_date",
        "relation",
    ]
)


@given(
    kind=st.sampled_from(KINDS),
    record=st.dictionaries(
        fields,
        json_values
        | st.sampled_from(
            ["payment", "rights", "immatriculation", "1234567890", "2026-01", "135.00", "open"]
        ),
        max_size=10,
    ),
)
def test_no_json_record_crashes_the_validator(kind, record):
    import json

    line = fmt.parse_line(kind, json.dumps(record).encode())
    assert (line.record is None) != (line.error is None)


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.binary(max_size=2000))
def test_no_garbage_file_crashes_the_verifier(tmp_path, data):
    path = tmp_path / "garbage.jsonl"
    path.write_bytes(data)
    with pytest.raises(fmt.FileError):
        fmt.verify(path, KEYS)


@settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_refuses_the_file(tmp_path, position, flip):
    path = tmp_path / "b.jsonl"
    write(path, [payment(reference="P1"), payment(reference="P2")])
    data = bytearray(path.read_bytes())
    position %= len(data)
    data[position] ^= flip
    path.write_bytes(bytes(data))
    try:
        fmt.verify(path, KEYS)
    except fmt.FileError:
        return
    # A change the verifier accepts must leave the signed content as it was: only the
    # JSON spelling of the trailer (never signed) may differ.
    assert [line.record for line in fmt.records(path, "payments")] == [
        fmt.validate_record("payments", payment(reference="P1")),
        fmt.validate_record("payments", payment(reference="P2")),
    ]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
)
def test_a_record_line_reads_the_same_in_every_encoding_json_reads(encoding):
    import json

    raw = json.dumps(payment(), ensure_ascii=False).encode(encoding)
    assert fmt.parse_line("payments", raw).record == fmt.validate_record("payments", payment())


def lines_file(path, lines: list[bytes]):
    """A file of record lines between a header and a trailer line (neither read here)."""
    path.write_bytes(b"{}\n" + b"".join(line + b"\n" for line in lines) + b"{}\n")
    return path


def test_the_light_pass_names_the_key_of_each_line_that_decodes_to_an_object(tmp_path):
    path = lines_file(
        tmp_path / "b.jsonl",
        [
            fmt.dumps(payment(number="1234567890", amount="1")),  # invalid, yet named
            b"not json",
            b"[1, 2]",
            b'{"type": "dependant_decision", "dependant_id": 12}',
            b'{"type": "payment"}',
        ],
    )
    assert list(fmt.record_keys(path)) == ["1234567890", "", "", "12", ""]


def test_the_lines_naming_some_keys_are_the_only_ones_validated(tmp_path):
    path = lines_file(
        tmp_path / "b.jsonl",
        [
            fmt.dumps(payment(number="1234567890")),
            fmt.dumps(payment(number="2234567890")),
            b"not json",
            fmt.dumps(payment(number="1234567890", amount="1")),
        ],
    )
    lines = fmt.records(path, "payments", keys={"1234567890"})
    assert [(line.number, line.error and line.error.code) for line in lines] == [
        (2, None),
        (5, "amount_precision"),
    ]


def test_only_the_lines_of_the_keys_asked_for_are_fingerprinted(tmp_path):
    path = lines_file(
        tmp_path / "b.jsonl",
        [fmt.dumps(payment(number="1234567890")), fmt.dumps(payment(number="2234567890"))],
    )
    lines = fmt.records(path, "payments", fingerprinted={"2234567890"})
    assert [bool(line.fingerprint) for line in lines] == [False, True]
