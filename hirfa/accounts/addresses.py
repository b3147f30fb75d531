"""The client's address, the one way it is read (login throttling, the QR reader's limit).

Behind a reverse proxy, REMOTE_ADDR is the proxy's: every client would share one count.
The proxy appends the address it received the request from to X-Forwarded-For; anything
to the left of it the client may have written itself. So the header is believed only when
the request comes from a proxy listed in TRUSTED_PROXIES, and read from the right: the
client is the first address that is not a trusted proxy (docs/decisions/0032).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


def _ip(text: str | None):
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str | None:
    """The client's IP address as text, or None when it cannot be known."""
    if request is None:
        return None
    remote = _ip(request.META.get("REMOTE_ADDR"))
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not _trusted(remote, networks):
        return str(remote) if remote else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            return None  # a proxy of ours wrote it: better no address than a wrong one
        if not _trusted(address, networks):
            return str(address)
    # Only proxies (or no header): the leftmost address we were told of, if any. Never
    # the proxy's own, which every client behind it would share.
    return str(_ip(hops[0])) if hops else None
