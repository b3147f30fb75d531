"""The effective-dated contribution schedule and the dues computed from it."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from hirfa.core.errors import DomainError, Forbidden
from hirfa.coverage import selectors, services
from hirfa.coverage.models import ContributionRate
from hirfa.coverage.money import add_months
from tests.factories import agent_of, national

pytestmark = pytest.mark.django_db


def row(**overrides):
    start = add_months(timezone.localdate(), 2)
    data = {
        "category": "rna",
        "starts_on": f"{start.year}-{start.month:02d}",
        "basis": "2200.00",
        "rate": "6.37",
        "monthly_amount": "140.14",
        "source": "Decree (test)",
    }
    return data | overrides


def test_the_schedule_is_seeded_with_the_published_figures():
    rna = selectors.rate_for("rna", date(2024, 6, 1))
    assert rna.monthly_amount == Decimal("135.00")
    assert rna.basis == Decimal("2121.53")
    assert rna.rate == Decimal("6.370")
    amounts = {r.category: r.monthly_amount for r in ContributionRate.objects.all()}
    assert amounts == {
        "rna": Decimal("135.00"),
        "fiscal_1": Decimal("180.19"),
        "fiscal_3_2": Decimal("576.60"),
        "fiscal_6": Decimal("1081.13"),
    }


def test_a_national_administrator_adds_a_rate_from_a_future_month_without_touching_the_past():
    admin = national()
    services.add_rates(actor=admin, rows=[row()])
    start = add_months(timezone.localdate(), 2)
    assert services.monthly_amount("rna", start) == Decimal("140.14")
    assert services.monthly_amount("rna", add_months(start, -1)) == Decimal("135.00")
    assert services.monthly_amount("rna", date(2023, 1, 1)) == Decimal("135.00")


def test_a_rate_starting_in_a_past_month_is_refused():
    with pytest.raises(DomainError) as error:
        services.add_rates(actor=national(), rows=[row(starts_on="2024-01")])
    assert "line 1" in error.value.fields


def test_a_schedule_that_overlaps_itself_is_refused_whole():
    first, second = row(), row(monthly_amount="150.00")
    with pytest.raises(DomainError) as error:
        services.add_rates(actor=national(), rows=[first, row(category="fiscal_1"), second])
    assert list(error.value.fields) == ["line 3"]
    assert ContributionRate.objects.count() == 4


def test_a_rate_before_a_planned_one_overlaps_it():
    services.add_rates(actor=national(), rows=[row()])
    start = add_months(timezone.localdate(), 1)
    with pytest.raises(DomainError):
        services.add_rates(
            actor=national(), rows=[row(starts_on=f"{start.year}-{start.month:02d}")]
        )


def test_amounts_of_the_wrong_precision_are_refused():
    with pytest.raises(DomainError) as error:
        services.add_rates(actor=national(), rows=[row(monthly_amount="140.1")])
    assert "monthly_amount" in error.value.fields["line 1"][0]


def test_only_national_administrators_edit_the_schedule():
    with pytest.raises(Forbidden):
        services.add_rates(actor=agent_of("09"), rows=[row()])
