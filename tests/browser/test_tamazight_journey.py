"""The "done when" of issue 15: an artisan walks the whole journey in Tamazight on a phone
(360 px) — signs up by phone, applies, sends the file, follows it, checks its state without
an account, and recovers a forgotten password by SMS — and no page shows an Arabic or a
Latin letter beyond names and codes (`tamazight.py` lists what is allowed)."""

import re

import pytest

from hirfa.crafts.models import Activity, Branch
from hirfa.notifications.models import Notification
from hirfa.register.models import Dossier
from hirfa.register.numbers import dossier_reference
from hirfa.territory.models import Commune, Organisation, Province, Region
from tests.browser.tamazight import assert_in_tamazight, foreign_texts
from tests.factories import TIZNIT_CITY

from .test_register_journey import fill_commune, fill_person, png, upload_all

pytestmark = pytest.mark.browser

__all__ = ["png"]

PHONE = "+212661234567"
PASSWORD = "zellige-tiznit-2022"
NEW_PASSWORD = "argan-tafraout-2027"
# What the artisan typed: her names as on her CNIE (the family name in capitals as the
# register prints it), her addresses and her place of birth.
TYPED = ["Itto", "Oubella", "OUBELLA", "إيطو", "أوبلا", "Derb Idzikri 12", "Tiznit"]


def reference_names() -> list[str]:
    """Names of places and crafts, which may have no Tifinagh name yet."""
    names = []
    for model in (Region, Province, Commune, Activity, Branch, Organisation):
        for ar, fr in model.objects.values_list("name_ar", "name_fr"):
            names += [ar, fr]
    return names


def last_code(phone=PHONE) -> str:
    sms = Notification.objects.filter(address=phone, event="account.phone_code").latest("id")
    return re.search(r"\b(\d{6})\b", sms.body).group(1)


def submit(page, selector="form.stacked button[type=submit]"):
    page.locator(selector).first.click()
    page.wait_for_load_state()


