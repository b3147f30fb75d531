"""The register's whole journey in Chromium, in Arabic: an artisan registers on a phone,
an agent files for another artisan at a fair, the officer asks for changes, the artisan
fixes and sends again, the officer approves, the number is issued and the artisan
downloads the attestation."""

import re

import pytest

from hirfa.notifications.models import Notification
from hirfa.register.models import Dossier, Registration
from hirfa.register.numbers import format_number
from tests.browser.waiting import wait_until
from tests.factories import DEFAULT_PASSWORD, TIZNIT_CITY, agent_of, officer_of

pytestmark = pytest.mark.browser

PHONE = "0661234567"


def pick_commune(page, province_select, commune_select, province, commune):
    """Choose the province, then wait until htmx has swapped in that province's communes:
    the list shown before may already hold the commune, and choosing it before the answer
    lands would be undone by the swap. The old options are marked so that only new ones
    count."""
    page.eval_on_selector_all(
        f"{commune_select} option", "options => options.forEach(o => o.dataset.stale = '1')"
    )
    page.locator(province_select).select_option(province)
    wait_until(
        page,
        """([select, province, commune]) => {
            const options = [...document.querySelectorAll(select + " option")];
            return options.some((o) => o.value === commune)
                && options.every((o) => !o.dataset.stale)
                && options.every((o) => !o.value || o.value.startsWith(province + "."));
        }""",
        arg=[commune_select, province, commune],
    )
    page.locator(commune_select).select_option(commune)
    assert page.locator(commune_select).input_value() == commune


def fill_commune(page, name, province, commune):
    pick_commune(page, f"#id_{name}_province", f"#id_{name}", province, commune)


def fill_person(page, *, cnie, phone, first_ar, last_ar, first_latin, last_latin):
    page.locator("#id_cnie").fill(cnie)
    page.locator("#id_first_name_ar").fill(first_ar)
    page.locator("#id_last_name_ar").fill(last_ar)
    page.locator("#id_first_name_latin").fill(first_latin)
    page.locator("#id_last_name_latin").fill(last_latin)
    page.locator("input[name=sex][value=F]").check()
    page.locator("#id_birth_date").fill("1975-06-02")
    page.locator("#id_birth_place").fill("Tiznit")
    page.locator("#id_address").fill("Derb Idzikri 12")
    page.locator("#id_phone").fill(phone)
    page.locator("select#id_education").select_option("primary")


def log_in(page, url, username, password=DEFAULT_PASSWORD):
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()


def upload_all(page, tmp_path, png):
    for field in page.locator("input[type=file]").all():
        field_id = field.get_attribute("id")
        page.locator(f"#{field_id}").set_input_files(png)
        page.locator(f"#{field_id}").locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
        page.wait_for_load_state()


@pytest.fixture
def png(tmp_path):
    from PIL import Image

    path = tmp_path / "document.png"
    Image.new("RGB", (120, 80), (210, 190, 160)).save(path)
    return path


