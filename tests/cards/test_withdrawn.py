"""The withdrawn cards kept in each process for the online checks (ADR 0089): a card
suspended or revoked reads so on the very next check, in this process or any other."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.cards import qr, selectors
from hirfa.cards.models import Card
from hirfa.cards.verification import verify_text
from hirfa.register import services as register
from tests.factories import issued_card, officer_of

# Committed transactions: the kept list is used outside a transaction only.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def verdict_online(client, card) -> str:
    response = client.post(
        "/api/v1/cards/verify", {"qr": card.qr_text}, content_type="application/json"
    )
    return response.json()["verdict"]


def test_a_check_asks_the_database_nothing_while_no_card_was_withdrawn(
    run_jobs, django_assert_num_queries
):
    card = issued_card(run_jobs)
    assert verify_text(card.qr_text).verdict == qr.Verdict.VALID
    with django_assert_num_queries(0):
        assert verify_text(card.qr_text).verdict == qr.Verdict.VALID


def test_a_card_revoked_by_another_process_reads_revoked_on_the_next_check(run_jobs):
    card = issued_card(run_jobs)
    assert verify_text(card.qr_text).verdict == qr.Verdict.VALID
    # What another process's revocation leaves: the row committed, the stamp bumped; this
    # process was told nothing else.
    Card.objects.filter(pk=card.pk).update(status=Card.Status.REVOKED)
    selectors.WITHDRAWN.bump()
    assert verify_text(card.qr_text).verdict == qr.Verdict.REVOKED


def test_a_suspended_registration_s_card_reads_suspended_on_the_next_api_check(client, run_jobs):
    officer = officer_of("09.581", username="officer")
    card = issued_card(run_jobs, officer=officer)
    assert verdict_online(client, card) == "valid"
    register.suspend(officer=officer, registration=card.registration, reason="Contrôle", until=None)
    assert verdict_online(client, card) == "suspended"


def test_an_expired_card_revoked_before_its_end_still_reads_revoked(run_jobs, monkeypatch):
    card = issued_card(run_jobs)
    Card.objects.filter(pk=card.pk).update(status=Card.Status.REVOKED)
    selectors.WITHDRAWN.bump()
    later = card.expires_at + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert verify_text(card.qr_text).verdict == qr.Verdict.REVOKED


def test_with_card_check_asks_database_a_revocation_no_stamp_told_reads_revoked(run_jobs, settings):
    """Hosts sharing no stamp: each check asks the database, so a revocation made elsewhere
    (the row changed, the stamp of this host not bumped) reads revoked at once."""
    settings.CARD_CHECK_ASKS_DATABASE = True
    card = issued_card(run_jobs)
    assert verify_text(card.qr_text).verdict == qr.Verdict.VALID
    Card.objects.filter(pk=card.pk).update(status=Card.Status.REVOKED)
    assert verify_text(card.qr_text).verdict == qr.Verdict.REVOKED
