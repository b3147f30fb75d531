"""Benchmark of the public pages (issue 12, item 4).

Usage: python bench/public_pages.py [SECONDS]   (default 2 per measure; HIRFA_VAR_DIR should
point to a fresh folder: `make bench` gives it var/bench-public.)

Prints the requests per second of the home page, the `/verify/` page,
`POST /api/v1/cards/verify` (a real card, its signature and live status checked: no query
once warm, the withdrawn cards being kept in the process, ADR 0089) and
`GET /api/v1/cards/{number}/{version}/status` (kept per card for a few seconds) for an anonymous
visitor, beside a minimal Django view, all through the same WSGI handler, settings and
middleware in this process (no server, no network: what is measured is Django and hirfa).
Rounds alternate the four requests; the median of three rounds is printed, and the ratio to
the minimal view (target ≥ 50 %).
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
os.environ["DJANGO_SETTINGS_MODULE"] = "cards_site"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def prepare_card() -> tuple[str, str]:
    from hirfa.cards import keys
    from hirfa.cards.models import Card
    from hirfa.cards.services import issue_first_cards
    from hirfa.register.demo import load_demo_register

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    if not any(k.valid_at(django.utils.timezone.now()) for k in keys.all_keys()):
        keys.create_key()
    load_demo_register(count=12)
    issue_first_cards()
    from hirfa.cards.verification import verify_text

    # The newest card, issued with this folder's key: a card of another key (a database
    # shared between runs) would be refused before its signature and status are checked.
    card = (
        Card.objects.filter(status=Card.Status.CURRENT)
        .select_related("registration")
        .order_by("-id")
        .first()
    )
    verdict = verify_text(card.qr_text).verdict
    assert verdict == "valid", f"the measured card verifies {verdict}, not valid"
    return card.qr_text, card.registration.number


def environ(method: str, path: str, body: bytes = b"") -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json" if body else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def call(app, method: str, path: str, body: bytes = b"") -> str:
    status = []
    chunks = app(environ(method, path, body), lambda s, h, e=None: status.append(s))
    b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return status[0]


def rate(app, method: str, path: str, body: bytes, seconds: float) -> tuple[float, float]:
    """Requests per second of wall time and per second of this process's CPU time (what
    a request costs when the machine is shared: the wall rate also counts the other
    work's time slices)."""
    done, start, start_cpu = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        call(app, method, path, body)
        done += 1
    return done / elapsed, done / max(time.process_time() - start_cpu, 1e-9)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    print(f"--- public pages ({connection.vendor}) ---")
    text, number = prepare_card()
    body = ('{"qr": "' + text + '"}').encode()
    app = WSGIHandler()
    requests = {
        "minimal Django view": ("GET", "/bench/minimal", b""),
        "home page": ("GET", "/", b""),
        "/verify/ page": ("GET", "/verify/", b""),
        "POST card verify": ("POST", "/api/v1/cards/verify", body),
        "GET card status": ("GET", f"/api/v1/cards/{number}/1/status", b""),
    }
    for name, (method, path, data) in requests.items():
        status = call(app, method, path, data)  # warm: templates, the per-process memos
        with CaptureQueriesContext(connection) as queries:
            call(app, method, path, data)
        print(f"{name:<20} {status}, {len(queries)} queries once warm")
    rounds: dict[str, list[tuple[float, float]]] = {name: [] for name in requests}
    for _ in range(3):
        for name, (method, path, data) in requests.items():
            rounds[name].append(rate(app, method, path, data, seconds))

    def median(name, which):
        return statistics.median(pair[which] for pair in rounds[name])

    minimal, minimal_cpu = median("minimal Django view", 0), median("minimal Django view", 1)
    print(
        f"{'minimal Django view':<20} {minimal:8,.0f} req/s (WSGI loop in process; "
        f"{minimal_cpu:,.0f} per CPU second; load {os.getloadavg()[0]:.1f})"
    )
    for name in list(requests)[1:]:
        figure, cpu = median(name, 0), median(name, 1)
        print(
            f"{name:<20} {figure:8,.0f} req/s = {figure / minimal:4.0%} of minimal "
            f"(per CPU second {cpu / minimal_cpu:4.0%}) (target ≥ 50 %)"
        )


if __name__ == "__main__":
    main()
