"""Writes of the verification app: the public QR reader's use, counted to limit it."""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hirfa.verification.models import ReaderUse

# Minutes counted are kept this long, then deleted by the next new minute.
KEPT = timedelta(hours=1)


@transaction.atomic
def reader_use_allowed(address: str | None) -> bool:
    """Count one file sent by `address`; False past `VERIFY_READS_PER_MINUTE` this minute.

    Without a usable address (a proxy that passes none), nobody is counted: one shared
    count would refuse every visitor at once."""
    try:
        address = str(ipaddress.ip_address(str(address or "")))
    except ValueError:
        return True
    minute = timezone.now().replace(second=0, microsecond=0)
    use, created = ReaderUse.objects.get_or_create(address=address, minute=minute)
    if created:
        ReaderUse.objects.filter(minute__lt=minute - KEPT).delete()
    ReaderUse.objects.filter(pk=use.pk).update(count=F("count") + 1)
    count = ReaderUse.objects.values_list("count", flat=True).get(pk=use.pk)
    return count <= settings.VERIFY_READS_PER_MINUTE
