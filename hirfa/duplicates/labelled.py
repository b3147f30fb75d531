"""A labelled set of realistic duplicates and hard non-duplicates (fixed seed; ADR 0056).

Names come from hirfa.search.names (Arabic with their real Latin spellings, drawn in
proportion to how common they are), communes from the real territory, activities from the
crafts nomenclature. Each base person gets one companion record, of one of these kinds:

- true duplicates: the same person typed again with another Latin spelling, in the same
  commune or in another commune of the same province; re-registered in another province with
  a CNIE one character off; moved to another province keeping their phone; with a mistyped
  birth day and the same phone;
- hard non-duplicates: a brother (same family name and birth year, same family phone, same
  commune), a twin (same family name and birth date), namesakes (same full name, other birth
  date, in the same year or not) and — the case that floods officers in a register of
  millions — namesakes born the same day in another province, with or without the same craft.

`load` writes the records as persons, each with a registration (workplace and activity):
used by tests/duplicates and by `make bench` (bench/duplicates.py).
"""

import random
from datetime import date, timedelta

from hirfa.core.names import name_keys
from hirfa.crafts.models import Activity
from hirfa.register.models import Person, Registration
from hirfa.register.numbers import make_number
from hirfa.search.names import FAMILY_NAMES, MALE_FIRST_NAMES
from hirfa.territory.models import Commune, Province

TRUE_KINDS = (
    "respelled_same_commune",
    "respelled_same_province",
    "cnie_typo_moved",
    "moved_same_phone",
    "birth_typo_same_phone",
)
FALSE_KINDS = (
    "brother",
    "twin",
    "namesake",
    "namesake_same_year",
    "namesake_same_date_elsewhere",
    "namesake_same_date_same_craft_elsewhere",
)
# Places and crafts the set draws from: index into `places` (province, its communes).
PROVINCES = 12
COMMUNES_PER_PROVINCE = 4
ACTIVITIES = 20


def _spelling(rng, name, avoid=None):
    choices = [s for s in name.latin if s != avoid] or list(name.latin)
    return rng.choice(choices)


def _cnie_typo(rng, cnie, used):
    # In the two leading digits, so that the typo is no other base person's CNIE (the set
    # holds fewer than 10,000 base persons).
    while True:
        i = rng.randrange(2, 4)
        digit = rng.choice([d for d in "123456789" if d != cnie[i]])
        typo = cnie[:i] + digit + cnie[i + 1 :]
        if typo not in used:
            used.add(typo)
            return typo


def _elsewhere(rng, province):
    return rng.choice([p for p in range(PROVINCES) if p != province])


