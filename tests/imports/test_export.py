"""Exports of registrations: CSV and XLSX, only the user's territory, always logged."""

import csv
import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from hirfa.audit.models import AuditEntry
from hirfa.imports import services
from hirfa.register.models import Registration
from tests.factories import AGADIR_CITY, national, officer_of
from tests.imports.helpers import activity_codes, row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    codes = activity_codes()
    rows = [row(i, codes) for i in range(3)] + [row(i, codes, Commune=AGADIR_CITY) for i in (7, 8)]
    services.import_file(write_csv(tmp_path / "list.csv", rows))


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_an_officer_exports_only_the_registrations_of_their_province(client, imported):
    client.force_login(officer_of("09.581"))
    response = client.get("/exports/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    lines = _csv(response)
    assert sorted(line[1] for line in lines[1:]) == ["JT000000", "JT000001", "JT000002"]


def test_the_export_is_filtered_and_logged_with_its_filters(client, imported):
    user = national()
    client.force_login(user)
    Registration.objects.filter(person__cnie="JT000007").update(status="suspended")
    response = client.get("/exports/", {"format": "csv", "territory": "09", "status": "active"})
    assert len(_csv(response)) == 1 + 4
    entry = AuditEntry.objects.get(action="registrations.exported")
    assert entry.actor == user
    assert entry.data["filters"]["status"] == "active"
    assert entry.data["rows"] == 4


def test_the_api_gives_an_xlsx_file(client, imported):
    client.force_login(officer_of("09.001"))
    response = client.get("/api/v1/exports/registrations", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cnies = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(cnies) == ["JT000007", "JT000008"]


def test_a_territory_outside_the_user_scope_is_refused(client, imported):
    client.force_login(officer_of("09.581"))
    response = client.get("/api/v1/exports/registrations", {"territory": "09.001"})
    assert response.status_code == 400
    assert "territory" in response.json()["fields"]
    assert not AuditEntry.objects.filter(action="registrations.exported").exists()


@pytest.mark.parametrize("field", ["territory", "activity"])
def test_a_filter_that_cannot_be_a_code_is_refused_without_asking_the_database(
    client, imported, field
):
    client.force_login(officer_of("09.581"))
    response = client.get("/api/v1/exports/registrations", {field: "09\u0130581"})
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_the_export_page_shows_the_filters_of_the_user_territory(client, imported):
    client.force_login(officer_of("09.581"))
    response = client.get("/exports/")
    assert response.status_code == 200
    assert b'value="09.581"' in response.content
    assert b'value="09.001"' not in response.content


def test_an_artisan_cannot_export(client, imported):
    from hirfa.accounts.models import User

    client.force_login(User.objects.create_user("artisan", role="artisan"))
    assert client.get("/api/v1/exports/registrations").status_code == 403
    assert client.get("/exports/").status_code == 403


def test_the_registrations_list_links_to_the_export_with_its_status(client, imported):
    client.force_login(officer_of("09.581"))
    page = client.get("/registrations/", {"status": "active"}).content.decode()
    assert 'href="/exports/?status=active"' in page


def test_the_csv_speaks_the_readers_language_names_not_codes(client, settings, imported):
    client.force_login(officer_of("09.581"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    lines = _csv(client.get("/exports/", {"format": "csv"}))
    header = lines[0]
    registration = Registration.objects.select_related(
        "person", "principal_activity", "province", "workplace_commune"
    ).get(person__cnie=lines[1][1])
    line = dict(zip(header, lines[1], strict=True))
    with translation.override("fr"):
        assert line[gettext("Sex")] == registration.person.get_sex_display()
        assert line[gettext("Category")] == registration.get_category_display()
        assert line[gettext("Status")] == registration.get_status_display()
        assert line[gettext("Activity")] == registration.principal_activity.name_fr
        assert line[gettext("Activity code")] == registration.principal_activity.code
        assert line[gettext("Province")] == registration.province.name_fr
    assert "active" not in lines[1]


def test_the_csv_headers_follow_the_arabic_reader(client, imported):
    client.force_login(officer_of("09.581"))
    lines = _csv(client.get("/exports/", {"format": "csv"}))
    with translation.override("ar"):
        assert lines[0][0] == gettext("Registration number")
        assert gettext("Province") in lines[0]
