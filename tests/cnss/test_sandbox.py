"""The CNSS sandbox answers our batches the way the CNSS would, deterministically."""

import subprocess
import sys
from datetime import date

import pytest

from hirfa.cnss import exchange_format as fmt
from hirfa.cnss.connector import FileTransport, HttpTransport
from hirfa.cnss.keys import signing_key
from hirfa.cnss.sandbox import NAME, cnss_number_for, rejection_for, serve_http


def person(number, cnie, **overrides):
    return {
        "type": "pre_registration",
        "number": number,
        "cnie": cnie,
        "first_name_ar": "فاضمة",
        "last_name_ar": "أيت لحسن",
        "first_name_latin": "Fadma",
        "last_name_latin": "Ait Lahcen",
        "sex": "F",
        "birth_date": "1978-03-14",
        "phone": "+212612345678",
        "province": "09.581",
        "commune": "09.581.01.07",
        "category": "artisan_experience",
        "activity": "01.01.001",
        "approved_on": "2026-11-25",
    } | overrides


def send(settings, kind, records, sequence=1):
    path = settings.CNSS_OUTBOX_DIR / f"RNA-{sequence:08d}.jsonl"
    with fmt.BatchWriter(path, kind=kind, sequence=sequence, key=signing_key()) as writer:
        for record in records:
            writer.write(record)
    return path


def answers(folder):
    return sorted(folder.glob("CNSS-*.jsonl"))


def records_of(path, keys):
    header = fmt.verify(path, keys)
    return header, [line.record for line in fmt.records(path, header.kind)]


@pytest.fixture
def sandbox_keys(sandbox):
    return {fmt.key_id(sandbox.key.public_key()): sandbox.key.public_key()}


def collect(sandbox, settings):
    from hirfa.cnss.sandbox import _collect

    _collect(settings.CNSS_OUTBOX_DIR, sandbox)
    return sandbox.answer_pending()


def test_the_sandbox_immatriculates_most_and_rejects_by_its_cnie_rules(
    sandbox, settings, sandbox_keys
):
    assert rejection_for("AB123413")[0] == "CNIE_UNKNOWN"
    assert rejection_for("AB000029")[0] == "ALREADY_COVERED"  # 2 + 9 = 11
    send(
        settings,
        "pre_registration",
        [
            person("1000000001", "JK123456"),
            person("1000000002", "AB123413"),
            person("1000000003", "AB000029"),
        ],
    )
    assert collect(sandbox, settings) == ["CNSS-00000001"]
    header, records = records_of(answers(settings.CNSS_INBOX_DIR)[0], sandbox_keys)
    assert (header.kind, header.in_reply_to) == ("acknowledgement", "RNA-00000001")
    assert records[0] == {
        "type": "immatriculation",
        "number": "1000000001",
        "cnss_number": cnss_number_for("JK123456"),
        "on": sandbox.today,
    }
    assert [(r["type"], r.get("code")) for r in records[1:]] == [
        ("rejection", "CNIE_UNKNOWN"),
        ("rejection", "ALREADY_COVERED"),
    ]


def test_the_sandbox_answers_each_batch_once(sandbox, settings):
    send(settings, "pre_registration", [person("1000000001", "JK123456")])
    assert collect(sandbox, settings) == ["CNSS-00000001"]
    assert collect(sandbox, settings) == []


def test_the_sandbox_ignores_a_batch_not_signed_by_us(sandbox, settings, capsys):
    path = send(settings, "pre_registration", [person("1000000001", "JK123456")])
    path.write_bytes(path.read_bytes().replace(b"Fadma", b"Fatma"))
    assert collect(sandbox, settings) == []
    assert f"[{NAME}] refused RNA-00000001.jsonl: checksum_mismatch" in capsys.readouterr().out


def test_the_sandbox_refuses_dependants_over_the_age_limit(sandbox, settings, sandbox_keys):
    today = sandbox.today
    child = {
        "type": "dependant",
        "number": "1000000001",
        "relation": "child",
        "first_name_latin": "Said",
        "last_name_latin": "Ait Lahcen",
        "student": False,
        "disabled": False,
    }
    send(
        settings,
        "dependants",
        [
            child | {"dependant_id": 1, "birth_date": date(today.year - 10, 1, 1).isoformat()},
            child | {"dependant_id": 2, "birth_date": date(today.year - 24, 1, 1).isoformat()},
            child
            | {
                "dependant_id": 3,
                "birth_date": date(today.year - 24, 1, 1).isoformat(),
                "student": True,
            },
            child
            | {
                "dependant_id": 4,
                "birth_date": date(today.year - 30, 1, 1).isoformat(),
                "student": True,
            },
        ],
    )
    collect(sandbox, settings)
    _header, records = records_of(answers(settings.CNSS_INBOX_DIR)[0], sandbox_keys)
    assert [(r["dependant_id"], r["accepted"]) for r in records] == [
        (1, True),
        (2, False),
        (3, True),
        (4, False),
    ]


