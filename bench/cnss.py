"""Benchmark: export and import a CNSS batch of N artisans (500,000 by default).

Usage: python bench/cnss.py [N]   (DATABASE_URL selects the database, HIRFA_VAR_DIR the
folder; both must be fresh: `make bench` gives it its own.)

The artisans are inserted with plain bulk SQL (not what is measured). Then, each in its own
process, so that its time and peak memory (maximum resident set size) are its own:

1. `hirfa cnss_export OUTDIR`       — the pre-registration batch of N artisans (measured);
2. the CNSS sandbox answers it      — N immatriculations or rejections (not ours; shown);
3. `hirfa cnss_import FILE`         — the acknowledgement applied (measured);
4. `hirfa cnss_import FILE` again   — idempotent: nothing changes (shown).

Targets: < 60 s each, peak memory < 300 MB, on SQLite and PostgreSQL. Each measured step
prints its wall time, its CPU time (the process's own: a loaded machine inflates the wall
time, not this) and the floor measured in the same process: for the export, reading the
same artisans' rows through the driver, one JSON line each, SHA-256 and written to a file;
for the import, reading the answer's lines, JSON-decoding and hashing them, and writing one
row each through the driver (executemany / COPY). `--without-statistics` runs the commands
without the statistics' upkeep, to show its part.

On PostgreSQL the tables are ANALYZEd after the data load and before the import (not
measured): the planner needs statistics, which autovacuum gathers in a live register (the
CNSS answers days after a batch), but not within the seconds of a benchmark.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rows import artisans  # noqa: E402 (bench/rows.py, beside this script)

from hirfa.audit.models import AuditEntry  # noqa: E402
from hirfa.cnss.models import Batch  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.register.models import Person, Registration  # noqa: E402
from hirfa.territory.models import Commune  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def prepare(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    commune = Commune.objects.select_related("province").filter(province__code="09.581").first()
    activity = Activity.objects.filter(is_active=True).first()
    with transaction.atomic():
        artisans(
            count,
            commune=commune,
            activity=activity,
            first_serial=200_000_000,
            now=timezone.now(),
            today=timezone.localdate(),
        )


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def export_floor(path: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) to read the register's artisans through the driver, one JSON
    line each, SHA-256 of the lines, written to `path`."""
    started, cpu_started = time.perf_counter(), time.process_time()
    digest = hashlib.sha256()
    person = connection.ops.quote_name(Person._meta.db_table)
    registration = connection.ops.quote_name(Registration._meta.db_table)
    with connection.cursor() as cursor, open(path, "wb") as out:
        cursor.execute(
            f"SELECT r.number, p.cnie, p.last_name_latin, p.first_name_latin, p.last_name_ar, "
            f"p.first_name_ar, p.sex, p.birth_date, p.phone, r.category, r.registered_on "
            f"FROM {registration} r JOIN {person} p ON p.id = r.person_id ORDER BY r.number"
        )
        while rows := cursor.fetchmany(5000):
            for row in rows:
                line = (
                    json.dumps(
                        {
                            "type": "pre_registration",
                            "number": row[0],
                            "cnie": row[1],
                            "last_name": row[2],
                            "first_name": row[3],
                            "last_name_ar": row[4],
                            "first_name_ar": row[5],
                            "sex": row[6],
                            "birth_date": str(row[7]),
                            "phone": row[8],
                            "category": row[9],
                            "registered_on": str(row[10]),
                        },
                        ensure_ascii=False,
                        separators=(",", ":"),
                    )
                    + "\n"
                ).encode()
                digest.update(line)
                out.write(line)
    return time.perf_counter() - started, time.process_time() - cpu_started


def import_floor(path: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) to read the answer's lines, JSON-decode and hash them, and write
    one row each through the driver (into a scratch table, in the same transaction)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    digest = hashlib.sha256()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (number VARCHAR(10), line TEXT)")
        rows = []
        with open(path, "rb") as lines:
            for raw in lines:
                digest.update(raw)
                record = json.loads(raw)
                rows.append((str(record.get("number", "")), record.get("type", "")))
                if len(rows) >= 5000:
                    cursor.executemany("INSERT INTO bench_floor VALUES (%s, %s)", rows)
                    rows.clear()
        if rows:
            cursor.executemany("INSERT INTO bench_floor VALUES (%s, %s)", rows)
        cursor.execute("DROP TABLE bench_floor")
    return time.perf_counter() - started, time.process_time() - cpu_started


