"""A CNSS rejection lands in the inbox of the staff of the artisan's province, and leaves it
when the CNSS accepts the artisan."""

import pytest
from django.utils import timezone

from hirfa.cnss import services
from hirfa.cnss.inbox import REJECTED, batch_applied
from hirfa.cnss.models import Batch, SentItem
from hirfa.notifications.models import InboxItem
from tests.coverage.helpers import confirmed_child
from tests.factories import agent_of, officer_of

pytestmark = pytest.mark.django_db

ACCEPTED_CNIE = "JK123456"
REJECTED_CNIE = "JK123413"  # the sandbox rejects a CNIE ending in 13


def open_items(user):
    return list(InboxItem.objects.filter(recipient=user, kind=REJECTED, resolved_at__isnull=True))


def test_an_artisan_refused_by_the_cnss_is_told_to_the_staff_of_their_province(approve, answer):
    officer = officer_of("09.581", username="tiznit.officer")
    agent = agent_of("09", username="souss.agent")
    elsewhere = officer_of("09.001", username="agadir.officer")
    approve(ACCEPTED_CNIE, "0611111111")
    refused = approve(REJECTED_CNIE, "0622222222")
    services.export_batches()
    services.import_file(answer()[0])
    (item,) = open_items(officer)
    assert (item.reference, item.url) == (refused.number, f"/coverage/artisans/{refused.number}/")
    assert [i.reference for i in open_items(agent)] == [refused.number]
    assert open_items(elsewhere) == []


def test_the_item_leaves_once_the_cnss_accepts_the_artisan(approve, answer):
    officer = officer_of("09.581", username="tiznit.officer")
    refused = approve(REJECTED_CNIE, "0622222222")
    services.export_batches()
    services.import_file(answer()[0])
    assert len(open_items(officer)) == 1
    later = Batch.objects.create(
        batch_id="CNSS-00000099",
        direction="inbound",
        kind="immatriculation",
        sequence=99,
        schema_version=1,
        record_count=1,
        sha256="0" * 64,
        status=Batch.Status.APPLIED,
        created_at=timezone.now(),
    )
    SentItem.objects.filter(key=refused.number).update(
        outcome=SentItem.Outcome.ACCEPTED, answered_by=later
    )
    batch_applied(later)
    assert open_items(officer) == []


def test_a_batch_larger_than_a_query_takes_is_told_chunk_by_chunk(approve, answer, monkeypatch):
    # A 500,000-line answer names more artisans than one IN list may hold (SQLite: 32,766).
    monkeypatch.setattr("hirfa.cnss.inbox.CHUNK", 1)
    officer = officer_of("09.581", username="tiznit.officer")
    first = approve(REJECTED_CNIE, "0622222222")
    second = approve("JK223413", "0633333333")
    approve(ACCEPTED_CNIE, "0611111111")
    services.export_batches()
    services.import_file(answer()[0])
    assert sorted(i.reference for i in open_items(officer)) == [first.number, second.number]


def later_batch(sequence=99) -> Batch:
    return Batch.objects.create(
        batch_id=f"CNSS-{sequence:08d}",
        direction="inbound",
        kind="acknowledgement",
        sequence=sequence,
        schema_version=1,
        record_count=1,
        sha256="0" * 64,
        status=Batch.Status.APPLIED,
        created_at=timezone.now(),
    )


def test_the_item_leaves_once_the_cnss_accepts_a_dependant_of_the_artisan(approve, answer):
    officer = officer_of("09.581", username="tiznit.officer")
    refused = approve(REJECTED_CNIE, "0622222222")
    [sent] = services.export_batches()
    services.import_file(answer()[0])
    child = confirmed_child(refused)
    later = later_batch()
    SentItem.objects.create(
        batch=sent,
        key=f"dependant:{child.pk}",
        line=3,
        outcome=SentItem.Outcome.ACCEPTED,
        answered_by=later,
    )
    batch_applied(later)
    assert open_items(officer) == []


def test_an_artisan_both_accepted_and_refused_by_one_batch_stays_in_the_inbox(approve, answer):
    officer = officer_of("09.581", username="tiznit.officer")
    refused = approve(REJECTED_CNIE, "0622222222")
    services.export_batches()
    services.import_file(answer()[0])
    later = later_batch()
    SentItem.objects.filter(key=refused.number).update(
        outcome=SentItem.Outcome.ACCEPTED, answered_by=later
    )
    later.rejections.create(line=3, key=refused.number, code="bad_field", reason="…")
    batch_applied(later)
    assert [item.reference for item in open_items(officer)] == [refused.number]
