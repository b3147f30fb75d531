"""Benchmark: staff search over a synthetic national register, beside its floor.

Usage: python bench/search.py [SIZES] [QUERIES] [--reuse]
    SIZES: one register size or two, comma-separated (`20000,200000`): the register is
    generated to the first size and measured, then grown to the second and measured again,
    and the growth of each figure between the two is printed. DATABASE_URL selects the
    database; it must be empty (`make bench` gives each run a fresh one in
    var/bench-search); --reuse measures the register of a previous run as it is.
    BENCH_PROFILE=1 prints where the slowest kind's time goes (cProfile).

For each size and scope (national; the officer of Tiznit), QUERIES staff searches of every
kind go through the real selector: full names in Latin spellings and in Arabic, a family
name being typed, one name alone, misspelt names (one letter dropped, doubled, swapped or
changed in a real artisan's name), registration numbers whole and as typed (prefixes),
phones and CNIEs. Each query's floor is measured in the same process, interleaved: the one
statement the database needs to answer it at its best — the full-text index (FTS5 `MATCH`,
`to_tsquery` on the GIN index) for the typed names as keys, and the province's token in a
scope (the index holds the registrants' provinces, ADR 0080): one page of it, of rows;
an index lookup for a number, phone or CNIE. Printed: p50/p95 of hirfa and of the
floor, the ratio of the p95s (target ≤ 3×), by kind with the statements per query, and the
growth between sizes (target < 1.5× for a 15× larger register: 200 k → 3 M).

Quality, at the largest size: each misspelt name finds the artisan it was taken from (or a
namesake of the same names) on the first page; each spelling of the issue finds the planted
person on the first page, through the selector and through the search page.
"""

import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hirfa.accounts.roles import Role  # noqa: E402
from hirfa.accounts.services import save_staff_member  # noqa: E402
from hirfa.core import validators  # noqa: E402
from hirfa.core.names import fold_latin, query_keys  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.register.models import Person, Registration, search_scope_token  # noqa: E402
from hirfa.register.numbers import format_number  # noqa: E402
from hirfa.register.services import allocate_number  # noqa: E402
from hirfa.search.backends import EXACT, PREFIX, backend  # noqa: E402
from hirfa.search.generator import generate  # noqa: E402
from hirfa.search.names import FAMILY_NAMES, FEMALE_FIRST_NAMES, MALE_FIRST_NAMES  # noqa: E402
from hirfa.search.selectors import PAGE_SIZE, search  # noqa: E402
from hirfa.territory.models import Commune, Province  # noqa: E402

