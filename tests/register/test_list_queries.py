"""Lists stay fast at national scale (ADR 0043): each list answers in a fixed number of
queries, whatever the number of rows it shows; pages are cut in the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.cards.models import Card
from hirfa.register.api import MAX_PAGE_SIZE, PAGE_SIZE
from hirfa.register.models import Dossier, Person, Registration
from hirfa.register.numbers import damm_check_digit
from tests.factories import agent_of, officer_of
from tests.register.helpers import approved

pytestmark = pytest.mark.django_db


def _copy_person(person: Person, index: int) -> Person:
    person.pk = None
    person.user = None
    person.cnie = f"ZQ{index:06d}"
    person.last_name_latin = f"Ait Lahcen {index:02d}"
    person.save()
    return person


def many(n: int, *, agent=None) -> list[Dossier]:
    """`n` approved files of Tiznit: one through the services, the others copied in the
    database (each with its own person, secondary activities and registration)."""
    dossier = approved(agent or agent_of("09"), officer_of("09.581"))
    registration = dossier.registration
    secondaries = list(dossier.secondary_activities.all())
    rows = [dossier]
    for index in range(1, n):
        person = _copy_person(Person.objects.get(pk=dossier.person_id), index)
        copy = Registration.objects.get(pk=registration.pk)
        copy.pk, copy.id, copy.person = None, None, person
        serial = str(int(registration.number[:-1]) + index)
        copy.number = serial + damm_check_digit(serial)
        copy.save()
        copy.secondary_activities.set(secondaries)
        twin = Dossier.objects.get(pk=dossier.pk)
        twin.pk, twin.id, twin.person, twin.registration = None, None, person, copy
        twin.save()
        twin.secondary_activities.set(secondaries)
        rows.append(twin)
    return rows


def sent_back(rows: list[Dossier]) -> list[Dossier]:
    """The same files, waiting for a decision again (as they were before approval)."""
    Dossier.objects.filter(pk__in=[d.pk for d in rows]).update(state=Dossier.State.SUBMITTED)
    return rows


def names(rows) -> list[str]:
    return [Person.objects.get(pk=row.person_id).full_name_latin for row in rows]


@pytest.fixture
def officer(client):
    """The officer of Tiznit, signed in."""
    officer = officer_of("09.581", username="officer.tiznit")
    client.force_login(officer)
    return officer


API = "/api/v1/register"
ROWS = [2, 20]


# A staff page's menu counts what waits in the reader's inbox: one query (decision 54).
MENU = 1


def logged() -> int:
    """The queries that log a page's reads of personal data, in one statement: savepoint,
    chain head (on PostgreSQL with the chain's advisory lock, in the same query), insert,
    release."""
    return 4


# --- The API's lists: counted and cut in the database, one query for what the rows show ---
# session, user, page, (secondary activities), count, then the reads logged (`logged()`).


@pytest.mark.parametrize("n", ROWS)
def test_the_api_list_of_dossiers_takes_a_fixed_number_of_queries_whatever_its_rows(
    client, officer, n, django_assert_num_queries
):
    many(n)
    with django_assert_num_queries(4 + logged()):
        body = client.get(f"{API}/dossiers").json()
    assert body["count"] == n and len(body["items"]) == n


@pytest.mark.parametrize("n", ROWS)
def test_the_api_review_queue_takes_a_fixed_number_of_queries_whatever_its_rows(
    client, officer, n, django_assert_num_queries
):
    sent_back(many(n))
    with django_assert_num_queries(4 + logged()):
        body = client.get(f"{API}/review/queue").json()
    assert body["count"] == n and len(body["items"]) == n


@pytest.mark.parametrize("n", ROWS)
def test_the_api_list_of_registrations_takes_a_fixed_number_of_queries_whatever_its_rows(
    client, officer, n, django_assert_num_queries
):
    many(n)
    with django_assert_num_queries(5 + logged()):
        body = client.get(f"{API}/registrations").json()
    assert body["count"] == n and len(body["items"]) == n
    assert all(item["secondary_activities"] for item in body["items"])


def test_a_page_of_the_api_is_cut_in_the_database_and_only_its_rows_are_logged_as_read(
    client, officer
):
    rows = many(3)
    body = client.get(f"{API}/dossiers?page=2&page_size=2").json()
    assert body["count"] == 3
    assert [item["id"] for item in body["items"]] == [rows[0].pk]  # newest first
    read = AuditEntry.objects.filter(action="person.viewed", actor=officer)
    assert list(read.values_list("object_id", flat=True)) == [str(rows[0].person_id)]


def test_a_page_of_the_api_is_bounded_fifty_rows_unless_asked_two_hundred_at_most(client, officer):
    many(3)
    assert len(client.get(f"{API}/registrations?page_size=1").json()["items"]) == 1
    assert (PAGE_SIZE, MAX_PAGE_SIZE) == (50, 200)


@pytest.mark.parametrize("path", ["/dossiers", "/review/queue", "/registrations"])
def test_every_api_list_is_documented_as_a_count_and_its_items_by_page(client, officer, path):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][f"{API}{path}"]["get"]
    assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    paged = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(paged["properties"]) == {"count", "items"}


# --- The staff's list pages --------------------------------------------------------------


def shows_every_row(response, rows) -> bool:
    content = response.content.decode()
    return all(name in content for name in names(rows))


@pytest.mark.parametrize("n", ROWS)
def test_the_desk_takes_a_fixed_number_of_queries_whatever_its_rows(
    client, n, django_assert_num_queries
):
    agent = agent_of("09", username="agent.desk")
    rows = sent_back(many(n, agent=agent))
    client.force_login(agent)
    with django_assert_num_queries(4 + MENU + logged()):
        response = client.get("/desk/")
    assert shows_every_row(response, rows)


@pytest.mark.parametrize("n", ROWS)
def test_the_review_page_takes_a_fixed_number_of_queries_whatever_its_rows(
    client, officer, n, django_assert_num_queries
):
    rows = sent_back(many(n))
    with django_assert_num_queries(9 + MENU + logged()):
        response = client.get("/review/")
    assert shows_every_row(response, rows)


@pytest.mark.parametrize("n", ROWS)
def test_the_registrations_page_takes_a_fixed_number_of_queries_whatever_its_rows(
    client, officer, n, django_assert_num_queries
):
    rows = many(n)
    with django_assert_num_queries(4 + MENU + logged()):
        response = client.get("/registrations/")
    assert shows_every_row(response, rows)


@pytest.mark.parametrize("n", [20, 40])
def test_the_search_page_takes_a_fixed_number_of_queries_once_a_page_of_hits_is_found(
    client, officer, n, django_assert_num_queries
):
    """20 registrants (each a registration and a file: 40 hits) fill a page at the first,
    exact, step: the search goes no further, whatever the number of hits (decision 88: each
    step's candidates, persons and legal entities, in one statement and their records in one)."""
    rows = many(n)
    with django_assert_num_queries(8 + MENU + logged()):
        response = client.get("/search/?q=Fadma")
    assert response.status_code == 200
    assert any(name in response.content.decode() for name in names(rows))


def test_the_search_page_widens_a_search_that_finds_less_than_a_page_in_fixed_steps(
    client, officer, django_assert_num_queries
):
    """Few hits: a prefix step (2 queries: the candidates, persons and legal entities, in one;
    their records in one), whether the name is held by many (1 count) and, per typed name, a
    step one letter away (2 queries) complete the page: fixed steps, not one per row."""
    rows = many(2)
    with django_assert_num_queries(13 + MENU + logged()):
        response = client.get("/search/?q=Fadma")
    assert shows_every_row(response, rows)


def cards_to_print(rows) -> None:
    """A current card waiting to be printed for each registration of `rows`."""
    now = timezone.now()
    for row in rows:
        registration = Registration.objects.get(pk=row.registration_id)
        Card.objects.create(
            registration=registration,
            version=1,
            status=Card.Status.CURRENT,
            issue_reason=Card.IssueReason.APPROVED,
            issued_at=now,
            expires_at=now + timedelta(days=365),
            kid="test",
            qr_text=f"card {registration.number}",
            province=registration.province,
        )


@pytest.mark.parametrize("n", ROWS)
def test_the_card_print_queue_takes_a_fixed_number_of_queries_whatever_its_rows(
    client, officer, n, django_assert_num_queries
):
    rows = many(n)
    cards_to_print(rows)
    # The holders of the page's cards are logged as read (decision 40).
    with django_assert_num_queries(5 + MENU + logged()):
        response = client.get("/cards/print/")
    assert shows_every_row(response, rows)


def dependants_to_confirm(rows, *, declared_by) -> list[str]:
    """A child declared for each registration of `rows`, waiting for an agent; their names."""
    from hirfa.coverage.models import Dependant

    shown = []
    for index, row in enumerate(rows):
        Dependant.objects.create(
            registration_id=row.registration_id,
            relation=Dependant.Relation.CHILD,
            first_name_ar="يوسف",
            last_name_ar="أيت لحسن",
            first_name_latin="Youssef",
            last_name_latin=f"Child {index:02d}",
            sex="M",
            birth_date="2015-06-01",
            declared_by=declared_by,
        )
        shown.append(f"Youssef Child {index:02d}")
    return shown


@pytest.mark.parametrize("n", ROWS)
def test_the_coverage_overview_takes_a_fixed_number_of_queries_whatever_its_dependants(
    client, n, django_assert_num_queries
):
    agent = agent_of("09", username="agent.coverage")
    children = dependants_to_confirm(many(n, agent=agent), declared_by=agent)
    client.force_login(agent)
    # Figures (5 queries), the dependants to confirm (count, page), the provinces, and the
    # dependants shown logged as read (decision 40).
    with django_assert_num_queries(10 + MENU + logged()):
        response = client.get("/coverage/")
    assert all(child in response.content.decode() for child in children)
