"""The review queue of the provincial officers: scope, counts, filters, age, pages."""

import pytest

from hirfa.register import services
from hirfa.register.models import Dossier
from hirfa.register.views.common import PAGE_SIZE
from tests.factories import craft_data, person_data
from tests.register.helpers import (
    AGADIR_CITY,
    TIZNIT_CITY,
    backdate,
    submitted,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def rows(response) -> list[int]:
    """The dossier ids listed in the queue, in order."""
    import re

    return [int(pk) for pk in re.findall(r'href="/review/(\d+)/">#', response.content.decode())]


def test_the_tiznit_officer_does_not_see_a_dossier_of_agadir_in_the_queue(client, agent, officer):
    tiznit = submitted(agent)
    agadir = submitted(agent, cnie="AB654321", phone="0611111111", workplace=AGADIR_CITY)
    assert rows(client.get("/review/")) == [tiznit.pk]
    assert agadir.pk not in rows(client.get("/review/", {"state": "submitted"}))


def test_only_reviewers_open_the_queue(client, agent):
    client.force_login(agent)
    assert client.get("/review/").status_code == 403
    client.logout()
    assert client.get("/review/").status_code == 302  # to the login page


def test_the_queue_lists_the_oldest_file_first_with_its_age_in_days(client, agent, officer):
    recent = submitted(agent)
    old = submitted(agent, cnie="AB654321", phone="0611111111")
    backdate(old, 12)
    response = client.get("/review/")
    assert rows(response) == [old.pk, recent.pk]
    assert "12 days" in response.content.decode()
    assert "0 days" in response.content.decode()


def test_the_queue_shows_the_name_in_arabic_and_latin_letters_the_activity_and_commune(
    client, agent, officer
):
    dossier = submitted(agent)
    page = client.get("/review/").content.decode()
    assert "فاضمة أيت لحسن" in page and "Fadma AIT LAHCEN" in page
    assert dossier.principal_activity.code in page
    assert dossier.workplace_commune.name_fr in page


def test_the_counts_per_state_are_shown(client, agent, officer):
    submitted(agent)
    second = submitted(agent, cnie="AB654321", phone="0611111111")
    services.start_review(officer=officer, dossier=second)
    counts = client.get("/review/").context["counts"]
    by_state = {value: count for value, _label, count in counts}
    assert by_state["submitted"] == 1 and by_state["in_review"] == 1 and by_state["approved"] == 0


def test_the_state_filter_keeps_only_that_state(client, agent, officer):
    first = submitted(agent)
    second = submitted(agent, cnie="AB654321", phone="0611111111")
    services.start_review(officer=officer, dossier=second)
    assert rows(client.get("/review/", {"state": "in_review"})) == [second.pk]
    assert rows(client.get("/review/", {"state": "submitted"})) == [first.pk]


def test_the_activity_and_commune_filters_keep_only_matching_files(client, agent, officer):
    from hirfa.crafts.models import Activity

    first = submitted(agent)
    other_activity = Activity.objects.exclude(pk=first.principal_activity_id).first()
    tafraout = "09.581.01.05"
    second = services.file_assisted(
        agent=agent,
        person_data=person_data(cnie="AB654321", phone="0611111111"),
        craft_data=craft_data(
            principal_activity=other_activity.code,
            secondary_activities=[],
            workplace_commune=tafraout,
        ),
        consent=True,
    )
    assert rows(client.get("/review/", {"activity": other_activity.code})) == []
    assert rows(client.get("/review/", {"commune": TIZNIT_CITY})) == [first.pk]
    assert second.pk not in rows(client.get("/review/", {"commune": tafraout}))  # a draft


def test_the_older_than_filter_keeps_files_waiting_longer(client, agent, officer):
    recent = submitted(agent)
    old = submitted(agent, cnie="AB654321", phone="0611111111")
    backdate(old, 20)
    assert rows(client.get("/review/", {"days": "10"})) == [old.pk]
    assert recent.pk in rows(client.get("/review/", {"days": ""}))


@pytest.mark.parametrize(
    "params",
    [
        {"state": "approvedd"},
        {"state": "draft"},
        {"days": "ten"},
        {"days": "-3"},
        {"days": "99999999999999999999"},
        {"activity": "'; DROP TABLE"},
        {"commune": AGADIR_CITY},
        {"page": "last-but-one"},
    ],
)
def test_bad_filter_values_are_ignored_with_a_message_never_a_crash(client, agent, officer, params):
    dossier = submitted(agent)
    response = client.get("/review/", params)
    assert response.status_code == 200
    assert rows(response) == [dossier.pk]
    if "page" not in params:
        assert response.context["warnings"]
        assert "ignored" in response.content.decode()


def test_filtering_with_htmx_answers_only_the_table(client, agent, officer):
    submitted(agent)
    response = client.get("/review/", {"state": "submitted"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<table>" in page and "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client, agent, officer):
    response = client.get(
        "/review/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert b"<html" in response.content


def test_the_filter_form_works_without_javascript_and_with_htmx(client, officer):
    page = client.get("/review/").content.decode()
    assert '<form method="get" action="/review/"' in page
    assert 'hx-get="/review/"' in page and 'hx-push-url="true"' in page


def test_the_queue_is_paginated_by_fifty(client, agent, officer):
    first = submitted(agent)
    Dossier.objects.bulk_create(
        [
            Dossier(
                category=first.category,
                person=first.person,
                kind=Dossier.Kind.RENEWAL,
                state=Dossier.State.SUBMITTED,
                principal_activity=first.principal_activity,
                workplace_kind=first.workplace_kind,
                workplace_commune=first.workplace_commune,
                workplace_address="x",
                province=first.province,
                filed_by=agent,
                submitted_at=first.submitted_at,
            )
            for _ in range(PAGE_SIZE)
        ]
    )
    assert len(rows(client.get("/review/"))) == PAGE_SIZE
    assert len(rows(client.get("/review/", {"page": "2"}))) == 1
