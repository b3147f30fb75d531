"""The staff's inbox as the site shows it: the page's rows, the menu's count, the daily digest.

The items are told by the apps that own the things to do (`register/inbox.py`,
`cards/inbox.py`, `cnss/inbox.py`, `imports/inbox.py`), kept by the notifications app and
read through `accounts.selectors.inbox_for`, which drops what lies outside the reader's
scope today. Importing the apps' inbox modules here registers the words of every kind.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import inbox_for
from hirfa.cards import inbox as _cards  # noqa: F401 (registers its kinds)
from hirfa.cnss import inbox as _cnss  # noqa: F401
from hirfa.imports import inbox as _imports  # noqa: F401
from hirfa.notifications import inbox
from hirfa.notifications.models import Channel, InboxItem
from hirfa.notifications.selectors import digest_subscribers
from hirfa.notifications.services import notify
from hirfa.register import inbox as _register  # noqa: F401

PAGE_SIZE = 50


def has_inbox(user) -> bool:
    return has_capability(user, Capability.VIEW_WORKSPACE)


def open_count(user) -> int:
    """The menu's count: one query."""
    return inbox_for(user).count()


def rows(items) -> list:
    """The items with their words in the active language."""
    for item in items:
        item.text = inbox.text_of(item.kind)
    return items


def digest_text(items, site_url: str) -> str:
    lines = [gettext("What waits for you in the register:"), ""]
    for item in items:
        reference = f" ({item.reference})" if item.reference else ""
        lines.append(f"- {inbox.text_of(item.kind)}{reference}: {site_url}{item.url}")
    return "\n".join(lines)


def send_digests(*, site_url: str) -> int:
    """E-mail each subscriber what waits in their inbox, when something arrived since their
    last digest; the items sent are marked. Returns how many e-mails were queued."""
    sent = 0
    for subscription in digest_subscribers():
        user = subscription.user
        if not user.email or not has_inbox(user):
            continue
        items = list(inbox_for(user)[:PAGE_SIZE])
        if not any(item.emailed_at is None for item in items):
            continue
        with transaction.atomic():
            # Rendered in the language `notify` picks for the recipient.
            notify(
                user=user,
                event="inbox.digest",
                subject=_("What waits for you in the register"),
                body=lambda items=items: digest_text(items, site_url),
                channels=[Channel.EMAIL],
            )
            InboxItem.objects.filter(
                pk__in=[item.pk for item in items], emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
        sent += 1
    return sent
