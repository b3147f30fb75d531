"""Items from the field that need attention, in the officers' inbox (decision 54): a CNIE
registered meanwhile, a possible duplicate, a commune or an activity retired since the phone
cached the lists. Resolved when the item is settled or its file moves on."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import Capability
from hirfa.accounts.selectors import staff_covering
from hirfa.notifications import inbox
from hirfa.territory.models import Province

ATTENTION = "field.attention"


def register_kinds() -> None:
    inbox.register_kind(ATTENTION, _("An item sent from the field needs attention"))


def tell_attention(item) -> None:
    province = Province.objects.filter(code=item.province_code).first()
    if province is None:
        return
    officers = staff_covering(province, Capability.REVIEW).exclude(pk=item.agent_id)
    inbox.tell(
        recipients=officers,
        kind=ATTENTION,
        subject=item,
        url=reverse("field:attention_item", args=[item.pk]),
        province_code=item.province_code,
        reference=str(item.uuid)[:8],
    )


def resolve_attention(item) -> None:
    inbox.resolve(subject=item, kinds=[ATTENTION])
