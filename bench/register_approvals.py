"""Benchmark: approve and number N dossiers through the real service, in a register of R.

Usage: python bench/register_approvals.py [N] [R]   (N approvals, 5,000 by default, in a
register already holding R registered artisans, 100,000 by default; DATABASE_URL selects the
database; it must be empty: `make bench` creates a fresh one for each run.)

The register and the dossiers are inserted in bulk (not what is measured); each approval
then goes through `services.approve` exactly as an officer's click does: row lock, number
allocation, registration, audit entries, notification, the statistics' upkeep, and, after
commit, the delivery of the notification and the first card's batch job (the jobs are
queued, as on the server; the worker's sending and issuing are not measured here).

Rows printed: the floor measured in the same process (per transaction, the national
counter's locked increment and one inserted row: what numbering a registration cannot do
without), then the approvals with the statistics' upkeep and without it (half the dossiers
each): approvals per second of wall time and of this process's CPU (the machine may be
loaded: compare CPU), the floor's ratio to each, the target (>= 200 approvals/s), and the
statements of one approval, in its transaction and after its commit (BENCH_SHOW_STATEMENTS=1
lists them).
"""

import io
import os
import sys
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rows import artisans, insert  # noqa: E402 (bench/rows.py, beside this script)

from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.accounts.services import save_staff_member  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.register import services  # noqa: E402
from hirfa.register.models import Dossier, Registration  # noqa: E402
from hirfa.register.services.decisions import reserve_serials  # noqa: E402
from hirfa.territory.models import Commune, Province, Region  # noqa: E402

TARGET = 200


def prepare(count: int, register: int) -> tuple:
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    region = Region.objects.get(code="09")
    agent, _ = save_staff_member(username="bench.agent", role=Role.AGENT, scope_region=region)
    officer, _ = save_staff_member(
        username="bench.officer",
        role=Role.OFFICER,
        scope_province=Province.objects.get(code="09.581"),
    )
    commune = Commune.objects.filter(province__code="09.581").first()
    activity = Activity.objects.filter(is_active=True).first()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        # The register already there (numbered from the counter, as approvals number).
        first = reserve_serials(register) if register else 0
        artisans(
            register, commune=commune, activity=activity, first_serial=first, now=now, today=today
        )
        # The people whose dossiers wait: persons without registration, one dossier each.
        first_person = artisans(
            count,
            commune=commune,
            activity=activity,
            first_serial=0,
            now=now,
            today=today,
            start=register,
            registered=False,
        )
        insert(
            Dossier,
            (
                {
                    "kind": "registration",
                    "state": "submitted",
                    "category": "artisan_experience",
                    "person_id": first_person + i,
                    "entity_id": None,
                    "registration_id": None,
                    "principal_activity_id": activity.id,
                    "workplace_kind": "workshop",
                    "workplace_commune_id": commune.id,
                    "workplace_address": "Atelier",
                    "province_id": commune.province_id,
                    "filed_by_id": agent.id,
                    "assisted": True,
                    "submitted_at": now - timedelta(days=1),
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(count)
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum keeps in a live register
    return officer, list(Dossier.objects.order_by("id").values_list("id", flat=True))


def floor(count: int) -> tuple[float, float]:
    """Per transaction: the counter's locked increment and one inserted row, per second
    (wall and CPU)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, number VARCHAR(10))")
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        with transaction.atomic():
            serial = reserve_serials(1)
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_floor (id, number) VALUES (%s, %s)", [i, str(serial)]
                )
    rates = count / (time.perf_counter() - started), count / (time.process_time() - cpu)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return rates


def approvals(officer, ids: list[int]) -> tuple[float, float]:
    """Approvals per second, wall and CPU (this process's: on SQLite the database's work
    too; a loaded machine inflates the wall time, not this)."""
    started, cpu = time.perf_counter(), time.process_time()
    for pk in ids:
        services.approve(officer=officer, dossier=Dossier(pk=pk))
    return len(ids) / (time.perf_counter() - started), len(ids) / (time.process_time() - cpu)


def statements(officer, pk: int) -> tuple[list[str], int]:
    """The statements of one approval, and how many of them ran after its commit."""
    with CaptureQueriesContext(connection) as queries:
        services.approve(officer=officer, dossier=Dossier(pk=pk))
    sql = [query["sql"] for query in queries.captured_queries]
    ends = [i for i, text in enumerate(sql) if text.upper().startswith("COMMIT")]
    return sql, (len(sql) - ends[-1] - 1) if ends else 0


def without_statistics() -> bool:
    from hirfa.stats import receivers

    disconnect = getattr(receivers, "disconnect", None)
    if disconnect is not None:
        disconnect()
    return disconnect is not None


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    register = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    started = time.perf_counter()
    officer, ids = prepare(count, register)
    vendor = connection.vendor
    print(
        f"register approvals [{vendor}]: register of {register} artisans and {count} dossiers "
        f"inserted in {time.perf_counter() - started:.1f} s (bulk SQL, not measured)"
    )
    floor_wall, floor_cpu = floor(min(count, 2_000))
    print(f"  floor (locked counter + one insert): {floor_wall:.0f}/s ({floor_cpu:.0f}/s of CPU)")
    # Each half begins with one approval whose statements are counted (the first of the
    # process also asks for the batch jobs of its window, after commit).
    half = len(ids) // 2
    parts = [("with the statistics' upkeep", ids[:half])]
    samples = []
    for label, part in parts:
        sample = statements(officer, part[0])
        figure, by_cpu = approvals(officer, part[1:])
        samples.append((label, sample, figure, by_cpu))
        if len(parts) == 1 and without_statistics():
            parts.append(("without it", ids[half:]))
    for label, (sql, after), figure, by_cpu in samples:
        print(
            f"  approvals {label}: {figure:.0f}/s wall, {by_cpu:.0f}/s of CPU; "
            f"floor/approvals {floor_wall / figure:.1f}x wall, {floor_cpu / by_cpu:.1f}x CPU; "
            f"target >= {TARGET}/s: {'met' if figure >= TARGET else 'NOT MET'} wall, "
            f"{'met' if by_cpu >= TARGET else 'NOT MET'} CPU; "
            f"{len(sql) - after} statements in the transaction (BEGIN and COMMIT included), "
            f"{after} after commit"
        )
    numbers = Registration.objects.count()
    distinct = Registration.objects.values("number").distinct().count()
    print(
        f"  {numbers} numbers, {distinct} distinct -> "
        f"{'no number repeats' if numbers == distinct == register + count else 'NUMBERS REPEAT'}"
    )
    if os.environ.get("BENCH_SHOW_STATEMENTS"):
        for label, (sql, _after), _figure, _cpu in samples:
            print(f"  statements {label}:")
            for text in sql:
                print("    ", text[:160])


if __name__ == "__main__":
    main()
