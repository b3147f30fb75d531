from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from hirfa.accounts.roles import Capability, has_capability
from hirfa.crafts.selectors import current_release
from hirfa.site import policy, selectors
from hirfa.territory.selectors import offices_by_region


def home(request):
    return render(request, "site/home.html", {"nomenclature": current_release()})


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
