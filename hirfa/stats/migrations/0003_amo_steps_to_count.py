"""The AMO steps by month (measure `amo_steps`, docs/decisions/0078) are counted from the
enrolments' dates: counts kept before this version have none, so they are marked to be
rebuilt (`hirfa rebuild_statistics`); until then the pages say their figures are those
of the last full count. A database without counts has nothing to rebuild."""

from django.db import migrations
from django.utils import timezone


def mark_stale(apps, schema_editor):
    Count = apps.get_model("statistics", "Count")
    Freshness = apps.get_model("statistics", "Freshness")
    if not Count.objects.filter(measure="amo").exists():
        return
    freshness = Freshness.objects.order_by("pk").first() or Freshness()
    if freshness.stale_since is None:
        freshness.stale_since = timezone.now()
        freshness.save()


class Migration(migrations.Migration):
    dependencies = [("statistics", "0002_pending_changes")]

    operations = [migrations.RunPython(mark_stale, migrations.RunPython.noop)]
