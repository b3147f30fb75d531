"""Benchmark: name, number and phone search over a synthetic national register.

Usage: python bench/search.py [N] [QUERIES] [--reuse]   (DATABASE_URL selects the
database; it must be empty: `make bench` gives each run a fresh one in var/bench-search;
--reuse runs the queries again on the register of a previous run.)

Generates N artisans with `hirfa generate_demo` (timed), then runs QUERIES varied staff
searches through the real selector (national scope, then one province's officer):
Latin and Arabic names in their spelling variants, prefixes as typed, registration
numbers with and without spaces, phone numbers. Prints p50/p95 and checks that each
planted person is on the first page for every spelling of the issue, through the selector
and through the search page (as htmx asks for results while the user types).
"""

import io
import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.accounts.services import save_staff_member  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.register.models import Person, Registration  # noqa: E402
from hirfa.register.numbers import format_number  # noqa: E402
from hirfa.register.services import allocate_number  # noqa: E402
from hirfa.search.generator import generate  # noqa: E402
from hirfa.search.names import FAMILY_NAMES, FEMALE_FIRST_NAMES, MALE_FIRST_NAMES  # noqa: E402
from hirfa.search.selectors import search  # noqa: E402
from hirfa.territory.models import Commune, Province  # noqa: E402

# The spellings, each typed with each spelling of a family name the generator
# never produces (so that the planted person has no homonym to hide behind).
FIRST_NAMES = {
    "عبد الحق": ["Abdelhaq", "Abdelhak", "Abd El Haq", "عبد الحق"],
    "الحسين": ["Lahcen", "El Houssaine", "Lhoussain", "الحسين"],
    "محمد": ["Mohamed", "Mohammed", "Mhamed", "محمد"],
}
FAMILY = ("أيت وحمان", ["Ait Ouahmane", "Aït Ouahmane", "أيت وحمان"])


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def queries(rng: random.Random, count: int) -> list[str]:
    last = Registration.objects.order_by("-pk").values_list("pk", flat=True).first()
    picked = rng.sample(range(1, last + 1), min(500, last))
    registrations = list(
        Registration.objects.filter(pk__in=picked).values_list("number", "person__phone")
    )
    firsts = MALE_FIRST_NAMES + FEMALE_FIRST_NAMES
    made = []
    for index in range(count):
        kind = index % 10
        first, family = rng.choice(firsts), rng.choice(FAMILY_NAMES)
        if kind < 4:  # full name, a Latin spelling
            made.append(f"{rng.choice(first.latin)} {rng.choice(family.latin)}")
        elif kind < 6:  # full name in Arabic
            made.append(f"{first.ar} {family.ar}")
        elif kind == 6:  # as typed: the family name cut short
            spelling = rng.choice(family.latin)
            made.append(f"{rng.choice(first.latin)} {spelling[: max(2, len(spelling) // 2)]}")
        elif kind == 7:  # one name alone
            made.append(rng.choice(rng.choice([first, family]).latin))
        elif kind == 8:
            number = rng.choice(registrations)[0]
            made.append(format_number(number) if index % 20 == 8 else number)
        else:
            phone = rng.choice(registrations)[1]
            made.append("0" + phone[4:] if index % 20 == 9 else phone)
    return made


