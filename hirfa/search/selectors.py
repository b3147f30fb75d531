"""Staff search over the register: numbers, identity cards, phones and names.

Always within the user's scope: the rows come from the register's scoped selectors
(`registrations_for`, `dossiers_for`, built on `hirfa.accounts.selectors.restrict`).

Names are matched on their phonetic keys (hirfa.core.names) in tiers, best first:
every typed name matching a key in full, then the last one as a prefix (as-you-type),
then one name at a time within one edit (fuzzy; not a name hundreds bear as typed),
each later tier only while less than a page was found;
within a tier, candidates are re-ranked by their similarity to what was typed
(rapidfuzz). See docs/search.md.

The records' statements are compiled once per shape (`hirfa/search/statements.py`,
decision 88) and the page is read as values (`Hit`).
"""

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from rapidfuzz import fuzz

from hirfa.accounts.selectors import scope_of
from hirfa.core import validators
from hirfa.core.names import fold_latin, name_text, query_keys
from hirfa.register import numbers
from hirfa.register.filters import RegistrationFilters
from hirfa.register.models import LegalEntity, Person, search_scope_token
from hirfa.register.selectors import access_of, registrants_shown_by_id
from hirfa.search import statements
from hirfa.search.backends import EXACT, PREFIX, backend
from hirfa.search.statements import APPLICATION, REGISTRATION, WINDOW, Hit, Where
from hirfa.territory.models import Province

PAGE_SIZE = 20
# Candidates fetched per tier and re-ranked (WINDOW, `statements.py`); a query matching
# more asks for more letters.
MAX_QUERY_LENGTH = 100
# Below this closeness (mean over the typed words of the best word similarity), a
# candidate of the fuzzy tier is noise.
FUZZY_THRESHOLD = 75
# Below this many matching registrants, their ids are passed to the database as a list
# (exact, and the fastest plan); above, as a subquery capped by the backend.
FEW = 300
KEY_CLASSES = "bdfghjklmnrstxz"
_REGISTRANTS = (("person_id", "register_person"), ("entity_id", "register_legalentity"))
_DIGITS_ONLY = re.compile(r"[\d\s.\-+()\u0660-\u0669\u06f0-\u06f9]+")


# The filters of a search: those of every list of registrations (`register/filters.py`).
Filters = RegistrationFilters


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    total: int = 0
    # True when many registrants matched and only the closest candidates were ranked:
    # the page asks for more letters or a filter.
    truncated: bool = False
    kind: str = ""

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _scope_tokens(user, filters: Filters) -> set[str] | None:
    """The provinces a search is limited to, as tokens of the name index (ADR 0080):
    the user's scope and the region and province filters; None for the whole country."""
    scope = scope_of(user)
    provinces = None
    if scope.province_id:
        provinces = {scope.province_id}
    elif scope.region_id:
        provinces = set(
            Province.objects.filter(region_id=scope.region_id).values_list("id", flat=True)
        )
    if filters.province or filters.region:
        wanted = Province.objects.all()
        if filters.province:
            wanted = wanted.filter(code=filters.province)
        if filters.region:
            wanted = wanted.filter(region__code=filters.region)
        chosen = set(wanted.values_list("id", flat=True))
        provinces = chosen if provinces is None else provinces & chosen
    if provinces is None:
        return None
    return {search_scope_token(province) for province in provinces}


def _covered(where: Where) -> list[bool]:
    """Whether each source keeps every registrant the scoped name index gives: the
    registrations, when no filter but a region or a province narrows them (their scope
    is in the index). Applications keep only the open ones of registrants not registered."""
    filters = where.filters
    narrowed = filters.commune or filters.activity or filters.category or filters.status
    return [source == REGISTRATION and not narrowed for source in where.sources]


