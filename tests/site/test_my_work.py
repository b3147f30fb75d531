"""'My work': each member of staff lands on what waits for them, in their territory."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hirfa.accounts.roles import Role
from hirfa.cnss.models import Batch, Direction, Kind, LineRejection
from hirfa.coverage.models import State as EnrolmentState
from hirfa.register import services
from hirfa.register.models import Dossier
from tests.factories import (
    AGADIR_CITY,
    DEFAULT_PASSWORD,
    UserFactory,
    approved_dossier,
    artisan_account,
    complete_dossier,
    national,
    officer_of,
    province,
    submitted_dossier,
)
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db

MY_WORK = "/my-work/"
# The session and the user, then the figures of each block.
# Each with the menu's count of the inbox (one query, decision 54).
# The chamber's and the nation's figures first look for changes still to count (one query;
# the changes themselves are counted before, as the statistics' job does: 0068).
QUERIES = {"officer": 5, "chamber": 9, "cnss": 5, "national": 5}


def in_agadir(agent, cnie):
    return submitted_dossier(
        agent, cnie=cnie, commune=AGADIR_CITY, craft={"workplace_commune": AGADIR_CITY}
    )


def page_of(client, user):
    client.force_login(user)
    response = client.get(MY_WORK)
    assert response.status_code == 200
    return response


def test_the_page_is_at_my_work():
    assert reverse("site:my_work") == MY_WORK


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={MY_WORK}"


def test_an_artisan_is_sent_to_their_own_space(client):
    client.force_login(artisan_account())
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"] == reverse("artisan:space")


@pytest.mark.parametrize(
    ("make_user", "start"),
    [
        (lambda: officer_of("09.581", username="k.oubella"), MY_WORK),
        (lambda: national(Role.ADMIN, username="n.bennani"), MY_WORK),
        (lambda: national(Role.CNSS, username="liaison"), MY_WORK),
        (lambda: artisan_account(), "/me/"),
    ],
    ids=["officer", "admin", "cnss", "artisan"],
)
def test_after_login_staff_land_on_my_work_and_artisans_on_their_space(client, make_user, start):
    user = make_user()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == start


def test_a_next_page_given_at_login_still_wins(client):
    officer_of("09.581", username="k.oubella")
    response = client.post(
        "/accounts/login/?next=/review/",
        {"username": "k.oubella", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/"


def test_staff_have_my_work_in_the_menu_and_artisans_do_not(client, officer):
    assert f'href="{MY_WORK}"' in page_of(client, officer).content.decode()
    client.force_login(artisan_account())
    assert f'href="{MY_WORK}"' not in client.get("/").content.decode()


# --- The officer --------------------------------------------------------------------------


def test_an_officer_sees_the_files_waiting_the_oldest_age_and_this_weeks_decisions(
    client, agent, officer
):
    approved_dossier(agent=agent, officer=officer)
    waiting = submitted_dossier(agent, cnie="JK200001")
    Dossier.objects.filter(pk=waiting.pk).update(submitted_at=timezone.now() - timedelta(days=5))
    submitted_dossier(agent, cnie="JK200002")
    response = page_of(client, officer)
    assert response.context["blocks"] == {
        "officer": {"waiting": 2, "oldest_days": 5, "decided_this_week": 1}
    }
    assert f'href="{reverse("register_staff:queue")}"' in response.content.decode()


def test_an_officer_of_tiznit_sees_nothing_of_agadir(client, agent, officer):
    in_agadir(agent, "JK300001")
    in_agadir(agent, "JK300002")
    response = page_of(client, officer)
    assert response.context["blocks"]["officer"]["waiting"] == 0
    assert response.context["blocks"]["officer"]["oldest_days"] is None
    page = response.content.decode()
    assert "Agadir" not in page and "أكادير" not in page


def test_the_officer_of_agadir_sees_agadirs_files(client, agent):
    in_agadir(agent, "JK300001")
    response = page_of(client, officer_of("09.001"))
    assert response.context["blocks"]["officer"]["waiting"] == 1


# --- The agent and the chamber ------------------------------------------------------------


def test_an_agent_sees_their_drafts_and_the_files_with_changes_asked(client, agent, officer):
    complete_dossier(agent)
    asked = submitted_dossier(agent, cnie="JK200001")
    services.request_changes(officer=officer, dossier=asked, message="La CNIE est illisible.")
    response = page_of(client, agent)
    assert response.context["blocks"]["agent"] == {"drafts": 1, "changes_requested": 1}
    assert f'href="{reverse("register_staff:desk")}"' in response.content.decode()


def test_an_agent_of_a_province_has_no_chamber_block(client):
    agent = UserFactory(role=Role.AGENT, scope_province=province("09.581"))
    assert list(page_of(client, agent).context["blocks"]) == ["agent"]


def test_the_chamber_sees_its_upcoming_events_and_this_months_registrations(client, agent):
    event = make_event(agent, publish=True)
    make_event(agent, days=20)  # a draft: not announced yet
    approved_dossier(agent=agent)
    response = page_of(client, agent)
    chamber = response.context["blocks"]["chamber"]
    assert chamber["upcoming"] == 1
    assert chamber["next_events"] == [event]
    assert chamber["registered_this_month"] == 1
    assert reverse("outreach:staff_event", args=[event.pk]) in response.content.decode()


def test_the_chamber_of_another_region_sees_none_of_souss_massas(client, agent):
    make_event(agent, publish=True)
    approved_dossier(agent=agent)
    other = UserFactory(role=Role.AGENT, scope_region=province("01.511").region)
    chamber = page_of(client, other).context["blocks"]["chamber"]
    assert chamber["upcoming"] == 0
    assert chamber["registered_this_month"] == 0


# --- The CNSS liaison ---------------------------------------------------------------------


def batch_with(rejected: int, *, sequence=1, days_ago=0):
    batch = Batch.objects.create(
        batch_id=f"CNSS-{sequence:06d}",
        direction=Direction.INBOUND,
        kind=Kind.ACKNOWLEDGEMENT,
        sequence=sequence,
        schema_version=1,
        record_count=10,
        applied_count=10 - rejected,
        rejected_count=rejected,
        sha256="0" * 64,
        status=Batch.Status.PARTLY_APPLIED if rejected else Batch.Status.APPLIED,
        file="cnss/x.jsonl",
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    for line in range(1, rejected + 1):
        LineRejection.objects.create(batch=batch, line=line, code="E01", reason="CNIE inconnue")
    return batch


def test_the_cnss_liaison_sees_the_rejected_lines_to_handle(client):
    recent = batch_with(3, sequence=1)
    batch_with(0, sequence=2)
    batch_with(4, sequence=3, days_ago=60)  # long handled
    response = page_of(client, national(Role.CNSS))
    cnss = response.context["blocks"]["cnss"]
    assert (cnss["lines"], cnss["batches"], cnss["latest"]) == (3, 1, [recent])
    assert reverse("cnss:batch", args=[recent.batch_id]) in response.content.decode()


# --- The national administrator and the auditor -------------------------------------------


def counts(rows) -> dict[str, int]:
    return {row["state"]: row["n"] for row in rows}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR])
def test_national_staff_see_the_national_overview(client, agent, role):
    approved_dossier(agent=agent)
    in_agadir(agent, "JK300001")
    overview = page_of(client, national(role)).context["blocks"]["national"]
    assert counts(overview["registrations"])["active"] == 1
    dossiers = counts(overview["dossiers"])
    assert (dossiers["approved"], dossiers["submitted"]) == (1, 1)
    assert set(counts(overview["enrolments"])) == set(EnrolmentState.values)


@pytest.mark.parametrize(
    ("language", "direction", "title"),
    [("ar", "rtl", "عملي"), ("fr", "ltr", "Mon travail"), ("en", "ltr", "My work")],
)
def test_the_page_speaks_the_users_language_in_its_direction(
    client, settings, officer, language, direction, title
):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(MY_WORK).content.decode()
    assert f'dir="{direction}"' in page
    assert f"<h1>{title}</h1>" in page


# --- Cost: a fixed number of queries, whatever the register holds --------------------------


def officer_with_work(agent):
    officer = officer_of("09.581")
    approved_dossier(agent=agent, officer=officer)
    submitted_dossier(agent, cnie="JK200001")
    return officer


def chamber_with_work(agent):
    make_event(agent, publish=True)
    make_event(agent, days=12, publish=True)
    complete_dossier(agent, cnie="JK200001")
    return agent


def liaison_with_work(agent):
    batch_with(2, sequence=1)
    batch_with(1, sequence=2)
    return national(Role.CNSS)


def admin_with_work(agent):
    approved_dossier(agent=agent)
    return national(Role.ADMIN)


@pytest.mark.parametrize(
    ("make_user", "queries"),
    [
        (officer_with_work, QUERIES["officer"]),
        (chamber_with_work, QUERIES["chamber"]),
        (liaison_with_work, QUERIES["cnss"]),
        (admin_with_work, QUERIES["national"]),
    ],
    ids=["officer", "chamber", "cnss", "national"],
)
def test_each_page_costs_a_fixed_number_of_queries(
    client, agent, django_assert_num_queries, make_user, queries
):
    from hirfa.stats import ledger

    client.force_login(make_user(agent))
    ledger.fold()
    with django_assert_num_queries(queries):
        assert client.get(MY_WORK).status_code == 200
