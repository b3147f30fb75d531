"""The statistics pages: each user sees the figures of their territory, filters are checked,
nothing leaks from outside the scope, and every table downloads as CSV and XLSX."""

import csv
import io

import pytest
from django.utils import timezone

from hirfa.accounts.selectors import Scope
from hirfa.stats.pages import month_tables
from tests.factories import (
    AGADIR_CITY,
    agent_of,
    approved_dossier,
    artisan_account,
    national,
    officer_of,
)

pytestmark = pytest.mark.django_db

PAGES = ("registrations", "applications", "cards", "amo", "outreach")
# The session and the user, the menu's inbox count, the freshness row, then each table's reads.
QUERIES = {"registrations": 13, "applications": 11, "cards": 12, "amo": 12, "outreach": 7}


@pytest.fixture
def registered():
    """Two artisans: one in Tiznit, one in Agadir (both in Souss-Massa)."""
    agent = agent_of("09")
    approved_dossier(agent=agent)
    approved_dossier(
        agent=agent,
        officer=officer_of("09.001"),
        cnie="AB123456",
        phone="0611111111",
        commune=AGADIR_CITY,
        craft={"workplace_commune": AGADIR_CITY},
        sex="M",
    )


def page(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def cells_of(response, key):
    return next(t for t in response.context["tables"] if t.key == key).rows


def test_the_officer_of_tiznit_sees_the_registrations_of_tiznit_only(client, registered):
    response = page(client, officer_of("09.581"), "/statistics/")
    assert response.status_code == 200
    rows = cells_of(response, "registrations-by-province")
    assert [(r["code"], r["total"]) for r in rows] == [("09.581", 1)]


def test_the_chamber_sees_every_province_of_its_region(client, registered):
    response = page(client, agent_of("09"), "/statistics/")
    rows = cells_of(response, "registrations-by-province")
    assert [(r["code"], r["total"]) for r in rows] == [("09.001", 1), ("09.581", 1)]


def test_the_national_administrator_sees_the_country_and_a_map_by_region(client, registered):
    response = page(client, national(), "/statistics/", by="sex")
    rows = cells_of(response, "registrations-by-sex")
    assert sorted((r["name"], r["total"]) for r in rows) == [("Man", 1), ("Woman", 1)] or rows
    census = next(t for t in response.context["tables"] if t.key == "census-region")
    assert census.chart == "map" and census.map_level == "region" and census.x == "code"
    souss = next(r for r in census.rows if r["code"] == "09")
    assert souss["registered"] == 2 and souss["self_employed"] > 0 and souss["rate"] is not None


def test_a_province_outside_the_scope_is_refused_without_any_figure(client, registered):
    response = page(client, officer_of("09.581"), "/statistics/", province="09.001")
    assert response.status_code == 400
    assert "tables" not in response.context
    assert "province" in response.context["error"].fields
    assert "1" not in response.content.decode().split('id="filter-errors"')[1].split("</div>")[0]


def test_an_unknown_province_reads_the_same_as_one_outside_the_scope(client):
    outside = page(client, officer_of("09.581"), "/statistics/", province="09.001")
    unknown = page(client, officer_of("09.581"), "/statistics/", province="99.999")
    assert outside.context["error"].fields == unknown.context["error"].fields


@pytest.mark.parametrize(
    "params, field",
    [
        ({"to": "2999-01"}, "to"),
        ({"from": "2026-13"}, "from"),
        ({"from": "2026-05", "to": "2026-01"}, "from"),
        ({"by": "income"}, "by"),
        ({"colour": "red"}, "filters"),
    ],
)
def test_a_bad_filter_is_refused_with_a_message(client, params, field):
    response = page(client, agent_of("09"), "/statistics/", **params)
    assert response.status_code == 400
    assert field in response.context["error"].fields


def test_a_filter_holding_a_nul_byte_is_a_bad_request(client):
    response = page(client, agent_of("09"), "/statistics/", province="09.581\0")
    assert response.status_code == 400


def test_a_future_period_is_refused_in_arabic_too(client):
    client.force_login(agent_of("09"))
    response = client.get("/statistics/", {"to": "2999-01"}, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400
    assert "لا يمكن أن تنتهي الفترة في المستقبل." in response.content.decode()


def test_an_artisan_may_not_see_the_statistics(client):
    client.force_login(artisan_account())
    assert client.get("/statistics/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get("/statistics/").status_code == 302


@pytest.mark.parametrize("name", PAGES)
def test_each_page_reads_a_fixed_number_of_queries(
    client, registered, name, django_assert_num_queries
):
    client.force_login(agent_of("09"))
    path = "/statistics/" if name == "registrations" else f"/statistics/{name}/"
    client.get(path)  # warm the census and the session
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(path).status_code == 200


def test_a_table_downloads_as_csv_with_the_same_figures(client, registered):
    client.force_login(officer_of("09.581"))
    response = client.get("/statistics/registrations/registrations-by-province.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "09.581" and rows[1][-1] == "1"


def test_a_table_downloads_as_xlsx(client, registered):
    from openpyxl import load_workbook

    client.force_login(officer_of("09.581"))
    response = client.get("/statistics/amo/amo-by-province.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=2, column=1).value == "09.581"


def test_a_download_with_a_bad_filter_is_refused(client):
    client.force_login(officer_of("09.581"))
    response = client.get("/statistics/cards/cards-by-month.csv", {"province": "09.001"})
    assert response.status_code == 400


def test_an_unknown_table_or_format_is_not_found(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/statistics/cards/nothing.csv").status_code == 404
    assert client.get("/statistics/cards/cards-by-month.pdf").status_code == 404
    assert client.get("/statistics/income/").status_code == 404


def test_the_month_tables_of_the_report_cover_every_page(registered):
    tables = month_tables(Scope(national=True), timezone.localdate())
    keys = [t.key for t in tables]
    assert "registrations-by-month" in keys and "amo-by-province" in keys
    assert "outreach-by-month" in keys
    by_month = next(t for t in tables if t.key == "registrations-by-month")
    assert by_month.rows[0]["total"] == 2


def test_the_month_tables_of_an_officer_stay_in_the_province(registered):
    tables = month_tables(officer_of("09.581"), timezone.localdate())
    by_month = next(t for t in tables if t.key == "registrations-by-month")
    assert by_month.rows[0]["total"] == 1


def test_the_menu_shows_statistics_to_staff_and_open_data_to_all(client):
    assert b"/open-data/" in client.get("/").content
    client.force_login(officer_of("09.581"))
    assert b"/statistics/" in client.get("/").content
