import pytest

from tests.factories import DEFAULT_PASSWORD, officer_of

pytestmark = pytest.mark.browser


def test_a_visitor_reads_arabic_switches_to_french_and_an_officer_sees_only_tiznit(register, desk):
    page = desk
    page.goto(register.url + "/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"

    page.get_by_role("button", name="Français").click()
    page.wait_for_url(register.url + "/")
    assert html.get_attribute("lang") == "fr"
    assert html.get_attribute("dir") == "ltr"

    officer_of("09.581", username="k.oubella")
    officer_of("09.001", username="h.amrani")
    page.locator("header a.button[href='/accounts/login/']").click()
    page.locator("input[name=username]").fill("k.oubella")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(register.url + "/my-work/")

    page.locator("nav a[href='/accounts/workspace/']").click()
    rows = page.locator("main .table-wrap table tbody tr")
    assert rows.count() == 1
    assert "Tiznit" in rows.first.inner_text()
    assert page.locator("a[href='/accounts/workspace/provinces/09.001/']").count() == 0

    response = page.goto(register.url + "/accounts/workspace/provinces/09.001/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "fr"
