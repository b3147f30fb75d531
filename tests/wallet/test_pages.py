"""Where the offer is shown: the artisan's card page, and the agent's card page at the
hand-over. The QR code is drawn by the server; the transaction code goes by SMS."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.notifications.models import Notification
from hirfa.wallet.models import CredentialOffer
from tests.factories import UserFactory, account_for, agent_of

pytestmark = pytest.mark.django_db


def test_the_artisan_s_card_page_leads_to_the_wallet_page(client, card):
    client.force_login(account_for(card.registration.person))
    assert 'href="/me/card/wallet/"' in client.get("/me/card/").content.decode()


def test_the_wallet_page_explains_before_any_code_is_sent(client, card):
    client.force_login(account_for(card.registration.person))

    response = client.get("/me/card/wallet/")

    assert response.status_code == 200
    assert "openid-credential-offer://" not in response.content.decode()
    assert not CredentialOffer.objects.exists()


def test_asking_shows_the_offer_s_qr_code_and_texts_the_code(client, card):
    client.force_login(account_for(card.registration.person))

    response = client.post("/me/card/wallet/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "openid-credential-offer://?credential_offer=" in html
    assert response["Cache-Control"] == "private, no-store"
    sms = Notification.objects.get(event="account.phone_code")
    assert sms.address == CredentialOffer.objects.get().phone
    assert AuditEntry.objects.filter(action="wallet.offered").count() == 1


def test_a_new_offer_ends_the_one_before(client, card):
    client.force_login(account_for(card.registration.person))
    client.post("/me/card/wallet/")
    client.post("/me/card/wallet/")
    first, second = CredentialOffer.objects.order_by("id")
    assert first.expires_at <= second.created_at < second.expires_at


def test_a_revoked_card_is_not_offered(client, card):
    card.status = card.Status.REVOKED
    card.save(update_fields=["status"])
    client.force_login(account_for(card.registration.person))
    response = client.post("/me/card/wallet/")
    assert response.status_code == 409
    assert not CredentialOffer.objects.exists()


def test_staff_have_no_card_of_their_own_to_offer(client, card):
    client.force_login(agent_of("09"))
    assert client.post("/me/card/wallet/").status_code == 403


def test_an_artisan_without_a_registration_has_no_card_to_offer(client, card):
    client.force_login(UserFactory())
    assert client.post("/me/card/wallet/").status_code == 404


def test_the_agent_shows_the_offer_at_the_hand_over(client, agent, card):
    card.print_state = card.PrintState.PRINTED
    card.save(update_fields=["print_state"])
    client.force_login(agent)
    assert f'action="/cards/{card.pk}/wallet/"' in client.get(f"/cards/{card.pk}/").content.decode()

    response = client.post(f"/cards/{card.pk}/wallet/")

    assert response.status_code == 200
    assert "openid-credential-offer://" in response.content.decode()
    assert CredentialOffer.objects.get().offered_by == agent


def test_an_agent_of_another_region_cannot_offer_the_card(client, card):
    client.force_login(agent_of("01"))
    assert client.post(f"/cards/{card.pk}/wallet/").status_code == 404
    assert not CredentialOffer.objects.exists()


def test_an_artisan_cannot_use_the_agent_s_address(client, card):
    client.force_login(account_for(card.registration.person))
    assert client.post(f"/cards/{card.pk}/wallet/").status_code == 403


def test_the_sms_limit_is_told_not_crashed(client, card):
    client.force_login(account_for(card.registration.person))
    for _ in range(3):
        client.post("/me/card/wallet/")

    response = client.post("/me/card/wallet/")

    assert response.status_code == 429
    assert "openid-credential-offer://" not in response.content.decode()
    assert CredentialOffer.objects.count() == 3


def test_the_metadata_is_public_and_names_the_endpoints(client, settings):
    metadata = client.get("/.well-known/openid-credential-issuer").json()
    server = client.get("/.well-known/oauth-authorization-server").json()
    base = settings.PUBLIC_URL.rstrip("/")
    assert metadata["credential_endpoint"] == f"{base}/openid4vci/credential"
    assert metadata["nonce_endpoint"] == f"{base}/openid4vci/nonce"
    configuration = metadata["credential_configurations_supported"]["ma.rna.professional_card"]
    assert configuration["format"] == "dc+sd-jwt"
    assert {d["locale"] for d in metadata["display"]} == {"ar", "fr", "zgh", "en"}
    assert server["token_endpoint"] == f"{base}/openid4vci/token"
    assert server["pre-authorized_grant_anonymous_access_supported"] is True


def test_offers_are_forgotten_after_thirty_days(client, card):
    client.force_login(account_for(card.registration.person))
    client.post("/me/card/wallet/")
    CredentialOffer.objects.update(created_at=timezone.now() - timedelta(days=31))

    call_command("forget_wallet_offers", stdout=io.StringIO())

    assert not CredentialOffer.objects.exists()
