"""Issue 16, "Done when": a browser takes a CNSS rejection from the reconciliation page to
a corrected and re-accepted line, with the CNSS sandbox answering (ADR 0053)."""

import pytest

from hirfa.cnss import services
from hirfa.cnss.models import Rejection
from hirfa.register import services as register_services
from tests.factories import (
    DEFAULT_PASSWORD,
    agent_of,
    approved_registration,
    attach_required_documents,
    craft_data,
    national,
    officer_of,
    person_data,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, url, username):
    page.context.clear_cookies()
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(url + "/my-work/")
    page.context.add_cookies([{"name": "hirfa_language", "value": "en", "url": url}])


def test_a_cnss_rejection_goes_from_the_reconciliation_to_a_re_accepted_line(
    register, desk, answer
):
    url = register.url
    agent = agent_of("09", username="souss.agent")
    officer = officer_of("09.581", username="tiznit.officer")
    national("cnss", username="cnss.liaison")
    artisan = approved_registration(agent=agent, officer=officer, cnie="JK100013")
    services.export_batches()
    services.import_file(answer()[0])  # the sandbox: CNIE_UNKNOWN

    # The liaison reads the reconciliation; the rejected count is a link to its lines.
    log_in(desk, url, "cnss.liaison")
    desk.goto(url + "/cnss/reconciliation/")
    desk.locator("a[href='/cnss/rejections/?batch=RNA-00000001']").first.click()
    desk.wait_for_url(url + "/cnss/rejections/?batch=RNA-00000001")
    row = desk.locator("table.cnss-rejections tbody tr", has_text=artisan.number)
    assert "does not find this national identity card number" in row.inner_text()

    # They open the line and record that the artisan was called.
    row.locator("a").first.click()
    desk.locator("textarea[name=note]").fill("Called: the CNIE on file has a typing error.")
    desk.locator("form.grid-form button[type=submit]").click()
    assert desk.locator("ul.history", has_text="typing error").is_visible()

    # The agent of the artisan's region finds the same line and starts the correction
    # through the register's modification workflow.
    log_in(desk, url, "souss.agent")
    desk.goto(url + "/cnss/rejections/")
    desk.locator("table.cnss-rejections a", has_text=artisan.number).click()
    desk.locator(f"a[href='/registrations/{artisan.number}/modify/']").click()
    desk.wait_for_url(url + f"/registrations/{artisan.number}/modify/")

    # The modification is filed, the CNIE corrected, and an officer approves it.
    dossier = register_services.request_modification(
        actor=agent, registration=artisan, craft_data=craft_data()
    )
    register_services.update_dossier(
        actor=agent, dossier=dossier, person_data=person_data(cnie="JK777777")
    )
    attach_required_documents(agent, dossier)
    register_services.submit(actor=agent, dossier=dossier)
    register_services.approve(
        officer=officer, dossier=register_services.start_review(officer=officer, dossier=dossier)
    )

    # The next exchange sends the artisan again and the sandbox accepts them.
    [batch] = services.export_batches()
    assert batch.batch_id == "RNA-00000002"
    services.import_file(answer()[0])

    # The line has left the agent's list; the liaison reads it as accepted.
    desk.goto(url + "/cnss/rejections/")
    assert desk.locator("table.cnss-rejections", has_text=artisan.number).count() == 0
    log_in(desk, url, "cnss.liaison")
    desk.goto(url + "/cnss/reconciliation/")
    assert desk.locator("tr", has_text="RNA-00000002").locator("td").nth(3).inner_text() == "1"
    line = Rejection.objects.get(number=artisan.number)
    desk.goto(url + f"/cnss/rejections/{line.pk}/")
    assert desk.locator("dl.facts", has_text="Accepted by the CNSS").is_visible()

    # The worklist fits a phone, right to left.
    desk.context.add_cookies([{"name": "hirfa_language", "value": "ar", "url": url}])
    desk.set_viewport_size({"width": 360, "height": 780})
    desk.goto(url + "/cnss/rejections/")
    assert desk.evaluate("document.documentElement.dir") == "rtl"
    assert desk.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
