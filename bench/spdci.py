"""Benchmark: the SPDCI registry API's search (`POST /registry/sync/search`) on a large register.

Usage: python bench/spdci.py [N] [QUERIES] [--reuse]   (N: BENCH_SPDCI_ARTISANS, default
200,000; 3,000,000 for the issue's national register. DATABASE_URL selects the database; it
must be empty: `make bench` gives each run a fresh one in var/bench-spdci.)

Generates N artisans with the synthetic register's generator (`hirfa.search.generator`),
gives a tenth of them a health insurance and a dependant (bench/rows.py), registers a
subscriber, then sends QUERIES signed searches (by CNIE and by registration number, half
each) through the whole stack in this process: JSON, signature check, the selector, the
record with its AMO data and dependants, the audit entry, the signed answer and its storage
for idempotency. Prints p50/p95 beside a floor measured in the same process: a bare indexed
lookup of the same identifiers (one query, nothing else), and the ratio.
"""

import base64
import hashlib
import io
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.rows import insert  # noqa: E402
from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.accounts.services import save_staff_member  # noqa: E402
from hirfa.coverage.models import Dependant, Enrolment  # noqa: E402
from hirfa.register.models import Registration  # noqa: E402
from hirfa.registry.models import Subscriber  # noqa: E402
from hirfa.search.generator import generate  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def coverage_for_a_tenth() -> None:
    """An enrolment and a child for every tenth registration, written fast."""
    today, now = timezone.localdate(), timezone.now()
    ids = list(Registration.objects.order_by("pk").values_list("pk", flat=True))[::10]
    agent, _ = save_staff_member(username="bench.agent", role=Role.ADMIN)
    with transaction.atomic():
        insert(
            Enrolment,
            (
                {
                    "registration_id": pk,
                    "state": "rights_open",
                    "state_since": today,
                    "category": "rna",
                    "cnss_number": f"{pk:09d}"[-9:],
                    "created_at": now,
                    "updated_at": now,
                }
                for pk in ids
            ),
        )
        insert(
            Dependant,
            (
                {
                    "registration_id": pk,
                    "relation": "child",
                    "first_name_ar": "يوسف",
                    "last_name_ar": "أيت لحسن",
                    "first_name_latin": "Youssef",
                    "last_name_latin": "Ait Lahcen",
                    "sex": "M",
                    "birth_date": date(2015, 1, 1) + timedelta(days=pk % 3000),
                    "cnie": "",
                    "state": "accepted",
                    "declared_by_id": agent.pk,
                    "changed_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for pk in ids
            ),
        )


def signed_search(key, id_type: str, value: str) -> bytes:
    header = {
        "version": "1.0.0",
        "message_id": str(uuid.uuid4()),
        "message_ts": timezone.now().isoformat(),
        "action": "search",
        "sender_id": "cnss.bench",
        "receiver_id": "ma.rna",
        "total_count": 1,
    }
    message = {
        "transaction_id": str(uuid.uuid4()),
        "search_request": [
            {
                "reference_id": "r1",
                "timestamp": header["message_ts"],
                "search_criteria": {
                    "version": "1.0.0",
                    "query_type": "idtype-value",
                    "query": {"type": id_type, "value": value},
                },
            }
        ],
    }
    content = json.dumps(
        {"header": header, "message": message},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    digest = base64.b64encode(hashlib.blake2b(content, digest_size=64).digest()).decode()
    created = int(time.time())
    string = f"(created): {created}\n(expires): {created + 3600}\ndigest: BLAKE-512={digest}"
    signature = base64.b64encode(key.sign(string.encode())).decode()
    text = (
        f'namespace="dci", kidId="cnss.bench|k1|ed25519", algorithm="ed25519", '
        f'created="{created}", expires="{created + 3600}", '
        f'headers="(created) (expires) digest", signature="{signature}"'
    )
    return json.dumps({"signature": text, "header": header, "message": message}).encode()


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    count = int(arguments[0]) if arguments else int(os.environ.get("BENCH_SPDCI_ARTISANS", 200_000))
    query_count = int(arguments[1]) if len(arguments) > 1 else 1000
    if "--reuse" not in sys.argv:
        call_command("migrate", verbosity=0)
        call_command("load_territory", stdout=io.StringIO())
        call_command("load_crafts", stdout=io.StringIO())
        started = time.perf_counter()
        generate(count)
        coverage_for_a_tenth()
        print(
            f"{connection.vendor}: generated {count:,} artisans in "
            f"{time.perf_counter() - started:.1f} s"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    key = Ed25519PrivateKey.generate()
    public = base64.urlsafe_b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    Subscriber.objects.update_or_create(
        sender_id="cnss.bench",
        defaults={
            "name": "CNSS (bench)",
            "public_key": public.rstrip(b"=").decode(),
            "callback_url": "http://127.0.0.1:9/notify",
        },
    )
    rng = random.Random(50_17)
    last = Registration.objects.order_by("-pk").values_list("pk", flat=True).first()
    picked = rng.sample(range(1, last + 1), min(query_count, last))
    pairs = list(
        Registration.objects.filter(pk__in=picked, person__isnull=False).values_list(
            "person__cnie", "number"
        )
    )
    wanted = [
        ("CNIE", cnie) if index % 2 else ("RNA", number)
        for index, (cnie, number) in enumerate(pairs)
    ]
    bodies = [signed_search(key, id_type, value) for id_type, value in wanted]

    floor = []
    for id_type, value in wanted:
        lookup = {"CNIE": "person__cnie", "RNA": "number"}[id_type]
        started = time.perf_counter()
        Registration.objects.filter(**{lookup: value}).values_list("pk", flat=True).first()
        floor.append(time.perf_counter() - started)

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    for body in bodies[:5]:  # warm up: the first request imports the URL configuration
        client.post("/registry/sync/search", body, content_type="application/json")
    bodies = [signed_search(key, id_type, value) for id_type, value in wanted]  # new ids
    times, found = [], 0
    for body in bodies:
        started = time.perf_counter()
        response = client.post("/registry/sync/search", body, content_type="application/json")
        times.append(time.perf_counter() - started)
        item = response.json()["message"]["search_response"][0]
        found += len(item["data"]["reg_records"]) > 0
    p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    f50, f95 = statistics.median(floor) * 1000, percentile(floor, 0.95) * 1000
    total = Registration.objects.count()
    print(
        f"{connection.vendor}: SPDCI sync search on {total:,} registrations, {len(times)} "
        f"signed searches (CNIE and RNA number), {found} found: p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms; floor (bare indexed lookup, same process) p50 {f50:.3f} ms, "
        f"p95 {f95:.3f} ms; ratio p95 {p95 / f95:.0f}x"
    )


if __name__ == "__main__":
    main()
