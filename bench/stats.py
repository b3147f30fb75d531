"""Benchmark of the statistics (issue 14, docs/decisions/0047).

Usage: python bench/stats.py [N] [--upkeep] [--keep-counts]
(or BENCH_STATS_ARTISANS=3000000; DATABASE_URL selects the database, which must be empty:
`make bench` gives each run a fresh one; --upkeep: only part 3, on the register kept or
generated; --keep-counts: no rebuild, the counts of a register kept from an earlier run are
read as they are.)

1. Generates a synthetic register of N artisans (`hirfa.search.generator`), then times
   the full rebuild of the aggregates (`hirfa rebuild_statistics`).
2. p50/p95 of every statistics page for the national administrator, the Souss-Massa
   chamber and the Tiznit officer, of "my work", and of the open-data pages and API.
3. The cost of keeping the counts: approvals (one with the statistics' receivers, the
   next without, in turn) and imports (in alternating blocks): figure (with), floor
   (without), ratio, by CPU time of this process and by wall time; target < 10 % lost.
"""

import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.accounts.services import save_staff_member  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.imports import services as imports  # noqa: E402
from hirfa.register import services  # noqa: E402
from hirfa.register.models import Dossier, Person, Registration  # noqa: E402
from hirfa.search.generator import generate  # noqa: E402
from hirfa.stats import ledger, receivers  # noqa: E402
from hirfa.stats.models import Pending  # noqa: E402
from hirfa.territory.models import Commune, Province, Region  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_STATS_REQUESTS", "20"))
APPROVALS = int(os.environ.get("BENCH_STATS_APPROVALS", "600"))
IMPORT_ROWS = int(os.environ.get("BENCH_STATS_IMPORT_ROWS", "10000"))
PAGES = (
    "/statistics/",
    "/statistics/?by=branch",
    "/statistics/applications/",
    "/statistics/cards/",
    "/statistics/amo/",
    "/statistics/outreach/",
    "/my-work/",
)
OPEN = (
    "/open-data/",
    "/api/v1/open-data/registrations?rows=province&columns=branch",
    "/api/v1/open-data/registrations?rows=region&columns=month",
    "/api/v1/open-data/coverage?level=province",
    "/open-data/registrations-province-category.csv",
)


def timed(client: Client, path: str) -> tuple[float, float]:
    for _ in range(2):
        client.get(path)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def staff():
    region = Region.objects.get(code="09")
    tiznit = Province.objects.get(code="09.581")
    admin, _ = save_staff_member(username="bench.admin", role=Role.ADMIN)
    chamber, _ = save_staff_member(username="bench.chamber", role=Role.AGENT, scope_region=region)
    officer, _ = save_staff_member(
        username="bench.officer", role=Role.OFFICER, scope_province=tiznit
    )
    return {"national": admin, "chamber 09": chamber, "officer 09.581": officer}


def submitted(count: int, agent, start: int) -> list[int]:
    commune = Commune.objects.filter(province__code="09.581").first()
    activity = Activity.objects.filter(is_active=True).first()
    people = Person.objects.bulk_create(
        Person(
            cnie=f"BZ{start + i:07d}",
            first_name_ar="فاطمة",
            last_name_ar="أيت لحسن",
            first_name_latin="Fatima",
            last_name_latin="Ait Lahcen",
            sex="F",
            birth_date="1980-01-01",
            birth_place="Tiznit",
            address="Derb",
            commune=commune,
            phone=f"+2127{start + i:08d}",
            education="primary",
        )
        for i in range(count)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            state=Dossier.State.SUBMITTED,
            category="artisan_experience",
            person=person,
            principal_activity=activity,
            workplace_kind="workshop",
            workplace_commune=commune,
            workplace_address="Atelier",
            province=commune.province,
            filed_by=agent,
            assisted=True,
            submitted_at=timezone.now(),
        )
        for person in people
    )
    return [d.pk for d in dossiers]


TARGET_LOST = 0.10  # issue 14: approvals and imports lose less than 10 %


def report(label: str, unit: str, per: dict) -> None:
    """Figure (with the counts), floor (without), ratio and what is lost, from the seconds
    one `unit` takes on each side ({"CPU": {True: with, False: without}, "wall": ...}): by
    CPU time of this process (the machine is shared: its load moves the wall time, hardly
    the CPU) and by wall time."""
    for kind, seconds in per.items():
        figure, floor = 1 / seconds[True], 1 / seconds[False]
        lost = 1 - figure / floor
        print(
            f"[{connection.vendor}] {label} ({kind}): {figure:,.1f} {unit}/s with the counts; "
            f"floor {floor:,.1f} {unit}/s without; ratio {figure / floor:.3f}: {lost:.1%} "
            f"lost; target < {TARGET_LOST:.0%} ({'met' if lost < TARGET_LOST else 'NOT MET'})"
        )


