from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import Capability, Role, has_capability
from hirfa.cards.services import may_manage_cards
from hirfa.core.languages import LOCAL_NAMES


def navigation(request):
    """The menu a user sees: only what their role may use."""
    # Error pages can render before the authentication middleware has run.
    user = getattr(request, "user", None)
    items = [(reverse("core:home"), _("Home")), (reverse("crafts:list"), _("Crafts"))]
    if getattr(user, "is_authenticated", False) and user.role == Role.ARTISAN:
        items.append((reverse("artisan:space"), _("My file")))
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
    if has_capability(user, Capability.VIEW_STAFF):
        items.append((reverse("accounts:staff"), _("Staff")))
    if has_capability(user, Capability.EXCHANGE_CNSS):
        items.append((reverse("cnss:batches"), _("CNSS exchange")))
    if has_capability(user, Capability.MANAGE_USERS):
        items.append((reverse("admin:index"), _("Administration")))
    return {
        "navigation": items,
        "available_languages": [(code, LOCAL_NAMES[code]) for code, _name in settings.LANGUAGES],
    }
