"""Searches kept in the session under a random id, so that what was typed (a name, a
CNIE) never goes into an address, where access logs, the browser's history and Referer
headers would keep it (ASVS 8.3.1, docs/decisions/0077).

A search form is posted; the view keeps what was asked (`keep`) and answers at
`?s=<id>`, an address that pages, goes back and reloads without showing the words. A
session keeps its latest KEPT searches for SEARCH_KEPT_SECONDS.
"""

import secrets
import time
from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "searches"
# The most searches a session keeps (the latest).
KEPT = 20
# What a page says when the id in its address is no longer kept.
EXPIRED = _("This search is no longer kept: type it again.")
# What an id may be: `secrets.token_urlsafe(9)` gives 12 characters.
ID_LENGTH = 20


def keep(request, asked: Mapping, fields) -> str:
    """Keep `fields` of what was asked in the session under a new random id."""
    now = int(time.time())
    kept = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if now - value["at"] <= settings.SEARCH_KEPT_SECONDS
    }
    search_id = secrets.token_urlsafe(9)
    kept[search_id] = {
        "at": now,
        "asked": {name: str(asked.get(name) or "")[:100] for name in fields},
    }
    latest = sorted(kept.items(), key=lambda item: item[1]["at"])[-KEPT:]
    request.session[SESSION_KEY] = dict(latest)
    return search_id


def recall(request, search_id: str) -> dict | None:
    """What the search `search_id` asked, while this session keeps it."""
    kept = request.session.get(SESSION_KEY, {}).get(str(search_id)[:ID_LENGTH])
    if kept is None or time.time() - kept["at"] > settings.SEARCH_KEPT_SECONDS:
        return None
    return kept["asked"]


def asked(request, fields) -> tuple[Mapping, str | None, bool]:
    """What a search page answers: (what was asked, the search's id or None, whether the
    id asked for has expired). A post is kept under a new id; `?s=` is recalled; an
    address with the fields themselves (a link made before) is read as it is."""
    if request.method == "POST":
        return request.POST, keep(request, request.POST, fields), False
    if "s" in request.GET:
        search_id = str(request.GET["s"])[:ID_LENGTH]
        recalled = recall(request, search_id)
        if recalled is None:
            return {}, None, True
        return recalled, search_id, False
    return request.GET, None, False
