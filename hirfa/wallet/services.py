"""Writes of the wallet issuance (OpenID4VCI 1.0, pre-authorized code flow; ADR 0065).

1. `offer_card`: an artisan (their own card) or an agent (at the hand-over) makes an offer:
   a pre-authorized code shown in a QR code, and a transaction code sent by SMS to the
   phone of the file.
2. `redeem`: the wallet gives both at the token endpoint and gets an access token. The
   pre-authorized code is spent, whatever happens next.
3. `issue`: the wallet proves it holds a key (a proof JWT over our c_nonce) and gets the
   SD-JWT VC bound to that key. The access token is spent: nothing is issued twice.

Errors of steps 2 and 3 are `OAuthError`s, in the shape the specification gives them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts.models import PhoneVerification
from hirfa.accounts.services import confirm_phone_code, send_phone_code
from hirfa.audit.services import record
from hirfa.cards import issuing, keys
from hirfa.cards.models import Card
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.wallet import issuer, jose, policy, selectors
from hirfa.wallet.models import CredentialOffer


class OAuthError(Exception):
    """An error of the token or credential endpoint: `error` is the specification's code."""

    def __init__(self, error: str, description: str = "", status: int = 400):
        self.error = error
        self.description = description
        self.status = status
        super().__init__(f"{error}: {description}")


@dataclass(frozen=True)
class Offer:
    offer: CredentialOffer
    uri: str


