"""Hot reads compiled once (hirfa.core.prepared, decision 81)."""

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from hirfa.core.prepared import In, Prepared
from hirfa.territory.models import Province

pytestmark = pytest.mark.django_db


def _by_code(shape, code):
    if shape == "none":
        return Province.objects.none()
    return Province.objects.select_related("region").only("code", "region__code").filter(code=code)


def test_a_prepared_read_gives_the_rows_the_orm_gives():
    found = Prepared(_by_code, str).fetch(None, "09.581")

    expected = Province.objects.get(code="09.581")
    assert [(p.pk, p.code, p.region.code) for p in found] == [
        (expected.pk, "09.581", expected.region.code)
    ]


def test_later_reads_run_the_compiled_statement_with_their_own_values():
    read = Prepared(_by_code, str)
    read.fetch(None, "09.581")

    with CaptureQueriesContext(connection) as queries:
        found = read.fetch(None, "06.141")
        region = found[0].region.code

    assert [p.code for p in found] == ["06.141"]
    assert region == Province.objects.get(code="06.141").region.code
    assert len(queries) == 1  # the related row came with it


def test_a_shape_that_can_find_nothing_asks_nothing():
    with CaptureQueriesContext(connection) as queries:
        found = Prepared(_by_code, str).fetch("none", "09.581")

    assert found == []
    assert len(queries) == 0


def test_a_value_its_lookup_rewrites_is_left_to_the_orm():
    read = Prepared(lambda shape, code: Province.objects.filter(code__startswith=code), str)

    assert {p.code for p in read.fetch(None, "09.5")} == set(
        Province.objects.filter(code__startswith="09.5").values_list("code", flat=True)
    )
    assert read.fetch(None, "9%") == []  # the wildcard is the user's text, not LIKE's


def test_an_unknown_value_finds_nothing():
    assert Prepared(_by_code, str).fetch(None, "99.999") == []


def _codes_in(shape, ids):
    return Province.objects.filter(pk__in=ids).values_list("pk", "code", "region__code")


def test_a_list_given_to_in_is_written_into_the_statement_as_the_orm_writes_it():
    read = Prepared(_codes_in, In)
    wanted = list(Province.objects.order_by("pk").values_list("pk", flat=True)[:4])
    read.rows(None, wanted[:1])

    with CaptureQueriesContext(connection) as compiled:
        found = read.rows(None, [*wanted, wanted[0], None])
    with CaptureQueriesContext(connection) as by_the_orm:
        expected = list(_codes_in(None, wanted))

    assert found == expected and len(found) == 4
    assert [q["sql"] for q in compiled] == [q["sql"] for q in by_the_orm]


def test_on_sqlite_a_list_is_padded_to_a_power_of_two_with_the_same_rows():
    read = Prepared(_codes_in, In)
    wanted = list(Province.objects.order_by("pk").values_list("pk", flat=True)[:5])

    with CaptureQueriesContext(connection) as compiled:
        found = read.rows(None, wanted)

    assert found == list(_codes_in(None, wanted))
    written = compiled[-1]["sql"].split(" IN (")[1].split(")")[0].split(", ")
    padded = [str(pk) for pk in [*wanted, *[wanted[-1]] * 3]]
    assert written == (padded if connection.vendor == "sqlite" else [str(pk) for pk in wanted])


def test_a_subquery_given_to_in_is_written_into_the_statement():
    read = Prepared(_codes_in, In)
    read.rows(None, [1])
    tiznit = Province.objects.select_related("region").get(code="09.581")

    found = read.rows(None, RawSQL("SELECT id FROM territory_province WHERE code = %s", ["09.581"]))

    assert found == [(tiznit.pk, "09.581", tiznit.region.code)]


def test_an_empty_list_is_left_to_the_orm():
    read = Prepared(_codes_in, In)
    read.rows(None, [1])

    with CaptureQueriesContext(connection) as queries:
        assert read.rows(None, []) == []
    assert len(queries) == 0


def test_rows_are_read_by_the_orm_when_compiling_is_off(monkeypatch):
    read = Prepared(_codes_in, In)
    monkeypatch.setattr(Prepared, "compiled", False)
    tiznit = Province.objects.select_related("region").get(code="09.581")

    assert read.rows(None, [tiznit.pk]) == [(tiznit.pk, "09.581", tiznit.region.code)]
