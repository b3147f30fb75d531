import pytest

from hirfa.accounts.roles import Role
from tests.factories import DEFAULT_PASSWORD, agent_of, approved_registration, national, officer_of

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.context.add_cookies([{"name": "hirfa_language", "value": "en", "url": url}])
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(url + "/my-work/")


def log_out(page):
    page.locator("header form button[type=submit].link").click()


def test_the_auditor_finds_who_opened_an_artisan_s_file(register, desk):
    registration = approved_registration(
        agent=agent_of("09", username="souss.agent"), officer=officer_of("09.581")
    )
    officer_of("09.581", username="k.oubella")
    national(Role.AUDITOR, username="n.auditor")

    log_in(desk, register.url, "k.oubella")
    desk.goto(f"{register.url}/registrations/{registration.number}/")
    log_out(desk)

    log_in(desk, register.url, "n.auditor")
    desk.locator("nav.menu a", has_text="Audit trail").click()
    desk.wait_for_url(register.url + "/audit/")
    desk.locator("input[name=artisan]").fill(registration.person.cnie)
    desk.locator("select[name=action]").select_option("reads")
    desk.locator("form.filters button[type=submit]").click()
    rows = desk.locator("table.trail tbody tr")
    assert rows.count() == 1
    assert "k.oubella opened an artisan's file." in rows.first.inner_text()
    assert f"/registrations/{registration.number}/" in rows.first.inner_text()


def test_the_trail_fits_a_phone(register, phone):
    national(Role.AUDITOR, username="n.auditor")
    log_in(phone, register.url, "n.auditor")
    phone.goto(register.url + "/audit/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.locator("#chain button").is_visible()
