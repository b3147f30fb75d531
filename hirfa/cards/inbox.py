"""Cards waiting to be printed, in the inbox of those who print them (decision 54).

One item per province and printer (its officers, its region's agents): told when cards are
issued there, resolved once no current card of the province waits to be printed.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import Capability
from hirfa.accounts.selectors import staff_covering
from hirfa.cards.models import Card
from hirfa.notifications import inbox
from hirfa.territory.models import Province

TO_PRINT = "cards.to_print"

inbox.register_kind(TO_PRINT, _("New professional cards are ready to print"))


def tell_to_print(province_ids) -> None:
    """Cards were issued in these provinces: tell their printers (once per open item)."""
    for province in Province.objects.filter(pk__in=set(province_ids)).select_related("region"):
        inbox.tell(
            recipients=staff_covering(province, Capability.FILE_ASSISTED, Capability.REVIEW),
            kind=TO_PRINT,
            subject=province,
            url=f"{reverse('cards:queue')}?{urlencode({'province': province.code})}",
            province_code=province.code,
            reference=province.code,
        )


def printed(province: Province) -> None:
    """A card of `province` was printed: done when none is left to print there."""
    waiting = Card.objects.filter(
        province=province, print_state=Card.PrintState.TO_PRINT, status=Card.Status.CURRENT
    )
    if not waiting.exists():
        inbox.resolve(subject=province, kinds=[TO_PRINT])