TIZNIT = "09.581"
# The spellings, each typed with each spelling of a family name the generator
# never produces (so that the planted person has no homonym to hide behind).
FIRST_NAMES = {
    "عبد الحق": ["Abdelhaq", "Abdelhak", "Abd El Haq", "عبد الحق"],
    "الحسين": ["Lahcen", "El Houssaine", "Lhoussain", "الحسين"],
    "محمد": ["Mohamed", "Mohammed", "Mhamed", "محمد"],
}
FAMILY = ("أيت وحمان", ["Ait Ouahmane", "Aït Ouahmane", "أيت وحمان"])
# The kinds of a query, in the proportions of the mix (out of 12).
KINDS = (
    ["full name (Latin)"] * 3
    + ["full name (Arabic)"] * 2
    + ["family name being typed", "one name", "misspelt name"]
    + ["number", "number prefix", "phone", "CNIE"]
)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def misspell(rng: random.Random, name: str) -> str:
    """One typing error in a name of at least four letters: a letter dropped, doubled,
    swapped with the next, or changed."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    edit = rng.randrange(4)
    if edit == 0:
        return name[:i] + name[i + 1 :]
    if edit == 1:
        return name[:i] + name[i] + name[i:]
    if edit == 2:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + name[i + 1 :]


def samples(rng: random.Random, count: int, province=None) -> list[tuple]:
    """`count` real registrations (number, phone, CNIE, Latin names), of one province."""
    rows = Registration.objects.all()
    if province:
        rows = rows.filter(province=province)
    last = rows.order_by("-pk").values_list("pk", flat=True).first()
    first = rows.order_by("pk").values_list("pk", flat=True).first()
    found = []
    while len(found) < count:
        picked = rng.sample(range(first, last + 1), min(2000, last - first + 1))
        # In the order of the ids: PostgreSQL returns an IN list in the plan's order, which
        # varied between runs and drew other misspelt names (the quality figure moved).
        found += rows.filter(pk__in=picked).order_by("pk").values_list(
            "number", "person__phone", "person__cnie", "person__first_name_latin",
            "person__last_name_latin",
        )  # fmt: skip
    return found[:count]


def queries(rng: random.Random, count: int, province=None) -> list[tuple[str, str, tuple]]:
    """(kind, text, the names it was taken from for a misspelling) × count."""
    registrations = samples(rng, min(count, 500), province)
    firsts = MALE_FIRST_NAMES + FEMALE_FIRST_NAMES
    made = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        first, family = rng.choice(firsts), rng.choice(FAMILY_NAMES)
        number, phone, cnie, first_latin, last_latin = rng.choice(registrations)
        source = ()
        if kind == "full name (Latin)":
            text = f"{rng.choice(first.latin)} {rng.choice(family.latin)}"
        elif kind == "full name (Arabic)":
            text = f"{first.ar} {family.ar}"
        elif kind == "family name being typed":
            spelling = rng.choice(family.latin)
            text = f"{rng.choice(first.latin)} {spelling[: max(2, len(spelling) // 2)]}"
        elif kind == "one name":
            text = rng.choice(rng.choice([first, family]).latin)
        elif kind == "misspelt name":
            names = [first_latin, last_latin]
            wrong = rng.randrange(2)
            names[wrong] = misspell(rng, names[wrong])
            text, source = " ".join(names), (first_latin, last_latin)
        elif kind == "number":
            text = format_number(number) if index % 2 else number
        elif kind == "number prefix":
            text = number[: rng.randrange(4, 8)]
        elif kind == "phone":
            text = "0" + phone[4:] if index % 2 else phone
        else:
            text = cnie
        made.append((kind, text, source))
    return made


class Floor:
    """What the database alone needs for a query, in one statement at its best."""

    def __init__(self, province_id=None):
        self.scope = "" if province_id is None else f" AND province_id = {int(province_id)}"
        self.tokens = [] if province_id is None else [{search_scope_token(province_id)}]
        self.index = backend()
        self.cursor = connection.cursor()

    def run(self, kind: str, text: str) -> None:
        registrations = (
            f"SELECT id FROM register_registration WHERE {{}}{self.scope} LIMIT {PAGE_SIZE}"
        )
        if kind in ("number", "number prefix"):
            digits = "".join(c for c in text if c.isdigit())
            if kind == "number":
                sql, params = registrations.format("number = %s"), [digits]
            else:
                pad = 10 - len(digits)
                sql = registrations.format("number BETWEEN %s AND %s")
                params = [digits + "0" * pad, digits + "9" * pad]
        elif kind == "phone":
            sql = registrations.format(
                "person_id IN (SELECT id FROM register_person WHERE phone = %s)"
            )
            params = [validators.normalise_phone(text, mobile_only=False)]
        elif kind == "CNIE":
            sql = registrations.format(
                "person_id IN (SELECT id FROM register_person WHERE cnie = %s)"
            )
            params = [text]
        else:
            mode = PREFIX if kind == "family name being typed" else EXACT
            # One page of the index is a page of rows: nationally, and in a scope since the
            # index holds the registrants' provinces (ADR 0080: `p<id> AND` the names).
            groups = [*self.tokens, *query_keys(text)]
            match = self.index.subquery("register_person", groups, mode, PAGE_SIZE)
            sql = registrations.format(f"person_id IN ({match.sql})")
            params = list(match.params)
        self.cursor.execute(sql, params)
        self.cursor.fetchall()


def measure(user, label: str, texts: list[tuple], floor: Floor) -> dict:
    """p50/p95 of hirfa and of the floor, overall and by kind, interleaved query by query.

    Wall time is what a user waits; CPU time (SQLite runs in this process; PostgreSQL's
    server work is not counted) is what the search costs when the machine is not shared:
    on a loaded machine the wall-time ratio also counts the other work's time slices."""
    wall, floors, cpu, floors_cpu, statements = ({kind: [] for kind in KINDS} for _ in range(5))
    for kind, text, _source in texts:
        started, started_cpu = time.perf_counter(), time.process_time()
        floor.run(kind, text)
        floors[kind].append((time.perf_counter() - started) * 1000)
        floors_cpu[kind].append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            search(user, text)
            wall[kind].append((time.perf_counter() - started) * 1000)
            cpu[kind].append((time.process_time() - started_cpu) * 1000)
        statements[kind].append(len(captured))
        connection.queries_log.clear()  # kept by the capture: a long run would fill it

    def every(figures):
        return [value for values in figures.values() for value in values]

    p95, floor_p95 = percentile(every(wall), 0.95), percentile(every(floors), 0.95)
    cpu_p95, floor_cpu_p95 = percentile(every(cpu), 0.95), percentile(every(floors_cpu), 0.95)
    print(
        f"{label}: {len(every(wall))} mixed queries, p50 {statistics.median(every(wall)):.1f} / "
        f"p95 {p95:.1f} ms (max {max(every(wall)):.0f}); floor p50 "
        f"{statistics.median(every(floors)):.2f} / p95 {floor_p95:.2f} ms; ratio of p95 "
        f"{p95 / floor_p95:.1f}× (target ≤ 3×); CPU p95 {cpu_p95:.1f} ms, floor "
        f"{floor_cpu_p95:.2f} ms, ratio {cpu_p95 / max(floor_cpu_p95, 0.01):.1f}× "
        f"(load {os.getloadavg()[0]:.1f})"
    )
    for kind in dict.fromkeys(KINDS):
        kind_p95, kind_floor = percentile(wall[kind], 0.95), percentile(floors[kind], 0.95)
        print(
            f"    {kind:<24} p50 {statistics.median(wall[kind]):6.1f}  p95 {kind_p95:6.1f} ms"
            f"   floor p50 {statistics.median(floors[kind]):6.2f}  p95 {kind_floor:6.2f} ms"
            f"   ratio {kind_p95 / max(kind_floor, 0.01):5.1f}×"
            f"   CPU p95 {percentile(cpu[kind], 0.95):6.1f}"
            f" / {percentile(floors_cpu[kind], 0.95):5.2f}"
            f"   {statistics.mean(statements[kind]):.1f} statements"
        )
    slowest = max(dict.fromkeys(KINDS), key=lambda kind: percentile(wall[kind], 0.95))
    if os.environ.get("BENCH_PROFILE"):
        profile = cProfile.Profile()
        profile.runcall(lambda: [search(user, t) for k, t, _s in texts if k == slowest])
        print(f"    profile of the slowest kind ({slowest}):")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
    return {"p95": p95, "floor p95": floor_p95, "CPU p95": cpu_p95} | {
        kind: percentile(values, 0.95) for kind, values in wall.items()
    }


