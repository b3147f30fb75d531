"""A real server process killed between an item's commit and its answer (decision 60): the
item is applied, the phone hears nothing, sends it again to a new process, and gets the first
answer back; nothing is filed twice."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from hirfa.accounts.services import create_api_token
from hirfa.audit.keys import key_path as audit_key_path
from hirfa.field.models import FieldItem
from hirfa.register.models import Dossier
from tests.factories import agent_of
from tests.field.conftest import registration_item
from tests.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, *, exit_after_apply: bool) -> subprocess.Popen:
    env = {
        "DATABASE_URL": database_url(),
        "AUDIT_KEY_FILE": str(audit_key_path()),
        "SECRET_KEY": settings.SECRET_KEY,
        "HIRFA_VAR_DIR": str(settings.VAR_DIR),
        "FIELD_EXIT_AFTER_APPLY": "true" if exit_after_apply else "false",
        "PATH": "/usr/bin:/bin",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "hirfa.manage", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise TimeoutError("the server did not start")


def post(port: int, token: str, item: dict):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/field/items",
        data=json.dumps(item).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_server_killed_after_the_commit_loses_the_answer_not_the_item(reference_data):
    agent = agent_of("09", username="killed.agent")
    _, token = create_api_token(user=agent, name="phone", created_by=None)
    item = registration_item(agent)

    port = free_port()
    dying = serve(port, exit_after_apply=True)
    try:
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            post(port, token, item)
        assert dying.wait(timeout=30) == 70  # the process exited right after the commit
    finally:
        dying.kill()
    assert Dossier.objects.count() == 1 and FieldItem.objects.count() == 1

    port = free_port()
    server = serve(port, exit_after_apply=False)
    try:
        status, answer = post(port, token, item)
    finally:
        server.kill()
        server.wait()

    assert status == 201 and answer["replayed"] is True
    assert answer["dossier"] == Dossier.objects.get().pk
    assert Dossier.objects.count() == 1
