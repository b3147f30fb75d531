"""The register's public addresses printed on documents, from the one setting `PUBLIC_URL`
(which `make run` sets to the address it serves). Built by hand, not with `reverse()`:
a document is printed for the public site whatever address the request came by."""

from urllib.parse import quote, urlencode

from django.conf import settings


def public_url(path: str) -> str:
    """`PUBLIC_URL` followed by `path` (which starts with a slash)."""
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}"


def attestation_check_url(number: str, code: str) -> str:
    """Where an attestation's number and code are checked online."""
    return public_url(f"/verify/attestation/{quote(number)}/{quote(code)}/")


def status_url(reference: str) -> str:
    """Where a file's status is looked up by its reference (the receipt's QR code)."""
    return public_url(f"/status/?{urlencode({'ref': reference})}")
