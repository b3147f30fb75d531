"""Done when: a wallet written from the specification alone receives the card through
OpenID4VCI, end to end over HTTP (issue 18, item 4)."""

import ast
from pathlib import Path

import pytest

from hirfa.notifications.models import Notification
from tests.factories import account_for
from tests.wallet import spec_wallet
from tests.wallet.conftest import last_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def issuer(live_server, settings, reference_data):
    settings.PUBLIC_URL = live_server.url
    return live_server.url


def offer_from_page(client, card) -> str:
    client.force_login(account_for(card.registration.person))
    response = client.post("/me/card/wallet/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('href="openid-credential-offer://') + len('href="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
def test_a_spec_only_wallet_receives_the_card_as_an_sd_jwt_vc(client, issuer, card, alg):
    uri = offer_from_page(client, card)
    wallet = spec_wallet.Wallet(spec_wallet.HolderKey(alg))

    received = wallet.receive(uri, last_code(Notification.objects.last().address))

    registration = card.registration
    assert received.claims["registration_number"] == registration.number
    assert received.claims["card_version"] == card.version
    assert received.claims["name_latin"] == registration.registrant_name_latin
    assert received.claims["name_ar"] == registration.registrant_name_ar
    assert received.claims["activity"] == registration.principal_activity.code
    assert received.claims["qr"] == card.qr_text
    assert received.payload["exp"] == int(card.expires_at.timestamp())


def test_the_test_wallet_imports_nothing_of_hirfa():
    tree = ast.parse(Path(spec_wallet.__file__).read_text())
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name and name.split(".")[0] in ("hirfa", "tests")]


def test_the_same_offer_cannot_be_redeemed_twice_over_http(client, issuer, card):
    uri = offer_from_page(client, card)
    code = last_code(Notification.objects.last().address)
    spec_wallet.Wallet().receive(uri, code)

    with pytest.raises(spec_wallet.HttpError) as refused:
        spec_wallet.Wallet().receive(uri, code)

    assert refused.value.status == 400
    assert refused.value.body["error"] == "invalid_grant"
