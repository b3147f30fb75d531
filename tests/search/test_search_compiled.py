"""The search's statements compiled once (decision 88) answer what the ORM answers.

Each query kind is asked twice of the same register: through the compiled statements, and
with every read built by the ORM (`Prepared.compiled = False`, the path the search took
before): the same results, in the same order, on the same pages.
"""

import pytest

from hirfa.core.prepared import Prepared
from hirfa.register import services
from hirfa.search import statements
from hirfa.search.backends import backend
from hirfa.search.selectors import Filters, search
from tests.factories import (
    AGADIR_CITY,
    agent_of,
    craft_data,
    national,
    officer_of,
    person_data,
)
from tests.search.helpers import registered, tifaout_cooperative

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    made = [
        registered("محمد", "العلوي", "Mohamed", "Alaoui"),
        registered("محمد", "العلوي", "Mhamed", "Alaoui", status="suspended"),
        registered("محمد", "العلوي", "Mohammed", "Alaoui", commune=AGADIR_CITY),
        registered("رشيد", "العلوي", "Rachid", "Alaoui", category="master"),
        registered("يوسف", "بنجلون", "Youssef", "Benjelloun", phone="+212661234567"),
        registered("يوسف", "بناني", "Youssef", "Bennani", phone="+212661234567"),
    ]
    services.file_assisted(
        agent=agent_of("09"),
        person_data=person_data(first_name_ar="الحسين", first_name_latin="Lahcen"),
        craft_data=craft_data(),
        consent=True,
    )
    member = registered("خديجة", "أيت علي", "Khadija", "Ait Ali")
    tifaout_cooperative(member)
    return made


def _compiled_everywhere() -> bool:
    """Whether every statement the search compiled runs compiled (none left to the ORM)."""
    return all(
        compiled.places is not None
        for read in statements.READS
        for shapes in read._by_connection.values()
        for compiled in shapes.values()
    )


def _both(monkeypatch, user, query, **filters):
    compiled = search(user, query, Filters(**filters))
    assert _compiled_everywhere()
    with monkeypatch.context() as orm:
        orm.setattr(Prepared, "compiled", False)
        by_the_orm = search(user, query, Filters(**filters))
    return compiled, by_the_orm


QUERIES = [
    "Mohamed Alaoui",  # full names, several spellings in the register
    "محمد العلوي",  # in Arabic
    "Mohamed Ala",  # a name being typed
    "Alaoui",  # one name
    "Rachid Alaoun",  # misspelt
    "Lhoussain Ait Lahcen",  # an application
    "cooperative tifawt",  # a legal entity's application
    "0661234567",  # a phone two people share
]


@pytest.mark.parametrize("query", QUERIES)
def test_each_query_kind_finds_what_the_orm_finds(monkeypatch, register, query):
    for user in (national(), officer_of("09.581"), agent_of("09")):
        compiled, by_the_orm = _both(monkeypatch, user, query)
        assert compiled == by_the_orm, (user.username, query)
    assert compiled.hits


def test_numbers_and_identity_cards_find_what_the_orm_finds(monkeypatch, register):
    target = register[0]
    for query in (target.number, target.number[:-1], target.number[:6], target.person.cnie):
        compiled, by_the_orm = _both(monkeypatch, national(), query)
        assert compiled == by_the_orm, query
        assert target.pk in [hit.pk for hit in compiled.hits]


@pytest.mark.parametrize(
    "filters",
    [
        {"province": "09.001"},
        {"region": "09"},
        {"category": "master"},
        {"status": "suspended"},
        {"status": "submitted"},
        {"commune": AGADIR_CITY},
    ],
)
def test_filters_find_what_the_orm_finds(monkeypatch, register, filters):
    for query in ("Mohamed Alaoui", "Alaoui", "Lahcen"):
        compiled, by_the_orm = _both(monkeypatch, national(), query, **filters)
        assert compiled == by_the_orm, (query, filters)


def test_a_hit_shows_what_the_registration_shows(register):
    registration = register[1]
    hit = next(h for h in search(national(), "Mhamed Alaoui").hits if h.pk == registration.pk)
    assert (
        hit.kind,
        hit.number,
        hit.name_ar,
        hit.name_latin,
        hit.status,
        hit.activity_code,
        hit.province_code,
        hit.commune_code,
    ) == (
        "registration",
        registration.number,
        registration.registrant_name_ar,
        registration.registrant_name_latin,
        "suspended",
        registration.principal_activity.code,
        registration.province.code,
        registration.workplace_commune.code,
    )
    assert (hit.status_label, hit.activity_name, hit.commune_name) == (
        registration.get_status_display(),
        registration.principal_activity.name,
        registration.workplace_commune.name,
    )


def test_many_matches_intersected_in_the_database_find_what_the_orm_finds(monkeypatch, register):
    # Lowered, as if a common name matched thousands: a filter the index does not hold
    # makes the match a subquery, written into the compiled statement.
    monkeypatch.setattr("hirfa.search.selectors.FEW", 1)
    monkeypatch.setattr(type(backend()), "many", 2)
    for filters in ({}, {"status": "suspended"}, {"category": "master"}):
        compiled, by_the_orm = _both(monkeypatch, national(), "Alaoui", **filters)
        assert compiled == by_the_orm, filters
    assert compiled.truncated
