"""Reads of the wallet issuance."""

import hashlib

from hirfa.wallet.models import CredentialOffer


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def offer_for_code(code: str) -> CredentialOffer | None:
    if not isinstance(code, str) or not 0 < len(code) <= 200:
        return None
    return (
        CredentialOffer.objects.select_related("card__registration", "card__province")
        .filter(code_digest=digest(code))
        .first()
    )


def offer_for_token(token: str) -> CredentialOffer | None:
    if not isinstance(token, str) or not 0 < len(token) <= 200:
        return None
    return (
        CredentialOffer.objects.select_related(
            "card__registration__person",
            "card__registration__entity",
            "card__registration__principal_activity",
            "card__registration__province",
            "card__province",
        )
        .filter(token_digest=digest(token))
        .first()
    )