def _by_identifier(query: str) -> tuple[str, list[tuple]] | None:
    """A registration number, CNIE or phone number in the query, as conditions
    (`statements.identified`)."""
    try:
        cnie = validators.normalise_cnie(query)
        return "cnie", [("person_id", "", "", statements.registrants(Person, "cnie", cnie))]
    except ValidationError:
        pass
    if not _DIGITS_ONLY.fullmatch(query):
        return None
    try:
        return "number", [("number", numbers.parse_number(query))]
    except ValidationError:
        pass
    digits = "".join(c for c in validators._fold(query) if c.isdigit())
    if len(digits) == 9 and digits[0] != "0":
        # The number without its check digit, read from an old paper.
        return "number", [("number", numbers.make_number(int(digits)))]
    try:
        phone = validators.normalise_phone(query, mobile_only=False)
        # The registrants first (by the phone index), then their rows: a join or an OR
        # across the two registrant tables would scan the register.
        return "phone", [
            ("person_id", "", "", statements.registrants(Person, "phone", phone)),
            ("entity_id", "", "", statements.registrants(LegalEntity, "phone", phone)),
        ]
    except ValidationError:
        pass
    if 4 <= len(digits) < numbers.LENGTH and digits[0] != "0":
        # The beginning of a number, as it is typed.
        pad = numbers.LENGTH - len(digits)
        return "number", [("range", digits + "0" * pad, digits + "9" * pad)]
    return None


def _identifier_hits(where: Where, kind: str, conditions: list[tuple]) -> list:
    keys = {}
    for number, source in enumerate(where.sources):
        # Applications have no number yet.
        if source == APPLICATION and kind == "number":
            continue
        for condition in conditions:
            for pk in statements.identified(where, source, *condition):
                keys.setdefault((number, pk))  # in the order found, once
    return list(keys)


@functools.lru_cache(maxsize=16_384)
def _texts(names: tuple) -> tuple[str, str]:
    """A candidate's names as ranked, in each script (names repeat between searches: the
    register holds a few tens of thousands of first and family name pairs)."""
    half = len(names) // 2
    return name_text(*names[:half]), name_text(*names[half:])


def _score(query: str, names: tuple) -> tuple[float, float]:
    """How close a candidate's names are to the query, in either script: every typed name
    found (set ratio) first, then the closest whole (sort ratio)."""
    first, second = _texts(names)
    found_first = fuzz.token_set_ratio(query, first)
    found_second = fuzz.token_set_ratio(query, second)
    # The script whose set ratio is higher wins whatever its sort ratio.
    if found_first > found_second:
        return found_first, fuzz.token_sort_ratio(query, first)
    if found_second > found_first:
        return found_second, fuzz.token_sort_ratio(query, second)
    return found_first, max(
        fuzz.token_sort_ratio(query, first), fuzz.token_sort_ratio(query, second)
    )


def _closeness(query: str, names: tuple) -> float:
    """The mean, over the typed words, of how close each is to a word of the names."""
    typed = query.split()
    return max(
        sum(max((fuzz.ratio(word, other) for other in script), default=0) for word in typed)
        / len(typed)
        for script in (text.split() for text in _texts(names))
    )


@functools.lru_cache(maxsize=4096)
def _neighbours(key: str) -> frozenset[str]:
    """The keys one edit away (a consonant missed, added, changed or swapped); kept, the
    keys of names repeating from one search to the next."""
    if len(key) < 2:
        return frozenset({key})
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    found = {key}
    found |= {left + right[1:] for left, right in splits if right}
    found |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    found |= {left + c + right[1:] for left, right in splits if right for c in KEY_CLASSES}
    found |= {left + c + right for left, right in splits for c in KEY_CLASSES}
    return frozenset(neighbour for neighbour in found if neighbour)


def _candidates(where: Where, groups, mode, *, broad=True, covered=()) -> tuple[list, bool]:
    """(source number, pk, names…) of up to WINDOW rows per source and registrant table.

    `groups` may begin with the scope's provinces (tokens of the index). Not `broad`: a
    match of more than FEW registrants is dropped (a fuzzy expansion that wide says
    nothing, and intersecting it with a scope is the costliest query).
    """
    index = backend()
    rows, truncated = [], False
    # Persons and legal entities in one statement.
    matches = index.ids_by_table([table for _column, table in _REGISTRANTS], groups, mode, FEW + 1)
    for column, table in _REGISTRANTS:
        ids = matches[table]
        if len(ids) > FEW and not broad:
            continue
        if len(ids) > FEW:
            truncated = True
        if not ids:
            continue
        matching = {}
        for number in range(len(where.sources)):
            matching[number] = ids
            if len(ids) > FEW and not covered[number]:
                # Many registrants match and a filter the index does not hold keeps some:
                # let the database intersect them with it (at most `many` of them).
                matching[number] = index.subquery(table, groups, mode, index.many)
            # (A covered source — the national scope or a province's, no other filter —
            # has a row for nearly every registrant the index gives, in its scope: the
            # first FEW matches fill the window, nothing to intersect.)
        found = statements.matching(where, column, matching)
        counts = Counter(row[0] for row in found)
        truncated = truncated or WINDOW in counts.values()
        rows += found
    return rows, truncated


