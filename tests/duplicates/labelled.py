"""A labelled set of realistic duplicates and hard non-duplicates (fixed seed).

Names come from hirfa.search.names (Arabic with their real Latin spellings). Each base
person gets one companion record, of one of these kinds:

- true duplicates: the same person typed again with another Latin spelling (same
  birth date); with a CNIE one character off; with a mistyped birth day but the same
  phone;
- hard non-duplicates: a brother (same family name and birth year, same family phone),
  a twin (same family name and birth date), namesakes (same full name, other birth date,
  in the same year or not).
"""

import random
from datetime import date, timedelta

from hirfa.search.names import FAMILY_NAMES, MALE_FIRST_NAMES

TRUE_KINDS = ("respelled", "cnie_typo", "birth_typo_same_phone")
FALSE_KINDS = ("brother", "twin", "namesake", "namesake_same_year")


def _spelling(rng, name, avoid=None):
    choices = [s for s in name.latin if s != avoid] or list(name.latin)
    return rng.choice(choices)


def _cnie_typo(rng, cnie, used):
    # In the leading digits, so that the typo is no other base person's CNIE.
    while True:
        i = rng.randrange(2, 5)
        digit = rng.choice([d for d in "123456789" if d != cnie[i]])
        typo = cnie[:i] + digit + cnie[i + 1 :]
        if typo not in used:
            used.add(typo)
            return typo


def labelled_set(size: int = 600, seed: int = 50_17):
    """(records, true_pairs): records are dicts of Person fields with a `key` index."""
    rng = random.Random(seed)
    records, truth, used = [], set(), set()
    first_weights = [n.weight for n in MALE_FIRST_NAMES]
    family_weights = [n.weight for n in FAMILY_NAMES]
    kinds = TRUE_KINDS + FALSE_KINDS
    for index in range(size // 2):
        first = rng.choices(MALE_FIRST_NAMES, weights=first_weights)[0]
        family = rng.choices(FAMILY_NAMES, weights=family_weights)[0]
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        base = {
            "cnie": f"LB{index:06d}",
            "first_name_ar": first.ar,
            "last_name_ar": family.ar,
            "first_name_latin": _spelling(rng, first),
            "last_name_latin": _spelling(rng, family),
            "birth_date": birth,
            "phone": f"+2126{index:08d}",
        }
        kind = kinds[index % len(kinds)]
        # Another card, far from the base one (real CNIEs are dense: neighbours are strangers).
        other = dict(
            base, cnie=f"WX{(123_457 + index * 7_919) % 1_000_000:06d}", phone=f"+2127{index:08d}"
        )
        other["first_name_latin"] = _spelling(rng, first, avoid=base["first_name_latin"])
        other["last_name_latin"] = _spelling(rng, family, avoid=base["last_name_latin"])
        if kind == "cnie_typo":
            other["cnie"] = _cnie_typo(rng, base["cnie"], used)
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
        elif kind == "namesake":
            other["birth_date"] = birth + timedelta(days=365 * rng.randint(2, 20))
        elif kind == "namesake_same_year":
            other["birth_date"] = birth.replace(month=12 if birth.month < 7 else 1, day=15)
        records += [base, other]
        if kind in TRUE_KINDS:
            truth.add((len(records) - 2, len(records) - 1))
    return records, truth


def load(records):
    """The records as Person rows (Tiznit); returns their ids in the same order."""
    from hirfa.register.models import Person
    from hirfa.territory.models import Commune
    from tests.factories import TIZNIT_CITY

    commune = Commune.objects.get(code=TIZNIT_CITY)
    persons = Person.objects.bulk_create(
        Person(
            **record,
            sex="M",
            birth_place="Tiznit",
            address="Derb",
            commune=commune,
            education="none",
        )
        for record in records
    )
    return [p.pk for p in persons]


def precision_recall(flagged: set, truth: set) -> tuple[float, float]:
    true_positives = len(flagged & truth)
    precision = true_positives / len(flagged) if flagged else 1.0
    return precision, true_positives / len(truth)
