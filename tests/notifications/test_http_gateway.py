"""SMS through a generic HTTP gateway, against a real HTTP server on loopback, and
the gateway's signed delivery reports (decision 41)."""

import contextlib
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hirfa.notifications import conf
from hirfa.notifications.models import DeliveryStatus, Notification, Status
from hirfa.notifications.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

pytestmark = pytest.mark.django_db

SECRET = "report-secret"
REPORT_URL = "/notifications/sms/delivery-report"


class Gateway:
    """A local SMS gateway: records each request and plays the scripted answers in
    order (then accepts), each {"status", "body", "delay"}."""

    def __init__(self):
        self.received = []
        self.script = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.received.append(
                    {"headers": dict(self.headers), "body": json.loads(self.rfile.read(length))}
                )
                answer = gateway.script.pop(0) if gateway.script else {}
                time.sleep(answer.get("delay", 0))
                body = answer.get("body", json.dumps({"id": f"gw-{len(gateway.received)}"}))
                self.send_response(answer.get("status", 202))
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may have given up waiting
                    self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """A loopback URL nobody listens on: connection refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/sms"


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
def later(settings):
    """Retries wait a minute; `later()` lets that minute pass for the queued ones."""
    settings.JOB_RETRY_BASE_SECONDS = 60

    def wait():
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert waiting.filter(run_after__gt=timezone.now()).exists()
        waiting.update(run_after=timezone.now())

    return wait


@pytest.fixture
def send_sms(notify_and_commit):
    def send(body="موعدكم غدا"):
        (sms,) = notify_and_commit(
            phone="+212612345678", event="outreach.reminder", subject="", body=body
        )
        return sms

    return send


# --- Sending ---------------------------------------------------------------------------


def test_an_accepted_sms_is_sent_with_its_id_as_reference_and_keeps_the_gateway_id(
    gateway, send_sms, run_jobs
):
    sms = send_sms()
    run_jobs()
    (request,) = gateway.received
    assert request["body"] == {
        "to": "+212612345678",
        "text": "موعدكم غدا",
        "reference": str(sms.pk),
    }
    assert request["headers"]["Authorization"] == "Bearer t0ken"
    assert request["headers"]["Idempotency-Key"] == str(sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.gateway_id, sms.attempts) == (Status.SENT, "gw-1", 1)


def test_the_body_template_and_basic_auth_come_from_the_environment(
    monkeypatch, gateway, send_sms, run_jobs
):
    monkeypatch.delenv("SMS_GATEWAY_TOKEN")
    monkeypatch.setenv("SMS_GATEWAY_USERNAME", "hirfa")
    monkeypatch.setenv("SMS_GATEWAY_PASSWORD", "pw")
    monkeypatch.setenv(
        "SMS_GATEWAY_BODY_TEMPLATE",
        '{"messages": [{"destination": "{to}", "content": "{text}", "ref": "hirfa-{reference}"}],'
        ' "sender": "HIRFA"}',
    )
    sms = send_sms(body='Say "{reference}"')
    run_jobs()
    (request,) = gateway.received
    assert request["body"] == {
        "messages": [
            {
                "destination": "+212612345678",
                "content": 'Say "{reference}"',
                "ref": f"hirfa-{sms.pk}",
            }
        ],
        "sender": "HIRFA",
    }
    assert request["headers"]["Authorization"] == "Basic aGlyZmE6cHc="


def test_a_4xx_is_a_permanent_failure_recorded_with_its_reason_and_not_retried(
    gateway, send_sms, run_jobs
):
    gateway.script = [{"status": 400, "body": '{"error": "invalid destination"}'}]
    sms = send_sms()
    run_jobs()
    run_jobs()
    assert len(gateway.received) == 1
    sms.refresh_from_db()
    assert sms.status == Status.REFUSED
    assert sms.error == 'SMS gateway refused the message: 400 {"error": "invalid destination"}'
    assert sms.sent_at is None


def test_a_5xx_is_retried_with_the_same_reference_until_accepted(
    gateway, send_sms, run_jobs, later
):
    gateway.script = [{"status": 503}]
    sms = send_sms()
    run_jobs()
    sms.refresh_from_db()
    assert (sms.status, sms.error) == (
        Status.FAILED,
        "HTTPError: HTTP Error 503: Service Unavailable",
    )
    later()
    run_jobs()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (Status.SENT, 2)
    assert [r["body"]["reference"] for r in gateway.received] == [str(sms.pk)] * 2


def test_a_gateway_that_is_down_gets_the_sms_later_and_nothing_is_lost(
    monkeypatch, gateway, send_sms, run_jobs, later
):
    monkeypatch.setenv("SMS_GATEWAY_URL", closed_port_url())
    sms = send_sms()
    run_jobs()
    sms.refresh_from_db()
    assert sms.status == Status.FAILED
    assert sms.error.startswith("URLError")
    monkeypatch.setenv("SMS_GATEWAY_URL", gateway.url)
    later()
    run_jobs()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (Status.SENT, 2)
    assert [r["body"]["reference"] for r in gateway.received] == [str(sms.pk)]


def test_a_gateway_that_does_not_answer_in_time_is_a_failure_retried_with_the_same_reference(
    monkeypatch, gateway, send_sms, run_jobs, later
):
    monkeypatch.setenv("SMS_GATEWAY_TIMEOUT_SECONDS", "1")
    gateway.script = [{"delay": 1.5}]
    sms = send_sms()
    run_jobs()
    sms.refresh_from_db()
    assert sms.status == Status.FAILED
    assert "timed out" in sms.error
    later()
    run_jobs()
    sms.refresh_from_db()
    assert sms.status == Status.SENT
    # The gateway saw the message twice under one reference: it can drop the second.
    first, second = gateway.received
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]
    assert first["body"]["reference"] == second["body"]["reference"] == str(sms.pk)


def test_an_sms_the_gateway_accepted_is_never_sent_again(gateway, send_sms, run_jobs):
    from hirfa.notifications.services import deliver_notification

    sms = send_sms()
    run_jobs()
    deliver_notification.enqueue(sms.pk)
    deliver_notification.enqueue(sms.pk)
    run_jobs()
    assert len(gateway.received) == 1
    sms.refresh_from_db()
    assert (sms.attempts, sms.gateway_id) == (1, "gw-1")


# --- Delivery reports ------------------------------------------------------------------


@pytest.fixture
def sent_sms(monkeypatch):
    monkeypatch.setenv("SMS_WEBHOOK_SECRET", SECRET)
    return Notification.objects.create(
        channel="sms",
        address="+212612345678",
        body="b",
        language="ar",
        event="e",
        status=Status.SENT,
        gateway_id="gw-77",
    )


def report(client, payload, *, timestamp=None, secret=SECRET, signature=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    headers = {TIMESTAMP_HEADER: timestamp}
    headers[SIGNATURE_HEADER] = signature or sign(body, timestamp, secret)
    return client.post(REPORT_URL, data=body, content_type="application/json", headers=headers)


def test_a_signed_report_marks_the_sms_delivered(client, sent_sms):
    response = report(
        client,
        {"reference": str(sent_sms.pk), "status": "DELIVRD", "at": "2026-12-05T09:00:00+00:00"},
    )
    assert (response.status_code, response.json()) == (200, {"result": "updated"})
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == DeliveryStatus.DELIVERED
    assert sent_sms.delivered_at.isoformat() == "2026-12-05T09:00:00+00:00"


def test_a_report_can_name_the_sms_by_the_gateway_id(client, sent_sms):
    response = report(client, {"id": "gw-77", "status": "expired"})
    assert response.json() == {"result": "updated"}
    sent_sms.refresh_from_db()
    assert (sent_sms.delivery_status, sent_sms.delivered_at) == (DeliveryStatus.EXPIRED, None)


def test_the_same_report_twice_changes_nothing_the_second_time(client, sent_sms):
    payload = {"reference": str(sent_sms.pk), "status": "delivered"}
    report(client, payload)
    sent_sms.refresh_from_db()
    first = (sent_sms.delivered_at, sent_sms.delivery_reported_at)
    response = report(client, payload)
    assert (response.status_code, response.json()) == (200, {"result": "unchanged"})
    sent_sms.refresh_from_db()
    assert (sent_sms.delivered_at, sent_sms.delivery_reported_at) == first


def test_a_final_status_is_not_undone_by_a_later_report(client, sent_sms):
    report(client, {"reference": str(sent_sms.pk), "status": "failed"})
    response = report(client, {"reference": str(sent_sms.pk), "status": "buffered"})
    assert response.json() == {"result": "unchanged"}
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == DeliveryStatus.FAILED


def test_an_unsigned_report_is_401_and_changes_nothing(client, sent_sms):
    response = client.post(
        REPORT_URL,
        data=json.dumps({"reference": str(sent_sms.pk), "status": "delivered"}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == DeliveryStatus.UNKNOWN


def test_a_report_signed_with_another_secret_is_403_and_changes_nothing(client, sent_sms):
    response = report(client, {"reference": str(sent_sms.pk), "status": "delivered"}, secret="x")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == DeliveryStatus.UNKNOWN


def test_a_signature_over_another_body_is_403(client, sent_sms):
    other = sign(b"{}", str(int(time.time())), SECRET)
    response = report(
        client, {"reference": str(sent_sms.pk), "status": "delivered"}, signature=other
    )
    assert response.status_code == 403


def test_a_stale_report_is_403_even_correctly_signed(client, sent_sms):
    old = str(int(time.time()) - 301)
    response = report(client, {"reference": str(sent_sms.pk), "status": "delivered"}, timestamp=old)
    assert response.status_code == 403
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == DeliveryStatus.UNKNOWN


def test_a_report_from_the_future_beyond_the_window_is_403(client, sent_sms):
    ahead = str(int(time.time()) + 301)
    response = report(
        client, {"reference": str(sent_sms.pk), "status": "delivered"}, timestamp=ahead
    )
    assert response.status_code == 403


def test_reports_are_refused_while_no_secret_is_set(monkeypatch, client, sent_sms):
    monkeypatch.delenv("SMS_WEBHOOK_SECRET")
    response = report(client, {"reference": str(sent_sms.pk), "status": "delivered"}, secret="")
    assert response.status_code == 403


def test_a_report_for_an_unknown_message_is_a_200_no_op(client, sent_sms):
    response = report(client, {"reference": "999999999", "status": "delivered"})
    assert (response.status_code, response.json()) == (200, {"result": "unknown"})
    response = report(client, {"id": "gw-unknown", "status": "delivered"})
    assert response.json() == {"result": "unknown"}


def test_a_signed_body_that_is_not_json_is_400(client, sent_sms):
    response = report(client, None, raw=b'{"reference": ')
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"status": "delivered"},
        {"reference": "1", "status": "lost in the post"},
        {"reference": "1"},
        {"reference": True, "status": "delivered"},
        {"reference": "1", "status": "delivered", "at": "yesterday"},
    ],
)
def test_a_signed_body_that_is_not_a_report_is_400_and_changes_nothing(client, sent_sms, payload):
    response = report(client, payload)
    assert response.status_code == 400
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == DeliveryStatus.UNKNOWN


def test_the_webhook_answers_only_post(client):
    assert client.get(REPORT_URL).status_code == 405


# --- Settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ('{"to": "{to}", "text": ', "SMS_GATEWAY_BODY_TEMPLATE is not JSON"),
        ('["{to}", "{text}"]', "SMS_GATEWAY_BODY_TEMPLATE must be a JSON object"),
        ('{"to": "{to}"}', "SMS_GATEWAY_BODY_TEMPLATE must contain {text}"),
    ],
)
def test_a_body_template_that_cannot_work_stops_the_start_up(monkeypatch, template, message):
    monkeypatch.setenv("SMS_BACKEND", "http")
    monkeypatch.setenv("SMS_GATEWAY_URL", "https://sms.example.ma/send")
    monkeypatch.setenv("SMS_GATEWAY_BODY_TEMPLATE", template)
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        conf.check()


def test_a_token_and_basic_auth_together_stop_the_start_up(monkeypatch):
    monkeypatch.setenv("SMS_BACKEND", "http")
    monkeypatch.setenv("SMS_GATEWAY_URL", "https://sms.example.ma/send")
    monkeypatch.setenv("SMS_GATEWAY_TOKEN", "t")
    monkeypatch.setenv("SMS_GATEWAY_USERNAME", "u")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        conf.check()
