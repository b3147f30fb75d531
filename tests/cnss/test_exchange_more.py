"""Dependants and updates go out too; the HTTP transport and the job run the same loop."""

from datetime import date

import pytest

from hirfa.cnss import exchange_format as fmt
from hirfa.cnss import services
from hirfa.cnss.connector import HttpTransport
from hirfa.cnss.keys import signing_key
from hirfa.cnss.sandbox import serve_http
from hirfa.coverage.models import Dependant, Enrolment
from tests.coverage.helpers import confirmed_child

pytestmark = pytest.mark.django_db


def immatriculated(approve, answer, cnie="JK123456", phone="0611111111"):
    registration = approve(cnie, phone)
    services.export_batches()
    for path in answer():
        services.import_file(path)
    assert Enrolment.objects.get(registration=registration).state == "immatriculated"
    return registration


def records_sent(settings, batch_id):
    path = settings.CNSS_OUTBOX_DIR / f"{batch_id}.jsonl"
    key = signing_key().public_key()
    header = fmt.verify(path, {fmt.key_id(key): key})
    return header, [line.record for line in fmt.records(path, header.kind)]


def test_confirmed_dependants_go_in_a_dependants_batch_and_come_back_decided(
    approve, answer, settings
):
    registration = immatriculated(approve, answer)
    today = date.today()
    child = confirmed_child(registration, birth_date=date(today.year - 8, 3, 1).isoformat())
    [batch] = services.export_batches()
    header, records = records_sent(settings, batch.batch_id)
    assert header.kind == "dependants"
    assert (records[0]["dependant_id"], records[0]["relation"]) == (child.pk, "child")
    [path] = answer()
    report = services.import_file(path)
    assert (report.applied, report.rejected) == (1, 0)
    child.refresh_from_db()
    assert child.state == Dependant.State.ACCEPTED
    assert services.export_batches() == []


def test_a_decision_about_an_unknown_dependant_is_rejected(approve, answer, raw_cnss_batch):
    registration = immatriculated(approve, answer)
    line = fmt.dumps(
        {
            "type": "dependant_decision",
            "number": registration.number,
            "dependant_id": 999999,
            "accepted": True,
            "reason": "",
        }
    )
    report = services.import_file(raw_cnss_batch("acknowledgement", [line], sequence=2))
    assert report.rejected == 1
    assert report.batch.rejections.get().code == "unknown_dependant"


def test_a_change_of_the_artisans_data_goes_out_as_an_update(approve, answer, settings):
    registration = immatriculated(approve, answer)
    person = registration.person
    person.phone = "+212699999999"
    person.save()
    [batch] = services.export_batches()
    header, records = records_sent(settings, batch.batch_id)
    assert header.kind == "update"
    assert (records[0]["number"], records[0]["phone"]) == (registration.number, "+212699999999")
    assert services.export_batches() == []
    [path] = answer()
    assert services.import_file(path).applied == 1


def test_the_whole_exchange_runs_over_http(approve, sandbox, settings, tmp_path):
    server = serve_http(sandbox, 0)
    try:
        http = HttpTransport(
            f"http://127.0.0.1:{server.server_address[1]}", work_dir=tmp_path / "work"
        )
        registration = approve("JK123456", "0611111111")
        result = services.synchronise(via=http)
        # The sandbox answers a POSTed batch at once: the same exchange brings the answer.
        assert result == {
            "exported": ["RNA-00000001"],
            "imported": ["CNSS-00000001"],
            "refused": [],
        }
        assert Enrolment.objects.get(registration=registration).state == "immatriculated"
        assert services.synchronise(via=http) == {"exported": [], "imported": [], "refused": []}
    finally:
        server.shutdown()


def test_an_unreachable_cnss_keeps_the_batch_for_the_next_exchange(approve, tmp_path):
    from hirfa.cnss.connector import TransportError
    from hirfa.cnss.models import Batch

    approve("JK123456", "0611111111")
    nowhere = HttpTransport("http://127.0.0.1:9", timeout=1, work_dir=tmp_path)
    [batch] = services.export_batches(via=nowhere)
    assert batch.status == "written"
    with pytest.raises(TransportError):
        services.receive(via=nowhere)
    assert services.send_pending() == 1
    assert Batch.objects.get().status == "sent"


def test_the_background_job_exchanges_with_the_cnss(approve, answer, run_jobs):
    from hirfa.cnss.jobs import exchange_with_cnss

    registration = approve("JK123456", "0611111111")
    exchange_with_cnss.enqueue()
    run_jobs()
    answer()
    exchange_with_cnss.enqueue()
    run_jobs()
    assert Enrolment.objects.get(registration=registration).state == "immatriculated"


def test_a_dependant_over_age_by_the_cnss_date_comes_back_refused_with_its_reason(
    approve, answer, sandbox
):
    from hirfa.coverage.money import add_months

    registration = immatriculated(approve, answer)
    # Eligible here (21 and some months, not a student)…
    born = add_months(date.today().replace(day=1), -(21 * 12 + 10))
    child = confirmed_child(registration, birth_date=born.isoformat())
    # …but the CNSS looks at it three months later, past 22.
    for _month in range(3):
        sandbox.month()
    services.export_batches()
    answer()
    report = services.receive()
    decided = [r for r in report if r.batch.kind == "acknowledgement"]
    assert decided and decided[0].applied == 1
    child.refresh_from_db()
    assert child.state == Dependant.State.REFUSED
    assert "age limit" in child.decision_reason
