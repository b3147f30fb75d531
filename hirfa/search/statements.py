"""The search's reads, each compiled once per connection and shape (decision 88).

A search runs a handful of statements: the registrants matching the typed names (raw,
`backends.py`), the registrations and applications of those registrants, and one page of
them. Built by the ORM on every call, the last two cost more Python than the database
spends answering them; here they are written with the ORM once per shape — which records
(registrations, applications), the reader's access (`register.selectors.access_of`: own
file, national, region, province), the filters used, the registrants' column — and then
run with the call's values (`hirfa.core.prepared.Prepared`): the scope's id, the filters'
codes and the ids (or the subquery) the records must belong to.

The page is read as values, not model instances: the columns a list of results shows.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from hirfa.core.models import name_in_language
from hirfa.core.prepared import In, Prepared
from hirfa.register.filters import RegistrationFilters
from hirfa.register.models import Dossier, Registration, person_name_ar, person_name_latin
from hirfa.register.numbers import format_number
from hirfa.register.rules import OPEN_STATES
from hirfa.register.selectors import dossiers_seen, registrations_seen

# Candidates read per source and registrant table, then ranked.
WINDOW = 200
FILTERS = ("region", "province", "commune", "activity", "category", "status")
REGISTRATION, APPLICATION = "registration", "application"

NAME_COLUMNS = {
    "person_id": (
        "person__first_name_ar",
        "person__last_name_ar",
        "person__first_name_latin",
        "person__last_name_latin",
    ),
    "entity_id": ("entity__name_ar", "entity__name_fr"),
}
_NAMED = ("name_ar", "name_fr", "name_zgh")
_PAGE_COLUMNS = (
    "pk",
    "person_id",
    "entity_id",
    *NAME_COLUMNS["person_id"],
    *NAME_COLUMNS["entity_id"],
    "category",
    "principal_activity__code",
    *(f"principal_activity__{name}" for name in _NAMED),
    "province__code",
    "workplace_commune__code",
    *(f"workplace_commune__{name}" for name in _NAMED),
)


@dataclass(frozen=True)
class Where:
    """Whose records a search reads: the reader's access and the filters."""

    kind: str
    area: int
    filters: RegistrationFilters

    @property
    def used(self) -> tuple[bool, ...]:
        return tuple(bool(getattr(self.filters, name)) for name in FILTERS)

    @property
    def values(self) -> tuple:
        return (self.area, *(getattr(self.filters, name) for name in FILTERS))

    @property
    def sources(self) -> list[str]:
        """Registrations, and applications of registrants not (yet) registered."""
        status = self.filters.status
        found = []
        if not status or status in Registration.Status.values:
            found.append(REGISTRATION)
        if not status or status in Dossier.State.values:
            found.append(APPLICATION)
        return found

    def shape(self, source: str, *more) -> tuple:
        return (source, self.kind, self.used, *more)


def _filtered(queryset: QuerySet, filters: RegistrationFilters, *, status_field: str):
    if filters.region:
        queryset = queryset.filter(province__region__code=filters.region)
    if filters.province:
        queryset = queryset.filter(province__code=filters.province)
    if filters.commune:
        queryset = queryset.filter(workplace_commune__code=filters.commune)
    if filters.activity:
        queryset = queryset.filter(principal_activity__code=filters.activity)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.status:
        queryset = queryset.filter(**{status_field: filters.status})
    return queryset


def source(shape: tuple, area: int, *codes: str) -> QuerySet:
    """The records of one source, in the reader's access, filtered (`shape` and values as
    `Where` gives them)."""
    name, kind, used = shape[:3]
    filters = RegistrationFilters(
        **{key: code if on else "" for key, on, code in zip(FILTERS, used, codes, strict=True)}
    )
    if name == REGISTRATION:
        return _filtered(registrations_seen(kind, area), filters, status_field="status")
    dossiers = dossiers_seen(kind, area).filter(registration__isnull=True)
    if not filters.status:
        dossiers = dossiers.filter(state__in=OPEN_STATES)
    return _filtered(dossiers, filters, status_field="state")


def _matching(shape, area, *rest) -> QuerySet:
    *codes, ids = rest
    column = shape[3]
    found = source(shape, area, *codes).filter(**{f"{column}__in": ids})
    return found.values_list("pk", *NAME_COLUMNS[column])[:WINDOW]


def _identified(shape, area, *rest) -> QuerySet:
    *codes, first, last, ids = rest
    found = source(shape, area, *codes)
    condition = shape[3]
    if condition == "number":
        found = found.filter(number=first)
    elif condition == "range":
        found = found.filter(number__range=(first, last))
    else:
        found = found.filter(**{f"{condition}__in": ids})
    return found.values_list("pk")[:WINDOW]


def _page(shape, area, *rest) -> QuerySet:
    *codes, ids = rest
    extra = ("number", "status") if shape[0] == REGISTRATION else ("state",)
    return source(shape, area, *codes).filter(pk__in=ids).values_list(*_PAGE_COLUMNS, *extra)


