"""How alike two persons are: a score from 0 to 100 and the reasons (ADR 0025).

Names are compared by their phonetic keys (hirfa.core.names), which are the same
for محمد, Mohamed and Mhamed: a person registered once in Arabic and once with another
Latin spelling still matches. Each piece of evidence has a weight, combined as
independent evidence (1 - Π(1 - w)); the weights were set on the labelled test set
(tests/duplicates) so that brothers and twins stay below the threshold.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from hirfa.core.names import phonetic_key
from hirfa.duplicates.models import Reason

THRESHOLD = 60
NAMES_SAME_BIRTH_DATE = 0.85
NAMES_SAME_BIRTH_YEAR = 0.45
NAMES_ONLY = 0.25
CNIE_ONE_CHARACTER = 0.5
SAME_PHONE = 0.35
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

    @classmethod
    def of(cls, id, cnie, first_ar, last_ar, first_latin, last_latin, birth_date, phone):
        return cls(
            id,
            cnie,
            birth_date,
            phone,
            frozenset(k for k in (key(first_ar), key(first_latin)) if k),
            frozenset(k for k in (key(last_ar), key(last_latin)) if k),
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


def compare(a: Profile, b: Profile) -> tuple[int, list[str]]:
    names = _name_similarity(a.first, b.first) * _name_similarity(a.last, b.last)
    evidence, reasons = [], []
    if names:
        if a.birth_date == b.birth_date:
            evidence.append(NAMES_SAME_BIRTH_DATE * names)
            reasons.append(Reason.NAMES_AND_BIRTH_DATE)
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
