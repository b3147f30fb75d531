import statistics
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.models import DateField, DateTimeField, Value

from hirfa.core.aggregates import DaysBetween, Median
from hirfa.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_the_median_is_computed_by_the_database_for_odd_and_even_groups():
    communes = Commune.objects.filter(province__code="09.581").order_by("code")
    populations = list(communes.values_list("population", flat=True))
    assert communes.aggregate(m=Median("population"))["m"] == statistics.median(populations)
    even = communes.filter(pk__in=[c.pk for c in communes[:4]])
    assert even.aggregate(m=Median("population"))["m"] == statistics.median(populations[:4])


def test_the_median_of_nothing_is_none():
    assert Commune.objects.none().aggregate(m=Median("population"))["m"] is None
    assert Commune.objects.filter(code="none").aggregate(m=Median("population"))["m"] is None


def test_days_between_counts_calendar_days_from_dates_and_timestamps():
    row = (
        Commune.objects.annotate(
            dates=DaysBetween(
                Value(date(2022, 8, 29), DateField()), Value(date(2022, 9, 2), DateField())
            ),
            mixed=DaysBetween(
                Value(datetime(2022, 8, 29, 23, 0, tzinfo=UTC), DateTimeField()),
                Value(date(2022, 8, 31), DateField()),
            ),
        )
        .values("dates", "mixed")
        .first()
    )
    assert row == {"dates": 4, "mixed": 2}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_postgresql_connections_do_not_jit_compile_unless_asked():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
