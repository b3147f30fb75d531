"""The staff screens in Chromium at tablet size: the htmx pickers and filters really work."""

import pytest

from hirfa.register import services
from hirfa.register.models import Dossier
from tests.factories import TIZNIT_CITY, agent_of, officer_of
from tests.helpers import log_in_page
from tests.register.helpers import submitted

pytestmark = pytest.mark.browser


@pytest.fixture
def tablet(browser, register, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")
    context.add_cookies([{"name": "hirfa_language", "value": "fr", "url": register.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, register.url
    context.close()


def test_an_agent_files_at_a_fair_picking_the_commune_after_the_province(tablet):
    page, url = tablet
    log_in_page(page, agent_of("09", username="agent.souss"), url)
    page.goto(url + "/desk/new/")
    page.locator("#id_consent").check()
    page.locator("#id_cnie").fill("JK123456")
    page.locator("#id_phone").fill("06 12 34 56 78")
    page.locator("#id_first_name_ar").fill("فاضمة")
    page.locator("#id_last_name_ar").fill("أيت لحسن")
    page.locator("#id_first_name_latin").fill("Fadma")
    page.locator("#id_last_name_latin").fill("Ait Lahcen")
    page.locator("input[name=sex][value=F]").check()
    page.locator("#id_birth_date").fill("1978-03-14")
    page.locator("#id_birth_place").fill("Tiznit")
    page.locator("#id_address").fill("12 Derb Idzikri")
    page.locator("#id_home_province").select_option("09.581")
    page.wait_for_function("document.querySelectorAll('#id_commune option').length < 40")
    page.wait_for_load_state("networkidle")
    page.locator("#id_commune").select_option(TIZNIT_CITY)
    page.locator("input[name=category][value=artisan_experience]").check()
    page.locator("#id_principal_activity").select_option(index=1)
    page.locator("input[name=workplace_kind][value=workshop]").check()
    page.locator("#id_work_province").select_option("09.581")
    page.wait_for_function("document.querySelectorAll('#id_workplace_commune option').length < 40")
    page.wait_for_load_state("networkidle")
    page.locator("#id_workplace_commune").select_option(TIZNIT_CITY)
    page.locator("#id_workplace_address").fill("Souk des bijoutiers, 4")
    page.locator("form[action='/desk/new/'] button[type=submit]").click()
    page.wait_for_url("**/desk/dossiers/*/")
    dossier = Dossier.objects.get()
    assert dossier.province.code == "09.581" and dossier.consent_at is not None


def test_an_officer_filters_the_queue_without_reloading_the_page(tablet):
    page, url = tablet
    agent = agent_of("09", username="agent.souss")
    officer = officer_of("09.581", username="officer.tiznit")
    first = submitted(agent)
    second = submitted(agent, cnie="AB654321", phone="0611111111")
    services.start_review(officer=officer_of("09.581"), dossier=second)
    log_in_page(page, officer, url)
    page.goto(url + "/review/")
    page.evaluate("window.notReloaded = true")
    assert page.locator(f"a[href='/review/{first.pk}/']").count() == 2
    page.locator("select[name=state]").select_option("in_review")
    page.wait_for_url("**/review/?state=in_review*")
    page.wait_for_function(f"!document.querySelector(\"a[href='/review/{first.pk}/']\")")
    assert page.locator(f"a[href='/review/{second.pk}/']").count() == 2
    assert page.evaluate("window.notReloaded") is True
