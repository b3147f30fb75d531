"""Statistics in a browser: the officer of Tiznit on a phone in Arabic, the Souss-Massa
chamber at a desk in French; each sees their own figures, and the page fits the screen."""

import pytest

from tests.browser.test_my_work_journey import fits_the_screen, log_in
from tests.factories import agent_of, approved_dossier, officer_of

pytestmark = pytest.mark.browser


def speak(page, url, language):
    page.context.add_cookies([{"name": "hirfa_language", "value": language, "url": url}])


def test_the_officer_of_tiznit_reads_the_statistics_on_a_phone_in_arabic(register, phone, tmp_path):
    approved_dossier(officer=officer_of("09.581", username="k.oubella"))
    speak(phone, register.url, "ar")
    log_in(phone, register.url, "k.oubella")
    phone.goto(register.url + "/statistics/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    figure = phone.locator("#figure-registrations-by-province")
    assert figure.is_visible()
    assert "09.581" in figure.inner_text()
    assert phone.locator("#figure-census-province").is_visible()
    assert fits_the_screen(phone)
    phone.screenshot(path=tmp_path / "officer-statistics-ar-360.png", full_page=True)


def test_the_chamber_reads_its_statistics_at_a_desk_in_french(register, desk, tmp_path):
    approved_dossier(agent=agent_of("09", username="souss.chamber"))
    speak(desk, register.url, "fr")
    log_in(desk, register.url, "souss.chamber")
    desk.goto(register.url + "/statistics/amo/")
    assert "Statistiques" in desk.locator("h1").inner_text()
    assert desk.locator("#figure-amo-by-province").is_visible()
    desk.goto(register.url + "/statistics/?province=09.581")
    assert "09.581" in desk.locator("#figure-registrations-by-province").inner_text()
    desk.screenshot(path=tmp_path / "chamber-statistics-fr.png", full_page=True)


def test_a_visitor_reads_the_open_data_on_a_phone(register, phone):
    phone.goto(register.url + "/open-data/")
    assert phone.locator("#figure-registrations-region-sex").is_visible()
    assert fits_the_screen(phone)
