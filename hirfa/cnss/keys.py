"""Who signs what: our key for outbound batches, the CNSS's keys for inbound ones."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hirfa.cnss import exchange_format as fmt

SANDBOX_PUBLIC_KEY = "sandbox-signing.pub"


def signing_key() -> Ed25519PrivateKey:
    """CNSS_SIGNING_KEY, else a key generated once into var/ (its .pub beside it)."""
    if settings.CNSS_SIGNING_KEY:
        try:
            return fmt.private_key_from_text(settings.CNSS_SIGNING_KEY)
        except ValueError:
            raise ImproperlyConfigured(
                "CNSS_SIGNING_KEY must be the base64url of a 32-byte Ed25519 key"
            ) from None
    return fmt.load_or_create_private_key(settings.CNSS_SIGNING_KEY_FILE)


def public_key_text() -> str:
    """Our public key, as the CNSS configures it to verify our batches."""
    return fmt.b64url(fmt.public_bytes(signing_key().public_key()))


def cnss_public_keys() -> dict[str, Ed25519PublicKey]:
    """The keys an inbound batch may be signed with, by key id.

    In the demo (CNSS_SANDBOX) the sandbox's own public key is trusted too: it is the
    only "CNSS" there is.
    """
    texts = list(settings.CNSS_PUBLIC_KEYS)
    sandbox_key = settings.CNSS_SANDBOX_DIR / SANDBOX_PUBLIC_KEY
    if settings.CNSS_SANDBOX and sandbox_key.exists():
        texts.append(sandbox_key.read_text())
    keys = {}
    for text in texts:
        try:
            key = fmt.public_key_from_text(text)
        except ValueError:
            raise ImproperlyConfigured(
                "CNSS_PUBLIC_KEYS must hold base64url Ed25519 public keys"
            ) from None
        keys[fmt.key_id(key)] = key
    return keys