def labelled_set(size: int = 600, seed: int = 50_17):
    """(records, true_pairs): records are dicts of Person fields plus `_place`
    ((province index, commune index)) and `_activity` (index); pairs index the records."""
    rng = random.Random(seed)
    records, truth, used = [], set(), set()
    first_weights = [n.weight for n in MALE_FIRST_NAMES]
    family_weights = [n.weight for n in FAMILY_NAMES]
    kinds = TRUE_KINDS + FALSE_KINDS
    for index in range(size // 2):
        first = rng.choices(MALE_FIRST_NAMES, weights=first_weights)[0]
        family = rng.choices(FAMILY_NAMES, weights=family_weights)[0]
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        province = rng.randrange(PROVINCES)
        place = (province, rng.randrange(COMMUNES_PER_PROVINCE))
        base = {
            "cnie": f"LB{index:06d}",
            "first_name_ar": first.ar,
            "last_name_ar": family.ar,
            "first_name_latin": _spelling(rng, first),
            "last_name_latin": _spelling(rng, family),
            "birth_date": birth,
            "phone": f"+2126{index:08d}",
            "_place": place,
            "_activity": rng.randrange(ACTIVITIES),
        }
        kind = kinds[index % len(kinds)]
        # Another card, far from the base one (real CNIEs are dense: neighbours are strangers).
        other = dict(
            base, cnie=f"WX{(123_457 + index * 7_919) % 1_000_000:06d}", phone=f"+2127{index:08d}"
        )
        other["first_name_latin"] = _spelling(rng, first, avoid=base["first_name_latin"])
        other["last_name_latin"] = _spelling(rng, family, avoid=base["last_name_latin"])
        moved = (_elsewhere(rng, province), rng.randrange(COMMUNES_PER_PROVINCE))
        if kind == "respelled_same_province":
            other["_place"] = (province, (place[1] + 1) % COMMUNES_PER_PROVINCE)
        elif kind == "cnie_typo_moved":
            other["cnie"] = _cnie_typo(rng, base["cnie"], used)
            other["_place"] = moved
        elif kind == "moved_same_phone":
            other["phone"], other["_place"] = base["phone"], moved
        elif kind == "birth_typo_same_phone":
            other["birth_date"] = birth.replace(day=1 if birth.day != 1 else 2)
            other["phone"] = base["phone"]
        elif kind in ("brother", "twin"):
            brother = rng.choice([n for n in MALE_FIRST_NAMES if n.ar != first.ar])
            other["first_name_ar"] = brother.ar
            other["first_name_latin"] = _spelling(rng, brother)
            other["phone"] = base["phone"]
            if kind == "brother":
                other["birth_date"] = birth.replace(month=12 if birth.month < 7 else 1, day=15)
        elif kind.startswith("namesake"):
            other["_place"] = moved if rng.random() < 0.8 else place
            other["_activity"] = rng.randrange(ACTIVITIES)
            if kind == "namesake":
                other["birth_date"] = birth + timedelta(days=365 * rng.randint(2, 20))
            elif kind == "namesake_same_year":
                other["birth_date"] = birth.replace(month=12 if birth.month < 7 else 1, day=15)
            else:
                other["_place"] = moved
                if kind == "namesake_same_date_same_craft_elsewhere":
                    other["_activity"] = base["_activity"]
        records += [base, other]
        if kind in TRUE_KINDS:
            truth.add((len(records) - 2, len(records) - 1))
    return records, truth


def places():
    """[(province, [communes])]: the set's provinces, each with its first communes."""
    provinces = Province.objects.order_by("code")
    chosen = []
    for province in provinces:
        communes = list(Commune.objects.filter(province=province).order_by("code"))
        if len(communes) >= COMMUNES_PER_PROVINCE:
            chosen.append((province, communes[:COMMUNES_PER_PROVINCE]))
        if len(chosen) == PROVINCES:
            return chosen
    raise ValueError("The territory is not loaded.")


def load(records):
    """The records as Person rows, each with an active registration; returns their ids."""

    territory = places()
    activities = list(Activity.objects.filter(is_active=True).order_by("code")[:ACTIVITIES])
    fields = [{k: v for k, v in record.items() if not k.startswith("_")} for record in records]
    persons = Person.objects.bulk_create(
        Person(
            **values,
            search_keys=name_keys(*(values[field] for field in Person.NAME_FIELDS)),
            sex="M",
            birth_place="Tiznit",
            address="Derb",
            commune=territory[record["_place"][0]][1][record["_place"][1]],
            education="none",
        )
        for values, record in zip(fields, records, strict=True)
    )
    Registration.objects.bulk_create(
        Registration(
            number=make_number(900_000_000 + i),
            category="artisan_experience",
            person=person,
            principal_activity=activities[record["_activity"] % len(activities)],
            workplace_kind="workshop",
            workplace_commune=person.commune,
            workplace_address="Atelier",
            province=territory[record["_place"][0]][0],
            registered_on=date(2024, 1, 1),
            valid_until=date(2029, 1, 1),
        )
        for i, (person, record) in enumerate(zip(persons, records, strict=True))
    )
    return [p.pk for p in persons]


def precision_recall(flagged: set, truth: set) -> tuple[float, float]:
    true_positives = len(flagged & truth)
    precision = true_positives / len(flagged) if flagged else 1.0
    return precision, true_positives / len(truth)
