"""The "done when" of card verification, in Chromium: a real card's QR read back from its
rendered PDF page, verified in the browser with the network switched off."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from hirfa.cards import printing, qr
from hirfa.cards import services as cards
from hirfa.formats.months import MONTHS
from tests.browser.waiting import wait_until
from tests.factories import agent_of, signed_as_before

from . import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def said(text: str, language: str) -> str:
    with translation.override(language):
        return gettext(text)


def visitor(browser, register, language="en", **options):
    """A visitor's browser whose verifier page has been opened once, online."""
    context = browser.new_context(**({"viewport": {"width": 360, "height": 780}} | options))
    context.add_cookies([{"name": "hirfa_language", "value": language, "url": register.url}])
    page = context.new_page()
    page.goto(register.url + "/verify/")
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=30_000)
    wait_for_the_list(page)
    return context, page


def wait_for_the_list(page):
    wait_until(page, "document.getElementById('verify-list').textContent.length > 0")


def go_offline(context, page):
    context.set_offline(True)
    page.reload()
    wait_for_the_list(page)
    # Really offline: the register cannot be reached from the page.
    reached = page.evaluate(
        "fetch('/api/v1/cards/0000000000/1/status', {cache: 'no-store'})"
        ".then(() => true, () => false)"
    )
    assert reached is False
    # Nor from the service worker: what the page shows came from its caches.
    (worker,) = context.service_workers
    assert worker.evaluate("fetch('/verify/', {cache: 'no-store'}).then(() => 1, () => 0)") == 0


def check(page, text):
    page.fill("#verify-text", text)
    page.click("#verify-paste button[type=submit]")
    return result(page)


def result(page):
    page.wait_for_selector("#verify-result[data-live]", state="attached")
    return page.get_attribute("#verify-result", "data-verdict")


def test_a_real_card_read_from_its_pdf_page_is_valid_offline(browser, register, run_jobs, tmp_path):
    card = helpers.real_card(run_jobs)
    picture, text = helpers.card_page_png(card, tmp_path)
    assert text == printing.camera_text(card.qr_text)

    context, page = visitor(browser, register)
    go_offline(context, page)
    assert check(page, text) == "valid"
    assert page.text_content("#verify-verdict") == said("VALID", "en")
    assert card.registration.registrant_name_latin in page.text_content("#verify-card")
    assert card.registration.registrant_name_ar in page.text_content("#verify-card")
    assert page.get_attribute("#verify-result", "data-live") == "no"
    page.screenshot(path=str(tmp_path / "valid-offline.png"), full_page=True)

    # The same picture, uploaded: read by the page itself (jsQR), still offline.
    page.set_input_files("#verify-file", str(picture))
    assert result(page) == "valid"
    assert page.input_value("#verify-text") == card.qr_text
    context.close()


def test_a_forged_or_altered_card_is_not_genuine_offline(browser, register, run_jobs, tmp_path):
    card = helpers.real_card(run_jobs)
    context, page = visitor(browser, register)
    go_offline(context, page)
    for text, problem in (
        (helpers.forged_text(), "The card was signed with a key this register does not know."),
        (
            helpers.altered_text(card.qr_text),
            "The signature does not match: the card was forged or altered.",
        ),
    ):
        assert check(page, text) == "not_genuine"
        assert page.text_content("#verify-verdict") == said("NOT GENUINE", "en")
        assert page.text_content("#verify-reason") == said(problem, "en")
        assert page.text_content("#verify-card") == ""
    page.screenshot(path=str(tmp_path / "not-genuine.png"))
    context.close()


def test_a_revoked_card_reads_revoked_offline_after_the_list_refresh(
    browser, register, run_jobs, tmp_path
):
    agent = agent_of("09")
    card = helpers.real_card(run_jobs, agent=agent)
    context, page = visitor(browser, register, language="fr")
    assert page.get_attribute("#verify-list", "data-entries") == "0"

    cards.reissue(actor=agent, registration=card.registration, reason="lost")
    # Online, the live status says so before this phone's list does.
    assert check(page, card.qr_text) == "revoked"
    assert page.get_attribute("#verify-result", "data-live") == "yes"

    page.reload()  # online: the service worker fetches the new list
    wait_for_the_list(page)
    assert page.get_attribute("#verify-list", "data-entries") == "1"
    go_offline(context, page)
    assert check(page, card.qr_text) == "revoked"
    assert page.text_content("#verify-verdict") == said("REVOKED", "fr")
    assert page.get_attribute("#verify-result", "data-live") == "no"
    page.screenshot(path=str(tmp_path / "revoked-fr.png"), full_page=True)
    context.close()


