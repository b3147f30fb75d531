"""Every "may / is" rule of the field app (docs/decisions/0060)."""

from datetime import datetime, timedelta

from django.conf import settings

from hirfa.accounts.roles import Capability, has_capability


def may_use_field_app(user) -> bool:
    """Chamber agents (who file with artisans) capture in the field."""
    return has_capability(user, Capability.FILE_ASSISTED)


def may_follow_attention(user) -> bool:
    """Officers and agents see the field items that need attention in their territory."""
    return has_capability(user, Capability.REVIEW) or has_capability(user, Capability.FILE_ASSISTED)


def clock_is_off(skew_seconds: int) -> bool:
    """The device's clock differs from the server's by more than the tolerance."""
    return abs(skew_seconds) > settings.FIELD_CLOCK_TOLERANCE_SECONDS


def is_expired(captured_at: datetime, now: datetime) -> bool:
    """An item captured (server time) longer ago than the offline days is no longer taken:
    the device should have erased it (the same rule runs there)."""
    return now - captured_at > timedelta(days=settings.FIELD_OFFLINE_DAYS)


def is_in_the_future(captured_at: datetime, now: datetime) -> bool:
    return captured_at - now > timedelta(seconds=settings.FIELD_CLOCK_TOLERANCE_SECONDS)
