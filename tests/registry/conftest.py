import json

import pytest

from hirfa.registry import services
from hirfa.registry.models import Subscriber
from tests.registry import spdci_peer


@pytest.fixture(autouse=True)
def registry_keys(settings, tmp_path):
    settings.CNSS_SIGNING_KEY = ""
    settings.CNSS_SIGNING_KEY_FILE = tmp_path / "keys" / "rna-signing.key"
    settings.REGISTRY_NOTIFY_BATCH_SECONDS = 0
    services.NOTICES.reopen()


@pytest.fixture
def peer():
    return spdci_peer.Peer()


@pytest.fixture
def loopback():
    with spdci_peer.Subscriber() as server:
        yield server


@pytest.fixture
def cnss(peer, loopback):
    return Subscriber.objects.create(
        name="CNSS",
        sender_id=peer.sender_id,
        public_key=peer.public_key_text,
        callback_url=loopback.url,
    )


def post(client, path: str, envelope):
    return client.post(path, json.dumps(envelope), content_type="application/json")
