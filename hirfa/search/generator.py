"""A synthetic national register for demos and benchmarks (`hirfa generate_demo`).

Realistic in what search and statistics see: Moroccan first and family names in Arabic
with one of their real Latin spellings (hirfa.search.names), communes drawn in
proportion to their 2024 population, activities with a skewed popularity, categories,
sexes, ages and statuses in plausible shares. Every row satisfies the model's
constraints: unique CNIE, national numbers with valid check digits taken from a range
reserved on the national counter (later approvals continue after it), one registration
per person, and search keys filled (the index triggers run on insert).

Rows go in with multi-row inserts (COPY on PostgreSQL), a few thousand a statement, in
one transaction a batch: millions take minutes. The same seed gives the same register.
"""

import itertools
import random
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from hirfa.core.names import name_keys
from hirfa.crafts.models import Activity
from hirfa.register.bulk import PERSON_COLUMNS, REGISTRATION_COLUMNS, insert_rows
from hirfa.register.models import Category, NumberCounter, Registration, search_scope_token
from hirfa.register.numbers import make_number
from hirfa.register.services import NATIONAL_COUNTER
from hirfa.search.names import FAMILY_NAMES, FEMALE_FIRST_NAMES, MALE_FIRST_NAMES
from hirfa.territory.models import Commune

BATCH = 5_000
# Reserves how many CNIEs the generator has handed out, so that a second run adds
# people instead of colliding with the first.
CNIE_COUNTER = "generated_cnie"
# Card prefixes (1-2 letters, then 6 digits): 40 prefixes give 40 million numbers.
CNIE_PREFIXES = [a + b for a in "GHJKLMNPQRSTUVWXYZ" for b in ("", "A", "B")][:40]
CATEGORIES = (
    (Category.ARTISAN_EXPERIENCE, 55),
    (Category.ARTISAN_DIPLOMA, 20),
    (Category.MASTER, 25),
)
STATUSES = (
    (Registration.Status.ACTIVE, 88),
    (Registration.Status.EXPIRED, 7),
    (Registration.Status.SUSPENDED, 3),
    (Registration.Status.STRUCK_OFF, 2),
)
EDUCATION = (("none", 30), ("primary", 30), ("secondary", 20), ("vocational", 15), ("higher", 5))
WORKPLACES = (("workshop", 60), ("home", 30), ("itinerant", 10))
# The register opened in February 2022.
OPENED = date(2022, 2, 1)


def _weighted(rng: random.Random, pairs, k: int) -> list:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=k)


def _reserve(name: str, count: int, start: int) -> int:
    """The first of `count` serials reserved on counter `name` (created at `start`)."""
    with transaction.atomic():
        counter, _created = NumberCounter.objects.select_for_update().get_or_create(
            name=name, defaults={"last": start - 1}
        )
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return first


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


class _Keys:
    """name_keys of a person, from cached keys of each name (names repeat a lot)."""

    def __init__(self):
        self.cache: dict[str, frozenset] = {}

    def of(self, *names: str) -> str:
        keys = set()
        for name in names:
            if name not in self.cache:
                self.cache[name] = frozenset(name_keys(name).split())
            keys |= self.cache[name]
        return " ".join(sorted(keys))


