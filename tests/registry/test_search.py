"""`POST /registry/sync/search`: the CNSS finds an artisan by CNIE or registration number,
with their AMO data and dependants, in a signed answer (issue 18, item 5)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.registry.models import ReceivedMessage
from tests.coverage.helpers import confirmed_child, immatriculated
from tests.factories import approved_registration
from tests.registry import spdci_peer
from tests.registry.conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return approved_registration()


def jwks(client):
    return client.get("/registry/jwks.json").json()


def test_a_search_by_cnie_returns_the_artisan_with_amo_data_and_dependants(
    client, cnss, peer, registration
):
    immatriculated(registration)
    confirmed_child(registration)

    response = post(client, "/registry/sync/search", peer.search("CNIE", registration.person.cnie))

    assert response.status_code == 200
    answer = response.json()
    assert spdci_peer.verified(answer, jwks(client))
    assert answer["header"]["action"] == "on-search"
    assert answer["header"]["receiver_id"] == peer.sender_id
    item = answer["message"]["search_response"][0]
    assert item["status"] == "succ"
    (record,) = item["data"]["reg_records"]
    assert {"identifier_type": "RNA", "identifier_value": registration.number} in record[
        "identifier"
    ]
    assert record["amo"]["cnss_number"] == "123456789"
    assert record["dependants"][0]["relationship"] == "child"
    assert record["dependants"][0]["name"]["given_name"] == "Youssef"


def test_a_search_by_registration_number_finds_the_same_artisan(client, cnss, peer, registration):
    response = post(client, "/registry/sync/search", peer.search("RNA", registration.number))
    (record,) = response.json()["message"]["search_response"][0]["data"]["reg_records"]
    assert record["registration"]["number"] == registration.number
    assert record["name"]["surname"] == registration.person.last_name_latin


def test_a_cnie_is_found_however_it_is_typed(client, cnss, peer, registration):
    typed = " " + registration.person.cnie.lower() + " "
    response = post(client, "/registry/sync/search", peer.search("CNIE", typed))
    assert len(response.json()["message"]["search_response"][0]["data"]["reg_records"]) == 1


def test_an_unknown_identifier_finds_nothing(client, cnss, peer, registration):
    response = post(client, "/registry/sync/search", peer.search("CNIE", "ZZ999999"))
    item = response.json()["message"]["search_response"][0]
    assert item["status"] == "succ"
    assert item["data"]["reg_records"] == []


def test_an_unknown_identifier_type_is_rejected_with_a_clear_reason(client, cnss, peer):
    response = post(client, "/registry/sync/search", peer.search("PASSPORT", "X1"))

    assert response.status_code == 200
    item = response.json()["message"]["search_response"][0]
    assert item["status"] == "rjct"
    assert item["status_reason_code"] == "rjct.search_criteria.invalid"
    assert "unknown identifier type 'PASSPORT'" in item["status_reason_message"]


def test_each_search_is_written_to_the_audit_trail(client, cnss, peer, registration):
    post(client, "/registry/sync/search", peer.search("RNA", registration.number))
    entry = AuditEntry.objects.get(action="registry.searched")
    assert entry.actor_label == "spdci:cnss.ma"
    assert entry.data["found"] == [registration.number]


@pytest.mark.parametrize("children", [1, 3])
def test_a_search_costs_the_same_queries_however_many_dependants(
    client, cnss, peer, registration, django_assert_num_queries, children
):
    for name in ("Youssef", "Amine", "Salma")[:children]:
        confirmed_child(registration, first_name_latin=name)
    envelope = peer.search("CNIE", registration.person.cnie)
    # Subscriber, earlier answer, savepoint, registrations (with their coverage), dependants,
    # audit chain head (PostgreSQL: with its advisory lock, in the same query) and entry,
    # answer stored, savepoint released.
    with django_assert_num_queries(9):
        post(client, "/registry/sync/search", envelope)


def test_the_same_message_id_gets_the_same_answer(client, cnss, peer, registration):
    envelope = peer.search("RNA", registration.number)
    first = post(client, "/registry/sync/search", envelope)

    again = post(client, "/registry/sync/search", envelope)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert ReceivedMessage.objects.count() == 1
    assert AuditEntry.objects.filter(action="registry.searched").count() == 1


def test_another_message_under_a_used_message_id_is_refused(client, cnss, peer, registration):
    post(client, "/registry/sync/search", peer.search("RNA", registration.number, message_id="m1"))

    response = post(
        client, "/registry/sync/search", peer.search("CNIE", "AB123456", message_id="m1")
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "rjct.message_id.duplicate"


def test_the_transaction_status_gives_back_an_earlier_answer(client, cnss, peer, registration):
    search = peer.search("RNA", registration.number)
    first = post(client, "/registry/sync/search", search).json()
    status = peer.envelope(
        "txn/status",
        {
            "transaction_id": "t-status",
            "txnstatus_request": {
                "reference_id": "q1",
                "txn_type": "search",
                "attribute_type": "transaction_id",
                "attribute_value": search["message"]["transaction_id"],
            },
        },
    )

    response = post(client, "/registry/txn/status", status)

    assert response.status_code == 200
    (earlier,) = response.json()["message"]["txnstatus_response"]["txn_status"]
    assert earlier["answer"] == first


def test_answers_are_forgotten_after_the_days_kept(client, cnss, peer, registration, settings):
    envelope = peer.search("RNA", registration.number)
    post(client, "/registry/sync/search", envelope)
    ReceivedMessage.objects.update(
        received_at=timezone.now() - timedelta(days=settings.REGISTRY_KEEP_DAYS + 1)
    )

    call_command("forget_registry_messages", stdout=io.StringIO())

    assert not ReceivedMessage.objects.exists()
    assert AuditEntry.objects.filter(action="registry.forgotten").count() == 1
