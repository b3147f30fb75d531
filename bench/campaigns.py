"""Benchmark: a campaign's segment counts, queueing and delivery (issue 13, decision 70).

Usage: python bench/campaigns.py [N]   (or BENCH_CAMPAIGNS=N: the register's artisans,
200,000 by default; BENCH_CAMPAIGNS=3000000 for the issue's register. DATABASE_URL selects
the database, HIRFA_VAR_DIR the folder: a fresh one, or one holding a register laid by an
earlier run, which is completed, not rebuilt.)

The register is the synthetic national one (`hirfa.search.generator`, artisans spread like
the population), with what the campaigns read beside it written by the database
(`rows.lay_register`: applications with consent, AMO enrolments, cards, stalled drafts); not
measured. Then, each in its own process, so that its time and peak memory (maximum resident
set size) are its own, each beside a floor measured in that process:

1. the segment counts of the issue's examples, for the Souss-Massa chamber: "registered in
   Tiznit, not enrolled in AMO", "application started over 30 days ago and not submitted",
   "card ready, not collected", a province with a branch and a category; and the whole
   region. Floor: a bare COUNT of the registrations of the segment's territory;
2. a campaign to Casablanca-Settat (about 1 artisan in 6: 500,000 on 3 M) launched: its
   messages rendered and queued. Floor: as many rows of one fixed message written by the
   same bulk writer, rolled back;
3. the batches sent by the background worker through the file backend. Floor: the same
   messages read and written to a file as JSON lines, without the worker or their statuses.

Targets (issue 13, on the 3 M register): a count < 1 s; 500,000 recipients queued in < 60 s
(8,333 a second) and delivered at >= 2,000 messages a second; peak memory < 300 MB. Figures
and ratios are printed; nothing fails on speed.
"""

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")
os.environ.setdefault("SMS_BACKEND", "file")
# The benchmark sends at any hour: the quiet hours are measured by the tests, not here.
os.environ.setdefault("CAMPAIGN_QUIET_FROM", "00:00")
os.environ.setdefault("CAMPAIGN_QUIET_UNTIL", "00:00")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from rows import lay_register  # noqa: E402 (bench/rows.py, beside this script)

from hirfa.accounts.models import User  # noqa: E402
from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.campaigns import bulk, selectors, services  # noqa: E402
from hirfa.campaigns.models import Campaign  # noqa: E402
from hirfa.crafts.models import Branch  # noqa: E402
from hirfa.notifications.models import Notification  # noqa: E402
from hirfa.register.bulk import next_ids  # noqa: E402
from hirfa.register.models import Registration  # noqa: E402
from hirfa.territory.models import Region  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOUSS, CASABLANCA = "bench.souss", "bench.casablanca"
RUNS = 3


