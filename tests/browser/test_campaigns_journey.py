import pytest

from tests.factories import DEFAULT_PASSWORD, agent_of, approved_registration

pytestmark = pytest.mark.browser


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_chamber_agent_builds_a_campaign_with_its_live_count_on_a_phone(register, phone):
    agent = agent_of("09", username="souss.chamber")
    approved_registration(agent=agent)
    phone.goto(register.url + "/accounts/login/")
    phone.locator("input[name=username]").fill("souss.chamber")
    phone.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    phone.locator("form.stacked button[type=submit]").click()
    phone.wait_for_url(register.url + "/my-work/")
    phone.goto(register.url + "/campaigns/new/")
    count = phone.locator("#segment-count")
    count.filter(has_text="1").wait_for()
    phone.locator("select[name=amo]").select_option("immatriculated")
    count.filter(has_text="0").wait_for()
    phone.locator("select[name=amo]").select_option("not_enrolled")
    count.filter(has_text="1").wait_for()
    assert fits_the_screen(phone)
    phone.locator("input[name=name]").fill("Tiznit AMO")
    phone.locator("input[name=link]").fill("https://hirfa.ma/amo")
    phone.locator("textarea[name=message_ar]").fill(
        "السلام {name}، سجلوا في التغطية الصحية: {link}"
    )
    phone.locator("form button[type=submit]").last.click()
    phone.locator("article[lang=ar]").wait_for()
    assert "فاضمة" in phone.locator("article[lang=ar]").inner_text()
    assert fits_the_screen(phone)
