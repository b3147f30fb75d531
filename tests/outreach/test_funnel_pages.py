import pytest

from hirfa.outreach import services
from hirfa.territory.models import Commune
from tests.factories import UserFactory, agent_of, officer_of
from tests.outreach.conftest import make_event
from tests.outreach.funnel_scenes import carry, file_on_the_spot

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(souss_agent):
    event = make_event(souss_agent, publish=True)
    attendee = services.record_walk_in(
        actor=souss_agent, event=event, name="Fadma", phone="0612345678", consent=True
    )[0]
    carry(souss_agent, file_on_the_spot(souss_agent, event, attendee), to="approved")
    return event


def figures_of(response, key):
    return {
        row["step"]: row["people"]
        for row in next(table for table in [response.context["steps"]] if table.key == key).rows
    }


def test_an_events_funnel_page_shows_the_people_at_each_step(client, souss_agent, meeting):
    client.force_login(souss_agent)
    client.cookies["hirfa_language"] = "en"
    response = client.get(f"/outreach/{meeting.pk}/funnel/")
    assert response.status_code == 200
    assert figures_of(response, "funnel") == {
        "Signed up": 1,
        "Attended": 1,
        "Application started": 1,
        "Submitted": 1,
        "Approved": 1,
        "Card handed over": 0,
        "AMO enrolled": 0,
        "Rights open": 0,
    }
    assert "in the 90 days before starting it" in response.content.decode()


def test_an_officer_of_the_province_reads_the_funnel(client, meeting):
    client.force_login(officer_of("09.581"))
    assert client.get(f"/outreach/{meeting.pk}/funnel/").status_code == 200


def test_an_officer_of_another_region_does_not_find_the_funnel(client, meeting):
    client.force_login(officer_of("01.511"))
    assert client.get(f"/outreach/{meeting.pk}/funnel/").status_code == 404


def test_an_artisan_may_not_read_funnels(client, meeting):
    client.force_login(UserFactory(role="artisan"))
    assert client.get(f"/outreach/{meeting.pk}/funnel/").status_code == 403
    assert client.get("/outreach/funnel/").status_code == 403


@pytest.mark.parametrize("language", ["ar", "fr", "zgh", "en"])
def test_the_funnel_pages_speak_each_language(client, souss_agent, meeting, language):
    client.force_login(souss_agent)
    client.cookies["hirfa_language"] = language
    assert client.get(f"/outreach/{meeting.pk}/funnel/").status_code == 200
    assert client.get("/outreach/funnel/").status_code == 200


def test_events_are_compared_within_the_readers_territory_only(client, souss_agent, meeting):
    make_event(
        agent_of("01"),
        publish=True,
        commune=Commune.objects.filter(province__region__code="01").order_by("code").first(),
        name_fr="Journée guichet CNSS à Tanger",
    )
    client.force_login(souss_agent)
    response = client.get("/outreach/funnel/")
    assert response.status_code == 200
    compared = response.context["events"].rows
    assert [row["event"] for row in compared] == [meeting.name]
    assert compared[0]["approved"] == 1


def test_events_compared_by_kind_show_the_share_enrolled_in_amo(client, souss_agent, meeting):
    client.force_login(souss_agent)
    response = client.get("/outreach/funnel/", {"kind": "awareness"})
    (row,) = response.context["kinds"].rows
    assert (row["events"], row["started"], row["to_amo"]) == (1, 1, 0.0)


def test_a_chamber_sees_the_funnel_of_all_its_events(client, souss_agent, meeting):
    other = make_event(souss_agent, days=12, publish=True)
    services.record_walk_in(
        actor=souss_agent, event=other, name="Said", phone="0612340003", consent=True
    )
    client.force_login(souss_agent)
    response = client.get("/outreach/funnel/", {"organiser": meeting.organiser_id})
    total = {row["step"]: row["people"] for row in response.context["total"].rows}
    assert list(total.values())[:3] == [2, 2, 1]


def test_an_unknown_organiser_or_kind_shows_every_event(client, souss_agent, meeting):
    client.force_login(souss_agent)
    response = client.get("/outreach/funnel/", {"organiser": "x", "kind": "<b>"})
    assert response.status_code == 200
    assert len(response.context["events"].rows) == 1


def test_the_event_funnel_page_reads_a_bounded_number_of_queries(
    client, souss_agent, meeting, django_assert_num_queries
):
    client.force_login(souss_agent)
    client.get(f"/outreach/{meeting.pk}/funnel/")
    for index in range(3):
        attendee = services.record_walk_in(
            actor=souss_agent, event=meeting, name="X", phone=f"06123411{index:02d}", consent=True
        )[0]
        file_on_the_spot(souss_agent, meeting, attendee, cnie=f"JK4000{index:02d}")
    with django_assert_num_queries(12):  # with the menu's inbox count
        assert client.get(f"/outreach/{meeting.pk}/funnel/").status_code == 200


def test_the_comparison_page_reads_a_bounded_number_of_queries(
    client, souss_agent, meeting, django_assert_num_queries
):
    client.force_login(souss_agent)
    client.get("/outreach/funnel/")
    for days in (12, 14, 16):
        make_event(souss_agent, days=days, publish=True)
    with django_assert_num_queries(14):  # with the menu's inbox count
        assert client.get("/outreach/funnel/").status_code == 200


def test_the_events_page_and_the_list_lead_to_the_funnels(client, souss_agent, meeting):
    client.force_login(souss_agent)
    assert (
        f'href="/outreach/{meeting.pk}/funnel/"'
        in client.get(f"/outreach/{meeting.pk}/").content.decode()
    )
    assert 'href="/outreach/funnel/"' in client.get("/outreach/").content.decode()