def offer_card(*, actor, card: Card, at_hand_over: bool = False) -> Offer:
    """Make an offer of `card` and text its transaction code to the holder's phone."""
    allowed = (
        policy.may_offer_at_hand_over(actor) if at_hand_over else policy.may_offer_own_card(actor)
    )
    if not allowed:
        raise Forbidden()
    with transaction.atomic():
        card = (
            Card.objects.select_for_update(of=("self",))
            .select_related("registration__person", "registration__entity", "province")
            .get(pk=card.pk)
        )
        if not policy.card_may_go_to_wallet(card):
            raise Conflict(_("Only a current card can be put in a phone wallet."))
        phone = policy.phone_for(card)
        if not phone:
            raise DomainError(
                _("The file has no mobile phone number to send the code to."), code="no_phone"
            )
        now = timezone.now()
        # One live offer a card: the code of an older one would not be the SMS's anyway.
        CredentialOffer.objects.filter(
            card=card, redeemed_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        phone = send_phone_code(phone=phone, purpose=PhoneVerification.Purpose.WALLET)
        code = secrets.token_urlsafe(32)
        offer = CredentialOffer.objects.create(
            card=card,
            code_digest=selectors.digest(code),
            phone=phone,
            offered_by=actor,
            created_at=now,
            expires_at=now + policy.OFFER_LIFETIME,
        )
        record(
            actor=actor,
            action="wallet.offered",
            obj=card,
            province_code=card.province.code,
            data={"number": card.registration.number, "version": card.version},
        )
    return Offer(offer=offer, uri=issuer.offer_uri(issuer.credential_offer(code)))


def forget_old_offers(*, now=None) -> int:
    """Delete the offers older than OFFERS_KEPT (they name a phone): the audit trail keeps
    that an offer was made and a credential issued. Daily."""
    cutoff = (now or timezone.now()) - policy.OFFERS_KEPT
    deleted, _ = CredentialOffer.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def redeem(*, pre_authorized_code, tx_code) -> tuple[str, int]:
    """The access token (and its lifetime in seconds) for a live offer and its SMS code."""
    offer = selectors.offer_for_code(pre_authorized_code)
    if offer is None:
        raise OAuthError("invalid_grant", "unknown pre-authorized code")
    if offer.redeemed_at is not None:
        raise OAuthError("invalid_grant", "pre-authorized code already used")
    if offer.expires_at <= timezone.now():
        raise OAuthError("invalid_grant", "pre-authorized code expired")
    if not isinstance(tx_code, str) or not tx_code:
        raise OAuthError("invalid_request", "tx_code is required")
    try:  # outside our transaction: a wrong code must stay counted
        confirm_phone_code(
            phone=offer.phone, purpose=PhoneVerification.Purpose.WALLET, code=tx_code
        )
    except DomainError as error:
        raise OAuthError("invalid_grant", f"tx_code refused: {error.code}") from None
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        spent = CredentialOffer.objects.filter(pk=offer.pk, redeemed_at__isnull=True).update(
            redeemed_at=now,
            token_digest=selectors.digest(token),
            token_expires_at=now + policy.TOKEN_LIFETIME,
        )
        if not spent:  # a concurrent request with the same code won
            raise OAuthError("invalid_grant", "pre-authorized code already used")
        record(
            actor=None,
            actor_label="wallet",
            action="wallet.code_redeemed",
            obj=offer.card,
            province_code=offer.card.province.code,
            data={"number": offer.card.registration.number, "version": offer.card.version},
        )
    return token, int(policy.TOKEN_LIFETIME.total_seconds())


def _offer_for_token(access_token) -> CredentialOffer:
    offer = selectors.offer_for_token(access_token)
    if offer is None or offer.token_expires_at is None:
        raise OAuthError("invalid_token", "unknown access token", status=401)
    if offer.token_expires_at <= timezone.now():
        raise OAuthError("invalid_token", "access token expired", status=401)
    if offer.issued_at is not None:
        raise OAuthError("invalid_token", "access token already used", status=401)
    return offer


def _proof_jwt(request: dict) -> str:
    """The one proof JWT of a credential request (`proofs.jwt`; the single `proof` of the
    drafts is taken too)."""
    proofs = request.get("proofs")
    if proofs is not None:
        if not isinstance(proofs, dict) or set(proofs) != {"jwt"}:
            raise OAuthError("invalid_proof", "only proofs of type jwt are supported")
        jwts = proofs["jwt"]
        if not isinstance(jwts, list) or len(jwts) != 1:
            raise OAuthError("invalid_proof", "exactly one jwt proof is expected")
        return jwts[0]
    proof = request.get("proof")
    if isinstance(proof, dict) and proof.get("proof_type") == "jwt":
        return proof.get("jwt")
    raise OAuthError("invalid_proof", "a proof is required")


def holder_key(proof_jwt, now: datetime) -> dict:
    """The wallet's public JWK, once its proof checks: type, signature, audience, date and
    nonce (OpenID4VCI 1.0, appendix F.4)."""
    try:
        header, payload = jose.verify_with_jwk(proof_jwt, typ="openid4vci-proof+jwt")
    except jose.JoseError as error:
        raise OAuthError("invalid_proof", str(error)) from None
    audience = payload.get("aud")
    if audience != issuer.issuer_id() and not (
        isinstance(audience, list) and issuer.issuer_id() in audience
    ):
        raise OAuthError("invalid_proof", "aud is not this credential issuer")
    issued = payload.get("iat")
    if type(issued) not in (int, float):
        raise OAuthError("invalid_proof", "iat is missing")
    skew = policy.PROOF_CLOCK_SKEW.total_seconds()
    if abs(now.timestamp() - issued) > skew:
        raise OAuthError("invalid_proof", "iat too far from now")
    if not issuer.nonce_is_fresh(payload.get("nonce")):
        raise OAuthError("invalid_nonce", "c_nonce unknown or expired")
    return jose.public_jwk(header["jwk"])


def _credential(card: Card, holder_jwk: dict, now: datetime) -> str:
    registration = card.registration
    claims = issuing.claims_for(registration, card.version)
    key = keys.signing_key()
    disclosed = {
        "registration_number": claims.number,
        "card_version": claims.version,
        "name_ar": claims.name_ar,
        "name_latin": claims.name_latin,
        "category": claims.category,
        "activity": claims.activity,
        "province": claims.province,
        "valid_until": registration.valid_until.isoformat(),
        "qr": card.qr_text,
    }
    if claims.name_zgh:
        disclosed["name_zgh"] = claims.name_zgh
    return jose.issue_sd_jwt(
        header={"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": keys.b64url(key.kid)},
        payload={
            "iss": issuer.issuer_id(),
            "iat": int(now.timestamp()),
            "exp": int(card.expires_at.timestamp()),
            "vct": issuer.VCT,
            "cnf": {"jwk": holder_jwk},
        },
        disclosed=disclosed,
        private_key=key.private_key,
    )


def issue(*, access_token, request) -> str:
    """The SD-JWT VC of the offer's card, bound to the wallet's key; once."""
    offer = _offer_for_token(access_token)
    if not isinstance(request, dict):
        raise OAuthError("invalid_credential_request", "the body is not a JSON object")
    if "credential_identifier" in request:
        raise OAuthError("unknown_credential_identifier", "no credential identifiers issued")
    if request.get("credential_configuration_id") != issuer.CONFIGURATION_ID:
        raise OAuthError("unknown_credential_configuration", "unknown configuration")
    now = timezone.now()
    jwk = holder_key(_proof_jwt(request), now)
    with transaction.atomic():
        offer = (
            CredentialOffer.objects.select_for_update(of=("self",))
            .select_related(
                "card__registration__person",
                "card__registration__entity",
                "card__registration__principal_activity",
                "card__registration__province",
                "card__province",
            )
            .get(pk=offer.pk)
        )
        if offer.issued_at is not None:  # a concurrent request with the same token won
            raise OAuthError("invalid_token", "access token already used", status=401)
        card = offer.card
        if not policy.card_may_go_to_wallet(card):
            raise OAuthError("credential_request_denied", "the card is no longer current")
        try:
            credential = _credential(card, jwk, now)
        except keys.NoSigningKey:
            raise OAuthError("credential_request_denied", "no signing key", status=503) from None
        offer.issued_at = now
        offer.holder_key = jose.thumbprint(jwk)
        offer.save(update_fields=["issued_at", "holder_key"])
        record(
            actor=None,
            actor_label="wallet",
            action="wallet.issued",
            obj=card,
            province_code=card.province.code,
            data={
                "number": card.registration.number,
                "version": card.version,
                "holder_key": offer.holder_key,
            },
        )
    return credential
