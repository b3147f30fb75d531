import re

import pytest

from hirfa.notifications.models import Notification
from tests.factories import issued_card, use_test_signing_key

PHONE = "+212612345678"


@pytest.fixture(autouse=True)
def signing_key(settings):
    return use_test_signing_key(settings)


@pytest.fixture(autouse=True)
def cards_issued_at_once(settings):
    settings.CARD_ISSUE_BATCH_SECONDS = 0


@pytest.fixture
def card(run_jobs, agent):
    return issued_card(run_jobs, agent=agent)


def last_code(phone: str) -> str:
    """The one-time code of the last SMS sent to `phone`."""
    body = (
        Notification.objects.filter(address=phone, event="account.phone_code")
        .order_by("-id")
        .first()
        .body
    )
    return re.search(r"\b(\d{6})\b", body).group(1)
