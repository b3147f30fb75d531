"""Writes of the verification app: the public QR reader's use, counted to limit it."""

import ipaddress

from django.conf import settings

from hirfa.core.budgets import count_use
from hirfa.verification.models import ReaderUse


def reader_use_allowed(address: str | None) -> bool:
    """Count one file sent by `address`; False past `VERIFY_READS_PER_MINUTE` this minute.

    Without a usable address (a proxy that passes none), nobody is counted: one shared
    count would refuse every visitor at once."""
    try:
        address = str(ipaddress.ip_address(str(address or "")))
    except ValueError:
        return True
    return count_use(ReaderUse, address=address) <= settings.VERIFY_READS_PER_MINUTE
