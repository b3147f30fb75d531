"""The chamber's printing screens, the registration's cards, and the artisan's download."""

import pytest

from hirfa.cards.models import Card
from tests.factories import (
    DEFAULT_PASSWORD,
    UserFactory,
    account_for,
    agent_of,
    approved_dossier,
    issued_card,
    officer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(run_jobs, agent):
    return issued_card(run_jobs, agent=agent)


def test_the_print_queue_lists_the_territory_s_cards_to_print(client, agent, card):
    client.force_login(agent)
    response = client.get("/cards/print/")
    assert response.status_code == 200
    assert card.registration.number in response.content.decode()


def test_an_agent_of_another_region_sees_none_of_them(client, card):
    client.force_login(agent_of("01"))
    assert card.registration.number not in client.get("/cards/print/").content.decode()
    assert client.get(f"/cards/{card.pk}/").status_code == 404


def test_an_artisan_or_a_visitor_cannot_open_the_queue(client, card):
    assert client.get("/cards/print/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/cards/print/").status_code == 403


def test_the_print_sheet_downloads_as_a_pdf(client, agent, card):
    client.force_login(agent)
    response = client.get("/cards/print/?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_marking_printed_then_handing_over_from_the_screens(client, agent, card):
    client.force_login(agent)
    response = client.post("/cards/print/printed/", {"card": [card.pk]})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.print_state == Card.PrintState.PRINTED
    refused = client.post(f"/cards/{card.pk}/handed-over/", {"received_by": "Fadma"})
    assert refused.status_code == 400
    client.post(f"/cards/{card.pk}/handed-over/", {"received_by": "Fadma", "acknowledged": "on"})
    card.refresh_from_db()
    assert (card.print_state, card.received_by) == ("handed_over", "Fadma")


def test_a_reprint_from_the_card_page_needs_its_reason(client, agent, card):
    client.force_login(agent)
    client.post(f"/cards/{card.pk}/printed/")
    assert client.post(f"/cards/{card.pk}/printed/", {"reason": ""}).status_code == 400
    client.post(f"/cards/{card.pk}/printed/", {"reason": "Smudged"})
    card.refresh_from_db()
    assert card.print_count == 2


def test_reissuing_a_lost_card_from_the_registration_s_cards(client, agent, card):
    client.force_login(agent)
    url = f"/cards/registrations/{card.registration.number}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "lost", "note": "Perdue au souk"})
    new = card.registration.cards.get(status=Card.Status.CURRENT)
    assert response.status_code == 302 and new.version == 2


def test_the_artisan_downloads_their_current_card(client, run_jobs):
    card = issued_card(run_jobs)
    artisan = account_for(card.registration.person)
    assert client.login(username=artisan.username, password=DEFAULT_PASSWORD)
    response = client.get("/me/card.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert client.get("/me/").status_code == 200


def test_an_artisan_without_a_registration_gets_not_found(client):
    client.force_login(UserFactory())
    assert client.get("/me/card.pdf").status_code == 404


def test_an_artisan_whose_card_is_not_issued_yet_is_told_so(client, run_jobs):
    artisan = account_for(approved_dossier().person)
    client.force_login(artisan)
    response = client.get("/me/card.pdf")
    assert response.status_code == 302 and response["Location"] == "/me/"


def test_the_api_print_queue_and_printing(client, agent, card):
    from hirfa.accounts.services import create_api_token

    _token, secret = create_api_token(user=agent, name="t", created_by=None)
    headers = {"Authorization": f"Bearer {secret}"}
    queue = client.get("/api/v1/cards/print-queue", headers=headers).json()
    assert [item["id"] for item in queue["items"]] == [card.pk]
    printed = client.post(
        f"/api/v1/cards/{card.pk}/printed", {}, content_type="application/json", headers=headers
    )
    assert printed.json()["print_state"] == "printed"
    reissued = client.post(
        f"/api/v1/cards/registrations/{card.registration.number}/reissue",
        {"reason": "damaged"},
        content_type="application/json",
        headers=headers,
    )
    assert reissued.status_code == 201 and reissued.json()["version"] == 2
    listed = client.get(
        f"/api/v1/cards/registrations/{card.registration.number}", headers=headers
    ).json()
    assert [(c["version"], c["status"]) for c in listed] == [(2, "current"), (1, "revoked")]


def test_the_api_refuses_staff_endpoints_to_other_territories(client, card):
    from hirfa.accounts.services import create_api_token

    _token, secret = create_api_token(user=officer_of("09.001"), name="t", created_by=None)
    response = client.post(
        f"/api/v1/cards/{card.pk}/printed",
        {},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 404


def test_marking_printed_never_redirects_to_another_site(client, agent, card):
    client.force_login(agent)
    response = client.post(
        "/cards/print/printed/", {"card": [card.pk], "next": "https://evil.example/"}
    )
    assert response["Location"] == "/cards/print/"
