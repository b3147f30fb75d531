"""Imports from the browser (ADR 0055): an agent uploads a list, a background job imports
it with the service of `hirfa import_artisans`, the page shows its progress and its report."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.imports import selectors
from hirfa.imports.models import ImportRun
from hirfa.imports.policy import STALLED_AFTER
from hirfa.register.models import Person
from hirfa.territory.models import Commune
from tests.factories import agent_of, officer_of
from tests.imports.helpers import activity_codes, row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db
IMPORTS = "/imports/"
FRENCH_REFUSAL = "Importez un fichier CSV ou XLSX."


def _upload(path, name=None, content_type="text/csv"):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=content_type)


def _far_commune() -> str:
    return Commune.objects.exclude(province__region__code="09").order_by("code").first().code


@pytest.fixture
def chamber(client, agent, django_capture_on_commit_callbacks):
    """The agent's browser; what a request queues after its commit is queued."""
    client.force_login(agent)
    client.cookies["hirfa_language"] = "en"
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def _list(tmp_path, name="tiznit.xlsx", bad=True):
    codes = activity_codes()
    rows = [row(i, codes) for i in range(6)]
    if bad:
        rows[1]["CIN"] = "12"
        rows[3]["Commune"] = _far_commune()  # the workplace, when no other is given
    writer = write_xlsx if name.endswith(".xlsx") else write_csv
    return writer(tmp_path / name, rows)


def test_an_uploaded_list_is_imported_by_a_background_job(chamber, tmp_path, run_jobs):
    path = _list(tmp_path, bad=False)
    response = chamber.post(IMPORTS, {"file": _upload(path)})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    assert (run.status, run.last_row) == ("running", 0)
    assert Person.objects.count() == 0

    run_jobs()

    run.refresh_from_db()
    assert (run.status, run.imported, run.rejected, run.last_row) == ("done", 6, 0, 6)
    assert run.rows_total == 6
    assert Person.objects.filter(cnie__startswith="JT").count() == 6
    assert AuditEntry.objects.filter(action="import.started", data__source="browser").exists()


def test_the_uploaded_list_is_deleted_once_imported(chamber, tmp_path, run_jobs):
    chamber.post(IMPORTS, {"file": _upload(_list(tmp_path))})
    run = ImportRun.objects.get()
    stored = run.file.path
    assert Path(stored).is_file()
    run_jobs()
    run.refresh_from_db()
    assert not run.file
    assert not Path(stored).exists()


def test_rows_outside_the_territory_of_the_uploader_are_rejected_in_the_report(
    chamber, tmp_path, run_jobs
):
    codes = activity_codes()
    path = write_csv(tmp_path / "list.csv", [row(1, codes), row(2, codes, Commune=_far_commune())])
    chamber.post(IMPORTS, {"file": _upload(path)})
    run_jobs()
    run = ImportRun.objects.get()
    assert (run.imported, run.rejected) == (1, 1)
    report = chamber.get(reverse("imports:run_report", args=[run.pk]))
    lines = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert report.status_code == 200
    assert lines[1][0] == "2"
    assert "outside your territory" in lines[1][3]


def test_the_progress_panel_polls_while_running_and_stops_when_done(chamber, tmp_path, run_jobs):
    chamber.post(IMPORTS, {"file": _upload(_list(tmp_path))})
    run = ImportRun.objects.get()
    url = reverse("imports:run_progress", args=[run.pk])
    running = chamber.get(url)
    assert running.status_code == 200
    assert b'hx-trigger="every 2s"' in running.content
    assert b"<progress>" in running.content

    run_jobs()

    done = chamber.get(url).content.decode()
    assert "hx-trigger" not in done
    assert '<progress max="6" value="6">' in done
    assert 'id="rows-rejected">2<' in done
    assert reverse("imports:run_report", args=[run.pk]) in done