def test_an_expired_card_reads_expired_and_a_live_check_confirms_valid_ones(
    browser, register, run_jobs
):
    card = helpers.real_card(run_jobs)
    context, page = visitor(browser, register)
    assert check(page, card.qr_text) == "valid"
    assert page.get_attribute("#verify-result", "data-live") == "yes"
    go_offline(context, page)
    assert check(page, helpers.signed_text(expires_in_days=-2)) == "expired"
    assert page.text_content("#verify-verdict") == said("EXPIRED", "en")
    context.close()


BAD_INPUTS = {
    "wrong prefix": ("HC1:NCFOXN%TS3DH", "prefix"),
    "not base45": ("RNA1:abc", "base45"),
    "a compressed bomb": (None, "too_large"),
    "truncated zlib": (None, "zlib"),
}


def test_bad_input_gets_a_verdict_or_a_clear_message_never_a_crash(
    browser, register, run_jobs, tmp_path
):
    helpers.real_card(run_jobs)
    genuine = helpers.signed_text()
    texts = dict(BAD_INPUTS)
    texts["a compressed bomb"] = (helpers.bomb_text(), "too_large")
    texts["truncated zlib"] = (genuine[:-30], None)
    body = genuine[len("RNA1:") :]
    # One character past whole groups; base45's alphabet has a space, which the reader's
    # trim would drop, so the cut never ends on one.
    cut = len(body) - len(body) % 3 - 2
    while body[cut - 1] == " ":
        cut -= 3
    texts["truncated base45"] = ("RNA1:" + body[:cut], "base45")
    context, page = visitor(browser, register)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    go_offline(context, page)
    for name, (text, kind) in texts.items():
        found = page.evaluate(
            "text => RNA.decodeCard(text, new Map()).then(() => 'accepted', e => e.kind)", text
        )
        assert found != "accepted", name
        if kind:
            assert found == kind, name
        assert check(page, text) == "not_genuine", name

    page.fill("#verify-text", "  ")
    page.click("#verify-paste button[type=submit]")
    assert page.text_content("#verify-message") == said(
        "Paste the text of the QR code first.", "en"
    )

    not_a_picture = tmp_path / "card.jpg"
    not_a_picture.write_bytes(b"\xff\xd8 not really a picture")
    page.set_input_files("#verify-file", str(not_a_picture))
    wait_until(
        page,
        "document.getElementById('verify-message').textContent !== "
        f"{said('Reading the file…', 'en')!r}",
    )
    unreadable = "The image could not be read: is it a photo of the card?"
    assert page.text_content("#verify-message") == said(unreadable, "en")

    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(b"%PDF-1.4 offline")
    page.set_input_files("#verify-file", str(pdf))
    wait_until(
        page,
        "document.getElementById('verify-message').textContent.length > 0 && "
        "document.getElementById('verify-message').textContent !== "
        f"{said('Reading the file…', 'en')!r}",
    )
    assert "PDF" in page.text_content("#verify-message")
    assert errors == []
    context.close()


def test_a_card_pdf_uploaded_online_is_read_by_the_server_and_verified(
    browser, register, run_jobs, tmp_path
):
    from hirfa.cards import printing

    card = helpers.real_card(run_jobs)
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(printing.card_pdf(card))
    context, page = visitor(browser, register)
    page.set_input_files("#verify-file", str(pdf))
    assert result(page) == "valid"
    assert page.get_attribute("#verify-result", "data-live") == "yes"
    context.close()


