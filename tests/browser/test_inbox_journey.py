import pytest

from tests.factories import DEFAULT_PASSWORD, agent_of, officer_of, submitted_dossier

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.context.add_cookies([{"name": "hirfa_language", "value": "en", "url": url}])
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(url + "/my-work/")


def test_the_officer_follows_the_inbox_to_the_file_waiting_for_review_on_a_phone(register, phone):
    officer_of("09.581", username="k.oubella")
    dossier = submitted_dossier(agent_of("09", username="souss.agent"))
    log_in(phone, register.url, "k.oubella")
    phone.locator("nav.menu a", has_text="Inbox (1)").click()
    phone.wait_for_url(register.url + "/inbox/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.locator("ul.inbox a", has_text="A new file waits for your review").click()
    phone.wait_for_url(f"{register.url}/review/{dossier.pk}/")
