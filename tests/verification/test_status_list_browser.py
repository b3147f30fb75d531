"""The status list in the offline verifier (docs/card-qr.md §12, docs/decisions/0063): a
Claim 169 card reads REVOKED offline from the status list the phone cached, the page says
how old its revocations are, and a stale, unsigned or foreign list is flagged, not used.
Cards printed before (`RNA1:…`) still verify beside Claim 169 cards."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone, translation
from django.utils.translation import gettext

from hirfa.cards import claim169, keys, qr, statuslist
from hirfa.cards import services as cards
from tests.browser.waiting import wait_until
from tests.factories import agent_of, issued_card, signed_as_before

from . import helpers
from .test_verify_browser import check, go_offline, visitor, wait_for_the_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def said(text: str, language: str) -> str:
    with translation.override(language):
        return gettext(text)


def wait_for_the_status_list(page):
    wait_until(page, "document.getElementById('verify-status-list').textContent.length > 0")


def test_a_card_printed_before_and_a_claim_169_card_both_verify_offline(
    browser, register, run_jobs
):
    new = helpers.real_card(run_jobs)
    assert claim169.looks_like(new.qr_text)
    old = signed_as_before(issued_card(run_jobs, agent=agent_of("09"), cnie="JK654321"))
    assert old.qr_text.startswith("RNA1:")
    context, page = visitor(browser, register)
    go_offline(context, page)
    assert check(page, new.qr_text) == "valid"
    assert new.registration.registrant_name_latin in page.text_content("#verify-card")
    # A Claim 169 card carries the holder's date of birth, which the page shows.
    assert said("Date of birth", "en") in page.text_content("#verify-card")
    assert check(page, old.qr_text) == "valid"
    assert said("Date of birth", "en") not in page.text_content("#verify-card")
    assert check(page, helpers.altered_text(new.qr_text)) == "not_genuine"
    context.close()


def test_a_revoked_claim_169_card_reads_revoked_offline_from_the_status_list(
    browser, register, run_jobs, tmp_path
):
    agent = agent_of("09")
    card = helpers.real_card(run_jobs, agent=agent)
    context, page = visitor(browser, register, language="fr")
    wait_for_the_status_list(page)
    assert page.get_attribute("#verify-status-list", "data-issued-at")

    cards.reissue(actor=agent, registration=card.registration, reason="lost")
    page.reload()  # online: the service worker fetches and keeps the new lists
    wait_for_the_list(page)
    wait_for_the_status_list(page)
    # The revocation list by number is out of the way: the status list alone decides.
    page.route("**/.well-known/rna-revocations", lambda route: route.abort())
    go_offline(context, page)
    wait_for_the_status_list(page)
    shown = page.text_content("#verify-status-list")
    assert shown.startswith(
        said("Revocations as of %(issued)s (status list fetched on %(fetched)s).", "fr").split("%")[
            0
        ]
    )
    assert check(page, card.qr_text) == "revoked"
    assert page.text_content("#verify-verdict") == said("REVOKED", "fr")
    page.screenshot(path=str(tmp_path / "revoked-by-status-list-fr.png"), full_page=True)
    context.close()


def served_list(*, issued_ago, expires_in, key=None, revoked=()):
    now = int(timezone.now().timestamp())
    signing = keys.signing_key()
    private = key or signing.private_key
    return statuslist.encode(
        {index: statuslist.INVALID for index in revoked},
        size=16384, issued_at=now - issued_ago, expires_at=now + expires_in, ttl=3600,
        private_key=private, kid=qr.key_id(private.public_key()),
    )  # fmt: skip


def test_a_stale_unsigned_or_old_status_list_is_flagged(browser, register, run_jobs):
    card = helpers.real_card(run_jobs)
    index = qr.decode_card(card.qr_text, keys.public_key).status.index
    lists = {
        "old": served_list(issued_ago=7200, expires_in=86400, revoked=[index]),
        "stale": served_list(issued_ago=8 * 86400, expires_in=-86400, revoked=[index]),
        "unsigned": served_list(issued_ago=0, expires_in=86400, revoked=[index],
                                key=Ed25519PrivateKey.generate()),
    }  # fmt: skip
    # The page's own handling of the list, as served: no service worker in between.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    served = {"list": lists["old"]}
    page.route(
        "**/.well-known/rna-status-list",
        lambda route: route.fulfill(body=served["list"], content_type=statuslist.TYPE),
    )
    page.route("**/api/v1/cards/**", lambda route: route.abort())  # no live status
    page.goto(register.url + "/verify/")
    wait_for_the_status_list(page)
    old = "The status list is out of date: connect to the internet to refresh it."
    assert said(old, "ar") in page.text_content("#verify-status-list")
    assert check(page, card.qr_text) == "revoked"  # an old list is still used

    for name, message in (
        ("stale", "The status list is too old to be trusted and was not used: connect to the "
                  "internet to refresh it."),
        ("unsigned", "The status list could not be verified: it was not used."),
    ):  # fmt: skip
        served["list"] = lists[name]
        page.reload()
        wait_for_the_status_list(page)
        assert page.text_content("#verify-status-list") == said(message, "ar")
        # Not used: the revocation list by number answers (the card is not on it).
        assert check(page, card.qr_text) == "valid"
    context.close()
