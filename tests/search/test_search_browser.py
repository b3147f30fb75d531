"""The search page in Chromium on a phone: typing a spelling variant shows the person."""

import pytest

from tests.factories import officer_of
from tests.helpers import log_in_page
from tests.search.helpers import registered

pytestmark = pytest.mark.browser


def test_an_officer_types_a_variant_and_sees_the_person_on_the_first_page(phone, register):
    target = registered("عبد الحق", "أيت الحسين", "Abdelhaq", "Ait Lahcen")
    for first_ar, first_latin in [("عبد الله", "Abdellah"), ("عبد الكريم", "Abdelkrim")]:
        registered(first_ar, "أيت الحسين", first_latin, "Ait Lahcen")
    log_in_page(phone, officer_of("09.581"), register.url)
    phone.set_default_timeout(15_000)
    phone.goto(register.url + "/search/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    # The staff menu is one row that scrolls sideways, the current page's entry in view.
    assert phone.locator(".menu ul").bounding_box()["height"] < 60
    current = phone.locator(".menu [aria-current=page]").bounding_box()
    assert current["x"] >= 0 and current["x"] + current["width"] <= 360
    phone.locator("#search-q").press_sequentially("Abd El Haq Aït Lhoussain", delay=20)
    first = phone.locator(".search-results li").first
    first.locator(".name-latin", has_text="Abdelhaq AIT LAHCEN").wait_for()
    # The filters are folded away: the results come right under the box.
    assert phone.locator("select[name=region]").is_hidden()
    first.locator("a").click()
    phone.wait_for_url(f"**/registrations/{target.number}/")
    # No horizontal scrolling on a 360 px phone.
    phone.go_back()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_address_shows_a_search_id_never_the_typed_name(phone, register):
    registered("عبد الحق", "أيت الحسين", "Abdelhaq", "Ait Lahcen")
    log_in_page(phone, officer_of("09.581"), register.url)
    phone.set_default_timeout(15_000)
    phone.goto(register.url + "/search/")
    phone.locator("#search-q").press_sequentially("Abdelhaq", delay=20)
    phone.locator(".search-results .name-latin", has_text="Abdelhaq AIT LAHCEN").wait_for()
    phone.wait_for_url("**/search/?s=*")
    assert "Abdelhaq" not in phone.url
    # Reloading the address shows the same search again.
    phone.reload()
    assert phone.locator("#search-q").input_value() == "Abdelhaq"
    phone.locator(".search-results .name-latin", has_text="Abdelhaq AIT LAHCEN").wait_for()
