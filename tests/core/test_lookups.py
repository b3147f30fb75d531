"""`field__in_many`: `__in` for the bulk writers' long lists, sent as one parameter."""

import pytest

from hirfa.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_the_rows_whose_column_is_among_the_values_are_found():
    codes = list(Commune.objects.order_by("code").values_list("code", flat=True)[:3])
    found = Commune.objects.filter(code__in_many={*codes, "no such code"})
    assert sorted(found.values_list("code", flat=True)) == codes


def test_integer_columns_and_related_columns_take_it_too():
    commune = Commune.objects.select_related("province").first()
    assert list(Commune.objects.filter(pk__in_many={commune.pk}).values_list("pk", flat=True)) == [
        commune.pk
    ]
    in_province = Commune.objects.filter(province__code__in_many={commune.province.code})
    assert in_province.count() == Commune.objects.filter(province=commune.province).count()


def test_an_empty_list_finds_nothing():
    assert not Commune.objects.filter(code__in_many=set()).exists()


def test_a_list_longer_than_sqlite_takes_placeholders_for():
    code = Commune.objects.values_list("code", flat=True).first()
    values = {f"x{i}" for i in range(40_000)} | {code}
    assert list(Commune.objects.filter(code__in_many=values).values_list("code", flat=True)) == [
        code
    ]


def test_an_update_through_it_changes_only_those_rows():
    first, second = Commune.objects.order_by("code")[:2]
    assert Commune.objects.filter(code__in_many={first.code}).update(population=7) == 1
    assert Commune.objects.get(pk=first.pk).population == 7
    assert Commune.objects.get(pk=second.pk).population == second.population


def test_a_list_of_values_is_taken_too():
    code = Commune.objects.values_list("code", flat=True).first()
    assert Commune.objects.filter(code__in_many=[code, code]).count() == 1
