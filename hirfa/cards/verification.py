"""Verifying a card's QR on the server: the same steps and verdict order as the browser.

Used by the API (`POST /api/v1/cards/verify`) and `hirfa verify_card`. The signature is
checked against the keys this register holds; the revocation status is the live one
(`selectors.withdrawal`: the register's withdrawn cards, current on every request).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.cards import keys, qr, selectors

LIVE_REASONS = {"revoked": qr.REASON_REVOKED, "suspended": qr.REASON_SUSPENDED}


@dataclass(frozen=True)
class Result:
    verdict: qr.Verdict
    signed: qr.SignedCard | qr.SignedAttestation | None
    reason: str


def explain(kind: str) -> str:
    return {
        "prefix": _("This is not the QR code of a professional card."),
        "base45": _("The QR code text is damaged or incomplete."),
        "zlib": _("The QR code text is damaged or incomplete."),
        "too_large": _("The QR code holds too much data to be a card."),
        "unknown_kid": _("The card was signed with a key this register does not know."),
        "signature": _("The signature does not match: the card was forged or altered."),
    }.get(kind, _("The QR code is not a card issued by the register."))


def verify_text(text: str) -> Result:
    """The verdict on a card's or an attestation's QR text (bare or camera address)."""
    try:
        signed = qr.decode_document(text, keys.public_key)
    except qr.NotGenuine as error:
        return Result(qr.Verdict.NOT_GENUINE, None, explain(error.kind))
    if isinstance(signed, qr.SignedAttestation):
        verdict = qr.verdict(signed, revocation_reason=None, now=int(timezone.now().timestamp()))
        return Result(verdict, signed, _attestation_reason(verdict))
    now = int(timezone.now().timestamp())
    status = selectors.withdrawal(
        signed.card.number, signed.card.version, expired=now > signed.expires_at
    )
    verdict = qr.verdict(signed, revocation_reason=LIVE_REASONS.get(status), now=now)
    return Result(verdict, signed, _card_reason(verdict))


# Only the verdict's own sentence is translated (every online check comes here).
def _attestation_reason(verdict: qr.Verdict) -> str:
    if verdict == qr.Verdict.VALID:
        return _(
            "The attestation is genuine and valid. Check online whether the registration "
            "is still active."
        )
    return _("The attestation is genuine but its validity has ended.")


def _card_reason(verdict: qr.Verdict) -> str:
    if verdict == qr.Verdict.VALID:
        return _("The card is genuine and valid.")
    if verdict == qr.Verdict.EXPIRED:
        return _("The card is genuine but its validity has ended.")
    if verdict == qr.Verdict.REVOKED:
        return _("The card was revoked: it has been replaced or withdrawn.")
    return _("The registration of the holder is suspended.")