def test_the_whole_artisan_journey_is_in_tamazight_on_a_phone(
    register, browser, png, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    url = register.url
    names = TYPED + reference_names()
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    seen = []

    def check():
        assert_in_tamazight(page, names)
        seen.append(page.url.removeprefix(url))

    # The home page, in Arabic first; the artisan chooses Tamazight.
    page.goto(url + "/")
    page.locator("form.languages button[value=zgh]").click()
    page.wait_for_load_state()
    check()

    # 1. Sign up with a phone number and a code by SMS.
    page.locator("main a[href='/accounts/signup/']").first.click()
    page.wait_for_load_state()
    check()
    page.locator("#id_phone").fill("06 61 23 45 67")
    page.locator("#id_first_name").fill("Itto")
    page.locator("#id_last_name").fill("Oubella")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password2").fill("not the same password")
    submit(page)
    check()  # the form's errors, in Tamazight
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/signup/confirm/")
    check()
    page.locator("input[name=code]").fill(last_code())
    submit(page)
    page.wait_for_url("**/me/")
    check()

    # 2. Apply: who I am (first with mistakes), my craft, my documents, check and send.
    page.goto(url + "/me/apply/you/")
    check()
    submit(page, "form button[type=submit].primary")
    check()  # every missing field, in Tamazight
    fill_person(
        page,
        cnie="JB445566",
        phone="0661234567",
        first_ar="إيطو",
        last_ar="أوبلا",
        first_latin="Itto",
        last_latin="Oubella",
    )
    fill_commune(page, "commune", "09.581", TIZNIT_CITY)
    submit(page, "form button[type=submit].primary")
    page.wait_for_url("**/me/apply/craft/")
    check()
    page.locator("input[name=category][value=artisan_experience]").check()
    page.locator("#id_principal_activity").select_option(index=1)
    page.locator("input[name=workplace_kind][value=home]").check()
    fill_commune(page, "workplace_commune", "09.581", TIZNIT_CITY)
    page.locator("#id_workplace_address").fill("Derb Idzikri 12")
    submit(page, "form button[type=submit].primary")
    page.wait_for_url("**/me/apply/documents/")
    check()
    upload_all(page, tmp_path, png)
    check()
    page.goto(url + "/me/apply/check/")
    check()
    page.locator("#id_declaration").check()
    submit(page)
    page.wait_for_url("**/me/")
    dossier = Dossier.objects.get(person__cnie="JB445566")
    assert dossier.state == "submitted"

    # 3. Follow the file on my space.
    check()
    reference = dossier_reference(dossier.pk)
    assert reference in page.locator("main").inner_text()

    # 4. Where is my file, without an account (as someone the artisan trusts would).
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    page.goto(url + f"/status/?ref={reference}")
    check()
    submit(page)
    page.wait_for_url("**/status/code/")
    check()
    page.locator("input[name=code]").fill("000000" if last_code() != "000000" else "111111")
    submit(page)
    check()  # a wrong code, in Tamazight
    page.goto(url + f"/status/?ref={reference}")
    submit(page)
    page.locator("input[name=code]").fill(last_code())
    submit(page)
    check()
    assert reference in page.locator("main").inner_text()

    # 5. A forgotten password, recovered by SMS; then the new one opens the account.
    page.goto(url + "/accounts/login/")
    check()
    page.locator("a[href='/accounts/password-recovery/']").click()
    page.wait_for_load_state()
    check()
    page.locator("#id_phone").fill("06 61 23 45 67")
    submit(page)
    page.wait_for_url("**/accounts/password-recovery/code/")
    check()
    page.locator("#id_code").fill(last_code())
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    submit(page)
    page.wait_for_url("**/me/")
    check()
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill("0661234567")
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    submit(page)
    page.wait_for_url("**/me/")
    check()

    # 6. Help where the artisan is: her card, the help page, the chambers' directory.
    for path in ("/me/card/", "/help/", "/chambers/"):
        page.goto(url + path)
        check()
    # No device voice speaks Tamazight here: the "read to me" button stays hidden.
    assert page.goto(url + "/help/") and page.locator("#read-aloud").is_hidden()
    assert len(seen) >= 23
    context.close()


VOICES = """(languages) => {
    window.__spoken = [];
    const voices = languages.map((lang) => ({ lang, name: lang, default: false }));
    const synthesis = {
        speaking: false,
        getVoices: () => voices,
        addEventListener: () => {},
        speak(utterance) { window.__spoken.push([utterance.lang, utterance.text]); },
        cancel() {},
    };
    Object.defineProperty(window, "speechSynthesis", { value: synthesis });
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}"""


def test_read_to_me_speaks_the_main_text_where_the_device_has_a_voice(register, browser):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    context.add_init_script(f"({VOICES})(['ar-MA', 'fr-FR'])")
    page = context.new_page()
    page.goto(register.url + "/help/artisan/")  # Arabic, the default language
    button = page.locator("#read-aloud")
    assert button.is_visible()
    button.click()
    ((language, text),) = page.evaluate("window.__spoken")
    assert language == "ar-MA"
    assert "رمز" in text or len(text) > 100
    context.add_cookies([{"name": "hirfa_language", "value": "zgh", "url": register.url}])
    page.goto(register.url + "/help/artisan/")
    assert page.locator("#read-aloud").is_hidden()
    context.close()


def test_the_checker_finds_arabic_and_latin_letters_and_lets_names_and_codes_through(
    browser,
):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.set_content(
        '<html lang="zgh" dir="ltr"><body><p>ⴰⵙⵓⵜⵔ 12</p><p>ⵉⵙⵎ: Itto · BE123456</p>'
        '<p>cnie.png</p><button lang="ar">العربية</button><p>ⴰⵣⵍ الملف</p>'
        '<p hidden>Hidden text</p><input placeholder="Your name"><p>Draft</p></body></html>'
    )
    found = foreign_texts(page, ["Itto"])
    assert found == ["<p> 'ⴰⵣⵍ الملف'", "<p> 'Draft'", "<placeholder> 'Your name'"]
    context.close()
