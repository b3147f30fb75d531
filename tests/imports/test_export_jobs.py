"""Exports of large selections prepared in the background (ADR 0055): the same filters and
territory as the direct download, a file to download when the job has written it."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from hirfa.audit.models import AuditEntry
from hirfa.imports import services
from hirfa.imports.models import ExportJob
from tests.factories import AGADIR_CITY, officer_of
from tests.imports.helpers import activity_codes, row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    codes = activity_codes()
    rows = [row(i, codes) for i in range(3)] + [row(i, codes, Commune=AGADIR_CITY) for i in (7, 8)]
    services.import_file(write_csv(tmp_path / "list.csv", rows))


@pytest.fixture
def tiznit(client, django_capture_on_commit_callbacks):
    """The Tiznit officer's browser; what a request queues after its commit is queued."""
    client.force_login(officer_of("09.581", username="tiznit"))
    client.cookies["hirfa_language"] = "en"
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def _file(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_prepared_export_holds_only_the_territory_of_who_asked(tiznit, imported, run_jobs):
    response = tiznit.post("/exports/prepared/", {"format": "csv"})
    export = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exports/prepared/{export.pk}/"
    assert tiznit.get(f"/exports/prepared/{export.pk}/file/").status_code == 404

    run_jobs()

    export.refresh_from_db()
    assert (export.status, export.rows_total) == ("done", 3)
    response = tiznit.get(f"/exports/prepared/{export.pk}/file/")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(_file(response).decode("utf-8-sig"))))
    assert sorted(line[1] for line in lines[1:]) == ["JT000000", "JT000001", "JT000002"]
    assert AuditEntry.objects.get(action="registrations.exported").data["rows"] == 3


def test_the_export_buttons_of_htmx_are_answered_with_a_redirect_htmx_follows(tiznit, imported):
    response = tiznit.post(
        "/exports/prepared/", {"format": "xlsx", "status": "active"}, HTTP_HX_REQUEST="true"
    )
    export = ExportJob.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/exports/prepared/{export.pk}/"
    assert export.filters["status"] == "active"


def test_an_xlsx_export_is_a_workbook(tiznit, imported, run_jobs):
    tiznit.post("/exports/prepared/", {"format": "xlsx"})
    run_jobs()
    export = ExportJob.objects.get()
    response = tiznit.get(f"/exports/prepared/{export.pk}/file/")
    sheet = load_workbook(io.BytesIO(_file(response))).active
    assert sheet.max_row == 1 + 3


def test_the_status_polls_until_the_file_is_ready(tiznit, imported, run_jobs):
    tiznit.post("/exports/prepared/", {"format": "csv"})
    export = ExportJob.objects.get()
    waiting = tiznit.get(f"/exports/prepared/{export.pk}/status/").content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    run_jobs()
    ready = tiznit.get(f"/exports/prepared/{export.pk}/status/").content.decode()
    assert "hx-trigger" not in ready
    assert f"/exports/prepared/{export.pk}/file/" in ready


def test_a_territory_outside_the_scope_is_refused_and_nothing_queued(tiznit, imported):
    response = tiznit.post("/exports/prepared/", {"format": "csv", "territory": "09.001"})
    assert response.status_code == 302
    assert response["Location"] == "/exports/"
    assert not ExportJob.objects.exists()


def test_a_territory_lost_before_the_job_runs_fails_the_export(tiznit, imported, run_jobs):
    tiznit.post("/exports/prepared/", {"format": "csv", "territory": "09.581"})
    ExportJob.objects.update(filters={"territory": "09.001"})
    run_jobs()
    export = ExportJob.objects.get()
    assert export.status == "failed"
    assert not export.file


def test_someone_elses_export_is_not_found(tiznit, client, imported, run_jobs):
    tiznit.post("/exports/prepared/", {"format": "csv"})
    run_jobs()
    export = ExportJob.objects.get()
    client.force_login(officer_of("09.581", username="colleague"))
    for path in ("", "status/", "file/"):
        assert client.get(f"/exports/prepared/{export.pk}/{path}").status_code == 404


def test_the_export_page_lists_the_exports_prepared_for_me(tiznit, imported):
    tiznit.post("/exports/prepared/", {"format": "xlsx"})
    export = ExportJob.objects.get()
    page = tiznit.get("/exports/").content.decode()
    assert f'href="/exports/prepared/{export.pk}/"' in page


def test_an_export_whose_writing_fails_says_so_and_stops_polling(
    tiznit, imported, run_jobs, monkeypatch
):
    def broken(queryset):
        raise OSError("disk full")

    monkeypatch.setattr("hirfa.imports.exports.csv_chunks", broken)
    tiznit.post("/exports/prepared/", {"format": "csv"})
    run_jobs()
    export = ExportJob.objects.get()
    assert (export.status, bool(export.file)) == ("failed", False)
    status = tiznit.get(f"/exports/prepared/{export.pk}/status/").content.decode()
    assert "hx-trigger" not in status
    assert "could not be prepared" in status


def test_the_files_of_old_exports_are_deleted_when_an_export_is_asked(
    tiznit, imported, run_jobs, settings
):
    tiznit.post("/exports/prepared/", {"format": "csv"})
    run_jobs()
    old = ExportJob.objects.get()
    stored = Path(old.file.path)
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.EXPORT_FILES_KEPT_DAYS + 1)
    )

    tiznit.post("/exports/prepared/", {"format": "csv"})

    old.refresh_from_db()
    assert (old.status, bool(old.file), stored.exists()) == ("done", False, False)
    assert tiznit.get(f"/exports/prepared/{old.pk}/file/").status_code == 404
    assert "prepare it again" in tiznit.get(f"/exports/prepared/{old.pk}/").content.decode()


def test_a_prepared_export_is_told_in_the_inbox_of_who_asked_with_a_link_to_it(
    tiznit, imported, run_jobs
):
    from hirfa.notifications.models import InboxItem

    tiznit.post("/exports/prepared/", {"format": "csv"})
    run_jobs()
    export = ExportJob.objects.get()
    item = InboxItem.objects.get(recipient=export.actor)
    assert (item.kind, item.url) == ("export.ready", f"/exports/prepared/{export.pk}/")
    assert item.resolved_at is None


def test_a_failed_export_is_told_as_failed(tiznit, imported, run_jobs):
    from hirfa.notifications.models import InboxItem

    tiznit.post("/exports/prepared/", {"format": "csv", "territory": "09.581"})
    ExportJob.objects.update(filters={"territory": "09.001"})
    run_jobs()
    assert InboxItem.objects.get().kind == "export.failed"


def test_downloading_a_prepared_export_is_in_the_trail_as_a_read_of_personal_data(
    tiznit, imported, run_jobs
):
    tiznit.post("/exports/prepared/", {"format": "csv"})
    run_jobs()
    export = ExportJob.objects.get()
    assert tiznit.get(f"/exports/prepared/{export.pk}/file/").status_code == 200
    entry = AuditEntry.objects.get(action="exportjob.viewed")
    assert (entry.actor_id, entry.object_id) == (export.actor_id, str(export.pk))