def approvals_ratio(users) -> None:
    """APPROVALS approvals, one with the counts and the next without, in turn: a loaded
    machine slows both alike. The first few warm up, untimed. Each side's mean and median
    approval by CPU time, and median by wall time (a scheduling stall of a few ms on a
    shared machine, on either side, would otherwise outweigh the upkeep's one insert)."""
    officer, agent = users["officer 09.581"], users["chamber 09"]
    warm = 20
    # Other people on each run (a register kept in HIRFA_VAR_DIR).
    start = Person.objects.filter(cnie__startswith="BZ").count()
    ids = submitted(APPROVALS + warm + 2, agent, start)
    with CaptureQueriesContext(connection) as counted:
        services.approve(officer=officer, dossier=Dossier(pk=ids.pop()))
    receivers.disconnect()
    with CaptureQueriesContext(connection) as bare:
        services.approve(officer=officer, dossier=Dossier(pk=ids.pop()))
    cpu: dict = {True: [], False: []}
    wall: dict = {True: [], False: []}
    for index, pk in enumerate(ids):
        counting = index % 2 == 0
        (receivers.connect if counting else receivers.disconnect)()
        began, began_cpu = time.perf_counter(), time.process_time()
        services.approve(officer=officer, dossier=Dossier(pk=pk))
        if index >= warm:
            cpu[counting].append(time.process_time() - began_cpu)
            wall[counting].append(time.perf_counter() - began)
    receivers.connect()
    print(
        f"[{connection.vendor}] approvals: {len(wall[True])} with the counts and "
        f"{len(wall[False])} without, in turn (load average {os.getloadavg()[0]:.1f}); "
        f"statements: {len(counted)} with the counts (the first: with the jobs asked after "
        f"its commit), {len(bare)} without"
    )
    report(
        "approvals",
        "approvals",
        {
            "CPU, mean": {side: statistics.fmean(times) for side, times in cpu.items()},
            "CPU, median": {side: statistics.median(times) for side, times in cpu.items()},
            "wall, median": {side: statistics.median(times) for side, times in wall.items()},
        },
    )


def import_ratio() -> None:
    """Imports of IMPORT_ROWS rows in all, in alternating blocks with and without the
    counts (the machine's load drifts less between neighbouring blocks); each side's median
    block, by CPU and by wall time (an import's CPU time varies by a third from one block to
    the next on a loaded machine; the upkeep is one insert a block)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from imports import write_list  # bench/imports.py

    blocks = 20
    per_block = max(IMPORT_ROWS // (2 * blocks), 1)
    spent: dict = {True: ([], []), False: ([], [])}  # wall, CPU (seconds a row, per block)
    rows = {True: 0, False: 0}
    with tempfile.TemporaryDirectory() as folder:
        for block in range(-2, 2 * blocks):  # blocks -2 and -1 warm up, untimed
            counting = block % 2 == 0
            letter = ("X" if counting else "Y") + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[block // 2 + 1]
            # Other people each block (a seed each): a block never re-imports the names
            # of the one before, which the duplicates check would find.
            path = Path(folder) / f"list-{letter}.csv"
            write_list(path, per_block, seed=100 + block)
            lines = list(csv.reader(path.open(encoding="utf-8")))
            copy = [lines[0]] + [
                [letter + row[0][2:], *row[1:-1], f"{letter}-{row[-1]}"] for row in lines[1:]
            ]
            with path.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(copy)
            (receivers.connect if counting else receivers.disconnect)()
            began, began_cpu = time.perf_counter(), time.process_time()
            run = imports.import_file(path)
            if block >= 0 and run.imported:
                spent[counting][0].append((time.perf_counter() - began) / run.imported)
                spent[counting][1].append((time.process_time() - began_cpu) / run.imported)
                rows[counting] += run.imported
    receivers.connect()
    print(
        f"[{connection.vendor}] imports: {rows[True]:,} rows with the counts and "
        f"{rows[False]:,} without, in {blocks} alternating blocks each "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    report(
        "imports",
        "rows",
        {
            "CPU, median block": {side: statistics.median(spent[side][1]) for side in spent},
            "wall, median block": {side: statistics.median(spent[side][0]) for side in spent},
        },
    )


def fold_time() -> None:
    """What the counting job then does with the changes the approvals and imports noted."""
    notes = Pending.objects.count()
    began = time.perf_counter()
    ledger.fold()
    print(
        f"[{connection.vendor}] the job folds {notes:,} notes of changes into the counts in "
        f"{time.perf_counter() - began:.1f} s"
    )


def main() -> None:
    options = ("--upkeep", "--keep-counts")
    arguments = [argument for argument in sys.argv[1:] if argument not in options]
    upkeep_only = "--upkeep" in sys.argv[1:]
    # --keep-counts: a register kept from an earlier run keeps its counts (no second rebuild).
    keep_counts = "--keep-counts" in sys.argv[1:]
    size = int(arguments[0] if arguments else os.environ.get("BENCH_STATS_ARTISANS", 20_000))
    settings.ALLOWED_HOSTS = ["*"]
    # The benchmark logs in with force_login: no second factor to show.
    settings.SECOND_FACTOR_REQUIRED_ROLES = []
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    started = time.perf_counter()
    vendor = connection.vendor
    have = Registration.objects.count()
    if have < size:  # a register kept from an earlier run (HIRFA_VAR_DIR) is reused
        generate(size - have)
    print(f"[{vendor}] synthetic register of {size:,}: {time.perf_counter() - started:.1f} s")
    if not keep_counts:
        started = time.perf_counter()
        counted = ledger.rebuild()
        elapsed = time.perf_counter() - started
        print(
            f"[{vendor}] full rebuild of the aggregates: {elapsed:.1f} s "
            f"({counted['registration']:,} registrations)"
        )
    users = staff()
    for name, user in users.items() if not upkeep_only else ():
        client = Client()
        client.force_login(user)
        for path in PAGES:
            p50, p95 = timed(client, path)
            print(
                f"[{vendor}] {name:15} {path:28} "
                f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms (target < 300)"
            )
    anonymous = Client()
    for path in OPEN if not upkeep_only else ():
        p50, p95 = timed(anonymous, path)
        print(f"[{vendor}] open data {path:60} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    approvals_ratio(users)
    import_ratio()
    fold_time()


if __name__ == "__main__":
    main()
