from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import Capability, has_capability
from hirfa.cards.policy import may_manage_cards
from hirfa.stats.policy import may_see_statistics


def navigation(request):
    """The menu a user sees: only what their role may use."""
    # Error pages can render before the authentication middleware has run.
    user = getattr(request, "user", None)
    items = [(reverse("site:home"), _("Home")), (reverse("crafts:list"), _("Crafts"))]
    items.append((reverse("statistics:open_data"), _("Open data")))
    if has_capability(user, Capability.HOLD_OWN_FILE):
        items.append((reverse("artisan:space"), _("My file")))
    if has_capability(user, Capability.VIEW_WORKSPACE):
        items.append((reverse("site:my_work"), _("My work")))
    if has_capability(user, Capability.FILE_ASSISTED):
        items.append((reverse("register_staff:desk"), _("Assisted filing")))
    if has_capability(user, Capability.REVIEW):
        items.append((reverse("register_staff:queue"), _("Review")))
    if may_manage_cards(user):
        items.append((reverse("cards:queue"), _("Cards to print")))
    if has_capability(user, Capability.VIEW_WORKSPACE):
        items.append((reverse("search:search"), _("Search")))
        items.append((reverse("accounts:workspace"), _("My territory")))
        items.append((reverse("coverage:overview"), _("Health coverage")))
        items.append((reverse("outreach:staff_events"), _("Outreach events")))
    if may_see_statistics(user):
        items.append((reverse("statistics:registrations"), _("Statistics")))
    if has_capability(user, Capability.VIEW_STAFF):
        items.append((reverse("accounts:staff"), _("Staff")))
    if has_capability(user, Capability.EXCHANGE_CNSS):
        items.append((reverse("cnss:batches"), _("CNSS exchange")))
    if has_capability(user, Capability.MANAGE_USERS):
        items.append((reverse("admin:index"), _("Administration")))
    return {"navigation": items}
