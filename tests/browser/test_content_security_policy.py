"""The pages work under the Content Security Policy (docs/decisions/0037): Chromium reports
no violation on the main pages of each kind of visitor, the card verifier (and its
service worker) and the staff screens included."""

import pytest

from tests.browser.waiting import wait_until
from tests.factories import DEFAULT_PASSWORD, UserFactory, agent_of, officer_of
from tests.register.helpers import submitted

pytestmark = pytest.mark.browser

# Each page records the violations it sees; they are read after the page has settled.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(desk):
    messages = []
    desk.on(
        "console",
        lambda message: (
            messages.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    desk.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    desk.add_init_script(RECORD_VIOLATIONS)
    return desk, messages


def visit(page, messages, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert "content-security-policy" in response.all_headers()
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    assert violations == [], f"{url}: {violations}"
    assert messages == [], f"{url}: {messages}"


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def log_out(page):
    page.context.clear_cookies()


def test_public_pages_work_under_the_policy(register, watched):
    page, messages = watched
    for path in [
        "/",
        "/verify/",
        "/accounts/login/",
        "/accounts/signup/",
        "/admin/login/",
        "/api/v1/docs",
    ]:
        visit(page, messages, register.url + path)


def test_the_verifier_and_its_service_worker_work_under_the_policy(register, watched):
    page, messages = watched
    visit(page, messages, register.url + "/verify/")
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=15000)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert messages == []


def test_staff_and_artisan_pages_work_under_the_policy(register, watched):
    page, messages = watched
    agent = agent_of("09", username="agent.souss")
    dossier = submitted(agent)
    officer_of("09.581", username="officer.tiznit")
    UserFactory(username="artisan.one")

    log_in(page, register.url, "agent.souss")
    for path in ["/desk/", "/desk/new/", f"/desk/dossiers/{dossier.pk}/", "/search/"]:
        visit(page, messages, register.url + path)
    log_out(page)

    log_in(page, register.url, "officer.tiznit")
    for path in ["/review/", f"/review/{dossier.pk}/", "/registrations/", "/accounts/workspace/"]:
        visit(page, messages, register.url + path)
    log_out(page)

    log_in(page, register.url, "artisan.one")
    for path in ["/me/", "/me/apply/"]:
        visit(page, messages, register.url + path)


def test_the_admin_site_works_under_the_policy(register, watched):
    from hirfa.accounts.roles import Role

    page, messages = watched
    admin = UserFactory(username="nadia", role=Role.ADMIN, is_staff=True, is_superuser=True)
    page.goto(register.url + "/admin/login/")
    page.locator("input[name=username]").fill("nadia")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("networkidle")
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{admin.pk}/change/",
        "/admin/audit/auditentry/",
    ]:
        visit(page, messages, register.url + path)


def test_the_field_app_and_its_service_worker_work_under_the_policy(register, watched):
    page, messages = watched
    agent_of("09", username="agent.field")
    officer_of("09.581", username="officer.field")
    log_in(page, register.url, "agent.field")
    visit(page, messages, register.url + "/field/")
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=15000)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.getElementById('field-app').dataset.ready") == "1"
    assert page.evaluate("window.__violations") == []
    assert messages == []
    log_out(page)
    log_in(page, register.url, "officer.field")
    visit(page, messages, register.url + "/field/attention/")
