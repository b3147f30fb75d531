"""Consent and opt-out: a signed STOP reply or a signed unsubscribe link stops campaign
messages; transactional messages still go (decision 44)."""

import json
import time

import pytest

from hirfa.campaigns import services
from hirfa.campaigns.models import OptOut, Recipient
from hirfa.notifications import backends
from hirfa.notifications.services import notify
from hirfa.notifications.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

pytestmark = pytest.mark.django_db

SECRET = "inbound-secret"
URL = "/campaigns/sms/inbound"


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("SMS_WEBHOOK_SECRET", SECRET)


def inbound(client, payload, *, signed=True, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    stamp = str(int(time.time()))
    headers = {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(body, stamp, SECRET)}
    return client.post(
        URL, data=body, content_type="application/json", headers=headers if signed else {}
    )


def test_a_signed_stop_reply_opts_the_number_out(client, tiznit_artisans):
    person = tiznit_artisans[0]
    response = inbound(client, {"from": "0611000000", "text": " Stop "})
    assert (response.status_code, response.json()) == (200, {"result": "opted_out"})
    opt_out = OptOut.objects.get()
    assert (opt_out.address, opt_out.person, opt_out.source) == (person.phone, person, "stop")


def test_a_stop_in_arabic_is_understood(client, tiznit_artisans):
    assert inbound(client, {"from": "+212611000001", "text": "توقف"}).json() == {
        "result": "opted_out"
    }


def test_the_same_stop_twice_is_an_idempotent_no_op(client, tiznit_artisans):
    inbound(client, {"from": "0611000000", "text": "STOP"})
    response = inbound(client, {"from": "0611000000", "text": "STOP"})
    assert (response.status_code, response.json()) == (200, {"result": "unchanged"})
    assert OptOut.objects.count() == 1


def test_an_unsigned_stop_is_401_and_changes_nothing(client, tiznit_artisans):
    response = inbound(client, {"from": "0611000000", "text": "STOP"}, signed=False)
    assert response.status_code == 401
    assert not OptOut.objects.exists()


def test_a_badly_signed_stop_is_403(client):
    body = json.dumps({"from": "0611000000", "text": "STOP"}).encode()
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={TIMESTAMP_HEADER: str(int(time.time())), SIGNATURE_HEADER: "sha256=00"},
    )
    assert response.status_code == 403
    assert not OptOut.objects.exists()


def test_other_words_are_ignored(client):
    assert inbound(client, {"from": "0611000000", "text": "merci"}).json() == {"result": "ignored"}


def test_a_malformed_inbound_message_is_400(client):
    assert inbound(client, None, raw=b"{not json").status_code == 400
    assert inbound(client, {"from": "hello", "text": "STOP"}).status_code == 400


def test_an_opted_out_artisan_gets_no_campaign_message_but_still_transactional_ones(
    client, launched, tiznit_artisans, run_jobs, django_capture_on_commit_callbacks
):
    person = tiznit_artisans[0]
    inbound(client, {"from": person.phone, "text": "STOP"})
    campaign = launched()
    assert person.pk not in set(
        Recipient.objects.filter(campaign=campaign).values_list("person_id", flat=True)
    )
    backends.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(phone=person.phone, event="outreach.reminder", subject="", body="غدا")
    run_jobs()
    assert person.phone in [message.address for message in backends.outbox]


def test_the_unsubscribe_link_asks_then_opts_out_without_login(client, tiznit_artisans):
    person = tiznit_artisans[0]
    url = f"/unsubscribe/{services.unsubscribe_token(person.pk)}/"
    assert client.get(url).status_code == 200
    assert not OptOut.objects.exists()
    assert client.post(url).status_code == 200
    assert OptOut.objects.get().person == person
    assert client.post(url).status_code == 200
    assert OptOut.objects.count() == 1


def test_a_forged_unsubscribe_link_is_404_and_changes_nothing(client, tiznit_artisans):
    token = services.unsubscribe_token(tiznit_artisans[0].pk)
    response = client.post(f"/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 404
    assert not OptOut.objects.exists()
