"""The camera address (docs/decisions/0050) and the attestation's QR code (0051) in Chromium:
what a phone's own camera opens verifies offline, and nothing leaves the device unasked.
Cards printed before Claim 169 (`RNA1:…`) bear the camera address; a Claim 169 card's text
(docs/decisions/0062) in an address verifies the same way."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from hirfa.cards import printing, qr
from tests.browser.waiting import wait_until
from tests.factories import signed_as_before

from . import helpers
from .test_verify_browser import check, go_offline, result, visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def said(text: str, language: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_the_address_a_phone_camera_opens_verifies_offline_and_sends_nothing(
    browser, register, run_jobs, settings, tmp_path
):
    settings.PUBLIC_URL = register.url
    card = signed_as_before(helpers.real_card(run_jobs))
    _picture, address = helpers.card_page_png(card, tmp_path)
    assert address.startswith(register.url + "/verify/#RNA1:")
    assert qr.payload_text(address) == card.qr_text

    context, page = visitor(browser, register)
    go_offline(context, page)
    page.goto(address)
    assert result(page) == "valid"
    assert page.text_content("#verify-verdict") == said("VALID", "en")
    assert card.registration.registrant_name_latin in page.text_content("#verify-card")
    # Checked on the device only, until the visitor asks for the live status.
    assert page.get_attribute("#verify-result", "data-live") == "not-asked"
    assert page.is_visible("#verify-live-ask")
    page.screenshot(path=str(tmp_path / "camera-offline.png"), full_page=True)


def test_the_live_status_is_asked_only_when_the_visitor_wants_it(
    browser, register, run_jobs, settings, tmp_path
):
    settings.PUBLIC_URL = register.url
    card = signed_as_before(helpers.real_card(run_jobs))
    context, page = visitor(browser, register)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(printing.camera_text(card.qr_text))
    assert result(page) == "valid"
    assert not [url for url in asked if "/status" in url or card.registration.number in url]
    page.click("#verify-live-ask")
    wait_until(page, "document.getElementById('verify-result').dataset.live === 'yes'")
    assert [url for url in asked if url.endswith(f"/{card.registration.number}/1/status")]
    context.close()


def test_a_claim_169_card_in_a_camera_address_verifies_on_the_device(browser, register, run_jobs):
    card = helpers.real_card(run_jobs)
    context, page = visitor(browser, register)
    page.goto(qr.camera_url(register.url, card.qr_text))
    assert result(page) == "valid"
    assert page.get_attribute("#verify-result", "data-live") == "not-asked"
    context.close()


def test_a_damaged_camera_address_reads_not_genuine(browser, register, run_jobs, settings):
    settings.PUBLIC_URL = register.url
    card = signed_as_before(helpers.real_card(run_jobs))
    context, page = visitor(browser, register)
    page.goto(printing.camera_text(helpers.altered_text(card.qr_text)))
    assert result(page) == "not_genuine"
    page.goto(register.url + "/verify/#RNA1:%ZZ")
    assert result(page) == "not_genuine"
    context.close()


def test_an_attestation_qr_code_verifies_offline_as_an_attestation(
    browser, register, run_jobs, settings, tmp_path
):
    from hirfa.cards.reading import texts_in_pdf
    from hirfa.register import services as register_services

    settings.PUBLIC_URL = register.url
    registration = helpers.real_card(run_jobs).registration
    pdf = register_services.attestation_pdf(actor=None, registration=registration)
    (address,) = texts_in_pdf(pdf)
    assert address.startswith(register.url + "/verify/#RNA1:")

    context, page = visitor(browser, register)
    go_offline(context, page)
    page.goto(address)
    assert result(page) == "valid"
    assert page.get_attribute("#verify-result", "data-kind") == "attestation"
    assert page.get_attribute("#verify-result", "data-live") == "not-asked"
    shown = page.text_content("#verify-card")
    assert registration.registrant_name_latin in shown
    assert said("Attestation of practice", "en") in shown
    code = register_services.verification_code(registration)
    link = page.get_attribute("#verify-attestation-link", "href")
    assert link == f"/verify/attestation/{registration.number}/{code}/"
    page.screenshot(path=str(tmp_path / "attestation-offline.png"), full_page=True)


def test_an_attestation_past_its_end_reads_expired(browser, register, run_jobs):
    from django.utils import timezone

    from hirfa.cards import keys

    helpers.real_card(run_jobs)
    key = keys.signing_key()
    now = int(timezone.now().timestamp())
    claims = qr.AttestationClaims(
        number="1000000018", name_ar="فاضمة", name_latin="Fadma", category="master",
        activity="01.01", province="09.581", registered_on="2020-01-01",
        valid_until="2024-12-31", code="ABCD-EFGH-IJKL",
    )  # fmt: skip
    text = qr.encode_attestation(
        claims, issued_at=now - 9000, expires_at=now - 60, private_key=key.private_key,
        kid=key.kid,
    )  # fmt: skip
    context, page = visitor(browser, register)
    assert check(page, text) == "expired"
    assert page.get_attribute("#verify-result", "data-kind") == "attestation"
    context.close()
