"""Helpers shared by the whole suite (factories of the domain's objects are in
`tests/factories.py`)."""

import re
import signal
from contextlib import contextmanager
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The signals whose handlers the background-job worker (`db_worker`) replaces with its own.
WORKER_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)
)


@contextmanager
def signal_handlers_kept(signals=WORKER_SIGNALS):
    """Put back, on leaving, the handlers these signals had on entering."""
    saved = {number: signal.getsignal(number) for number in signals}
    try:
        yield
    finally:
        for number, handler in saved.items():
            if handler is not None:  # None: a handler not installed from Python
                signal.signal(number, handler)


def database_url() -> str:
    """The DATABASE_URL of the test database, for a command run in another process."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    return f"postgres://{s['USER']}{password}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"


@cache
def card_qr_doc() -> str:
    """docs/card-qr.md, the specification other verifiers of the card's QR are written from."""
    return (ROOT / "docs" / "card-qr.md").read_text()


def block_after(title: str) -> str:
    """The code block that follows `title` in docs/card-qr.md, on one line."""
    match = re.search(re.escape(title) + r".*?\n```\n(.*?)\n```", card_qr_doc(), re.S)
    assert match, title
    return match.group(1).replace("\n", "")


def log_in_page(page, user, url: str) -> None:
    """Sign `user` in for a browser page of the live server at `url`, without the login form:
    the session cookie of Django's test client."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}]
    )


def cnss_in_folder(settings, tmp_path):
    """Every CNSS exchange folder and key in the test's own directory, the sandbox trusted
    and answering through files; returns the exchange's base folder."""
    base = tmp_path / "cnss"
    settings.CNSS_OUTBOX_DIR = base / "outbox"
    settings.CNSS_INBOX_DIR = base / "inbox"
    settings.CNSS_WORK_DIR = base / "work"
    settings.CNSS_SIGNING_KEY = ""
    settings.CNSS_SIGNING_KEY_FILE = base / "keys" / "rna-signing.key"
    settings.CNSS_SANDBOX_DIR = tmp_path / "sandbox"
    settings.CNSS_SANDBOX = True
    settings.CNSS_PUBLIC_KEYS = []
    settings.CNSS_TRANSPORT = "file"
    return base
