import pytest

from tests.factories import DEFAULT_PASSWORD, agent_of, officer_of
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.browser


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(url + "/my-work/")


def test_the_chamber_lands_on_its_work_on_a_phone(register, phone):
    agent = agent_of("09", username="souss.chamber")
    make_event(agent, publish=True)
    log_in(phone, register.url, "souss.chamber")
    assert phone.locator("main section#agent").is_visible()
    assert phone.locator("main section#chamber li a").count() == 1
    assert fits_the_screen(phone)


def test_the_officer_of_tiznit_lands_on_the_files_to_decide(register, desk):
    officer_of("09.581", username="k.oubella")
    log_in(desk, register.url, "k.oubella")
    assert desk.locator("main section#officer").is_visible()
    assert desk.locator("main section#chamber, main section#national").count() == 0
    desk.locator("main section#officer a.button").click()
    desk.wait_for_url(register.url + "/review/")
