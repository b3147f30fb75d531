"""Uses counted per minute in the database, so that a limit holds across server processes
(the public QR reader's files per address, the API's requests per token or session).

A model that counts has a `minute` (DateTimeField), a `count` (PositiveIntegerField,
default 0) and a unique constraint on its key fields with the minute.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

# Minutes counted are kept this long, then deleted by the next new minute.
KEPT = timedelta(hours=1)


def this_minute():
    return timezone.now().replace(second=0, microsecond=0)


def seconds_to_next_minute() -> int:
    """What a refused caller is told to wait (Retry-After): until the count starts again."""
    now = timezone.now()
    return max(1, 60 - now.second)


@transaction.atomic
def count_use(model, **key) -> int:
    """Count one use under `key` this minute; returns the uses of the minute so far."""
    minute = this_minute()
    use, created = model.objects.get_or_create(minute=minute, **key)
    if created:
        model.objects.filter(minute__lt=minute - KEPT).delete()
    model.objects.filter(pk=use.pk).update(count=F("count") + 1)
    return model.objects.values_list("count", flat=True).get(pk=use.pk)
