"""The artisan's coverage page in Chromium on a 360 px phone, in Arabic."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from tests.coverage.helpers import immatriculated
from tests.factories import account_for, approved_registration
from tests.helpers import log_in_page

pytestmark = pytest.mark.browser


def test_the_artisan_reads_their_coverage_on_a_phone_without_scrolling_sideways(phone, register):
    # A live server's database is flushed between tests: seed the schedule again.
    importlib.import_module("hirfa.coverage.migrations.0002_seed_rules_and_schedule").seed(
        apps, None
    )
    registration = approved_registration()
    user = account_for(registration.person, phone="+212612345678")
    immatriculated(registration, cnss_number="123456789", on=date(2026, 1, 10))
    log_in_page(phone, user, register.url)
    phone.set_default_timeout(15_000)
    phone.goto(register.url + "/me/")
    phone.locator("a[href='/me/coverage/']").click()
    phone.wait_for_url("**/me/coverage/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator(".big-number", has_text="123456789").is_visible()
    assert phone.locator(".next-step").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
