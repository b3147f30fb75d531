"""Benchmark: the auditor's search of a large audit trail (decision 54).

Usage: python bench/audit_trail.py [ENTRIES] [QUERIES]   (DATABASE_URL selects the
database; it must be empty: `make bench` gives each run a fresh one in var/bench-audit.)

Writes ENTRIES keyed and chained entries through `record_many` (as the reads of personal
data are written), by 500 staff over 20 000 artisans' records, then runs QUERIES searches
through the page's own code (`site.trail.search`) over the whole period since 2000: by doer,
by action ("who opened which file"), by object, by doer and action, and the next page of
each. Prints p50/p95 per kind; the page must read one page of an index whatever the size.
"""

import io
import os
import random
import sys
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from hirfa.accounts.models import User  # noqa: E402
from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.audit.services import record_many  # noqa: E402
from hirfa.site import trail  # noqa: E402

ACTIONS = ["person.viewed", "dossier.submit", "dossier.approve", "card.issued", "enrolment.sent"]
CHUNK = 5000


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def fill(count: int, rng: random.Random) -> list:
    staff = [
        User(username=f"bench.staff{n}", role=Role.CNSS if n % 2 else Role.AUDITOR)
        for n in range(500)
    ]
    User.objects.bulk_create(staff)
    staff = list(User.objects.filter(username__startswith="bench.staff"))
    by_actor: dict = {}
    written = 0
    while written < count:
        size = min(CHUNK, count - written)
        for actor in rng.sample(staff, 5):
            part = size // 5
            by_actor.setdefault(actor.pk, []).append(part)
            entries = [
                {
                    "action": rng.choice(ACTIONS),
                    "object_type": "register.person",
                    "object_id": rng.randrange(1, 20_000),
                    "province_code": "09.581",
                    "reason": "GET /registrations/",
                }
                for _ in range(part)
            ]
            with transaction.atomic():
                record_many(actor=actor, entries=entries)
            written += part
    return staff


def timed(label: str, user, terms: list[dict]) -> None:
    times = []
    for data in terms:
        started = time.perf_counter()
        result = trail.search(user, {"since": date(2000, 1, 1), **data})
        if result.following:
            trail.search(user, {"since": date(2000, 1, 1), "before": result.following, **data})
        times.append((time.perf_counter() - started) * 1000 / (2 if result.following else 1))
    print(
        f"{connection.vendor}: {label}: p50 {percentile(times, 0.5):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms per page ({len(terms)} searches)"
    )


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    count = int(arguments[0]) if arguments else 1_000_000
    query_count = int(arguments[1]) if len(arguments) > 1 else 200
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    rng = random.Random(9_08)
    started = time.perf_counter()
    staff = fill(count, rng)
    elapsed = time.perf_counter() - started
    print(f"{connection.vendor}: wrote {count} audit entries in {elapsed:.1f} s")
    with connection.cursor() as cursor:
        # The statistics autovacuum keeps in production, which a fresh bulk load lacks.
        cursor.execute(
            "ANALYZE audit_auditentry" if connection.vendor == "postgresql" else "ANALYZE"
        )
    auditor = User.objects.create(username="bench.auditor", role=Role.AUDITOR)
    names = [user.username for user in staff]
    timed("by doer", auditor, [{"who": rng.choice(names)} for _ in range(query_count)])
    timed("openings of files", auditor, [{"action": "reads"} for _ in range(query_count)])
    timed(
        "by object",
        auditor,
        [{"object": f"register.person:{rng.randrange(1, 20_000)}"} for _ in range(query_count)],
    )
    timed(
        "by doer and action",
        auditor,
        [{"who": rng.choice(names), "action": "dossier.approve"} for _ in range(query_count)],
    )


if __name__ == "__main__":
    main()
