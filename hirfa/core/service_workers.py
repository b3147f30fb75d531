"""What a service worker caches, and the version that tells browsers to fetch it again
(ADR 0014: the verifier's worker; ADR 0060: the field app's)."""

import hashlib

from django.contrib.staticfiles import finders
from django.templatetags.static import static

_versions: dict = {}


def assets(names) -> tuple[list[str], str]:
    """The static URLs of `names`, and a version that changes with any URL or content (URLs
    are unhashed in development); read once per process, so a restart publishes a new
    worker."""
    urls = [static(name) for name in names]
    key = tuple(urls)
    if key not in _versions:
        digest = hashlib.sha256("\n".join(urls).encode())
        for name in names:
            path = finders.find(name)
            if path:
                with open(path, "rb") as file:
                    digest.update(file.read())
        _versions[key] = digest.hexdigest()[:16]
    return urls, _versions[key]
