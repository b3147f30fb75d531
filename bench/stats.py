"""Benchmark of the statistics (issue 14, docs/decisions/0047).

Usage: python bench/stats.py [N]   (or BENCH_STATS_ARTISANS=3000000; DATABASE_URL selects
the database, which must be empty: `make bench` gives each run a fresh one.)

1. Generates a synthetic register of N artisans (`hirfa.search.generator`), then times
   the full rebuild of the aggregates (`hirfa rebuild_statistics`).
2. p50/p95 of every statistics page for the national administrator, the Souss-Massa
   chamber and the Tiznit officer, of "my work", and of the open-data pages and API.
3. The cost of keeping the counts: approvals and an import, with and without the
   statistics' receivers, in alternating blocks; the ratio is the target (< 10 % lost).
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
APPROVALS = int(os.environ.get("BENCH_STATS_APPROVALS", "400"))
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


def approvals_ratio(users) -> None:
    """APPROVALS approvals, one with the counts and the next without, in turn: a loaded
    machine slows both alike. The first few warm up, untimed."""
    officer, agent = users["officer 09.581"], users["chamber 09"]
    warm = 10
    ids = submitted(APPROVALS + warm, agent, 0)
    spent = {True: 0.0, False: 0.0}
    for index, pk in enumerate(ids):
        counting = index % 2 == 0
        (receivers.connect if counting else receivers.disconnect)()
        began = time.perf_counter()
        services.approve(officer=officer, dossier=Dossier(pk=pk))
        if index >= warm:
            spent[counting] += time.perf_counter() - began
    receivers.connect()
    done = APPROVALS / 2
    with_counts, without = done / spent[True], done / spent[False]
    print(
        f"[{connection.vendor}] approvals: {with_counts:,.0f}/s with the counts, "
        f"{without:,.0f}/s without: {1 - with_counts / without:.1%} lost (target < 10 %)"
    )


def import_ratio() -> None:
    """Imports of IMPORT_ROWS rows in all, in alternating blocks with and without the
    counts (the machine's load drifts less between neighbouring blocks)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from imports import write_list  # bench/imports.py

    blocks = 10
    per_block = max(IMPORT_ROWS // (2 * blocks), 1)
    spent = {True: [0.0, 0], False: [0.0, 0]}
    with tempfile.TemporaryDirectory() as folder:
        for block in range(-1, 2 * blocks):  # block -1 warms up, untimed
            counting = block % 2 == 0
            letter = ("X" if counting else "Y") + "ABCDEFGHIJKL"[block // 2 + 1]
            # Other people each block (a seed each): a block never re-imports the names
            # of the one before, which the duplicates check would find.
            path = Path(folder) / f"list-{letter}.csv"
            write_list(path, per_block, seed=100 + block)
            rows = list(csv.reader(path.open(encoding="utf-8")))
            copy = [rows[0]] + [
                [letter + row[0][2:], *row[1:-1], f"{letter}-{row[-1]}"] for row in rows[1:]
            ]
            with path.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(copy)
            (receivers.connect if counting else receivers.disconnect)()
            began = time.perf_counter()
            run = imports.import_file(path)
            if block >= 0:
                spent[counting][0] += time.perf_counter() - began
                spent[counting][1] += run.imported
    receivers.connect()
    (t_with, n_with), (t_without, n_without) = spent[True], spent[False]
    r_with, r_without = n_with / t_with, n_without / t_without
    print(
        f"[{connection.vendor}] imports of {n_with + n_without:,} rows: {r_with:,.0f} rows/s with "
        f"the counts, {r_without:,.0f} rows/s without: {1 - r_with / r_without:.1%} lost "
        "(target < 10 %)"
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
    size = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BENCH_STATS_ARTISANS", 20_000))
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
    started = time.perf_counter()
    counted = ledger.rebuild()
    elapsed = time.perf_counter() - started
    print(
        f"[{vendor}] full rebuild of the aggregates: {elapsed:.1f} s "
        f"({counted['registration']:,} registrations)"
    )
    users = staff()
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        for path in PAGES:
            p50, p95 = timed(client, path)
            print(
                f"[{vendor}] {name:15} {path:28} "
                f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms (target < 300)"
            )
    anonymous = Client()
    for path in OPEN:
        p50, p95 = timed(anonymous, path)
        print(f"[{vendor}] open data {path:60} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    approvals_ratio(users)
    import_ratio()
    fold_time()


if __name__ == "__main__":
    main()
