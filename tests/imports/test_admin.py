import pytest

from hirfa.imports.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    return ImportRun.objects.create(
        file_name="chamber-09.csv", file_sha256="0" * 64, file_format="csv", language="ar"
    )


def test_import_runs_are_listed_and_shown_in_the_admin(admin_client, run):
    assert admin_client.get("/admin/imports/importrun/").status_code == 200
    page = admin_client.get(f"/admin/imports/importrun/{run.pk}/change/")
    assert page.status_code == 200
    assert b"chamber-09.csv" in page.content


def test_import_runs_are_never_added_changed_or_deleted_in_the_admin(admin_client, run):
    assert admin_client.get("/admin/imports/importrun/add/").status_code == 403
    page = admin_client.get(f"/admin/imports/importrun/{run.pk}/change/")
    assert b'name="_save"' not in page.content
    assert admin_client.post(f"/admin/imports/importrun/{run.pk}/change/", {}).status_code == 403
    assert admin_client.post(f"/admin/imports/importrun/{run.pk}/delete/").status_code == 403
