from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hirfa.accounts.policy import may_read_trail
from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import inbox_for
from hirfa.audit import selectors as audit_selectors
from hirfa.audit import services as audit_services
from hirfa.core.pagecache import same_for_every_visitor
from hirfa.crafts.selectors import release_in_force
from hirfa.notifications.inbox import open_item, set_digest, wants_digest
from hirfa.site import inbox as site_inbox
from hirfa.site import policy, selectors
from hirfa.site import trail as trail_search
from hirfa.territory.selectors import offices_by_region


@same_for_every_visitor()
def home(request):
    # No query for a visitor: the release is read once a minute per process, and the page
    # rendered once for every anonymous visitor (ADR 0058).
    return render(request, "site/home.html", {"nomenclature": release_in_force()})


@login_required
def my_work(request):
    """Staff's landing page: what waits for them, in their territory."""
    if not policy.lands_on_my_work(request.user):
        if has_capability(request.user, Capability.HOLD_OWN_FILE):
            return redirect("artisan:space")
        return redirect("site:home")
    return render(request, "site/my_work.html", {"blocks": selectors.my_work(request.user)})


# Help, one page per role; the visitor's own is shown first.
HELP_TOPICS = ("artisan", "agent", "officer", "cnss", "admin")


def _own_topic(user) -> str:
    if has_capability(user, Capability.FILE_ASSISTED):
        return "agent"
    if has_capability(user, Capability.REVIEW):
        return "officer"
    if has_capability(user, Capability.EXCHANGE_CNSS):
        return "cnss"
    if has_capability(user, Capability.MANAGE_USERS) or has_capability(user, Capability.READ_AUDIT):
        return "admin"
    return "artisan"


def help_page(request, topic=None):
    topic = topic or _own_topic(request.user)
    if topic not in HELP_TOPICS:
        raise Http404
    return render(
        request,
        f"site/help/{topic}.html",
        {"topic": topic, "topics": HELP_TOPICS, "own": _own_topic(request.user)},
    )


def chambers(request):
    """The chambers of crafts and the provincial directorates, by region: town, address,
    phone, opening hours."""
    return render(request, "site/chambers.html", {"regions": offices_by_region()})


@login_required
@require_GET
def trail(request):
    """The audit trail, searched and told in words, with the chain's state."""
    if not may_read_trail(request.user):
        raise PermissionDenied
    form = trail_search.TrailSearchForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        result = trail_search.search(request.user, form.cleaned_data)
    elif not form.is_bound:
        result = trail_search.search(request.user, {})
    context = {
        "form": form,
        "result": result,
        "verification": audit_selectors.latest_verification(),
    }
    return render(request, "site/trail.html", context)


@login_required
@require_POST
def trail_verify(request):
    """Queue a verification of the whole chain (a background job)."""
    if not may_read_trail(request.user):
        raise PermissionDenied
    audit_services.request_verification(actor=request.user)
    messages.success(
        request,
        _("The audit trail is being checked. Reload this page in a while to read the result."),
    )
    return redirect("site:trail")


@login_required
@require_GET
def inbox_page(request):
    """What waits for me: each item links to the thing to do."""
    if not site_inbox.has_inbox(request.user):
        raise PermissionDenied
    page = Paginator(inbox_for(request.user), site_inbox.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    site_inbox.rows(page.object_list)
    context = {"page": page, "digest": wants_digest(request.user)}
    return render(request, "site/inbox.html", context)


@login_required
@require_GET
def inbox_item(request, pk):
    """Follow an item to the thing to do (an item that only informs is then done)."""
    if not site_inbox.has_inbox(request.user):
        raise PermissionDenied
    item = open_item(inbox_for(request.user), pk)
    return redirect(item.url)


@login_required
@require_POST
def inbox_digest(request):
    """Turn the daily e-mail on or off."""
    if not site_inbox.has_inbox(request.user):
        raise PermissionDenied
    on = request.POST.get("digest") == "on"
    set_digest(user=request.user, on=on)
    if on and not request.user.email:
        messages.warning(
            request, _("Your account has no e-mail address: ask an administrator to add one.")
        )
    else:
        messages.success(
            request,
            _("You will receive a daily e-mail of what waits for you.")
            if on
            else _("You will no longer receive the daily e-mail."),
        )
    return redirect("site:inbox")
