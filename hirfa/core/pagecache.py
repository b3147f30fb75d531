"""Pages that are the same for every anonymous visitor, rendered once per process.

The home page and the card verification page show a visitor nothing of their own but the
CSRF token. `same_for_every_visitor` renders such a page once per path, language and
language asked in the `vary_on` header, split around the token; keeps it (a
`ProcessMemo`: forgotten with the public reads when a release is loaded, and after a minute
elsewhere); and answers later visitors with a copy that carries their own token. Signed-in
users, visitors with a session or waiting messages, and requests with a query string are
rendered as before.

See docs/decisions/0058-public-pages-without-queries.md.
"""

import re
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from hirfa.core.languages import is_supported
from hirfa.core.memo import ProcessMemo

# Every page on base.html carries its token in this tag (the same one wherever it is used).
_TOKEN = re.compile(r'<meta name="csrf-token" content="([A-Za-z0-9]{32,})">')
_pages = ProcessMemo(lambda key: None)


def forget() -> None:
    _pages.forget()


def _shared(request) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and (user is None or not user.is_authenticated)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _language_asked(request, header: str | None) -> str | None:
    # A language header's value is a key only when it names a language: anything else is
    # answered like no header, and never grows the memo.
    # From META: `request.headers` would copy every header of the request.
    value = request.META.get("HTTP_" + header.upper().replace("-", "_")) if header else None
    return value if is_supported(value) else None


def same_for_every_visitor(*, vary_on: str | None = None):
    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _shared(request):
                return view(request, *args, **kwargs)
            key = (
                view.__qualname__,
                request.path,
                translation.get_language(),
                _language_asked(request, vary_on),
            )
            page = _pages.held(key)
            if page is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                token = _TOKEN.search(response.content.decode())
                if token is None:
                    return response
                # The page kept as its bytes around each place of the token (ASCII): a
                # visitor's copy is one join, neither a search of the text nor its encoding
                # (a fifth of the verification page's request, ADR 0089).
                parts = response.content.split(token.group(1).encode("ascii"))
                _pages.put(key, (parts, dict(response.items())))
                return response
            parts, headers = page
            response = HttpResponse(get_token(request).encode("ascii").join(parts))
            for name, value in headers.items():
                response[name] = value
            return response

        return wrapped

    return decorate
