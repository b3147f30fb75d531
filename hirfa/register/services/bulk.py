"""Registered artisans written in bulk: the writer of the import of legacy lists (ADR 0023)
and of the demo register (decision 73). The rows come already validated by `clean_person`
and `clean_craft`; they go in with a few statements for the whole lot."""

from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.utils import timezone

from hirfa.core.names import name_keys
from hirfa.register.bulk import (
    PERSON_COLUMNS,
    PERSON_FIELDS,
    REGISTRATION_COLUMNS,
    insert_rows,
    next_ids,
)
from hirfa.register.models import Person, Registration, search_scope_token
from hirfa.register.numbers import make_number
from hirfa.register.services.decisions import reserve_serials


@lru_cache(maxsize=65_536)
def _keys_of(name: str) -> frozenset:
    return frozenset(name_keys(name).split())


def search_keys(*names: str) -> str:
    """Person.search_keys, as Person.save() computes it; names repeat, so keyed by name."""
    keys = set()
    for name in names:
        keys |= _keys_of(name)
    return " ".join(sorted(keys))


def _person_values(person: dict) -> list:
    values = [person[f] for f in PERSON_FIELDS]
    values[PERSON_FIELDS.index("commune")] = person["commune"].pk
    return values


def register_many(artisans: list[tuple[dict, dict]]) -> list[tuple[int, int, str]]:
    """Each (person, craft), cleaned, becomes a person and an active registration with the
    next national number; returns (person id, registration id, number) of each, in order.

    Runs in the caller's transaction, which audits (the numbers are taken under the
    counter's lock until it commits). No post_save: `insert_rows` tells the statistics.
    """
    if not artisans:
        return []
    # As the ORM would store it (and once a call, not twice a row).
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    today = timezone.localdate()
    valid_until = today + timedelta(days=settings.REGISTRATION_VALIDITY_DAYS)
    person_ids = next_ids(Person, len(artisans))
    registration_ids = next_ids(Registration, len(artisans))
    first_serial = reserve_serials(len(artisans))
    persons, registrations, secondary, written = [], [], [], []
    for index, (person, craft) in enumerate(artisans):
        pid, rid = person_ids[index], registration_ids[index]
        number = make_number(first_serial + index)
        keys = search_keys(*(person[f] for f in Person.NAME_FIELDS))
        commune = craft["workplace_commune"]
        scope = search_scope_token(commune.province_id)
        persons.append((pid, *_person_values(person), "", keys, scope, now, now))
        registrations.append(
            (
                rid,
                number,
                craft["category"],
                pid,
                craft["principal_activity"].pk,
                craft["workplace_kind"],
                commune.pk,
                craft["workplace_address"],
                commune.province_id,
                Registration.Status.ACTIVE,
                "",
                today,
                valid_until,
                now,
                now,
            )
        )
        secondary += [(rid, activity.pk) for activity in craft["secondary_activities"]]
        written.append((pid, rid, number))
    insert_rows(Person._meta.db_table, PERSON_COLUMNS, persons)
    insert_rows(Registration._meta.db_table, ["id", *REGISTRATION_COLUMNS], registrations)
    insert_rows(
        Registration.secondary_activities.through._meta.db_table,
        ["registration_id", "activity_id"],
        secondary,
    )
    return written
