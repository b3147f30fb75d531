"""Who may put which card in a phone wallet, and for how long an offer lives."""

from datetime import timedelta

from django.utils import timezone

from hirfa.cards.models import Card
from hirfa.cards.policy import may_fetch_own_card, may_manage_cards

# The pre-authorized code lives as long as the SMS code that goes with it (ADR 0052).
OFFER_LIFETIME = timedelta(minutes=10)
TOKEN_LIFETIME = timedelta(minutes=5)
# Offers (which name the phone the code went to) are deleted after this long.
OFFERS_KEPT = timedelta(days=30)
NONCE_SECONDS = 300
# How far a wallet's clock may be from ours when it dates its proof.
PROOF_CLOCK_SKEW = timedelta(minutes=5)


def may_offer_own_card(user) -> bool:
    return may_fetch_own_card(user)


def may_offer_at_hand_over(user) -> bool:
    """Chamber agents and officers show the offer when they hand the card over."""
    return may_manage_cards(user)


def card_may_go_to_wallet(card: Card) -> bool:
    """Only a current, unexpired card is put in a wallet."""
    return card.status == Card.Status.CURRENT and card.expires_at > timezone.now()


def phone_for(card: Card) -> str:
    """Where the transaction code goes: the mobile phone written in the holder's file."""
    registration = card.registration
    holder = registration.person or registration.entity
    return getattr(holder, "phone", "") or ""