def test_the_whole_register_journey_in_arabic(register, browser, png, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    url = register.url
    agent_of("09", username="agent.souss")
    officer_of("09.581", username="officer.tiznit")

    # 1. An artisan registers herself, on a phone-sized screen, in Arabic.
    phone = browser.new_context(viewport={"width": 360, "height": 780}, accept_downloads=True)
    artisan = phone.new_page()
    artisan.goto(url + "/")
    assert artisan.locator("html").get_attribute("dir") == "rtl"
    artisan.locator("main a[href='/accounts/signup/']").click()
    artisan.locator("#id_phone").fill("06 61 23 45 67")
    artisan.locator("#id_first_name").fill("Itto")
    artisan.locator("#id_last_name").fill("Oubella")
    artisan.locator("#id_password").fill("zellige-tiznit-2022")
    artisan.locator("#id_password2").fill("zellige-tiznit-2022")
    artisan.locator("form.stacked button[type=submit]").click()
    artisan.wait_for_url("**/accounts/signup/confirm/")
    sms = Notification.objects.filter(event="account.phone_code").latest("id")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    artisan.locator("input[name=code]").fill(code)
    artisan.locator("form.stacked button[type=submit]").click()
    artisan.wait_for_url("**/me/**")

    artisan.goto(url + "/me/apply/you/")
    fill_person(
        artisan,
        cnie="JB445566",
        phone=PHONE,
        first_ar="إيطو",
        last_ar="أوبلا",
        first_latin="Itto",
        last_latin="Oubella",
    )
    fill_commune(artisan, "commune", "09.581", TIZNIT_CITY)
    artisan.locator("form button[type=submit].primary").click()
    artisan.wait_for_url("**/me/apply/craft/")
    artisan.locator("input[name=category][value=artisan_experience]").check()
    artisan.locator("#id_principal_activity").select_option(index=1)
    artisan.locator("input[name=workplace_kind][value=home]").check()
    fill_commune(artisan, "workplace_commune", "09.581", TIZNIT_CITY)
    artisan.locator("#id_workplace_address").fill("Derb Idzikri 12")
    artisan.locator("form button[type=submit].primary").click()
    artisan.wait_for_url("**/me/apply/documents/")
    upload_all(artisan, tmp_path, png)
    artisan.goto(url + "/me/apply/check/")
    artisan.locator("#id_declaration").check()
    artisan.locator("form.stacked button[type=submit]").click()
    artisan.wait_for_url("**/me/")
    her_dossier = Dossier.objects.get(person__cnie="JB445566")
    assert her_dossier.state == "submitted"
    assert artisan.evaluate("document.documentElement.scrollWidth") <= 360

    # 2. A chamber agent files an assisted dossier for another artisan, at a fair.
    desk = browser.new_context(viewport={"width": 1024, "height": 768})
    agent = desk.new_page()
    log_in(agent, url, "agent.souss")
    agent.goto(url + "/desk/new/")
    agent.locator("#id_consent").check()
    fill_person(
        agent,
        cnie="JC778899",
        phone="0677889900",
        first_ar="فاضمة",
        last_ar="أيت لحسن",
        first_latin="Fadma",
        last_latin="Ait Lahcen",
    )
    pick_commune(agent, "#id_home_province", "#id_commune", "09.581", TIZNIT_CITY)
    agent.locator("input[name=category][value=master]").check()
    agent.locator("#id_principal_activity").select_option(index=2)
    agent.locator("input[name=workplace_kind][value=workshop]").check()
    pick_commune(agent, "#id_work_province", "#id_workplace_commune", "09.581", TIZNIT_CITY)
    agent.locator("#id_workplace_address").fill("Souk des bijoutiers, 4")
    agent.locator("form[action='/desk/new/'] button[type=submit]").click()
    agent.wait_for_url("**/desk/dossiers/*/")
    upload_all(agent, tmp_path, png)
    agent.locator("form[action$='/submit/'] button[type=submit]").click()
    agent.wait_for_load_state()
    assisted = Dossier.objects.get(person__cnie="JC778899")
    assert assisted.state == "submitted" and assisted.assisted

    # 3. The officer asks the self-registered artisan for changes.
    office = browser.new_context(viewport={"width": 1280, "height": 900})
    officer = office.new_page()
    log_in(officer, url, "officer.tiznit")
    officer.goto(url + "/review/")
    assert officer.locator(f"a[href='/review/{her_dossier.pk}/']").count() >= 1
    assert officer.locator(f"a[href='/review/{assisted.pk}/']").count() >= 1
    officer.goto(url + f"/review/{her_dossier.pk}/")
    officer.locator("form[action$='/request-changes/'] textarea").fill(
        "صورة البطاقة غير واضحة، المرجو إرسال صورة أوضح."
    )
    officer.locator("form[action$='/request-changes/'] button[type=submit]").click()
    officer.wait_for_load_state()
    her_dossier.refresh_from_db()
    assert her_dossier.state == "changes_requested"

    # 4. The artisan sees the message, sends a clearer copy and sends the file again.
    artisan.goto(url + "/me/")
    assert "صورة البطاقة غير واضحة" in artisan.locator("main").inner_text()
    artisan.goto(url + "/me/apply/documents/")
    upload_all(artisan, tmp_path, png)
    artisan.goto(url + "/me/apply/check/")
    artisan.locator("#id_declaration").check()
    artisan.locator("form.stacked button[type=submit]").click()
    artisan.wait_for_url("**/me/")
    her_dossier.refresh_from_db()
    assert her_dossier.state == "resubmitted"

    # 5. The officer approves; the number is issued.
    officer.goto(url + f"/review/{her_dossier.pk}/")
    officer.locator("form[action$='/approve/'] input[name=confirm]").check()
    officer.locator("form[action$='/approve/'] button[type=submit]").click()
    officer.wait_for_load_state()
    registration = Registration.objects.get(person__cnie="JB445566")
    assert registration.status == "active"

    # 6. The artisan sees her number and downloads the attestation.
    artisan.goto(url + "/me/")
    assert format_number(registration.number) in artisan.locator("main").inner_text()
    with artisan.expect_download() as download:
        artisan.locator("a[href='/me/attestation.pdf']").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert artisan.locator("html").get_attribute("lang") == "ar"
    for context in (phone, desk, office):
        context.close()
