"""Benchmark: a campaign's segment count, queueing and delivery (N artisans, 200,000 by default).

Usage: python bench/campaigns.py [N]   (or BENCH_CAMPAIGNS=N; DATABASE_URL selects the database,
HIRFA_VAR_DIR the folder; both must be fresh: `make bench` gives it its own.)

N artisans of Souss-Massa are inserted with plain bulk SQL, each with the registration and the
consented application a filing leaves (not measured); half work in Tiznit. Then, each in its
own process, so that its time and peak memory (maximum resident set size) are its own:

1. the segment count "registered in Tiznit, not enrolled in AMO" (one COUNT query);
2. a campaign to the whole region launched: its N messages rendered and queued, in batches;
3. the batches sent by the background worker through the file backend.

Targets (issue 13, on the 3 M register): a count < 1 s; 500,000 recipients queued in < 60 s
(8,333 a second) and delivered at >= 2,000 messages a second; peak memory < 300 MB. Figures
and ratios are printed; nothing fails on speed.
"""

import io
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")
os.environ.setdefault("SMS_BACKEND", "file")
# The benchmark sends at any hour: the quiet hours are measured by the tests, not here.
os.environ.setdefault("CAMPAIGN_QUIET_FROM", "00:00")
os.environ.setdefault("CAMPAIGN_QUIET_UNTIL", "00:00")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rows import insert  # noqa: E402 (bench/rows.py, beside this script)

from hirfa.accounts.models import User  # noqa: E402
from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.campaigns import selectors, services  # noqa: E402
from hirfa.campaigns.models import Campaign  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.register.models import Dossier, Person, Registration  # noqa: E402
from hirfa.register.numbers import damm_check_digit  # noqa: E402
from hirfa.territory.models import Commune, Region  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AGENT = "bench.campaigns"


def prepare(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    region = Region.objects.get(code="09")
    tiznit = Commune.objects.filter(province__code="09.581").first()
    agadir = Commune.objects.filter(province__code="09.001").first()
    activity = Activity.objects.filter(is_active=True).first()
    agent = User.objects.create(username=AGENT, role=Role.AGENT, scope_region=region)
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        first = (Person.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

        def commune(i):
            return tiznit if i % 2 == 0 else agadir

        insert(
            Person,
            (
                {
                    "cnie": f"BC{i:07d}",
                    "first_name_ar": "فاطمة",
                    "last_name_ar": "أيت لحسن",
                    "first_name_latin": "Fatima",
                    "last_name_latin": "Ait Lahcen",
                    "first_name_zgh": "",
                    "last_name_zgh": "",
                    "sex": "F",
                    "birth_date": date(1980, 1, 1) + timedelta(days=i % 9000),
                    "birth_place": "Tiznit",
                    "nationality": "MA",
                    "address": "Derb Idzikri",
                    "commune_id": commune(i).id,
                    "phone": f"+2126{i:08d}",
                    "email": "",
                    "education": "primary",
                    "photo": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(count)
            ),
        )
        craft = {
            "category": "artisan_experience",
            "principal_activity_id": activity.id,
            "workplace_kind": "workshop",
            "workplace_address": "Atelier",
        }
        insert(
            Registration,
            (
                craft
                | {
                    "number": f"{300000000 + i}{damm_check_digit(str(300000000 + i))}",
                    "person_id": first + i,
                    "workplace_commune_id": commune(i).id,
                    "province_id": commune(i).province_id,
                    "status": "active",
                    "status_reason": "",
                    "registered_on": today,
                    "valid_until": today + timedelta(days=settings.REGISTRATION_VALIDITY_DAYS),
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(count)
            ),
        )
        insert(
            Dossier,
            (
                craft
                | {
                    "person_id": first + i,
                    "workplace_commune_id": commune(i).id,
                    "province_id": commune(i).province_id,
                    "kind": "registration",
                    "state": "approved",
                    "filed_by_id": agent.id,
                    "consent_at": now,
                    "person_changes": "{}",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(count)
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def phase(name: str) -> None:
    """One measured step, run in this child process; prints "<seconds> <figure>"."""
    agent = User.objects.get(username=AGENT)
    started = time.perf_counter()
    if name == "count":
        criteria = selectors.criteria_for(agent, {"province": "09.581", "amo": "not_enrolled"})
        figure = selectors.segment_count(agent, criteria, "sms")
    elif name == "queue":
        campaign = services.create_campaign(
            actor=agent,
            data={
                "name": "bench",
                "criteria": {"region": "09"},
                "link": "https://hirfa.ma/amo",
                "messages": {"ar": "السلام {name}، سجلوا في التغطية الصحية: {link}"},
            },
        )
        started = time.perf_counter()
        figure = services.launch(actor=agent, campaign=campaign).recipients_count
    else:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        figure = (
            Campaign.objects.get(name="bench")
            .recipients.filter(notification__status="sent")
            .count()
        )
    print(f"{time.perf_counter() - started:.3f} {figure}")


def measured(name: str) -> tuple[float, int, float]:
    """Run a phase in its own process: its seconds, its figure, its peak memory in MB."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--phase", name],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{name} failed:\n{output[-3000:]}")
    seconds, figure = output.strip().splitlines()[-1].split()
    return float(seconds), int(figure), usage.ru_maxrss / 1024


def main() -> None:
    count = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BENCH_CAMPAIGNS", 200_000))
    started = time.perf_counter()
    prepare(count)
    print(
        f"campaigns [{connection.vendor}]: {count} artisans inserted in "
        f"{time.perf_counter() - started:.1f} s (bulk SQL, not measured)"
    )
    seconds, found, memory = measured("count")
    print(
        f"  segment count: {found} persons in {seconds * 1000:.0f} ms "
        f"(target < 1 s on 3 M: {seconds:.2f}x of it here), peak memory {memory:.0f} MB"
    )
    seconds, queued, memory = measured("queue")
    rate = queued / seconds if seconds else 0
    print(
        f"  queued: {queued} messages in {seconds:.1f} s = {rate:.0f}/s "
        f"(target 500,000 in < 60 s = 8,333/s: {rate / 8333:.2f}x; "
        f"500,000 would take {500_000 / rate if rate else 0:.0f} s), "
        f"peak memory {memory:.0f} MB (target < 300 MB)"
    )
    seconds, sent, memory = measured("deliver")
    rate = sent / seconds if seconds else 0
    print(
        f"  delivered through the file backend: {sent} in {seconds:.1f} s = {rate:.0f}/s "
        f"(target >= 2,000/s: {rate / 2000:.2f}x), peak memory {memory:.0f} MB"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--phase":
        phase(sys.argv[2])
    else:
        main()
