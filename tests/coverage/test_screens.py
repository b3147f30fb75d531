"""The coverage screens: the artisan's page, agents' checks, officers' figures, the schedule."""

from datetime import date
from decimal import Decimal

import pytest

from hirfa.coverage.models import ContributionRate, Dependant
from hirfa.coverage.money import add_months
from tests.coverage.helpers import child, immatriculated, pay
from tests.factories import (
    agent_of,
    approved_registration,
    national,
    officer_of,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def artisan(artisan, client):
    """The signed-in artisan, reading their pages in English."""
    client.cookies["hirfa_language"] = "en"
    return artisan


def test_a_new_artisan_reads_that_there_is_nothing_to_do_yet(client, artisan):
    page = client.get("/me/coverage/")
    assert page.status_code == 200
    assert "We will send your file to the CNSS" in page.content.decode()
    assert "You have nothing to do" in page.content.decode()


def test_the_artisan_sees_the_cnss_number_and_the_date_rights_open(client, artisan):
    today = date.today()
    immatriculated(artisan, cnss_number="123456789", on=today)
    text = client.get("/me/coverage/").content.decode()
    opens = add_months(today, 3)
    assert "123456789" in text
    assert f"Your health insurance opens on {opens:%d/%m/%Y} if you pay" in text
    assert f'<time datetime="{opens.isoformat()}">' in text
    assert "Pay 135.00 dirhams each month" in text


def test_an_artisan_past_the_waiting_period_with_nothing_paid_is_told_what_they_owe(
    client, artisan
):
    immatriculated(artisan, on=add_months(date.today(), -3))
    text = client.get("/me/coverage/").content.decode()
    assert "opens once your first contributions are paid" in text
    assert "You owe 405.00 dirhams" in text


def test_arrears_and_the_suspension_are_explained_in_plain_words(client, artisan):
    from hirfa.coverage import services

    immatriculated(artisan, on=date(2026, 1, 10))
    for period in ("2026-01", "2026-02", "2026-03"):
        pay(artisan, period)
    services.apply_rules(today=date(2026, 6, 2))
    page = client.get("/me/coverage/")
    text = page.content.decode()
    assert "Your health insurance is suspended" in text
    assert page.context["statement"].arrears >= Decimal("270.00")
    assert f"Pay the {page.context['statement'].arrears} dirhams you owe" in text


def test_the_artisan_declares_a_child_and_attaches_the_birth_certificate(client, artisan):
    response = client.post(
        "/me/coverage/dependants/new/",
        child(),
    )
    assert response.status_code == 302
    dependant = Dependant.objects.get()
    response = client.post(
        f"/me/coverage/dependants/{dependant.pk}/documents/",
        {"kind": "birth_certificate", "file": pdf_upload()},
    )
    assert response.status_code == 302
    assert dependant.documents.count() == 1


def test_an_over_age_child_is_refused_beside_the_date(client, artisan):
    response = client.post(
        "/me/coverage/dependants/new/",
        child(birth_date="1990-05-02"),
    )
    assert response.status_code == 400
    assert "over the age limit" in response.content.decode()
    assert not Dependant.objects.exists()


def test_an_agent_confirms_a_declared_dependant(client, artisan):
    from hirfa.coverage import services

    agent = agent_of("09")
    dependant = services.declare_dependant(
        actor=agent,
        registration=artisan,
        data={
            "relation": "spouse",
            "first_name_ar": "إبراهيم",
            "last_name_ar": "أيت لحسن",
            "first_name_latin": "Brahim",
            "last_name_latin": "Ait Lahcen",
            "sex": "M",
            "birth_date": "1975-01-01",
        },
    )
    client.force_login(agent)
    assert dependant.full_name_ar in client.get("/coverage/").content.decode()
    client.post(
        f"/coverage/dependants/{dependant.pk}/",
        {"action": "attach", "kind": "family_record", "file": pdf_upload()},
    )
    client.post(f"/coverage/dependants/{dependant.pk}/", {"action": "confirm"})
    assert Dependant.objects.get().state == Dependant.State.CONFIRMED
    document = dependant.documents.get()
    assert (
        client.get(f"/coverage/dependants/{dependant.pk}/documents/{document.pk}/").status_code
        == 200
    )


def test_an_officer_sees_the_figures_of_their_province_only(client, artisan):
    immatriculated(artisan)
    from hirfa.register.models import Registration
    from tests.factories import province

    other = approved_registration(cnie="AB123456", phone="0612345679")
    Registration.objects.filter(pk=other.pk).update(province=province("09.001"))
    client.force_login(officer_of("09.581"))
    page = client.get("/coverage/")
    figures = page.context["figures"]
    assert figures["registered"] == 1
    assert figures["by_state"]["immatriculated"] == 1


def test_an_agent_of_another_region_cannot_open_the_artisans_coverage(client, artisan):
    client.force_login(agent_of("01"))
    assert client.get(f"/coverage/artisans/{artisan.number}/").status_code == 404


def test_a_national_administrator_adds_a_rate_from_the_schedule_page(client):
    client.force_login(national())
    start = add_months(date.today(), 2)
    response = client.post(
        "/coverage/schedule/",
        {
            "category": "rna",
            "starts_on": f"{start.year}-{start.month:02d}",
            "basis": "2200.00",
            "rate": "6.37",
            "monthly_amount": "140.14",
            "source": "Decree",
        },
    )
    assert response.status_code == 302
    assert ContributionRate.objects.filter(category="rna").count() == 2


def test_an_officer_reads_the_schedule_but_cannot_change_it(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/coverage/schedule/").status_code == 200
    assert client.post("/coverage/schedule/", {"category": "rna"}).status_code == 403


def test_an_agent_opens_an_artisans_coverage_by_its_number(client, artisan):
    client.force_login(agent_of("09"))
    response = client.get("/coverage/artisans/", {"number": f" {artisan.number} "}, follow=True)
    assert response.status_code == 200
    assert response.context["registration"] == artisan


def test_a_province_outside_the_officers_scope_is_not_found_on_the_figures_page(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/coverage/", {"province": "09.001"}).status_code == 404
