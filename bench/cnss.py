"""Benchmark: export and import a CNSS batch of N artisans (500,000 by default).

Usage: python bench/cnss.py [N]   (DATABASE_URL selects the database, HIRFA_VAR_DIR the
folder; both must be fresh: `make bench` gives it its own.)

The artisans are inserted with plain bulk SQL (not what is measured). Then, each in its own
process, so that its time and peak memory (maximum resident set size) are its own:

1. `hirfa cnss_export OUTDIR`       — the pre-registration batch of N artisans (measured);
2. the CNSS sandbox answers it      — N immatriculations or rejections (not ours; shown);
3. `hirfa cnss_import FILE`         — the acknowledgement applied (measured);
4. `hirfa cnss_import FILE` again   — idempotent: nothing changes (shown).

Targets: < 60 s each on SQLite, peak memory < 300 MB.

On PostgreSQL the tables are ANALYZEd after the data load and before the import (not
measured): the planner needs statistics, which autovacuum gathers in a live register (the
CNSS answers days after a batch), but not within the seconds of a benchmark.
"""

import io
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rows import insert  # noqa: E402 (bench/rows.py, beside this script)

from hirfa.audit.models import AuditEntry  # noqa: E402
from hirfa.cnss.models import Batch  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.register.models import Person, Registration  # noqa: E402
from hirfa.register.numbers import damm_check_digit  # noqa: E402
from hirfa.territory.models import Commune  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def prepare(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    commune = Commune.objects.select_related("province").filter(province__code="09.581").first()
    activity = Activity.objects.filter(is_active=True).first()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        first_person = (
            Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        insert(
            Person,
            (
                {
                    "cnie": f"BX{i:07d}",
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
                    "commune_id": commune.id,
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
        insert(
            Registration,
            (
                {
                    "number": f"{200000000 + i}{damm_check_digit(str(200000000 + i))}",
                    "category": "artisan_experience",
                    "person_id": first_person + i,
                    "principal_activity_id": activity.id,
                    "workplace_kind": "workshop",
                    "workplace_commune_id": commune.id,
                    "workplace_address": "Atelier",
                    "province_id": commune.province_id,
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


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measured(label: str, command: list[str], **kwargs) -> tuple[float, float, str]:
    """Run a command in its own process: wall seconds, peak memory in MB, its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, **kwargs
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label} failed:\n{output[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, output


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
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
    env = {
        **os.environ,
        "CNSS_SANDBOX": "true",
        "CNSS_SANDBOX_DIR": str(var / "cnss-bench" / "sandbox"),
    }

    seconds, memory, _output = measured("export", [hirfa, "cnss_export", str(outdir)], env=env)
    batch = next(outdir.glob("RNA-*.jsonl"))
    size = batch.stat().st_size / 1e6
    print(
        f"  export: {count} records in {seconds:.1f} s, peak memory {memory:.0f} MB, "
        f"file {size:.0f} MB (targets < 60 s, < 300 MB)"
    )

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
    print(f"  sandbox answer (the stand-in CNSS, not ours): {seconds:.1f} s, {memory:.0f} MB")

    analyze()
    seconds, memory, _output = measured("import", [hirfa, "cnss_import", str(answer)], env=env)
    batch = Batch.objects.get(batch_id=answer.stem)
    print(
        f"  import: {batch.record_count} lines ({batch.applied_count} applied, "
        f"{batch.rejected_count} rejected) in {seconds:.1f} s, peak memory {memory:.0f} MB "
        f"(targets < 60 s, < 300 MB)"
    )

    entries = AuditEntry.objects.count()
    seconds, memory, _output = measured("re-import", [hirfa, "cnss_import", str(answer)], env=env)
    unchanged = AuditEntry.objects.count() == entries and Batch.objects.count() == 2
    print(
        f"  re-import of the same file: {seconds:.1f} s, {memory:.0f} MB -> "
        f"{'nothing changed' if unchanged else 'SOMETHING CHANGED'}"
    )


if __name__ == "__main__":
    main()
