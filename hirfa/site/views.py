from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from hirfa.accounts.roles import Capability, has_capability
from hirfa.crafts.selectors import current_release
from hirfa.site import policy, selectors


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