def test_on_a_phone_the_arabic_page_is_right_to_left_without_sideways_scrolling(
    browser, register, run_jobs, tmp_path
):
    card = helpers.real_card(run_jobs)
    context, page = visitor(browser, register, language="ar")
    go_offline(context, page)
    assert page.get_attribute("html", "dir") == "rtl"
    assert check(page, card.qr_text) == "valid"
    assert page.text_content("#verify-verdict") == said("VALID", "ar")
    page.screenshot(path=str(tmp_path / "arabic-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    context.close()


def test_the_camera_reads_the_card_and_the_verdict_follows(browser, register, run_jobs, tmp_path):
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    card = helpers.real_card(run_jobs)
    picture, text = helpers.card_page_png(card, tmp_path)
    clip = helpers.camera_video(picture, text, tmp_path)
    with_camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={clip}",
        ],
    )
    try:
        context = with_camera.new_context(permissions=["camera"])
        page = context.new_page()
        page.goto(register.url + "/verify/")
        page.click("#verify-camera")
        assert result(page) == "valid"
        assert page.input_value("#verify-text") == card.qr_text
        assert page.is_hidden("#verify-video")  # the camera is let go once it has read
    finally:
        with_camera.close()


def test_a_stale_or_unsigned_revocation_list_is_flagged(browser, register, run_jobs):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from django.utils import timezone

    from hirfa.cards import keys

    card = signed_as_before(helpers.real_card(run_jobs))  # read with the revocation list
    now = int(timezone.now().timestamp())
    key = keys.signing_key()
    stale = qr.encode_revocations(
        [(card.registration.number, card.version, qr.REASON_SUSPENDED)],
        issued_at=now - 3 * 86400, next_update=now - 2 * 86400,
        private_key=key.private_key, kid=key.kid,
    )  # fmt: skip
    stranger = Ed25519PrivateKey.generate()
    unsigned = qr.encode_revocations(
        [(card.registration.number, card.version, qr.REASON_REVOKED)],
        issued_at=now, next_update=now + 86400,
        private_key=stranger, kid=qr.key_id(stranger.public_key()),
    )  # fmt: skip
    # The page's own handling of the list, as served: no service worker in between.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    served = {"list": stale}
    page.route(
        "**/.well-known/rna-revocations",
        lambda route: route.fulfill(body=served["list"], content_type="application/cose"),
    )
    page.route("**/api/v1/cards/**", lambda route: route.abort())  # no live status
    page.goto(register.url + "/verify/")
    wait_for_the_list(page)
    stale_text = "The revocation list is out of date: connect to the internet to refresh it."
    assert said(stale_text, "ar") in page.text_content("#verify-list")
    assert check(page, card.qr_text) == "suspended"

    served["list"] = unsigned
    page.reload()
    wait_for_the_list(page)
    bad = "The revocation list could not be verified: it was not used."
    assert page.text_content("#verify-list") == said(bad, "ar")
    assert check(page, card.qr_text) == "valid"
    context.close()


def test_on_a_phone_the_verdict_scrolls_into_view_whatever_it_is(browser, register, run_jobs):
    card = helpers.real_card(run_jobs)
    context, page = visitor(browser, register)
    for text, verdict in ((card.qr_text, "valid"), (helpers.forged_text(), "not_genuine")):
        page.evaluate("window.scrollTo(0, 0)")
        assert check(page, text) == verdict
        wait_until(
            page,
            """() => {
                const box = document.getElementById('verify-verdict').getBoundingClientRect();
                return box.top >= 0 && box.bottom <= window.innerHeight;
            }""",
            timeout=5_000,
        )
        assert page.evaluate("document.activeElement.id") == "verify-verdict"
    context.close()


def test_on_a_tamazight_page_the_cards_dates_have_tifinagh_months(browser, register, run_jobs):
    card = helpers.real_card(run_jobs)
    context, page = visitor(browser, register, language="zgh")
    assert check(page, card.qr_text) == "valid"
    shown = page.text_content("#verify-card")
    assert any(said(month, "zgh") in shown for month in MONTHS), shown
    others = [said(month, language) for month in MONTHS for language in ("ar", "fr", "en")]
    assert not [month for month in others if month in shown], shown
    context.close()