def _registrants(shape, value) -> QuerySet:
    model, column = shape
    return model.objects.filter(**{column: value}).values_list("id")[:WINDOW]


_CODES = (str,) * len(FILTERS)
_MATCHING = Prepared(_matching, int, *_CODES, In)
_IDENTIFIED = Prepared(_identified, int, *_CODES, str, str, In)
_PAGE = Prepared(_page, int, *_CODES, In)
_REGISTRANTS = Prepared(_registrants, str)
READS = (_MATCHING, _IDENTIFIED, _PAGE, _REGISTRANTS)


def registrants(model, column: str, value: str) -> list[int]:
    """The ids of up to WINDOW persons or legal entities by an identifier (CNIE, phone)."""
    return [row[0] for row in _REGISTRANTS.rows((model, column), value)]


def matching(where: Where, column: str, ids_by_source: dict[int, object]) -> list[tuple]:
    """(source number, pk, names…) of up to WINDOW records of each source (numbered as in
    `where.sources`) whose registrant (`column`) is one of its ids (a list, or a
    subquery): in one statement, the sources' reads joined by `UNION ALL`."""
    parts, found = [], []
    for number, ids in ids_by_source.items():
        shape = where.shape(where.sources[number], column)
        statement = _MATCHING.statement(shape, *where.values, ids)
        if statement is None:  # left to the ORM
            found += [(number, *row) for row in _MATCHING.rows(shape, *where.values, ids)]
        else:
            parts.append((number, statement))
    if parts:
        sql = " UNION ALL ".join(
            f"SELECT {number} AS source, * FROM ({part}) AS part{number}"
            for number, (part, _params) in parts
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [param for _number, (_sql, params) in parts for param in params])
            found += cursor.fetchall()
    # In the order of the sources, each in its statement's order.
    return sorted(found, key=lambda row: row[0])


def identified(where: Where, source_name: str, condition: str, first="", last="", ids=()):
    """The pks of up to WINDOW records of a source: by number (`first`), by a range of
    numbers (`first`, `last`), or by registrant ("person_id", "entity_id": `ids`)."""
    if condition in ("person_id", "entity_id") and not ids:
        return []
    shape = where.shape(source_name, condition)
    return [row[0] for row in _IDENTIFIED.rows(shape, *where.values, first, last, list(ids))]


@dataclass
class Hit:
    """One result: a registration or an application, as the list of results shows it."""

    kind: str
    pk: int
    person_id: int | None
    entity_id: int | None
    name_ar: str
    name_latin: str
    category: str
    # The registration's status, or the application's state.
    status: str
    activity_code: str
    activity_names: tuple[str, str, str]
    province_code: str
    commune_code: str
    commune_names: tuple[str, str, str]
    number: str | None = None
    # Set by a page: where the result leads.
    link: str = field(default="", compare=False)

    @property
    def is_registration(self) -> bool:
        return self.kind == REGISTRATION

    @property
    def formatted_number(self) -> str:
        return format_number(self.number) if self.number else ""

    @property
    def status_label(self) -> str:
        choices = Registration.Status if self.is_registration else Dossier.State
        return str(dict(choices.choices).get(self.status, self.status))

    @property
    def activity_name(self) -> str:
        return name_in_language(*self.activity_names)

    @property
    def commune_name(self) -> str:
        return name_in_language(*self.commune_names)


def _hit(source_name: str, row: tuple) -> Hit:
    (pk, person_id, entity_id, first_ar, last_ar, first_latin, last_latin, entity_ar,
     entity_fr, category, activity, activity_ar, activity_fr, activity_zgh, province,
     commune, commune_ar, commune_fr, commune_zgh, *rest) = row  # fmt: skip
    person = person_id is not None
    return Hit(
        kind=source_name,
        pk=pk,
        person_id=person_id,
        entity_id=entity_id,
        name_ar=person_name_ar(first_ar, last_ar) if person else entity_ar,
        name_latin=person_name_latin(first_latin, last_latin) if person else entity_fr,
        category=category,
        status=rest[-1],
        activity_code=activity,
        activity_names=(activity_ar, activity_fr, activity_zgh),
        province_code=province,
        commune_code=commune,
        commune_names=(commune_ar, commune_fr, commune_zgh),
        number=rest[0] if source_name == REGISTRATION else None,
    )


def page(where: Where, keys: list[tuple[int, int]]) -> list[Hit]:
    """The results of `keys` ((source number, pk), numbering `where.sources`), in order."""
    found = {}
    for number, source_name in enumerate(where.sources):
        pks = [pk for source_number, pk in keys if source_number == number]
        if pks:
            rows = _PAGE.rows(where.shape(source_name), *where.values, pks)
            found.update({(number, row[0]): _hit(source_name, row) for row in rows})
    return [found[key] for key in keys if key in found]
