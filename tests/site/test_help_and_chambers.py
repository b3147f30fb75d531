"""Help where the artisan is: a help page for each role, the directory of the chambers of
crafts and provincial directorates, and where my card is."""

import pytest
from django.test import TestCase
from django.utils import translation
from django.utils.html import escape

from hirfa.cards import services as cards
from hirfa.cards.models import Card
from hirfa.register import services
from hirfa.territory.models import Organisation
from hirfa.territory.offices import load_offices
from tests.factories import agent_of, officer_of, use_test_signing_key
from tests.register.helpers import logged_in_artisan, submitted_dossier_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("topic", ["artisan", "agent", "officer", "cnss", "admin"])
def test_each_role_has_its_help_page(client, topic):
    response = client.get(f"/help/{topic}/")
    assert response.status_code == 200
    assert 'class="steps"' in response.content.decode()


def test_the_help_page_opens_on_the_visitors_own_role(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/help/").context["topic"] == "officer"
    client.force_login(agent_of("09"))
    assert client.get("/help/").context["topic"] == "agent"


def test_an_unknown_help_topic_is_not_found(client):
    assert client.get("/help/nobody/").status_code == 404


def test_the_twelve_chambers_and_the_directorates_are_listed_by_region(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/chambers/")
    assert response.status_code == 200
    regions = response.context["regions"]
    assert len(regions) == 12
    chambers = [o for _, offices in regions for o in offices if o.kind == "chamber"]
    assert len(chambers) == 12
    page = response.content.decode()
    assert "Agadir" in page and "Monday to Friday" in page and "08:30-16:30" in page


def test_the_offices_file_fills_the_towns_and_never_overwrites_an_admins_correction():
    chamber = Organisation.objects.get(code="chamber-09")
    assert (chamber.city_fr, chamber.hours) == ("Agadir", "08:30-16:30")
    tiznit = Organisation.objects.get(code="directorate-09-581")
    assert tiznit.city_ar == tiznit.province.name_ar
    chamber.address_fr, chamber.phone = "Avenue Hassan II, Agadir", "0528000000"
    chamber.save()
    load_offices()
    chamber.refresh_from_db()
    assert (chamber.address_fr, chamber.phone) == ("Avenue Hassan II, Agadir", "0528000000")
    with translation.override("zgh"):
        assert chamber.city == "ⴰⴳⴰⴷⵉⵔ"


def test_an_artisan_without_a_card_is_told_it_is_not_issued_yet(client):
    logged_in_artisan(client)
    response = client.get("/me/card/")
    assert response.status_code == 200
    assert "Your card is not issued yet." in response.content.decode()


def test_a_printed_card_is_ready_to_collect_at_the_chamber_of_the_region(
    client, run_jobs, settings
):
    use_test_signing_key(settings)
    user = logged_in_artisan(client)
    dossier = submitted_dossier_of(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        dossier = services.approve(officer=officer_of("09.581"), dossier=dossier)
    run_jobs()
    cards.issue_first_cards()
    card = dossier.registration.cards.get()
    Card.objects.filter(pk=card.pk).update(print_state=Card.PrintState.PRINTED)
    page = client.get("/me/card/").content.decode()
    assert "Your card is printed: it is ready to collect." in page
    assert escape(Organisation.objects.get(code="chamber-09").name_fr) in page


def test_staff_cannot_open_the_artisans_card_page(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/me/card/").status_code == 403
