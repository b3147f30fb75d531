"""The agents' field app (docs/field-app.md, decision 60): the page, its manifest and
service worker, the reference data it keeps offline, who is logged in (before a sync), and
the items that need attention for officers and agents."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hirfa.accounts.roles import Capability, require_capability
from hirfa.core.errors import DomainError
from hirfa.core.service_workers import assets
from hirfa.field import policy, selectors, services
from hirfa.field.texts import texts

# What the service worker keeps for offline use (the stylesheet names the fonts).
ASSETS = (
    "hirfa/css/hirfa.css",
    "hirfa/fonts/NotoSansArabic-Regular.ttf",
    "hirfa/fonts/NotoSansArabic-Bold.ttf",
    "hirfa/fonts/NotoSansTifinagh-Regular.ttf",
    "hirfa/field/field.css",
    "hirfa/field/outbox.js",
    "hirfa/field/app.js",
    "hirfa/field/icon-192.png",
    "hirfa/field/icon-512.png",
)


@login_required
@require_GET
def app(request):
    """The field app: capture, the outbox, sync. Served network first by its worker."""
    require_capability(request.user, Capability.FILE_ASSISTED)
    context = {
        "reference": selectors.reference_data(request.user),
        "texts": texts(),
        "urls": {
            "session": reverse("field:session"),
            "reference": reverse("field:reference"),
            "items": "/api/v1/field/items",
            "attachments": "/api/v1/field/attachments/",
            "logout": reverse("accounts:logout"),
            "login": reverse("accounts:login") + "?next=" + reverse("field:app"),
        },
    }
    response = render(request, "field/app.html", context)
    response["Content-Language"] = translation.get_language()
    return response


@login_required
@require_GET
def reference(request):
    """The nomenclature, the communes of the agent's provinces and the events of the day."""
    require_capability(request.user, Capability.FILE_ASSISTED)
    return JsonResponse(selectors.reference_data(request.user))


@require_GET
def session(request):
    """Who is logged in, asked before each sync: the outbox is sent only under the session
    of the agent who captured it, with a fresh CSRF token."""
    user = request.user
    if not policy.may_use_field_app(user):
        return JsonResponse({"agent": None, "message": texts()["session"]["login"]}, status=401)
    return JsonResponse({"agent": selectors.agent_key(user), "csrf": get_token(request)})


@require_GET
def manifest(request):
    data = {
        "name": _("hirfa — field app"),
        "short_name": _("hirfa field"),
        "start_url": reverse("field:app"),
        "scope": reverse("field:app"),
        "display": "standalone",
        "background_color": "#faf7f2",
        "theme_color": "#7a2e1d",
        "lang": translation.get_language(),
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "icons": [
            {"src": static("hirfa/field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("hirfa/field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request):
    urls, version = assets(ASSETS)
    context = {
        "assets_json": json.dumps(urls),
        "version": version,
        "page": reverse("field:app"),
        "reference": reverse("field:reference"),
    }
    response = render(request, "field/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


# --- Items needing attention (officers' queue, agents' own) -----------------------------


@login_required
@require_GET
def attention(request):
    if not policy.may_follow_attention(request.user):
        raise Http404
    page = Paginator(selectors.attention_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "field/attention.html", {"page": page})


@login_required
@require_GET
def attention_item(request, pk):
    item = (
        selectors.attention_item_for(request.user, pk)
        if policy.may_follow_attention(request.user)
        else None
    )
    if item is None:
        raise Http404
    return render(
        request,
        "field/attention_item.html",
        {"item": item, "body": json.dumps(item.body, ensure_ascii=False, indent=2)},
    )


@login_required
@require_POST
def settle(request, pk):
    item = (
        selectors.attention_item_for(request.user, pk)
        if policy.may_follow_attention(request.user)
        else None
    )
    if item is None:
        raise Http404
    try:
        services.settle(actor=request.user, item=item)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The item is settled."))
    return redirect("field:attention")
