"""The campaign pages of chamber staff: the list, a new campaign with the live count, its page
with the preview and the delivery log, its actions; the menu shows them to those who may."""

import pytest
from django.utils import translation

from hirfa.campaigns.demo import NAME, load_demo_campaigns
from hirfa.campaigns.models import Campaign
from hirfa.outreach import funnel
from tests.campaigns.conftest import MESSAGES
from tests.factories import agent_of, artisan_account, officer_of

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "Tiznit: AMO",
        "channel": "sms",
        "province": "09.581",
        "amo": "not_enrolled",
        "link": "https://hirfa.ma/amo",
        **{f"message_{code}": text for code, text in MESSAGES.items()},
    }
    return data | overrides


def test_the_list_takes_five_queries_for_any_number_of_campaigns(
    client, souss_agent, make_campaign, django_assert_num_queries
):
    for index in range(3):
        make_campaign(name=f"Campaign {index}")
    client.force_login(souss_agent)
    # The session, the user, the count of the page, the campaigns, the menu's inbox count.
    with django_assert_num_queries(5):
        response = client.get("/campaigns/")
    assert response.status_code == 200
    assert len(response.context["page"]) == 3


def test_the_menu_shows_campaigns_to_chamber_agents_only(client, souss_agent):
    client.force_login(souss_agent)
    assert "/campaigns/" in client.get("/").content.decode()
    client.force_login(officer_of("09.581", username="tiznit-officer"))
    assert "/campaigns/" not in client.get("/").content.decode()


def test_an_officer_or_an_artisan_may_not_open_the_campaigns(client):
    client.force_login(officer_of("09.581", username="tiznit-officer"))
    assert client.get("/campaigns/").status_code == 403
    client.force_login(artisan_account())
    assert client.get("/campaigns/new/").status_code == 403


def test_the_live_count_says_how_many_persons_are_in_the_segment(
    client, souss_agent, tiznit_artisans
):
    client.force_login(souss_agent)
    response = client.get("/campaigns/count/", {"channel": "sms", "province": "09.581"})
    assert response.status_code == 200
    assert "3" in response.content.decode()


def test_the_live_count_outside_the_territory_says_so(client, tiznit_artisans):
    client.force_login(agent_of("04", username="rabat"))
    response = client.get("/campaigns/count/", {"channel": "sms", "province": "09.581"})
    assert response.status_code == 200
    assert response.context["refused"]
    assert str(response.context["error"])


def test_a_new_campaign_is_saved_as_a_draft_and_shows_its_preview(
    client, souss_agent, tiznit_artisans
):
    client.force_login(souss_agent)
    response = client.post("/campaigns/new/", form_data())
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/campaigns/{campaign.pk}/"
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert page.context["count"] == 3
    assert [item["language"] for item in page.context["preview"]] == ["ar"]


def test_an_unknown_placeholder_in_the_form_is_a_400_beside_the_field(client, souss_agent):
    client.force_login(souss_agent)
    response = client.post("/campaigns/new/", form_data(message_fr="Bonjour {prenom}"))
    assert response.status_code == 400
    assert "{prenom}" in str(response.context["form"].errors["message_fr"])
    assert not Campaign.objects.exists()


def test_launching_from_the_page_queues_the_messages_and_shows_the_log(
    client, souss_agent, make_campaign, tiznit_artisans, django_capture_on_commit_callbacks
):
    campaign = make_campaign()
    client.force_login(souss_agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/campaigns/{campaign.pk}/launch/")
    assert response.status_code == 302
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert len(page.context["log"]) == 3


def test_launching_an_empty_segment_from_the_page_says_so(client, souss_agent, make_campaign):
    campaign = make_campaign()
    client.force_login(souss_agent)
    response = client.post(f"/campaigns/{campaign.pk}/launch/", follow=True)
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    campaign.refresh_from_db()
    assert campaign.state == "draft"


def test_a_campaign_of_another_region_is_404(client, make_campaign):
    campaign = make_campaign()
    client.force_login(agent_of("04", username="rabat"))
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 404
    assert client.post(f"/campaigns/{campaign.pk}/cancel/").status_code == 404


def test_the_pages_render_in_every_language(client, souss_agent, make_campaign):
    campaign = make_campaign()
    client.force_login(souss_agent)
    for language in ("ar", "fr", "zgh", "en"):
        client.cookies["hirfa_language"] = language
        for url in ("/campaigns/", "/campaigns/new/", f"/campaigns/{campaign.pk}/"):
            assert client.get(url).status_code == 200


def test_the_demo_holds_a_draft_campaign_to_tiznit_not_enrolled_in_amo_and_runs_twice():
    agent_of("09", username="agent.soussmassa")
    assert load_demo_campaigns() == {"created": 1}
    campaign = Campaign.objects.get(name=NAME)
    assert campaign.criteria == {"province": "09.581", "amo": "not_enrolled"}
    assert load_demo_campaigns() == {"created": 0}


def test_the_administration_lists_campaigns_and_opt_outs_read_only(admin_client, make_campaign):
    make_campaign()
    client = admin_client
    assert client.get("/admin/campaigns/campaign/").status_code == 200
    assert client.get("/admin/campaigns/optout/").status_code == 200
    assert client.get("/admin/campaigns/campaign/add/").status_code == 403


def test_a_launched_campaign_shows_the_funnel_of_its_recipients_and_a_draft_none(
    client, souss_agent, make_campaign, tiznit_artisans, launched
):
    client.force_login(souss_agent)
    draft = make_campaign(name="Not yet")
    assert client.get(f"/campaigns/{draft.pk}/").context["funnel"] is None
    campaign = launched()
    table = client.get(f"/campaigns/{campaign.pk}/").context["funnel"]
    with translation.override("ar"):  # the page speaks Arabic by default
        steps = [str(label) for _key, label in funnel.STEPS]
    assert [row["step"] for row in table.rows] == steps
    # Files the recipients had before the campaign are not its doing.
    assert {row["people"] for row in table.rows} == {0}
