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


def administrator_logs_in(page, url, language):
    """The national administrator: password, then the code of their authenticator app."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hirfa.accounts.roles import Role
    from tests.factories import DEFAULT_PASSWORD, national

    admin = national(Role.ADMIN, username="n.bennani", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    speak(page, url, language)
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill("n.bennani")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/verify/**")
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    page.locator("input[name=code]").fill(f"{code:06d}")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(url + "/my-work/")


@pytest.mark.parametrize(("viewport", "language"), [("phone", "ar"), ("desk", "fr")])
def test_the_national_administrator_reads_the_nations_figures(
    register, request, tmp_path, viewport, language
):
    page = request.getfixturevalue(viewport)
    approved_dossier(officer=officer_of("09.581", username="k.oubella"))
    administrator_logs_in(page, register.url, language)
    page.goto(register.url + "/statistics/?by=region")
    assert page.locator("html").get_attribute("lang") == language
    census = page.locator("#figure-census-region").inner_text()
    # Every region against the census: the nation, not one territory.
    assert all(f"{code:02d}" in census for code in range(1, 13))
    assert page.locator("#figure-census-region").is_visible()
    assert page.locator("main canvas, main svg").count() >= 1  # the charts are drawn
    assert fits_the_screen(page)
    page.screenshot(path=tmp_path / f"national-statistics-{language}.png", full_page=True)
