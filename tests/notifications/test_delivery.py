import pytest

from hirfa.notifications import backends
from hirfa.notifications.models import Notification, Status
from hirfa.notifications.services import deliver_notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FlakyBackend:
    """Fails `failures` times, then delivers to the memory outbox."""

    def __init__(self, failures):
        self.failures = failures

    def deliver(self, notification):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the gateway is down")
        backends.outbox.append(notification)


@pytest.fixture
def sms_only(notify_and_commit):
    def send():
        (sent,) = notify_and_commit(
            user=UserFactory(phone="+212612345678", email=""),
            event="dossier.approved",
            subject="",
            body="Approved",
        )
        return sent

    return send


def test_a_delivery_that_keeps_failing_is_left_failed_with_its_error(
    monkeypatch, settings, sms_only, run_jobs
):
    settings.JOB_MAX_ATTEMPTS = 2
    monkeypatch.setattr(backends, "get_backend", lambda channel: FlakyBackend(failures=99))
    notification = sms_only()
    run_jobs()
    run_jobs()
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == 2
    assert notification.error == "ConnectionError: the gateway is down"
    assert notification.sent_at is None


def test_a_failed_delivery_is_retried_until_it_is_sent(monkeypatch, sms_only, run_jobs):
    flaky = FlakyBackend(failures=1)
    monkeypatch.setattr(backends, "get_backend", lambda channel: flaky)
    notification = sms_only()
    run_jobs()
    run_jobs()
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 2
    assert notification.error == ""
    assert backends.outbox == [notification]


def test_a_sent_notification_is_not_sent_again_when_its_job_runs_twice(sms_only, run_jobs):
    notification = sms_only()
    deliver_notification.enqueue(notification.pk)
    run_jobs()
    run_jobs()
    assert len(backends.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.sent_at is not None


def test_a_deleted_notification_is_not_retried(run_jobs):
    notification = Notification.objects.create(
        channel="sms", address="+212612345678", body="b", language="ar", event="e"
    )
    notification_id = notification.pk
    notification.delete()
    assert deliver_notification.call(notification_id) == "missing"
