"""How alike two persons are: a score from 0 to 100 and the reasons (ADR 0025, 0056).

Names are compared by their phonetic keys (hirfa.core.names), which are the same
for محمد, Mohamed and Mhamed: a person registered once in Arabic and once with another
Latin spelling still matches. Each piece of evidence has a weight, combined as
independent evidence (1 - Π(1 - w)); the weights were set on the labelled set
(hirfa.duplicates.labelled, measured by `make bench`) so that brothers, twins and
namesakes stay below the threshold.

Same names and the same birth date alone are not enough (ADR 0056): in a register of
millions the commonest names share birth days across the country. They are corroborated
by place — a commune or a province the two have in common, as home or workplace — by the
craft, or by an identifier: a CNIE one character away, the same phone. Place and craft
count only with the same names and birth date (they say nothing about strangers).
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from hirfa.core.names import phonetic_key
from hirfa.duplicates.models import Reason

THRESHOLD = 60
NAMES_SAME_BIRTH_DATE = 0.5
NAMES_SAME_BIRTH_YEAR = 0.45
NAMES_ONLY = 0.25
CNIE_ONE_CHARACTER = 0.5
SAME_PHONE = 0.35
# Corroboration of the same names and birth date (times the names' similarity).
SAME_COMMUNE = 0.5
SAME_PROVINCE = 0.25
SAME_ACTIVITY = 0.15
# Below this, two names are not called similar at all.
NAME_FLOOR = 0.75


@lru_cache(maxsize=100_000)
def key(name: str) -> str:
    return phonetic_key(name)


@dataclass(frozen=True)
class Profile:
    id: int
    cnie: str
    birth_date: date
    phone: str
    first: frozenset
    last: frozenset
    # Where the person lives and works, and their crafts (ids), as the register holds them.
    communes: frozenset = frozenset()
    provinces: frozenset = frozenset()
    activities: frozenset = frozenset()

    @classmethod
    def of(
        cls,
        id,
        cnie,
        first_ar,
        last_ar,
        first_latin,
        last_latin,
        birth_date,
        phone,
        *,
        communes=(),
        provinces=(),
        activities=(),
    ):
        return cls(
            id,
            cnie,
            birth_date,
            phone,
            frozenset(k for k in (key(first_ar), key(first_latin)) if k),
            frozenset(k for k in (key(last_ar), key(last_latin)) if k),
            frozenset(c for c in communes if c),
            frozenset(p for p in provinces if p),
            frozenset(a for a in activities if a),
        )


PROFILE_FIELDS = (
    "id",
    "cnie",
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "birth_date",
    "phone",
)


def _name_similarity(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    if a & b:
        return 1.0
    best = max(Levenshtein.normalized_similarity(x, y) for x in a for y in b)
    return best if best >= NAME_FLOOR else 0.0


def cnie_one_apart(a: str, b: str) -> bool:
    """One character replaced, added, removed, or two neighbours swapped."""
    return a != b and OSA.distance(a, b) <= 1


def _place_and_craft(a: Profile, b: Profile) -> list[tuple[float, str]]:
    found = []
    if a.communes & b.communes:
        found.append((SAME_COMMUNE, Reason.SAME_COMMUNE))
    elif a.provinces & b.provinces:
        found.append((SAME_PROVINCE, Reason.SAME_PROVINCE))
    if a.activities & b.activities:
        found.append((SAME_ACTIVITY, Reason.SAME_ACTIVITY))
    return found


def compare(a: Profile, b: Profile) -> tuple[int, list[str]]:
    names = _name_similarity(a.first, b.first) * _name_similarity(a.last, b.last)
    evidence, reasons = [], []
    if names:
        if a.birth_date == b.birth_date:
            evidence.append(NAMES_SAME_BIRTH_DATE * names)
            reasons.append(Reason.NAMES_AND_BIRTH_DATE)
            for weight, reason in _place_and_craft(a, b):
                evidence.append(weight * names)
                reasons.append(reason)
        else:
            same_year = a.birth_date.year == b.birth_date.year
            evidence.append((NAMES_SAME_BIRTH_YEAR if same_year else NAMES_ONLY) * names)
            reasons.append(Reason.SIMILAR_NAMES)
    if cnie_one_apart(a.cnie, b.cnie):
        evidence.append(CNIE_ONE_CHARACTER)
        reasons.append(Reason.CNIE_ONE_CHARACTER)
    if a.phone and a.phone == b.phone:
        evidence.append(SAME_PHONE)
        reasons.append(Reason.SAME_PHONE)
    remaining = 1.0
    for weight in evidence:
        remaining *= 1 - weight
    return round(100 * (1 - remaining)), [str(r) for r in reasons]


def cnie_variants(cnie: str) -> set[str]:
    """Every CNIE one character away that a card could carry (letters, then digits)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = "0123456789"
    variants = set()
    for i, char in enumerate(cnie):
        for other in letters if char.isalpha() else digits:
            variants.add(cnie[:i] + other + cnie[i + 1 :])
        variants.add(cnie[:i] + cnie[i + 1 :])
        if i + 1 < len(cnie):
            variants.add(cnie[:i] + cnie[i + 1] + cnie[i] + cnie[i + 2 :])
    for i in range(len(cnie) + 1):
        for other in digits if i else letters:
            variants.add(cnie[:i] + other + cnie[i:])
    variants.discard(cnie)
    return variants