def test_the_report_lists_each_bad_row_with_its_column(chamber, tmp_path, run_jobs):
    chamber.post(IMPORTS, {"file": _upload(_list(tmp_path))})
    run_jobs()
    run = ImportRun.objects.get()
    response = chamber.get(reverse("imports:run_report", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [line[:2] for line in lines[1:]] == [["2", "CIN"], ["4", "Commune"]]


def test_downloading_the_report_is_in_the_trail_as_a_read_of_personal_data(
    chamber, tmp_path, run_jobs
):
    chamber.post(IMPORTS, {"file": _upload(_list(tmp_path))})
    run_jobs()
    run = ImportRun.objects.get()
    chamber.get(reverse("imports:run_report", args=[run.pk]))
    entry = AuditEntry.objects.get(action="importrun.viewed")
    assert (entry.actor_id, entry.object_id) == (run.actor_id, str(run.pk))


def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_kept(chamber, tmp_path):
    response = chamber.post(
        IMPORTS, {"file": SimpleUploadedFile("list.pdf", b"%PDF-1.4", "application/pdf")}
    )
    assert response.status_code == 400
    assert "Import a CSV or an XLSX file." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_workbook_cut_short_in_the_upload_is_refused_with_a_message(chamber, tmp_path):
    whole = _list(tmp_path).read_bytes()
    cut = SimpleUploadedFile("tiznit.xlsx", whole[: len(whole) // 2])
    response = chamber.post(IMPORTS, {"file": cut})
    assert response.status_code == 400
    assert "The file is not an XLSX workbook." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_an_upload_cut_off_before_its_end_is_refused_and_nothing_is_kept(chamber, tmp_path):
    data = _list(tmp_path, "tiznit.csv").read_bytes()
    token = str(chamber.get(IMPORTS).context["csrf_token"]).encode()
    # The connection dropped half-way through the file: no closing boundary.
    body = (
        b'--XYZ\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        + token
        + b'\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="tiznit.csv"'
        + b"\r\nContent-Type: text/csv\r\n\r\n"
        + data[: len(data) // 2]
    )
    response = chamber.generic(
        "POST", IMPORTS, body, content_type="multipart/form-data; boundary=XYZ"
    )
    assert response.status_code == 400
    assert "did not arrive whole" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert not Person.objects.exists()


def test_a_missing_file_is_refused_with_a_message(chamber):
    response = chamber.post(IMPORTS, {})
    assert response.status_code == 400
    assert "did not arrive whole" in response.content.decode()


def test_a_file_too_large_is_refused(chamber, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1024
    response = chamber.post(IMPORTS, {"file": _upload(_list(tmp_path, "big.csv"))})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_refusal_is_in_the_language_of_the_page(chamber):
    chamber.cookies["hirfa_language"] = "fr"
    response = chamber.post(IMPORTS, {"file": SimpleUploadedFile("list.txt", b"x")})
    assert response.status_code == 400
    assert FRENCH_REFUSAL in response.content.decode()


def test_someone_elses_import_is_not_found(client, chamber, tmp_path):
    chamber.post(IMPORTS, {"file": _upload(_list(tmp_path))})
    run = ImportRun.objects.get()
    client.force_login(agent_of("09", username="colleague"))
    for name in ("imports:run", "imports:run_progress", "imports:run_report"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:run_resume", args=[run.pk])).status_code == 404


def test_an_import_number_beyond_any_id_is_not_found(chamber):
    assert chamber.get("/imports/99999999999999999999999/").status_code == 404


def test_the_same_list_uploaded_by_someone_else_is_refused(client, tmp_path):
    path = _list(tmp_path)
    client.cookies["hirfa_language"] = "en"
    client.force_login(agent_of("09", username="owner"))
    client.post(IMPORTS, {"file": _upload(path)})
    client.force_login(agent_of("09", username="colleague"))
    response = client.post(IMPORTS, {"file": _upload(path)})
    assert response.status_code == 409
    assert "already been imported by another member of staff" in response.content.decode()
    assert ImportRun.objects.count() == 1


def test_an_officer_may_not_import(client, tmp_path):
    client.force_login(officer_of("09.581"))
    assert client.get(IMPORTS).status_code == 403


def test_an_interrupted_import_is_resumed_from_its_last_committed_row(
    chamber, tmp_path, run_jobs, agent
):
    chamber.post(IMPORTS, {"file": _upload(_list(tmp_path, bad=False))})
    run = ImportRun.objects.get()
    # As if its worker had died after the first three rows.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    ImportRun.objects.filter(pk=run.pk).update(
        last_row=3, updated_at=timezone.now() - STALLED_AFTER * 2
    )
    page = chamber.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Resume the import" in page

    response = chamber.post(reverse("imports:run_resume", args=[run.pk]))
    assert response.status_code == 302
    run_jobs()

    run.refresh_from_db()
    assert (run.status, run.last_row, run.imported) == ("done", 6, 3)
    assert not Person.objects.filter(cnie__in=["JT000000", "JT000001", "JT000002"]).exists()
    assert AuditEntry.objects.filter(action="import.resumed", data__from_row=3).exists()


def test_an_import_that_is_moving_cannot_be_resumed(chamber, tmp_path):
    chamber.post(IMPORTS, {"file": _upload(_list(tmp_path))})
    run = ImportRun.objects.get()
    response = chamber.post(reverse("imports:run_resume", args=[run.pk]), follow=True)
    assert "nothing to resume" in response.content.decode()
    assert not AuditEntry.objects.filter(action="import.resumed").exists()


def test_the_time_left_follows_the_pace_of_the_attempt():
    now = timezone.now()
    run = ImportRun(
        status="running",
        rows_total=1000,
        last_row=300,
        attempt_first_row=100,
        attempt_started_at=now - timezone.timedelta(seconds=60),
        updated_at=now,
    )
    progress = selectors.progress_of(run)
    assert (progress.percent, progress.seconds_left, progress.minutes_left) == (30, 210, 4)


def test_the_panel_says_the_rows_done_rejected_and_the_time_left(chamber, agent):
    now = timezone.now()
    run = ImportRun.objects.create(
        file_name="list.csv",
        file_sha256="a" * 64,
        file_format="csv",
        language="en",
        actor=agent,
        rows_total=1000,
        last_row=300,
        rejected=7,
        attempt_first_row=100,
        attempt_started_at=now - timezone.timedelta(seconds=60),
    )
    ImportRun.objects.filter(pk=run.pk).update(updated_at=now)
    panel = chamber.get(reverse("imports:run_progress", args=[run.pk])).content.decode()
    assert '<progress max="1000" value="300">' in panel
    assert 'id="rows-rejected">7<' in panel
    assert "about 4 minutes" in panel


def test_the_list_of_imports_takes_the_same_queries_whatever_its_length(
    chamber, agent, django_assert_num_queries
):
    for index in range(30):
        ImportRun.objects.create(
            file_name=f"list-{index}.csv",
            file_sha256=f"{index:064d}",
            file_format="csv",
            language="fr",
            actor=agent,
        )
    ImportRun.objects.create(
        file_name="theirs.csv",
        file_sha256="f" * 64,
        file_format="csv",
        language="fr",
        actor=agent_of("09", username="colleague"),
    )
    # session, user, count, page of runs, the menu's inbox count
    with django_assert_num_queries(5):
        response = chamber.get(IMPORTS)
    assert response.status_code == 200
    assert response.content.decode().count('<td><a href="/imports/') == 20
    assert "theirs.csv" not in response.content.decode()