def measured(label: str, command: list[str], **kwargs) -> tuple[float, float, str]:
    """Run a command in its own process: wall seconds, peak memory in MB, its output; its
    CPU seconds are left in `cpu[label]`."""
    # Linux counts in a child's maximum resident set size the parent's, copied when it forks
    # (this process holds the data load's memory): /usr/bin/time, small, starts the command
    # and reports its own child's.
    peak = Path(settings.VAR_DIR) / "cnss-bench" / f"peak-{label}"
    timed = ["/usr/bin/time", "-f", "%M", "-o", str(peak)] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    process = subprocess.Popen(
        [*timed, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        **kwargs,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label} failed:\n{output[-3000:]}")
    cpu[label] = usage.ru_utime + usage.ru_stime
    kilobytes = int(peak.read_text().split()[-1]) if timed else usage.ru_maxrss
    return elapsed, kilobytes / 1024, output


cpu: dict[str, float] = {}
start_wall: dict[str, float] = {}


TARGET_LINES = 500_000


def row(
    label: str, seconds: float, memory: float, floor: tuple[float, float], lines: int, extra=""
) -> str:
    """The figure beside its floor: wall and CPU time, their ratios, peak memory, targets.
    On a loaded machine the wall time waits for the processor; the CPU time does not. The
    targets are for 500,000 lines: a smaller run says what its rate would take for those."""
    floor_wall, floor_cpu = floor
    scale = TARGET_LINES / lines
    start, wall_start = cpu.get("start", 0.0), start_wall.get("start", 0.0)
    if scale == 1:
        verdict = "met" if seconds < 60 and memory < 300 else "NOT MET"
        verdict += f" (CPU {'under' if cpu[label] < 60 else 'over'} 60 s)"
    else:
        verdict = (
            f"this run has {lines:,} lines; at its rate 500,000 would take "
            f"{wall_start + (seconds - wall_start) * scale:.0f} s wall, "
            f"{start + (cpu[label] - start) * scale:.0f} s CPU (a process's start, "
            f"{start:.1f} s of CPU, not scaled; make bench-full runs 500,000)"
        )
    return (
        f"  {label}{extra}:\n"
        f"    wall {seconds:.1f} s, CPU {cpu[label]:.1f} s, peak memory {memory:.0f} MB\n"
        f"    floor wall {floor_wall:.1f} s, CPU {floor_cpu:.1f} s; ratio wall "
        f"{seconds / floor_wall:.1f}x, CPU {cpu[label] / floor_cpu:.1f}x\n"
        f"    targets at 500,000 lines < 60 s, < 300 MB: {verdict}"
    )


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    count = int(arguments[0]) if arguments else 500_000
    plain = "--without-statistics" in sys.argv
    started = time.perf_counter()
    prepare(count)
    analyze()
    print(
        f"cnss [{connection.vendor}]: {count} artisans inserted in "
        f"{time.perf_counter() - started:.1f} s (bulk SQL, not measured)"
    )
    var = Path(settings.VAR_DIR)
    outdir = var / "cnss-bench" / "out"
    answers = var / "cnss-bench" / "answers"
    hirfa = str(BIN / "hirfa")
    if plain:
        print("  (without the statistics' upkeep)")
        hirfa_command = [str(BIN / "python"), str(ROOT / "bench" / "without_statistics.py")]
    else:
        hirfa_command = [hirfa]
    env = {
        **os.environ,
        "CNSS_SANDBOX": "true",
        "CNSS_SANDBOX_DIR": str(var / "cnss-bench" / "sandbox"),
    }

    (var / "cnss-bench").mkdir(parents=True, exist_ok=True)
    # A `hirfa` process that does nothing else (Django's setup, the system checks): the part
    # of a step that does not grow with the file, left out when a small run is scaled up.
    start_wall["start"] = measured("start", [*hirfa_command, "check"], env=env)[0]
    floor = export_floor(var / "cnss-bench" / "floor.jsonl")
    seconds, memory, _output = measured(
        "export", [*hirfa_command, "cnss_export", str(outdir)], env=env
    )
    batch = next(outdir.glob("RNA-*.jsonl"))
    size = batch.stat().st_size / 1e6
    print(row("export", seconds, memory, floor, count, f": {count} records ({size:.0f} MB)"))

    sandbox = [
        str(BIN / "python"),
        "-m",
        "hirfa.cnss.sandbox",
        "answer",
        "--dir",
        env["CNSS_SANDBOX_DIR"],
        "--incoming",
        str(outdir),
        "--outgoing",
        str(answers),
        "--rna-public-key",
        str(settings.CNSS_SIGNING_KEY_FILE.with_suffix(".pub")),
    ]
    seconds, memory, _output = measured("sandbox", sandbox, env=env)
    answer = next(answers.glob("CNSS-*.jsonl"))
    print(
        f"  sandbox answer (the stand-in CNSS, not ours): wall {seconds:.1f} s, "
        f"CPU {cpu['sandbox']:.1f} s, {memory:.0f} MB"
    )

    analyze()
    floor = import_floor(answer)
    seconds, memory, _output = measured(
        "import", [*hirfa_command, "cnss_import", str(answer)], env=env
    )
    batch = Batch.objects.get(batch_id=answer.stem)
    extra = (
        f": {batch.record_count} lines ({batch.applied_count} applied, "
        f"{batch.rejected_count} rejected)"
    )
    print(row("import", seconds, memory, floor, batch.record_count, extra))

    entries = AuditEntry.objects.count()
    seconds, memory, _output = measured(
        "re-import", [*hirfa_command, "cnss_import", str(answer)], env=env
    )
    unchanged = AuditEntry.objects.count() == entries and Batch.objects.count() == 2
    print(
        f"  re-import of the same file: wall {seconds:.1f} s, CPU {cpu['re-import']:.1f} s, "
        f"{memory:.0f} MB -> "
        f"{'nothing changed' if unchanged else 'SOMETHING CHANGED'}"
    )


if __name__ == "__main__":
    main()
