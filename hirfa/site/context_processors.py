from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.policy import may_read_trail
from hirfa.accounts.roles import Capability, has_capability
from hirfa.campaigns.policy import may_use_campaigns
from hirfa.cards.policy import may_manage_cards
from hirfa.cnss.policy import may_follow_rejections
from hirfa.imports.policy import may_import
from hirfa.site.inbox import has_inbox, open_count
from hirfa.stats.policy import may_see_statistics


def _count_label(user) -> str:
    count = open_count(user)
    if not count:
        return gettext("Inbox")
    return gettext("Inbox (%(count)s)") % {"count": count}


# Counted (one query) only when the menu is rendered, not for every page that has a context.
_inbox_label = lazy(_count_label, str)


def navigation(request):
    """The menu a user sees: only what their role may use."""
    # Error pages can render before the authentication middleware has run.
    user = getattr(request, "user", None)
    items = [(reverse("site:home"), _("Home")), (reverse("crafts:list"), _("Crafts"))]
    items.append((reverse("statistics:open_data"), _("Open data")))
    if has_capability(user, Capability.HOLD_OWN_FILE):
        items.append((reverse("artisan:space"), _("My file")))
    if not getattr(user, "is_authenticated", False):
        items.append((reverse("status:start"), _("Where is my file?")))
    if has_capability(user, Capability.VIEW_WORKSPACE):
        items.append((reverse("site:my_work"), _("My work")))
    if has_inbox(user):
        items.append((reverse("site:inbox"), _inbox_label(user)))
    if may_read_trail(user):
        items.append((reverse("site:trail"), _("Audit trail")))
    if has_capability(user, Capability.FILE_ASSISTED):
        items.append((reverse("register_staff:desk"), _("Assisted filing")))
        items.append((reverse("field:app"), _("Field app")))
    if may_import(user):
        items.append((reverse("imports:imports"), _("Imports")))
    if has_capability(user, Capability.REVIEW):
        items.append((reverse("register_staff:queue"), _("Review")))
    if may_manage_cards(user):
        items.append((reverse("cards:queue"), _("Cards to print")))
    if has_capability(user, Capability.VIEW_WORKSPACE):
        items.append((reverse("search:search"), _("Search")))
        items.append((reverse("accounts:workspace"), _("My territory")))
        items.append((reverse("coverage:overview"), _("Health coverage")))
        items.append((reverse("outreach:staff_events"), _("Outreach events")))
    if may_use_campaigns(user):
        items.append((reverse("campaigns:list"), _("Campaigns")))
    if may_see_statistics(user):
        items.append((reverse("statistics:registrations"), _("Statistics")))
    if has_capability(user, Capability.VIEW_STAFF):
        items.append((reverse("accounts:staff"), _("Staff")))
    if has_capability(user, Capability.EXCHANGE_CNSS):
        items.append((reverse("cnss:batches"), _("CNSS exchange")))
    if may_follow_rejections(user):
        items.append((reverse("cnss:rejections"), _("CNSS rejections")))
    if has_capability(user, Capability.MANAGE_USERS):
        items.append((reverse("admin:index"), _("Administration")))
    items.append((reverse("site:chambers"), _("Chambers of crafts")))
    items.append((reverse("site:help"), _("Help")))
    return {"navigation": items}