def misspellings(user, texts: list[tuple]) -> tuple[int, int]:
    """How many misspelt names find their artisan's names on the first page."""
    found = total = 0
    for kind, text, source in texts:
        if kind != "misspelt name":
            continue
        total += 1
        wanted = (fold_latin(source[0]), fold_latin(source[1]))
        people = [hit.person_id for hit in search(user, text).hits if hit.person_id]
        names = Person.objects.filter(pk__in=people).values_list(
            "first_name_latin", "last_name_latin"
        )
        found += any((fold_latin(first), fold_latin(last)) == wanted for first, last in names)
    return found, total


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    sizes = [int(size) for size in (arguments[0] if arguments else "3000000").split(",")]
    query_count = int(arguments[1]) if len(arguments) > 1 else 600
    reuse = "--reuse" in sys.argv
    if not reuse:
        call_command("migrate", verbosity=0)
        call_command("load_territory", stdout=io.StringIO())
        call_command("load_crafts", stdout=io.StringIO())
    national, _ = save_staff_member(username="bench.national", role=Role.ADMIN)
    province = Province.objects.get(code=TIZNIT)
    officer, _ = save_staff_member(
        username="bench.officer", role=Role.OFFICER, scope_province=province
    )
    print(f"--- search ({connection.vendor}) ---")
    results, generated = {}, 0
    for size in [None] if reuse else sizes:
        if size is not None:
            started, started_cpu = time.perf_counter(), time.process_time()
            generate(size - generated, seed=2026 + generated)
            elapsed = time.perf_counter() - started
            print(
                f"generated {size - generated:,} artisans (register of {size:,}) in "
                f"{elapsed:.1f} s ({(size - generated) / elapsed:,.0f} per second; CPU "
                f"{time.process_time() - started_cpu:.0f} s; load {os.getloadavg()[0]:.1f})"
            )
            generated = size
        size = size or Registration.objects.count()
        rng = random.Random(50_17)
        mixed, local = queries(rng, query_count), queries(rng, query_count, province)
        results[size] = {
            "national": measure(national, f"{size:,}, national scope", mixed, Floor()),
            "officer": measure(officer, f"{size:,}, officer of Tiznit", mixed, Floor(province.pk)),
        }
    if len(results) == 2:
        (small, before), (large, after) = results.items()
        for scope in ("national", "officer"):
            growth = after[scope]["p95"] / before[scope]["p95"]
            kinds = ", ".join(
                f"{kind} {after[scope][kind] / max(before[scope][kind], 0.01):.1f}×"
                for kind in dict.fromkeys(KINDS)
            )
            print(
                f"growth {small:,} → {large:,} ({large / small:.0f}× the rows), {scope}: "
                f"p95 {before[scope]['p95']:.1f} → {after[scope]['p95']:.1f} ms = {growth:.2f}× "
                f"(target < 1.5×); CPU p95 {before[scope]['CPU p95']:.1f} → "
                f"{after[scope]['CPU p95']:.1f} ms = "
                f"{after[scope]['CPU p95'] / before[scope]['CPU p95']:.2f}×; "
                f"floor p95 {before[scope]['floor p95']:.2f} → "
                f"{after[scope]['floor p95']:.2f} ms; by kind: {kinds}"
            )
    found = {
        user: misspellings(user, texts) for user, texts in ((national, mixed), (officer, local))
    }
    print(
        "misspelt names: the artisan's names are on the first page for "
        f"{found[national][0]} of {found[national][1]} (national) and "
        f"{found[officer][0]} of {found[officer][1]} (officer of Tiznit, people of Tiznit)"
    )
    planted(national, officer)
    on_page(national, officer)


def planted(national, officer) -> None:
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


def on_page(*users):
    """The issue's spellings typed in the search page, as the browser's htmx asks for the
    results: the planted person's link is in the answer, and how long the answer took.

    The national user (an administrator) is not asked for a second factor here: the page
    is measured, not the login (before, the answer was the enrolment's redirection)."""
    from django.test import Client, override_settings
    from django.urls import reverse

    with override_settings(SECOND_FACTOR_REQUIRED_ROLES=[]):
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
                f"search page ({user.username}): the planted person's link is in the first "
                f"page of results for {shown} of {total} spellings; slowest answer "
                f"{slowest * 1000:.0f} ms"
            )


def plant():
    """One registrant per first name of the issue, created through the models."""
    commune = Commune.objects.filter(province__code=TIZNIT).first()
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
