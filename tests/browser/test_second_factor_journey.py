from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from hirfa.accounts.roles import Role
from tests.factories import DEFAULT_PASSWORD, national

pytestmark = pytest.mark.browser


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_administrator_sets_up_the_app_on_a_phone_in_arabic(register, phone, settings):
    settings.SECOND_FACTOR_REQUIRED_ROLES = ["admin", "auditor"]
    national(Role.ADMIN, username="n.bennani", is_staff=True, is_superuser=True)
    page = phone
    page.goto(register.url + "/accounts/login/")
    page.locator("input[name=username]").fill("n.bennani")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/enrol/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("main svg[role=img]").is_visible()
    assert fits_the_screen(page)

    key = page.locator("main p[dir=ltr] code").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(key)).token():06d}"
    page.locator("input[name=code]").fill(code)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert page.locator("main ol code").count() == 10
    assert fits_the_screen(page)

    page.locator("main a.button").click()
    page.wait_for_url(register.url + "/my-work/")
    # The administrator lands on the national overview, right to left, on the phone.
    assert page.locator("main section#national table").count() == 3
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert fits_the_screen(page)
    page.goto(register.url + "/admin/")
    assert page.url == register.url + "/admin/"
