"""Every "may / can / is due" of campaigns (decisions 44 and 45).

Chamber agents (`FILE_ASSISTED`) run the campaigns of their territory, as they run its
events. Campaign messages go only to persons who consented and did not opt out; SMS wait
out the quiet hours.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import scope_of
from hirfa.campaigns.models import Campaign
from hirfa.notifications.models import Channel

State = Campaign.State

TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.SCHEDULED, State.SENDING, State.CANCELLED}),
    State.SCHEDULED: frozenset({State.SENDING, State.CANCELLED}),
    State.SENDING: frozenset({State.SENT, State.CANCELLED}),
    State.SENT: frozenset(),
    State.CANCELLED: frozenset(),
}


def may_use_campaigns(user) -> bool:
    """See the campaigns page and start campaigns (the menu asks this)."""
    return has_capability(user, Capability.FILE_ASSISTED) and not scope_of(user).empty


def may_manage(user, campaign: Campaign) -> bool:
    if not may_use_campaigns(user):
        return False
    scope = scope_of(user)
    if scope.national:
        return True
    if scope.province_id:
        return campaign.province_id == scope.province_id
    return campaign.region_id == scope.region_id


def may_move(campaign: Campaign, to: str) -> bool:
    return to in TRANSITIONS.get(campaign.state, frozenset())


def may_edit(campaign: Campaign) -> bool:
    return campaign.state == State.DRAFT


def may_cancel(campaign: Campaign) -> bool:
    return may_move(campaign, State.CANCELLED)


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(moment: datetime) -> bool:
    """Is `moment` within the quiet hours (no campaign SMS), in CAMPAIGN_TIME_ZONE?"""
    start, end = _clock(settings.CAMPAIGN_QUIET_FROM), _clock(settings.CAMPAIGN_QUIET_UNTIL)
    local = moment.astimezone(ZoneInfo(settings.CAMPAIGN_TIME_ZONE)).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def next_sending_time(moment: datetime, channel: str = Channel.SMS) -> datetime:
    """`moment`, or the end of the quiet hours it falls in (SMS only)."""
    if channel != Channel.SMS or not in_quiet_hours(moment):
        return moment
    zone = ZoneInfo(settings.CAMPAIGN_TIME_ZONE)
    local = moment.astimezone(zone)
    end = _clock(settings.CAMPAIGN_QUIET_UNTIL)
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)


def rate_for(backend_name: str) -> int:
    """Messages per second one worker sends through `backend_name` (0: no limit)."""
    return int(settings.CAMPAIGN_RATES.get(backend_name, 0) or 0)


def is_stop_word(text: str) -> bool:
    """An inbound SMS that asks for no more campaign messages."""
    return " ".join(str(text or "").split()).casefold() in STOP_WORDS


STOP_WORDS = frozenset({"stop", "arret", "arrêt", "stop all", "unsubscribe", "توقف", "ⴱⴷⴷ"})
