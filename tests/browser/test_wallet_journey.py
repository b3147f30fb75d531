"""The artisan puts the card in the phone's wallet from a 360 px phone, in Arabic and in
Tamazight: the QR code fits the screen, nothing scrolls sideways."""

import pytest

from tests.factories import DEFAULT_PASSWORD, account_for, issued_card, use_test_signing_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "zgh"])
def test_the_artisan_shows_the_wallet_offer_on_a_phone(
    register, phone, run_jobs, settings, language
):
    use_test_signing_key(settings)
    settings.CARD_ISSUE_BATCH_SECONDS = 0
    card = issued_card(run_jobs)
    account = account_for(card.registration.person)
    url = register.url
    phone.context.add_cookies([{"name": "hirfa_language", "value": language, "url": url}])
    phone.goto(url + "/accounts/login/")
    phone.locator("input[name=username]").fill(account.username)
    phone.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    phone.locator("form.stacked button[type=submit]").click()
    phone.wait_for_load_state()

    phone.goto(url + "/me/card/")
    phone.locator('a[href="/me/card/wallet/"]').click()
    phone.locator("main form button[type=submit]").click()

    qr = phone.locator(".wallet-offer svg")
    qr.wait_for()
    box = qr.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert phone.locator('a[href^="openid-credential-offer://"]').count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
