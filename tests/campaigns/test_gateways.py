"""Campaign messages through real gateways on loopback — the generic HTTP SMS gateway and an
SMTP server — throttled, never in the quiet hours, retried with backoff when a gateway is
down: nothing lost, nothing sent twice (decision 45)."""

import json
import socket
import time
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hirfa.campaigns import jobs, policy
from hirfa.campaigns.models import Campaign
from hirfa.campaigns.selectors import delivery_counts
from hirfa.notifications.models import DeliveryStatus, Notification, Status
from hirfa.notifications.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from tests.notifications.test_http_gateway import Gateway, closed_port_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    server = Gateway()
    monkeypatch.setenv("SMS_BACKEND", "http")
    monkeypatch.setenv("SMS_GATEWAY_URL", server.url)
    monkeypatch.setenv("SMS_GATEWAY_TOKEN", "t0ken")
    yield server
    server.stop()


@pytest.fixture
def retry_due(settings):
    """Retries wait a minute; `retry_due()` lets that minute pass."""
    settings.JOB_RETRY_BASE_SECONDS = 60

    def wait():
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert waiting.exists()
        waiting.update(run_after=datetime.now(UTC))

    return wait


def messages_of(campaign):
    return Notification.objects.filter(campaign_recipient__campaign=campaign).order_by("pk")


def test_each_sms_goes_to_the_http_gateway_once_with_its_own_reference(
    gateway, launched, tiznit_artisans, run_jobs
):
    campaign = launched()
    run_jobs()
    sent = messages_of(campaign)
    assert sorted(r["body"]["reference"] for r in gateway.received) == [
        str(pk) for pk in sent.values_list("pk", flat=True)
    ]
    assert [r["headers"]["Idempotency-Key"] for r in gateway.received] == [
        r["body"]["reference"] for r in gateway.received
    ]
    assert set(sent.values_list("status", flat=True)) == {Status.SENT}


def test_a_gateway_down_is_retried_with_backoff_and_nothing_is_lost_or_sent_twice(
    monkeypatch, gateway, launched, tiznit_artisans, run_jobs, retry_due
):
    gateway.script = [{"status": 202}, {"status": 503}]
    campaign = launched()
    run_jobs()
    first, second, third = messages_of(campaign)
    assert [m.status for m in (first, second, third)] == [Status.SENT, Status.FAILED, Status.QUEUED]
    monkeypatch.setenv("SMS_GATEWAY_URL", closed_port_url())
    retry_due()
    run_jobs()
    assert messages_of(campaign).filter(status=Status.SENT).count() == 1
    monkeypatch.setenv("SMS_GATEWAY_URL", gateway.url)
    retry_due()
    run_jobs()
    assert set(messages_of(campaign).values_list("status", flat=True)) == {Status.SENT}
    references = [r["body"]["reference"] for r in gateway.received]
    assert references.count(str(first.pk)) == 1
    assert references.count(str(third.pk)) == 1
    campaign.refresh_from_db()
    assert campaign.state == "sent"


def test_a_delivery_report_shows_in_the_campaigns_log(
    gateway, launched, tiznit_artisans, run_jobs, client, monkeypatch
):
    monkeypatch.setenv("SMS_WEBHOOK_SECRET", "report-secret")
    campaign = launched()
    run_jobs()
    message = messages_of(campaign).first()
    body = json.dumps({"reference": str(message.pk), "status": "DELIVRD"}).encode()
    stamp = str(int(time.time()))
    client.post(
        "/notifications/sms/delivery-report",
        data=body,
        content_type="application/json",
        headers={TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(body, stamp, "report-secret")},
    )
    assert delivery_counts(campaign)["delivery"] == {DeliveryStatus.DELIVERED: 1}


def test_no_campaign_sms_leaves_in_the_quiet_hours(settings, launched, tiznit_artisans, run_jobs):
    settings.CAMPAIGN_QUIET_FROM, settings.CAMPAIGN_QUIET_UNTIL = "00:00", "23:59"
    campaign = launched()
    run_jobs()
    assert messages_of(campaign).filter(status=Status.QUEUED).count() == 3
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.count() == 1


def test_the_quiet_hours_run_from_nine_in_the_evening_to_eight_in_the_morning(settings):
    settings.CAMPAIGN_QUIET_FROM, settings.CAMPAIGN_QUIET_UNTIL = "21:00", "08:00"
    # Casablanca is UTC+1.
    evening = datetime(2026, 12, 5, 20, 30, tzinfo=UTC)
    assert policy.in_quiet_hours(evening)
    assert policy.next_sending_time(evening) == datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
    assert not policy.in_quiet_hours(datetime(2026, 12, 5, 7, 0, tzinfo=UTC))
    assert policy.next_sending_time(evening, "email") == evening


def test_sending_is_throttled_to_the_gateways_rate():
    now, slept = [0.0], []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    pacer = jobs.Pacer(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        pacer.wait()
    assert slept == [0.25, 0.25, 0.25, 0.25]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings, monkeypatch):
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    monkeypatch.setenv("EMAIL_NOTIFICATION_BACKEND", "smtp")
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def with_email(tiznit_artisans):
    for index, person in enumerate(tiznit_artisans):
        person.email = f"artisan{index}@example.ma"
        person.save()
    return tiznit_artisans


def test_an_email_campaign_goes_through_smtp_with_an_unsubscribe_link(
    smtp_server, launched, with_email, run_jobs
):
    campaign = launched(channel="email", subject="AMO")
    run_jobs()
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "artisan0@example.ma",
        "artisan1@example.ma",
        "artisan2@example.ma",
    ]
    assert b"/unsubscribe/" in smtp_server.messages[0].content
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_an_smtp_server_down_is_retried_and_nothing_is_lost(
    settings, smtp_server, launched, with_email, run_jobs, retry_due
):
    port = smtp_server.port
    settings.EMAIL_PORT = int(closed_port_url().rsplit(":", 1)[1].split("/")[0])
    campaign = launched(channel="email", subject="AMO")
    run_jobs()
    assert messages_of(campaign).filter(status=Status.FAILED).count() == 1
    settings.EMAIL_PORT = port
    retry_due()
    run_jobs()
    assert len(smtp_server.messages) == 3
    assert set(messages_of(campaign).values_list("status", flat=True)) == {Status.SENT}