def _held_by_many(group: set[str]) -> bool:
    """Whether more than FEW people bear one of these keys as typed.

    Such a name is spelt as the register holds it: its neighbours one edit away are
    common keys too, whose union is the costliest query of a search and finds noise."""
    return backend().count(Person._meta.db_table, [group], EXACT, FEW + 1) > FEW


def _name_hits(where: Where, query: str, scope=None, covered=()) -> tuple[list, bool]:
    """The (source number, pk) of the best candidates, best first.

    `scope`: the provinces' tokens the index is asked for beside the names (None: the
    whole country)."""
    groups = query_keys(query)
    if not groups or scope == set():
        return [], False
    within = [] if scope is None else [scope]
    folded = fold_latin(query)
    ranked, seen, truncated = [], set(), False
    scores: dict[tuple, tuple | None] = {}
    tiers: list[tuple] = [(EXACT, groups)]
    if all(len(key) >= 2 for key in groups[-1]):
        # A one-letter prefix would match half the register.
        tiers.append((PREFIX, groups))
    # Fuzzy: one typed name at a time one edit away, the others as typed (selective).
    for index, group in enumerate(groups):
        near = set().union(*map(_neighbours, group))
        tiers.append((EXACT, [*groups[:index], near, *groups[index + 1 :]], group))
    for tier, (mode, tier_groups, *expanded) in enumerate(tiers):
        fuzzy = bool(expanded)
        # A later tier only completes a first page: as-you-type, the next letter narrows.
        if tier and len(ranked) >= PAGE_SIZE:
            break
        if fuzzy and _held_by_many(expanded[0]):
            continue
        rows, tier_truncated = _candidates(
            where, [*within, *tier_groups], mode, broad=not fuzzy, covered=covered
        )
        truncated = truncated or tier_truncated
        scored = []
        for number, pk, *row in rows:
            if (number, pk) in seen:
                continue
            names = tuple(row)
            # Candidates share names (two hundred Mohamed Alaoui): each is scored once.
            key = (fuzzy, *names)
            if key not in scores:
                close = not fuzzy or _closeness(folded, names) >= FUZZY_THRESHOLD
                scores[key] = _score(folded, names) if close else None
            if scores[key] is None:
                continue
            scored.append((scores[key], (number, pk)))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        for _value, key in scored:
            seen.add(key)
            ranked.append(key)
    return ranked[:WINDOW], truncated


def search(user, query: str, filters: Filters | None = None, page: int = 1) -> Results:
    """What matches `query` in the user's scope, best first, one page of it."""
    filters = filters or Filters()
    query = str(query or "").strip()[:MAX_QUERY_LENGTH]
    where = Where(*access_of(user), filters)
    identifier = _by_identifier(query) if query else None
    if identifier:
        kind, conditions = identifier
        keys, truncated = _identifier_hits(where, kind, conditions), False
    elif query:
        kind = "name"
        scope = _scope_tokens(user, filters)
        keys, truncated = _name_hits(where, query, scope, _covered(where))
    else:
        return Results()
    pages = max(1, -(-len(keys) // PAGE_SIZE))
    page = min(max(1, page), pages)
    start = (page - 1) * PAGE_SIZE
    hits = statements.page(where, keys[start : start + PAGE_SIZE])
    # A search by CNIE or name reads whoever it finds.
    registrants_shown_by_id((hit.person_id, hit.entity_id, hit.province_code) for hit in hits)
    return Results(
        hits=hits,
        total=len(keys),
        page=page,
        pages=pages,
        truncated=truncated,
        kind=kind,
    )
