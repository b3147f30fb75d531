"""The coverage through the JSON API: the artisan's coverage, dependants, the schedule."""

from datetime import date

import pytest

from hirfa.coverage.models import ContributionRate, Dependant
from hirfa.coverage.money import add_months
from tests.coverage.helpers import child, immatriculated
from tests.factories import agent_of, national, pdf_upload

pytestmark = pytest.mark.django_db


def test_the_artisan_reads_their_coverage_with_amounts_as_exact_strings(client, artisan):
    immatriculated(artisan, cnss_number="123456789", on=date(2026, 1, 10))
    body = client.get("/api/v1/coverage/me").json()
    assert body["state"] == "immatriculated"
    assert body["cnss_number"] == "123456789"
    assert body["rights_open_on"] == "2026-04-01"
    assert body["months"][0] == {
        "period": "2026-01",
        "due": "135.00",
        "paid": "0.00",
        "settled": False,
        "ended": True,
    }


def test_the_artisan_declares_a_child_and_an_agent_confirms_it(client, artisan):
    response = client.post(
        "/api/v1/coverage/me/dependants", child(), content_type="application/json"
    )
    assert response.status_code == 201
    dependant_id = response.json()["id"]
    assert response.json()["missing_documents"] == ["birth_certificate"]
    client.force_login(agent_of("09"))
    response = client.post(
        f"/api/v1/coverage/dependants/{dependant_id}/documents",
        {"kind": "birth_certificate", "file": pdf_upload()},
    )
    assert response.status_code == 201
    response = client.post(f"/api/v1/coverage/dependants/{dependant_id}/confirm")
    assert response.json()["state"] == "confirmed"
    assert Dependant.objects.get().state == Dependant.State.CONFIRMED


def test_an_over_age_child_comes_back_in_the_error_shape(client, artisan):
    response = client.post(
        "/api/v1/coverage/me/dependants",
        child(birth_date="1990-01-01"),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "over_age"
    assert "birth_date" in response.json()["fields"]


def test_a_schedule_that_overlaps_itself_is_refused_line_by_line_and_nothing_changes(client):
    client.force_login(national())
    start = add_months(date.today(), 1)
    row = {
        "category": "rna",
        "starts_on": f"{start.year}-{start.month:02d}",
        "basis": "2200.00",
        "rate": "6.37",
        "monthly_amount": "140.14",
    }
    response = client.post(
        "/api/v1/coverage/schedule", {"rows": [row, row]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["line 2"]
    assert ContributionRate.objects.count() == 4
    response = client.post(
        "/api/v1/coverage/schedule", {"rows": [row]}, content_type="application/json"
    )
    assert response.status_code == 201
    assert len(client.get("/api/v1/coverage/schedule").json()) == 5
