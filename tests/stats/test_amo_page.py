"""The AMO statistics page: month by month within the period chosen (the steps the
enrolments reached, the dependants declared), beside today's funnel and provinces, always
within the user's territory (docs/statistics.md, docs/decisions/0078)."""

import csv
import io
from datetime import date

import pytest
from django.utils import timezone

from hirfa.accounts.selectors import Scope
from hirfa.coverage import services as coverage
from hirfa.stats.filters import shift
from hirfa.stats.pages import month_tables
from tests.coverage.helpers import SOURCE, child
from tests.factories import AGADIR_CITY, agent_of, approved_registration, officer_of

pytestmark = pytest.mark.django_db

PATH = "/statistics/amo/"


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def months_ago(count: int) -> date:
    return shift(this_month(), -count)


@pytest.fixture
def enrolled():
    """Two artisans sent to the CNSS today, one in Tiznit and one in Agadir; the one of
    Tiznit was immatriculated three months ago and has declared a child. Returns the
    registrations (Tiznit, Agadir)."""
    tiznit = approved_registration()
    agadir = approved_registration(
        officer=officer_of("09.001"),
        cnie="AB123456",
        phone="0611111111",
        commune=AGADIR_CITY,
        craft={"workplace_commune": AGADIR_CITY},
        sex="M",
    )
    coverage.mark_sent(
        registration_numbers=[tiznit.number, agadir.number], batch_id="B1", source=SOURCE
    )
    coverage.record_immatriculation(
        number=tiznit.number,
        cnss_number="123456789",
        on=months_ago(3).replace(day=10),
        source=SOURCE,
    )
    coverage.declare_dependant(actor=agent_of("09"), registration=tiznit, data=child())
    return tiznit, agadir


def amo_month_table(client, user, **params):
    client.force_login(user)
    response = client.get(PATH, params)
    assert response.status_code == 200
    return next(t for t in response.context["tables"] if t.key == "amo-by-month")


def total(table, column) -> int:
    return sum(row[column] for row in table.rows)


def test_the_month_table_counts_each_step_in_the_month_it_was_reached(client, enrolled):
    table = amo_month_table(
        client, agent_of("09"), **{"from": f"{months_ago(3):%Y-%m}", "to": f"{this_month():%Y-%m}"}
    )
    first, *_between, last = table.rows
    assert (first["immatriculated"], first["sent"]) == (1, 0)
    assert (last["sent"], last["immatriculated"], last["dependants"]) == (2, 0, 1)


def test_the_officer_of_tiznit_sees_no_figure_of_another_province(client, enrolled):
    officer = officer_of("09.581")
    assert total(amo_month_table(client, officer), "sent") == 1
    assert total(amo_month_table(client, agent_of("09")), "sent") == 2
    client.force_login(officer)
    response = client.get(PATH)
    by_province = next(t for t in response.context["tables"] if t.key == "amo-by-province")
    assert [row["code"] for row in by_province.rows] == ["09.581"]


def test_an_enrolment_that_reached_its_step_before_the_period_is_not_counted(client, enrolled):
    chamber = agent_of("09")
    before = amo_month_table(client, chamber, **{"from": f"{months_ago(2):%Y-%m}"})
    reached = amo_month_table(
        client, chamber, **{"from": f"{months_ago(3):%Y-%m}", "to": f"{months_ago(3):%Y-%m}"}
    )
    assert total(before, "immatriculated") == 0
    assert total(reached, "immatriculated") == 1
    assert [row["month"] for row in reached.rows] == [reached.rows[0]["month"]]


def test_the_snapshot_tables_say_the_period_does_not_change_them(client, enrolled):
    client.force_login(agent_of("09"))
    client.cookies["hirfa_language"] = "fr"
    response = client.get(PATH, {"from": f"{months_ago(1):%Y-%m}"})
    tables = {t.key: t for t in response.context["tables"]}
    assert list(tables) == ["amo-by-month", "amo-funnel", "amo-by-province"]
    # Today's states do not depend on the period: the immatriculation of three months ago.
    tiznit = next(r for r in tables["amo-by-province"].rows if r["code"] == "09.581")
    assert tiznit["immatriculated"] == 1
    text = response.content.decode()
    assert text.count("Situation actuelle : la période choisie ne change pas ce tableau.") == 2
    assert "La période choisie (" in text
    assert "Ayants droit déclarés dans le mois" in text


def test_a_period_ending_in_the_future_is_refused_in_french(client):
    client.force_login(officer_of("09.581"))
    client.cookies["hirfa_language"] = "fr"
    response = client.get(PATH, {"to": "2999-01"})
    assert response.status_code == 400
    assert "tables" not in response.context
    assert "La période ne peut pas finir dans le futur." in response.content.decode()


def test_the_month_table_downloads_as_csv_with_the_figures_of_the_period(client, enrolled):
    client.force_login(officer_of("09.581"))
    month = f"{this_month():%Y-%m}"
    response = client.get(f"{PATH}amo-by-month.csv", {"from": month, "to": month})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'amo-by-month-{month.replace("-", "")}-{month.replace("-", "")}.csv"'
    )
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(header) == 7
    assert row[1:] == ["1", "0", "0", "0", "0", "1"]


def test_the_month_table_downloads_as_xlsx(client, enrolled):
    from openpyxl import load_workbook

    client.force_login(officer_of("09.581"))
    response = client.get(f"{PATH}amo-by-month.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 13  # the header and the twelve months of the default period
    assert sheet.cell(row=13, column=2).value == 1


def test_a_future_period_download_is_refused(client):
    client.force_login(officer_of("09.581"))
    response = client.get(f"{PATH}amo-by-month.csv", {"to": "2999-01"})
    assert response.status_code == 400


def test_the_monthly_report_holds_the_month_of_the_amo(enrolled):
    tables = month_tables(Scope(national=True), this_month())
    by_month = next(t for t in tables if t.key == "amo-by-month")
    assert [(r["sent"], r["dependants"]) for r in by_month.rows] == [(2, 1)]


def test_the_monthly_report_of_an_officer_stays_in_the_province(enrolled):
    tables = month_tables(officer_of("09.581"), months_ago(3))
    by_month = next(t for t in tables if t.key == "amo-by-month")
    assert [(r["immatriculated"], r["sent"]) for r in by_month.rows] == [(1, 0)]