def prepare(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    lay_register(count)
    for username, region in ((SOUSS, "09"), (CASABLANCA, "06")):
        User.objects.get_or_create(
            username=username,
            defaults={"role": Role.AGENT, "scope_region": Region.objects.get(code=region)},
        )
    Notification.objects.filter(campaign_recipient__campaign__name="bench").delete()
    Campaign.objects.filter(name="bench").delete()
    # The statistics' rebuild the generator asked for is not this benchmark's: the worker
    # measured below runs the campaign's batches only.
    DBTaskResult.objects.exclude(task_path__startswith="hirfa.campaigns.").delete()


def segments() -> list[tuple[str, dict, object]]:
    """(label, criteria, the registrations of its territory: the floor's COUNT)."""
    branch = (
        Registration.objects.filter(province__code="09.001")
        .values("principal_activity__branch__code")
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
        .first()["principal_activity__branch__code"]
    )
    tiznit = Registration.objects.filter(province__code="09.581")
    region = Registration.objects.filter(province__region__code="09")
    agadir = Registration.objects.filter(province__code="09.001")
    name = Branch.objects.get(code=branch).name_fr
    return [
        (
            "registered in Tiznit, not enrolled in AMO",
            {"province": "09.581", "amo": "not_enrolled"},
            tiznit,
        ),
        ("application started over 30 days ago, not submitted", {"stalled_days": 30}, region),
        ("card ready, not collected", {"card_not_collected": "1"}, region),
        (
            f"Agadir Ida-Outanane, {name}, master artisans",
            {"province": "09.001", "branch": branch, "category": "master"},
            agadir,
        ),
        ("the whole region (not an issue example)", {}, region),
    ]


def median_ms(function) -> tuple[float, object]:
    function()  # warm the caches
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def phase_count() -> None:
    agent = User.objects.get(username=SOUSS)
    for label, raw, territory in segments():
        criteria = selectors.criteria_for(agent, raw)
        floor, _ = median_ms(territory.count)
        seconds, found = median_ms(lambda c=criteria: selectors.segment_count(agent, c, "sms"))
        print(f"COUNT {label}|{found}|{seconds:.1f}|{floor:.1f}")


def queue_rows(count: int) -> list[tuple]:
    now = timezone.now()
    body = "السلام فاطمة أيت لحسن، سجلوا في التغطية الصحية: https://hirfa.ma/amo"
    return [
        (pk, None, "sms", "+212600000000", "", body, "ar", "bench", "queued", 0, now, "", "", "")
        for pk in next_ids(Notification, count)
    ]


def phase_queue_floor(count: int) -> None:
    """As many rows of one fixed message written by the same writer, rolled back."""
    started = time.perf_counter()
    with transaction.atomic():
        bulk.insert(queue_rows(count), [])
        transaction.set_rollback(True)
    print(f"{time.perf_counter() - started:.3f} {count}")


def phase(name: str) -> None:
    """One measured step, run in this child process; prints "<seconds> <figure>"."""
    if name == "count":
        phase_count()
        return
    if name.startswith("queue-floor"):
        phase_queue_floor(int(name.split(":")[1]))
        return
    started = time.perf_counter()
    if name == "queue":
        agent = User.objects.get(username=CASABLANCA)
        campaign = services.create_campaign(
            actor=agent,
            data={
                "name": "bench",
                "criteria": {"region": "06"},
                "link": "https://hirfa.ma/amo",
                "messages": {"ar": "السلام {name}، سجلوا في التغطية الصحية: {link}"},
            },
        )
        started = time.perf_counter()
        figure = services.launch(actor=agent, campaign=campaign).recipients_count
    elif name == "deliver-floor":
        rows = Notification.objects.filter(campaign_recipient__campaign__name="bench").values_list(
            "id", "channel", "address", "event", "language", "subject", "body"
        )
        now = timezone.now().isoformat()
        keys = ("id", "channel", "to", "event", "language", "subject", "body")
        with tempfile.TemporaryFile("w", encoding="utf-8") as file:
            lines = (
                json.dumps(dict(zip(keys, row, strict=True)) | {"at": now}, ensure_ascii=False)
                for row in rows.iterator(chunk_size=2000)
            )
            figure = sum(file.write(line + "\n") > 0 for line in lines)
    else:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        figure = (
            Campaign.objects.get(name="bench")
            .recipients.filter(notification__status="sent")
            .count()
        )
    print(f"{time.perf_counter() - started:.3f} {figure}")


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM): the child's own, whereas the rusage a
    parent reads after fork and exec starts from the parent's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measured(name: str) -> tuple[str, float]:
    """Run a phase in its own process: its output, its peak memory in MB."""
    process = subprocess.run(
        [sys.executable, __file__, "--phase", name],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if process.returncode != 0:
        sys.exit(f"{name} failed:\n{process.stdout[-3000:]}")
    lines = process.stdout.strip().splitlines()
    memory = float(lines[-1].split()[1])
    return "\n".join(lines[:-1]), memory


def timed(name: str) -> tuple[float, int, float]:
    output, memory = measured(name)
    seconds, figure = output.strip().splitlines()[-1].split()
    return float(seconds), int(figure), memory


def main() -> None:
    count = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BENCH_CAMPAIGNS", 200_000))
    started = time.perf_counter()
    prepare(count)
    registrations = Registration.objects.count()
    print(
        f"campaigns [{connection.vendor}]: a register of {registrations} artisans laid in "
        f"{time.perf_counter() - started:.0f} s (not measured)"
    )
    output, memory = measured("count")
    print(f"  segment counts (Souss-Massa chamber, median of {RUNS}; target < 1 s on 3 M):")
    for line in output.splitlines():
        if line.startswith("COUNT "):
            label, found, ms, floor = line[6:].split("|")
            ms, floor = float(ms), float(floor)
            print(
                f"    {label}: {found} persons in {ms:.0f} ms; floor (bare COUNT of the "
                f"territory's registrations) {floor:.0f} ms, {ms / floor:.1f}x; "
                f"{ms / 1000:.2f} of the target"
            )
    print(f"    peak memory {memory:.0f} MB")
    seconds, queued, memory = timed("queue")
    floor, _rows, _memory = timed(f"queue-floor:{queued}")
    rate = queued / seconds if seconds else 0
    print(
        f"  queued: {queued} messages to Casablanca-Settat in {seconds:.1f} s = {rate:.0f}/s; "
        f"floor (the same number of one fixed message written) {floor:.1f} s, "
        f"{seconds / floor:.1f}x; target 8,333/s (500,000 in < 60 s): {rate / 8333:.2f}x, "
        f"500,000 would take {500_000 / rate if rate else 0:.0f} s; "
        f"peak memory {memory:.0f} MB (target < 300 MB)"
    )
    floor, _lines, _memory = timed("deliver-floor")
    seconds, sent, memory = timed("deliver")
    rate = sent / seconds if seconds else 0
    print(
        f"  delivered through the file backend: {sent} in {seconds:.1f} s = {rate:.0f}/s; "
        f"floor (the same messages read and written as JSON lines) {floor:.1f} s, "
        f"{seconds / floor:.1f}x; target >= 2,000/s: {rate / 2000:.2f}x; "
        f"peak memory {memory:.0f} MB (target < 300 MB)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--phase":
        phase(sys.argv[2])
        print(f"MEMORY {peak_memory_mb():.1f}")
    else:
        main()
