from functools import cache

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView

from hirfa.core.deferred_urls import deferred_include
from hirfa.core.middleware import served_directly


def _operation(route: str):
    """The API's own view of `route` (a path inside /api/v1/)."""
    from hirfa.api import urlpatterns

    return next(p.callback for p in urlpatterns if str(p.pattern) == route)


@cache
def _verify_direct():
    from hirfa.api import api
    from hirfa.cards.api import verify_direct

    return verify_direct(api, _operation("cards/verify"))


@served_directly  # as the view it stands for (hirfa.cards.api.verify_direct, ADR 0082)
@csrf_exempt
def verify_card(request):
    """`POST /api/v1/cards/verify`: the view of `hirfa.cards.api.verify_direct`, made on the
    first check of a card (it needs the API built)."""
    return _verify_direct()(request)


urlpatterns = [
    # Every online check of a card: first, before any other route is tried (ADR 0075).
    path("api/v1/cards/verify", verify_card),
    path("", include("hirfa.site.urls")),
    path("", include("hirfa.core.urls")),
    path("accounts/", include("hirfa.accounts.urls")),
    path("crafts/", include("hirfa.crafts.urls")),
    path("me/data/", include("hirfa.privacy.urls")),
    path("me/", include("hirfa.register.urls_artisan")),
    path("verify/", include("hirfa.verification.urls")),
    path("verify/", include("hirfa.register.urls_public")),
    path("status/", include("hirfa.register.urls_status")),
    path("", include("hirfa.register.urls_staff")),
    path("", include("hirfa.cards.urls")),
    path("", include("hirfa.wallet.urls")),
    path("cnss/", include("hirfa.cnss.urls")),
    path("registry/", include("hirfa.registry.urls")),
    path("", include("hirfa.coverage.urls")),
    path("search/", include("hirfa.search.urls")),
    path("", include("hirfa.imports.urls")),
    path("duplicates/", include("hirfa.duplicates.urls")),
    path("", include("hirfa.outreach.urls")),
    path("", include("hirfa.campaigns.urls")),
    path("field/", include("hirfa.field.urls")),
    path("", include("hirfa.stats.urls")),
    path("notifications/", include("hirfa.notifications.urls")),
    # The trail's readers (auditors) are not Django staff: the admin's audit section would send
    # them to the admin's login; its address leads to their own page (decision 54).
    path("admin/audit/", RedirectView.as_view(pattern_name="site:trail", permanent=False)),
    path("admin/", admin.site.urls),
    # The JSON API (hirfa.api), imported by the first request to /api/v1/: a worker whose
    # first request is a page, or a test of pages, does not build its routers and schemas.
    deferred_include("api/v1/", "hirfa.api", app_name="ninja", namespace="api"),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
]

handler400 = "hirfa.core.views.bad_request"
handler403 = "hirfa.core.views.permission_denied"
handler404 = "hirfa.core.views.page_not_found"
handler500 = "hirfa.core.views.server_error"
