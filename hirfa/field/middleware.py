"""On logout, the browser is told which agent's offline store to erase (decision 60): the
field app reads the cookie when it next opens and deletes that agent's outbox and pages,
before anything is shown to whoever uses the phone then."""

from django.conf import settings

WIPE_COOKIE = "hirfa_field_wipe"


class WipeOnLogoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "field_wipe", None)
        if key:
            keys = [k for k in request.COOKIES.get(WIPE_COOKIE, "").split(".") if k][-9:]
            response.set_cookie(
                WIPE_COOKIE,
                ".".join(dict.fromkeys([*keys, key])),
                max_age=60 * 60 * 24 * 365,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=False,  # read by the field app's script
            )
        return response
