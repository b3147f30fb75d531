"""Migration register 0012 puts the provinces of the registrants already in the register
into the name index (ADR 0080), on SQLite and on PostgreSQL alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hirfa.core.names import name_keys
from hirfa.register.models import Person
from hirfa.search.selectors import Filters, search
from hirfa.territory.models import Commune
from tests.factories import TIZNIT_CITY, officer_of

BEFORE = [("register", "0011_search_scope_number_index")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_provinces_of_the_registrants_already_registered(
    reference_data,
):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    place = Commune.objects.get(code=TIZNIT_CITY)
    names = ("نادية", "البقالي", "Nadia", "Bekkali")
    person = old.get_model("register", "Person").objects.create(
        cnie="MG000001",
        first_name_ar=names[0],
        last_name_ar=names[1],
        first_name_latin=names[2],
        last_name_latin=names[3],
        sex="F",
        birth_date="1980-01-01",
        birth_place="Tiznit",
        address="Derb",
        commune_id=place.pk,
        phone="+212600000001",
        education="primary",
        search_keys=name_keys(*names),
    )
    registration = old.get_model("register", "Registration").objects.create(
        number="1000000017",
        category="artisan_experience",
        person_id=person.pk,
        principal_activity_id=old.get_model("crafts", "Activity").objects.first().pk,
        workplace_kind="workshop",
        workplace_commune_id=place.pk,
        workplace_address="Atelier",
        province_id=place.province_id,
        status="active",
        registered_on="2025-01-01",
        valid_until="2030-01-01",
    )
    migrate(latest)
    assert Person.objects.get(pk=person.pk).search_scope == f"p{place.province_id}"
    hits = search(officer_of("09.581"), "Nadia Bekkali", Filters()).hits
    assert [hit.pk for hit in hits] == [registration.pk]
