"""Done when: an SPDCI subscriber on loopback receives a signed notification when an artisan
is approved and when one is struck off (issue 18, item 5)."""

import pytest
from django.test import TestCase

from hirfa.register import services as register
from hirfa.registry import delivery
from hirfa.registry.models import Notice, Subscription
from tests.factories import agent_of, officer_of, submitted_dossier
from tests.registry import spdci_peer
from tests.registry.conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(client, cnss, peer):
    """The CNSS subscribed, through the API, to registrations and strike-offs."""
    codes = []
    for event in ("registered", "struck_off"):
        answer = post(client, "/registry/subscribe", peer.subscribe(event)).json()
        codes.append(answer["message"]["subscribe_response"][0]["subscriptions"][0]["code"])
    return codes


def approve(officer=None):
    dossier = submitted_dossier(agent_of("09"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return register.approve(officer=officer or officer_of("09.581"), dossier=dossier)


def events(loopback) -> list[tuple[str, str]]:
    return [
        (
            body["message"]["notify_event"][0]["data"]["reg_event_type"],
            body["message"]["notify_event"][0]["data"]["reg_records"][0]["registration"]["number"],
        )
        for body in loopback.received
    ]


def test_the_subscriber_is_told_of_an_approval_in_a_signed_message(
    client, subscribed, loopback, run_jobs
):
    dossier = approve()
    run_jobs()

    assert events(loopback) == [("registered", dossier.registration.number)]
    (message,) = loopback.received
    assert message["header"]["action"] == "notify"
    assert spdci_peer.verified(message, client.get("/registry/jwks.json").json())
    assert Notice.objects.get().delivered_at is not None


def test_the_subscriber_is_told_of_a_strike_off(client, subscribed, loopback, run_jobs):
    registration = approve().registration
    run_jobs()
    with TestCase.captureOnCommitCallbacks(execute=True):
        register.strike_off(officer=officer_of("09.581"), registration=registration, reason="Décès")
    run_jobs()

    assert events(loopback)[-1] == ("struck_off", registration.number)
    record = loopback.received[-1]["message"]["notify_event"][0]["data"]["reg_records"][0]
    assert record["registration"]["status"] == "struck_off"


def test_nobody_subscribed_nobody_is_told(cnss, loopback, run_jobs):
    approve()
    run_jobs()
    assert loopback.received == []
    assert not Notice.objects.exists()


def test_a_subscriber_that_is_down_gets_the_same_message_once_it_is_back(
    client, subscribed, loopback, run_jobs, settings
):
    settings.JOB_MAX_ATTEMPTS = 1
    loopback.fail = True
    approve()
    run_jobs()  # the job fails (its result is kept FAILED), the notice stays pending
    notice = Notice.objects.get()
    assert notice.delivered_at is None and notice.attempts == 1
    assert "503" in notice.last_error

    loopback.fail = False
    assert delivery.deliver_notices() == 1
    (message,) = loopback.received
    assert message["header"]["message_id"] == str(notice.message_id)
    assert delivery.deliver_notices() == 0  # delivered once, never again


def test_subscribing_twice_to_an_event_keeps_one_subscription(client, cnss, peer):
    first = post(client, "/registry/subscribe", peer.subscribe("registered")).json()
    second = post(client, "/registry/subscribe", peer.subscribe("registered")).json()
    code = lambda answer: answer["message"]["subscribe_response"][0]["subscriptions"][0]["code"]  # noqa: E731
    assert code(first) == code(second)
    assert Subscription.objects.count() == 1


def test_an_unknown_event_is_rejected_with_the_known_ones_named(client, cnss, peer):
    answer = post(client, "/registry/subscribe", peer.subscribe("born")).json()
    item = answer["message"]["subscribe_response"][0]
    assert item["status"] == "rjct"
    assert "registered, changed, struck_off" in item["status_reason_message"]


def test_after_unsubscribing_nothing_more_is_sent(
    client, cnss, peer, subscribed, loopback, run_jobs
):
    envelope = peer.envelope(
        "unsubscribe", {"transaction_id": "t1", "subscription_codes": subscribed}
    )
    answer = post(client, "/registry/unsubscribe", envelope).json()
    assert {s["status"] for s in answer["message"]["subscription_status"]} == {"unsubscribe"}

    approve()
    run_jobs()

    assert loopback.received == []