def generate(artisans: int, *, seed: int = 2026, progress=None) -> dict:
    """Add `artisans` registered artisans to the register; returns what was made."""
    rng = random.Random(seed)
    rows = list(
        Commune.objects.filter(population__gt=0).values_list(
            "id", "province_id", "name_fr", "population"
        )
    )
    if not rows:
        raise RuntimeError("no commune with a population: run `hirfa load_territory` first")
    communes = [row[:3] for row in rows]
    commune_weights = list(itertools.accumulate(row[3] for row in rows))
    activities = list(Activity.objects.filter(is_active=True).values_list("id", flat=True))
    if not activities:
        raise RuntimeError("no craft activity: run `hirfa load_crafts` first")
    # A few crafts (tailoring, carpets, pottery…) employ most artisans: a Zipf-like skew.
    rng.shuffle(activities)
    activity_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(activities))))
    first_cnie = _reserve(CNIE_COUNTER, artisans, 0)
    if first_cnie + artisans > len(CNIE_PREFIXES) * 1_000_000:
        raise RuntimeError("no generated identity card numbers left")
    first_serial = _reserve(NATIONAL_COUNTER, artisans, 100_000_001)
    person_id = _next_id("register_person")
    now = timezone.now()
    today = timezone.localdate()
    validity = settings.REGISTRATION_VALIDITY_DAYS
    span = (today - OPENED).days
    keys = _Keys()
    males = [(n, n.weight) for n in MALE_FIRST_NAMES]
    females = [(n, n.weight) for n in FEMALE_FIRST_NAMES]
    families = [(n, n.weight) for n in FAMILY_NAMES]
    done = 0
    while done < artisans:
        size = min(BATCH, artisans - done)
        sexes = rng.choices("MF", weights=(58, 42), k=size)
        first_m = _weighted(rng, males, size)
        first_f = _weighted(rng, females, size)
        family = _weighted(rng, families, size)
        places = rng.choices(communes, cum_weights=commune_weights, k=size)
        works = rng.choices(communes, cum_weights=commune_weights, k=size)
        crafts = rng.choices(activities, cum_weights=activity_weights, k=size)
        categories = _weighted(rng, CATEGORIES, size)
        statuses = _weighted(rng, STATUSES, size)
        education = _weighted(rng, EDUCATION, size)
        workplaces = _weighted(rng, WORKPLACES, size)
        persons, registrations = [], []
        for i in range(size):
            index = done + i
            first = first_m[i] if sexes[i] == "M" else first_f[i]
            last = family[i]
            first_latin = rng.choice(first.latin)
            last_latin = rng.choice(last.latin)
            cnie_index = first_cnie + index
            cnie = f"{CNIE_PREFIXES[cnie_index // 1_000_000]}{cnie_index % 1_000_000:06d}"
            # Ages 18 to 75, most between 30 and 55.
            age_days = int(rng.triangular(18, 75, 40) * 365.25)
            place = places[i]
            pid = person_id + index
            work = works[i] if workplaces[i] == "itinerant" else place
            persons.append(
                (
                    pid,
                    cnie,
                    first.ar,
                    last.ar,
                    first_latin,
                    last_latin,
                    "",
                    "",
                    sexes[i],
                    today - timedelta(days=age_days),
                    place[2],
                    "MA",
                    f"{rng.randint(1, 250)} Derb {last_latin}",
                    place[0],
                    f"+212{rng.choice('67')}{rng.randrange(10**8):08d}",
                    "",
                    education[i],
                    "",
                    keys.of(first.ar, last.ar, first_latin, last_latin),
                    search_scope_token(work[1]),
                    now,
                    now,
                )
            )
            status = statuses[i]
            registered = OPENED + timedelta(days=rng.randrange(span + 1))
            valid_until = registered + timedelta(days=validity)
            if status == Registration.Status.EXPIRED:
                registered = today - timedelta(days=validity + rng.randrange(1, 365))
                valid_until = registered + timedelta(days=validity)
            elif valid_until < today:
                status = Registration.Status.EXPIRED
            registrations.append(
                (
                    make_number(first_serial + index),
                    categories[i],
                    pid,
                    crafts[i],
                    workplaces[i],
                    work[0],
                    f"Atelier {rng.randint(1, 99)}, {work[2]}",
                    work[1],
                    status,
                    "",
                    registered,
                    valid_until,
                    now,
                    now,
                )
            )
        with transaction.atomic():
            insert_rows("register_person", PERSON_COLUMNS, persons)
            insert_rows("register_registration", REGISTRATION_COLUMNS, registrations)
        done += size
        if progress:
            progress(done)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('register_person', 'id'), "
                "(SELECT MAX(id) FROM register_person))"
            )
        # Fresh statistics, or the query planner guesses the sizes of a table that just
        # grew by millions of rows (and scans a province where it should use an index);
        # on PostgreSQL, VACUUM also merges the GIN index's pending entries.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE register_person, register_registration")
        else:
            cursor.execute("ANALYZE")
    return {
        "artisans": artisans,
        "first_number": make_number(first_serial),
        "last_number": make_number(first_serial + artisans - 1),
    }