def run(user, label, texts):
    # Wall time is what a user waits; CPU time (the database runs in-process with SQLite)
    # is what the search costs when the machine is not shared with other work.
    wall, cpu = [], []
    for text in texts:
        started, started_cpu = time.perf_counter(), time.process_time()
        search(user, text)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{label}: {len(texts)} queries, p50 {statistics.median(wall):.1f} ms, "
        f"p95 {percentile(wall, 0.95):.1f} ms, max {max(wall):.1f} ms "
        f"(CPU p50 {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms; "
        f"load average {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    count = int(arguments[0]) if arguments else 3_000_000
    query_count = int(arguments[1]) if len(arguments) > 1 else 1000
    if "--reuse" not in sys.argv:
        call_command("migrate", verbosity=0)
        call_command("load_territory", stdout=io.StringIO())
        call_command("load_crafts", stdout=io.StringIO())
        started, started_cpu = time.perf_counter(), time.process_time()
        generate(count)
        elapsed = time.perf_counter() - started
        print(
            f"{connection.vendor}: generated {count} artisans in {elapsed:.1f} s "
            f"({count / elapsed:,.0f} per second; CPU {time.process_time() - started_cpu:.0f} s; "
            f"load average {os.getloadavg()[0]:.1f})"
        )
    national, _ = save_staff_member(username="bench.national", role=Role.ADMIN)
    province = Province.objects.get(code="09.581")
    officer, _ = save_staff_member(
        username="bench.officer", role=Role.OFFICER, scope_province=province
    )
    texts = queries(random.Random(50_17), query_count)
    run(national, "national scope", texts)
    run(officer, "officer of Tiznit", texts)
    found, total, slowest = {national: 0, officer: 0}, 0, 0.0
    for registration, spellings in list(plant()):
        for spelling in spellings:
            total += 1
            for user in found:
                started = time.perf_counter()
                hits = search(user, spelling).hits
                slowest = max(slowest, time.perf_counter() - started)
                found[user] += any(hit.pk == registration.pk for hit in hits)
    print(
        f"issue spellings: the planted person is on the first page for {found[national]} of "
        f"{total} queries (national) and {found[officer]} of {total} (officer of Tiznit); "
        f"slowest {slowest * 1000:.0f} ms"
    )
    on_page(national, officer)


def on_page(*users):
    """The issue's spellings typed in the search page, as the browser's htmx asks for the
    results: the planted person's link is in the answer, and how long the answer took."""
    from django.test import Client
    from django.urls import reverse

    for user in users:
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        shown, total, slowest = 0, 0, 0.0
        for registration, spellings in list(plant()):
            link = reverse("register_staff:registration", args=[registration.number])
            for spelling in spellings:
                started = time.perf_counter()
                response = client.get(
                    reverse("search:search"), {"q": spelling}, headers={"HX-Request": "true"}
                )
                slowest = max(slowest, time.perf_counter() - started)
                total += 1
                shown += response.status_code == 200 and link in response.content.decode()
        print(
            f"search page ({user.username}): the planted person's link is in the first page "
            f"of results for {shown} of {total} spellings; slowest answer {slowest * 1000:.0f} ms"
        )


def plant():
    """One registrant per first name of the issue, created through the models."""
    commune = Commune.objects.filter(province__code="09.581").first()
    activity = Activity.objects.filter(is_active=True).first()
    for index, (first_ar, spellings) in enumerate(FIRST_NAMES.items()):
        typed = [f"{first} {family}" for first in spellings for family in FAMILY[1]]
        existing = Registration.objects.filter(person__cnie=f"ZZ{index:06d}").first()
        if existing:  # planted by a previous run (--reuse)
            yield existing, typed
            continue
        with transaction.atomic():
            person = Person.objects.create(
                cnie=f"ZZ{index:06d}",
                first_name_ar=first_ar,
                last_name_ar=FAMILY[0],
                first_name_latin=spellings[0],
                last_name_latin=FAMILY[1][0],
                sex="M",
                birth_date="1980-01-01",
                birth_place="Tiznit",
                address="Derb",
                commune=commune,
                phone="+212600000000",
                education="primary",
            )
            registration = Registration.objects.create(
                number=allocate_number(),
                category="artisan_experience",
                person=person,
                principal_activity=activity,
                workplace_kind="workshop",
                workplace_commune=commune,
                workplace_address="Atelier",
                province=commune.province,
                registered_on="2025-01-01",
                valid_until="2030-01-01",
            )
        yield registration, typed


if __name__ == "__main__":
    main()
