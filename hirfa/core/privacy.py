"""Keeping personal data out of caches (docs/decisions/0033).

`NoStoreMiddleware`: every answer that does not say how it may be cached is
`Cache-Control: no-store`: pages and API answers show personal data, and a shared
computer's browser or a proxy must not keep them. The few public answers that may be
cached (the signed revocation list, a card's status, static files) say so themselves.
(Idle and absolute session timeouts, which depend on the user's role, are in
`hirfa/accounts/sessions.py`.)
"""


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
