from django.conf import settings
from django.http import HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hirfa.core.api_errors import error_body
from hirfa.core.languages import is_supported


@require_POST
def set_language(request):
    """Switch the interface language; an unknown language is refused, not ignored."""
    language = request.POST.get("language", "")
    if not is_supported(language):
        return render(
            request,
            "core/error.html",
            {"title": _("Unknown language"), "message": _("This language is not available.")},
            status=400,
        )
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    translation.activate(language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SECURE_COOKIES,
    )
    return response


def _error_page(request, status, title, message):
    if request.path.startswith("/api/"):
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}
        return JsonResponse(error_body(codes[status], message), status=status)
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400, _("Bad request"), _("The request is not valid."))


def permission_denied(request, exception=None):
    return _error_page(request, 403, _("Access denied"), _("You are not allowed to see this page."))


def page_not_found(request, exception=None):
    return _error_page(
        request, 404, _("Page not found"), _("This page does not exist or is not yours to see.")
    )


def domain_error_page(request, error):
    """The page for a refusal a view did not show beside a form (`DomainErrorMiddleware`)."""
    if error.status == 404:
        return page_not_found(request)
    if error.status == 403:
        return _error_page(request, 403, _("Access denied"), error.message)
    return render(
        request,
        "core/error.html",
        {"title": _("This cannot be done"), "message": error.message},
        status=error.status,
    )


def server_error(request):
    title = _("Something went wrong")
    message = _("An error occurred on our side. It has been recorded; please try again later.")
    try:
        return _error_page(request, 500, title, message)
    except Exception:
        # The page itself failed (a broken database, a missing template): answer
        # plainly rather than not at all.
        return HttpResponseServerError(f"<h1>{title}</h1><p>{message}</p>")
