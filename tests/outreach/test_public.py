import pytest
from django.conf import settings
from django.utils.html import escape

from hirfa.cards.reading import texts_in_pdf
from hirfa.register.selectors import required_documents
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db


def in_french(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_the_list_shows_published_events_in_arabic_by_default(client, souss_agent):
    make_event(souss_agent, publish=True)
    response = client.get("/events/")
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    page = response.content.decode()
    assert "لقاء تحسيسي حول التغطية الصحية" in page
    assert "أنشطة قريبة منك" in page


def test_the_list_speaks_french_when_chosen(client, souss_agent):
    make_event(souss_agent, publish=True)
    response = in_french(client).get("/events/")
    assert response.status_code == 200
    assert "Rencontre de sensibilisation sur l&#x27;AMO" in response.content.decode()


def test_the_event_page_speaks_tamazight_in_tifinagh(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zgh"
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "ⴰⵎⵢⴰⵡⴰⴹ ⵅⴼ ⵓⵙⵜⴰⵡⵉ ⴰⵏⵙⵙⵓⵜⵍ" in page  # the title
    assert "ⵎⴰⴷ ⵉⵍⴰⵇⵏ ⴰⴷ ⵜⴰⵡⵉⴷ ⵉ ⵓⵣⵎⵎⴻⵎ" in page  # what to bring


def test_a_draft_is_not_listed_nor_shown(client, souss_agent):
    event = make_event(souss_agent)
    assert event.name_ar not in client.get("/events/").content.decode()
    assert client.get(f"/events/{event.slug}/").status_code == 404


def test_the_list_filters_by_region_and_province(client, souss_agent):
    make_event(souss_agent, publish=True)
    assert "لقاء تحسيسي" in client.get("/events/?region=09&province=09.581").content.decode()
    assert "لقاء تحسيسي" not in client.get("/events/?region=09&province=09.001").content.decode()
    assert "لقاء تحسيسي" not in client.get("/events/?region=01").content.decode()


def test_the_public_list_takes_four_queries_for_any_number_of_events(
    client, souss_agent, django_assert_num_queries
):
    for days in (10, 20, 30, 40):
        make_event(souss_agent, days=days, publish=True)
    # Regions, the region's provinces, the events, their sessions.
    with django_assert_num_queries(4):
        response = client.get("/events/?region=09")
    assert len(response.context["events"]) == 4


def test_the_staff_list_takes_five_queries_for_any_number_of_events(
    client, souss_agent, django_assert_num_queries
):
    for days in (10, 20, 30):
        make_event(souss_agent, days=days)
    client.force_login(souss_agent)
    # The session, the user, the events, their sessions, the menu's count of the inbox.
    with django_assert_num_queries(5):
        response = client.get("/outreach/")
    assert len(response.context["events"]) == 3


def test_the_event_page_says_what_to_bring_in_french(client, souss_agent):
    event = make_event(souss_agent, publish=True, categories=["artisan_experience"])
    page = in_french(client).get(f"/events/{event.slug}/").content.decode()
    assert "il faut apporter pour s" in page
    for requirement in required_documents("artisan_experience"):
        assert escape(requirement.name_fr) in page
    assert "Les étapes de l&#x27;AMO" in page


def test_an_event_is_found_by_its_number_too(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    assert client.get(f"/events/{event.pk}/").status_code == 200


def test_the_poster_is_an_a4_pdf_whose_qr_leads_to_the_event_page(client, souss_agent):
    import pypdfium2

    event = make_event(souss_agent, publish=True)
    response = client.get(f"/events/{event.slug}/poster.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    width, height = pypdfium2.PdfDocument(response.content)[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert texts_in_pdf(response.content) == [f"{settings.PUBLIC_URL}/events/{event.slug}/"]
