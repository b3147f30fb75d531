"""Notifications delivered in batches after commit (decision 72)."""

import pytest
from django_tasks_db.models import DBTaskResult

from hirfa.notifications import backends
from hirfa.notifications.models import Notification, Status
from hirfa.notifications.services import deliver_queued_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(settings):
    settings.NOTIFICATION_BATCH_SECONDS = 60


def test_changes_within_a_window_ask_for_one_batch_job(window, notify_and_commit):
    for n in range(3):
        notify_and_commit(user=UserFactory(phone=None), event="e", subject="s", body=f"b{n}")
    assert DBTaskResult.objects.count() == 1
    assert Notification.objects.filter(status=Status.QUEUED).count() == 3


def test_the_batch_sends_every_notification_not_yet_tried(window, notify_and_commit):
    for n in range(3):
        notify_and_commit(user=UserFactory(phone=None), event="e", subject="s", body=f"b{n}")
    assert deliver_queued_notifications.call() == "3 sent"
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    assert len(backends.outbox) == 3


def test_a_notification_is_sent_once_when_two_batches_run(window, notify_and_commit):
    notify_and_commit(user=UserFactory(phone=None), event="e", subject="s", body="b")
    deliver_queued_notifications.call()
    assert deliver_queued_notifications.call() == "0 sent"
    assert len(backends.outbox) == 1


def test_a_failed_notification_is_left_to_its_own_job(
    window, notify_and_commit, monkeypatch, run_jobs
):
    (notification,) = notify_and_commit(
        user=UserFactory(phone=None), event="e", subject="s", body="b"
    )
    gateway_down = [True]
    deliver = backends.MemoryBackend.deliver

    def flaky(self, sent):
        if gateway_down[0]:
            raise ConnectionError("gateway down")
        return deliver(self, sent)

    monkeypatch.setattr(backends.MemoryBackend, "deliver", flaky)
    deliver_queued_notifications.call()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 1)
    gateway_down[0] = False
    run_jobs()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 2)
