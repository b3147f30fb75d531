import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from hirfa.notifications import conf
from hirfa.notifications.backends import (
    ConsoleBackend,
    EmailBackend,
    FileBackend,
    HttpSmsBackend,
    MemoryBackend,
    get_backend,
)
from hirfa.notifications.models import Notification


def message(channel="sms", address="+212612345678", body="مرحبا"):
    return Notification(
        pk=7,
        channel=channel,
        address=address,
        subject="Dossier",
        body=body,
        language="ar",
        event="dossier.approved",
    )


@pytest.fixture
def gateway(monkeypatch):
    """A local SMS gateway on a free port; yields (url, received requests, response)."""
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    received = []
    answer = {"status": 202}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append({"headers": dict(self.headers), "body": self.rfile.read(length)})
            self.send_response(answer["status"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send", received, answer
    server.shutdown()
    server.server_close()


def test_the_file_backend_appends_a_json_line_under_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    FileBackend().deliver(message())
    FileBackend().deliver(message(body="second"))
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert len(lines) == 2
    assert (first["id"], first["to"], first["body"]) == (7, "+212612345678", "مرحبا")


def test_the_file_backend_writes_many_messages_at_once_one_line_each(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = message(), message(body="second")
    second.pk = 8
    assert FileBackend().deliver_many([first, second]) == [None, None]
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [(json.loads(line)["id"], json.loads(line)["body"]) for line in lines] == [
        (7, "مرحبا"),
        (8, "second"),
    ]


def test_the_file_backend_writes_emails_to_their_own_file(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    FileBackend().deliver(message(channel="email", address="fatima@example.ma"))
    assert (tmp_path / "outbox" / "email.jsonl").exists()
    assert not (tmp_path / "outbox" / "sms.jsonl").exists()


def test_the_console_backend_prints_a_header_line_then_the_body():
    out = io.StringIO()
    ConsoleBackend(stream=out).deliver(message())
    assert out.getvalue() == "[sms] to +212612345678 (dossier.approved): Dossier\nمرحبا\n"


def test_the_email_backend_sends_through_djangos_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    EmailBackend().deliver(message(channel="email", address="fatima@example.ma", body="Hi"))
    (sent,) = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (["fatima@example.ma"], "Dossier", "Hi")


def test_the_http_backend_posts_the_number_and_text_as_json(monkeypatch, gateway):
    url, received, _answer = gateway
    monkeypatch.setenv("SMS_GATEWAY_URL", url)
    monkeypatch.setenv("SMS_GATEWAY_TOKEN", "s3cret")
    HttpSmsBackend().deliver(message())
    (request,) = received
    assert json.loads(request["body"]) == {"to": "+212612345678", "text": "مرحبا", "reference": "7"}
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Content-Type"].startswith("application/json")


def test_the_http_backend_fails_when_the_gateway_refuses(monkeypatch, gateway):
    url, _received, answer = gateway
    answer["status"] = 503
    monkeypatch.setenv("SMS_GATEWAY_URL", url)
    with pytest.raises(HTTPError):
        HttpSmsBackend().deliver(message())


def test_the_http_backend_fails_when_the_gateway_redirects(monkeypatch, gateway):
    url, _received, answer = gateway
    answer["status"] = 302
    monkeypatch.setenv("SMS_GATEWAY_URL", url)
    with pytest.raises(HTTPError):
        HttpSmsBackend().deliver(message())


def test_the_backends_are_chosen_by_environment_variables(monkeypatch):
    monkeypatch.setenv("SMS_BACKEND", "console")
    monkeypatch.setenv("EMAIL_NOTIFICATION_BACKEND", "memory")
    assert isinstance(get_backend("sms"), ConsoleBackend)
    assert isinstance(get_backend("email"), MemoryBackend)


def test_by_default_both_channels_write_files(monkeypatch):
    monkeypatch.delenv("SMS_BACKEND")
    monkeypatch.delenv("EMAIL_NOTIFICATION_BACKEND")
    assert isinstance(get_backend("sms"), FileBackend)
    assert isinstance(get_backend("email"), FileBackend)


def test_an_unknown_sms_backend_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SMS_BACKEND", "pigeon")
    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND must be one of"):
        get_backend("sms")


def test_the_http_backend_without_a_gateway_url_is_refused_at_start_up(monkeypatch):
    monkeypatch.setenv("SMS_BACKEND", "http")
    monkeypatch.delenv("SMS_GATEWAY_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_URL"):
        conf.check()


def test_a_gateway_url_that_is_not_http_is_refused(monkeypatch):
    monkeypatch.setenv("SMS_GATEWAY_URL", "file:///etc/passwd")
    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_URL must be an http"):
        conf.sms_gateway_url()