def test_simulated_months_bring_payments_then_open_then_suspend_rights(
    sandbox, settings, sandbox_keys
):
    stops = next(
        c
        for c in (f"JK{n:06d}" for n in range(100000, 200000))
        if cnss_number_for(c).endswith("0") and rejection_for(c) is None
    )
    send(
        settings,
        "pre_registration",
        [person("1000000001", "JK123456"), person("1000000002", stops)],
    )
    collect(sandbox, settings)
    written = []
    for _ in range(8):
        written += sandbox.month()
    kinds = {}
    for path in answers(settings.CNSS_INBOX_DIR)[1:]:
        header, records = records_of(path, sandbox_keys)
        kinds.setdefault(header.kind, []).append(records)
    payments = kinds["payments"]
    assert len(payments) == 8
    assert [len(batch) for batch in payments] == [2, 2, 2, 2, 1, 1, 1, 1]
    assert (
        payments[0][0]["amount"]
        == fmt.validate_record(
            "payments",
            {
                "type": "payment",
                "number": "1000000001",
                "period": "2026-01",
                "amount": "135.00",
                "paid_on": "2026-01-31",
                "reference": "R",
            },
        )["amount"]
    )
    changes = [(r["number"], r["status"]) for batch in kinds["rights"] for r in batch]
    assert changes == [("1000000001", "open"), ("1000000002", "open"), ("1000000002", "suspended")]
    assert written == [p.stem for p in answers(settings.CNSS_INBOX_DIR)[1:]]


def test_the_sandbox_speaks_http_to_our_http_transport(sandbox, settings, sandbox_keys, tmp_path):
    server = serve_http(sandbox, 0, token="s3cret")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        http = HttpTransport(url, token="s3cret", work_dir=tmp_path / "work")
        path = send(settings, "pre_registration", [person("1000000001", "JK123456")])
        http.send(path, "RNA-00000001")
        received = list(http.receive(0))
        assert [p.name for p in received] == ["CNSS-00000001.jsonl"]
        _header, records = records_of(received[0], sandbox_keys)
        assert records[0]["cnss_number"] == cnss_number_for("JK123456")
        assert list(http.receive(1)) == []
        http.done(received[0], refused=False)
        assert not received[0].exists()
    finally:
        server.shutdown()


def test_the_sandbox_refuses_http_callers_without_its_token(sandbox, tmp_path):
    from hirfa.cnss.connector import TransportError

    server = serve_http(sandbox, 0, token="s3cret")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(TransportError):
            list(HttpTransport(url, token="wrong", work_dir=tmp_path).receive(0))
    finally:
        server.shutdown()


def test_the_file_transport_moves_handled_files_aside(tmp_path):
    transport = FileTransport(tmp_path / "out", tmp_path / "in")
    (tmp_path / "in").mkdir()
    for name in ("CNSS-00000002.jsonl", "CNSS-00000001.jsonl"):
        (tmp_path / "in" / name).write_text("x")
    received = list(transport.receive(0))
    assert [p.name for p in received] == ["CNSS-00000001.jsonl", "CNSS-00000002.jsonl"]
    transport.done(received[0], refused=False)
    transport.done(received[1], refused=True)
    assert (tmp_path / "in" / "done" / "CNSS-00000001.jsonl").exists()
    assert (tmp_path / "in" / "refused" / "CNSS-00000002.jsonl").exists()
    assert list(transport.receive(0)) == []


def test_the_sandbox_runs_as_its_own_process_without_django(settings, tmp_path):
    send(settings, "pre_registration", [person("1000000001", "JK123456")])
    command = [
        sys.executable,
        "-c",
        "import sys, runpy; sys.argv = ['sandbox'] + sys.argv[1:];"
        "runpy.run_module('hirfa.cnss.sandbox', run_name='__main__');",
        "answer",
        "--dir",
        str(tmp_path / "own"),
        "--incoming",
        str(settings.CNSS_OUTBOX_DIR),
        "--outgoing",
        str(tmp_path / "answers"),
        "--rna-public-key",
        str(settings.CNSS_SIGNING_KEY_FILE.with_suffix(".pub")),
    ]
    probe = [sys.executable, "-c", "import hirfa.cnss.sandbox, sys; print('django' in sys.modules)"]
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    assert f"[{NAME}] wrote CNSS-00000001" in done.stdout
    assert (tmp_path / "answers" / "CNSS-00000001.jsonl").exists()
    assert subprocess.run(probe, capture_output=True, text=True, env=env).stdout.strip() == "False"


def test_the_sandbox_never_gives_a_number_twice(sandbox, settings, sandbox_keys, monkeypatch):
    from hirfa.cnss import sandbox as module

    monkeypatch.setattr(module, "cnss_number_for", lambda cnie: "123456789")
    send(
        settings,
        "pre_registration",
        [person("1000000001", "JK123456"), person("1000000002", "JK223457")],
    )
    collect(sandbox, settings)
    _header, records = records_of(answers(settings.CNSS_INBOX_DIR)[0], sandbox_keys)
    assert [r["cnss_number"] for r in records] == ["123456789", "123456790"]
