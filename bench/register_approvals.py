"""Benchmark: approve and number N dossiers through the real service.

Usage: python bench/register_approvals.py [N]   (DATABASE_URL selects the database;
the database must be empty: `make bench` creates a fresh one for each run.)

Dossiers are inserted in bulk (that is not what is measured); each approval then
goes through `services.approve` exactly as an officer's click does: row lock,
number allocation, registration, audit entry, notification.
"""

import io
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.accounts.services import save_staff_member  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.register import services  # noqa: E402
from hirfa.register.models import Dossier, Person, Registration  # noqa: E402
from hirfa.territory.models import Commune, Province, Region  # noqa: E402


def prepare(count: int) -> tuple:
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
    people = Person.objects.bulk_create(
        Person(
            cnie=f"BX{i:07d}",
            first_name_ar="فاطمة",
            last_name_ar="أيت لحسن",
            first_name_latin="Fatima",
            last_name_latin="Ait Lahcen",
            sex="F",
            birth_date="1980-01-01",
            birth_place="Tiznit",
            address="Derb",
            commune=commune,
            phone=f"+2126{i:08d}",
            education="primary",
        )
        for i in range(count)
    )
    now = timezone.now()
    Dossier.objects.bulk_create(
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
            submitted_at=now,
        )
        for person in people
    )
    return officer, list(Dossier.objects.order_by("id").values_list("id", flat=True))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    officer, ids = prepare(count)
    started = time.perf_counter()
    for pk in ids:
        services.approve(officer=officer, dossier=Dossier(pk=pk))
    elapsed = time.perf_counter() - started
    numbers = Registration.objects.count()
    distinct = Registration.objects.values("number").distinct().count()
    print(
        f"register approvals [{connection.vendor}]: {count} dossiers in {elapsed:.1f} s = "
        f"{count / elapsed:.0f} approvals/s (target >= 200 on SQLite); "
        f"{numbers} numbers, {distinct} distinct -> "
        f"{'no number repeats' if numbers == distinct == count else 'NUMBERS REPEAT'}"
    )


if __name__ == "__main__":
    main()
