"""What the register says about itself as a credential issuer (OpenID4VCI 1.0, §12), the
credential offer it shows, and its nonces. Addresses derive from PUBLIC_URL, the issuer
identifier."""

from __future__ import annotations

import json
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext as _

from hirfa.wallet.policy import NONCE_SECONDS

CONFIGURATION_ID = "ma.rna.professional_card"
FORMAT = "dc+sd-jwt"
VCT = "urn:ma:rna:professional-card:1"
PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_SCHEME = "openid-credential-offer://"
TX_CODE_LENGTH = 6
LOCALES = ("ar", "fr", "zgh", "en")
CLAIMS = (
    "registration_number",
    "card_version",
    "name_ar",
    "name_latin",
    "name_zgh",
    "category",
    "activity",
    "province",
    "valid_until",
    "qr",
)


def issuer_id() -> str:
    return settings.PUBLIC_URL.rstrip("/")


def endpoint(name: str) -> str:
    return f"{issuer_id()}/openid4vci/{name}"


def _claim_names() -> dict[str, str]:
    return {
        "registration_number": _("Registration number"),
        "card_version": _("Card version"),
        "name_ar": _("Name in Arabic"),
        "name_latin": _("Name in Latin letters"),
        "name_zgh": _("Name in Tifinagh"),
        "category": _("Category"),
        "activity": _("Activity"),
        "province": _("Province"),
        "valid_until": _("Valid until"),
        "qr": _("QR code of the card"),
    }


def _in_each_locale(make) -> list[dict]:
    shown = []
    for locale in LOCALES:
        with translation.override(locale):
            shown.append(make(locale))
    return shown


def credential_issuer_metadata() -> dict:
    claims = {
        name: _in_each_locale(lambda locale, n=name: {"name": _claim_names()[n], "locale": locale})
        for name in CLAIMS
    }
    return {
        "credential_issuer": issuer_id(),
        "credential_endpoint": endpoint("credential"),
        "nonce_endpoint": endpoint("nonce"),
        "display": _in_each_locale(
            lambda locale: {"name": _("National Register of Traditional Crafts"), "locale": locale}
        ),
        "credential_configurations_supported": {
            CONFIGURATION_ID: {
                "format": FORMAT,
                "vct": VCT,
                "cryptographic_binding_methods_supported": ["jwk"],
                "credential_signing_alg_values_supported": ["EdDSA"],
                "proof_types_supported": {
                    "jwt": {"proof_signing_alg_values_supported": ["EdDSA", "ES256"]}
                },
                "credential_metadata": {
                    "display": _in_each_locale(
                        lambda locale: {
                            "name": _("National professional card of the artisan"),
                            "locale": locale,
                            "background_color": "#0b5d3b",
                            "text_color": "#ffffff",
                        }
                    ),
                    "claims": [{"path": [name], "display": claims[name]} for name in CLAIMS],
                },
            }
        },
    }


def authorization_server_metadata() -> dict:
    """RFC 8414: the issuer is its own authorization server, for the pre-authorized code
    flow only (no authorization endpoint: the offer is the authorization)."""
    return {
        "issuer": issuer_id(),
        "token_endpoint": endpoint("token"),
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": ["none"],
        "pre-authorized_grant_anonymous_access_supported": True,
    }


def jwt_vc_issuer_metadata() -> dict:
    """SD-JWT VC issuer metadata: where the keys of the issuer-signed JWT are."""
    return {"issuer": issuer_id(), "jwks_uri": f"{issuer_id()}/.well-known/jwks.json"}


def credential_offer(pre_authorized_code: str) -> dict:
    return {
        "credential_issuer": issuer_id(),
        "credential_configuration_ids": [CONFIGURATION_ID],
        "grants": {
            PRE_AUTHORIZED_GRANT: {
                "pre-authorized_code": pre_authorized_code,
                "tx_code": {
                    "input_mode": "numeric",
                    "length": TX_CODE_LENGTH,
                    "description": _("Type the code we sent you by SMS."),
                },
            }
        },
    }


def offer_uri(offer: dict) -> str:
    """`openid-credential-offer://?credential_offer=…`, the offer passed by value."""
    text = json.dumps(offer, separators=(",", ":"), ensure_ascii=False)
    return f"{OFFER_SCHEME}?credential_offer={quote(text, safe='')}"


# --- Nonces ------------------------------------------------------------------------------

_NONCE_SALT = "hirfa.wallet.c_nonce"


def new_nonce() -> str:
    """A fresh c_nonce: random, signed and dated by us (no row: any process checks it)."""
    return signing.TimestampSigner(salt=_NONCE_SALT).sign(secrets.token_urlsafe(16))


def nonce_is_fresh(nonce) -> bool:
    if not isinstance(nonce, str) or len(nonce) > 200:
        return False
    try:
        signing.TimestampSigner(salt=_NONCE_SALT).unsign(nonce, max_age=NONCE_SECONDS)
    except signing.BadSignature:
        return False
    return True
