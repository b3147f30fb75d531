"""The open data: national counts from the aggregates, protected by `disclosure` before they
leave (docs/decisions/0048). No login, no scope: the whole country, and nothing finer than a
protected cell."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hirfa.core.errors import DomainError
from hirfa.crafts.models import Activity, Branch
from hirfa.register.models import Category, Sex
from hirfa.stats import disclosure, ledger, measures
from hirfa.stats.filters import shift
from hirfa.stats.models import Count
from hirfa.territory.models import Commune, Province, Region

LIVE = ("active", "suspended")
ROWS = ("region", "province")
COLUMNS = ("branch", "category", "sex", "month")
TOTAL_CODE = "_T"
MONTHS = 24
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])", re.ASCII)
_CODE = re.compile(r"[0-9A-Za-z._-]{1,16}", re.ASCII)


@dataclass(frozen=True)
class Query:
    rows: str = "region"
    columns: str = "branch"
    region: str = ""
    province: str = ""
    commune: str = ""
    activity: str = ""
    start: date | None = None
    end: date | None = None

    @property
    def key(self) -> str:
        return f"registrations-{self.rows}-{self.columns}"


# The published files: each a protected table (rows × columns) of live registrations.
PUBLISHED = tuple(Query(rows=rows, columns=columns) for rows in ROWS for columns in COLUMNS)


def _choice(value, allowed, field, errors):
    if value not in allowed:
        errors[field] = [_("Choose one of the proposed values.")]
    return value


def _code(value, model, field, errors) -> str:
    value = str(value or "")
    if not value:
        return ""
    if not _CODE.fullmatch(value) or not model.objects.filter(code=value).exists():
        errors[field] = [_("Unknown code.")]
    return value


def clean(params) -> Query:
    """The open-data query of `params`, or a DomainError (translated)."""
    errors: dict[str, list] = {}
    known = {"rows", "columns", "region", "province", "commune", "activity", "from", "to"}
    unknown = sorted(set(params) - known)
    if unknown:
        errors["filters"] = [
            _("Unknown filter: %(names)s.") % {"names": ", ".join(n[:20] for n in unknown)}
        ]
    rows = _choice(params.get("rows") or "region", ROWS, "rows", errors)
    columns = _choice(params.get("columns") or "branch", COLUMNS, "columns", errors)
    this_month = timezone.localdate().replace(day=1)
    months = {}
    for field in ("from", "to"):
        value = params.get(field)
        if value:
            if not _MONTH.fullmatch(str(value)):
                errors[field] = [
                    _("Write a month as %(format)s, for example %(example)s.")
                    % {"format": "YYYY-MM", "example": "2026-03"}
                ]
            else:
                year, month = str(value).split("-")
                months[field] = date(int(year), int(month), 1)
    if months.get("to") and months["to"] > this_month:
        errors["to"] = [_("The period cannot end in the future.")]
    if months.get("from") and months["from"] > months.get("to", this_month):
        errors["from"] = [_("The period must start before it ends.")]
    query = Query(
        rows=rows,
        columns=columns,
        region=_code(params.get("region"), Region, "region", errors),
        province=_code(params.get("province"), Province, "province", errors),
        commune=_code(params.get("commune"), Commune, "commune", errors),
        activity=_code(params.get("activity"), Activity, "activity", errors),
        start=months.get("from"),
        end=months.get("to"),
    )
    if errors:
        raise DomainError(_("Check the filters."), fields=errors)
    return query


def _month_span(query: Query) -> tuple[date, date]:
    end = query.end or timezone.localdate().replace(day=1)
    return query.start or shift(end, -(MONTHS - 1)), end


def _counts(query: Query):
    # The narrow questions read every dimension; the others a small roll-up.
    fine = query.commune or query.activity
    measure = (
        measures.REGISTRATIONS if fine else measures.ROLLUPS.get(query.columns, measures.PLACE)
    )
    counted = Count.objects.filter(measure=measure, state__in=LIVE).exclude(n=0)
    if query.region:
        counted = counted.filter(region_id=Region.objects.get(code=query.region).pk)
    if query.province:
        counted = counted.filter(province_id=Province.objects.get(code=query.province).pk)
    if query.commune:
        counted = counted.filter(commune_id=Commune.objects.get(code=query.commune).pk)
    if query.activity:
        counted = counted.filter(activity_id=Activity.objects.get(code=query.activity).pk)
    if query.columns == "month" or query.start or query.end:
        start, end = _month_span(query)
        counted = counted.filter(month__gte=start, month__lte=end)
    return counted


def _row_labels(query: Query, ids) -> list[tuple[int, str, str]]:
    model = Region if query.rows == "region" else Province
    places = model.objects.order_by("code")
    if query.rows == "province" and query.region:
        places = places.filter(region__code=query.region)
    if query.province:
        places = places.filter(code=query.province[: 2 if query.rows == "region" else 6])
    return [(p.pk, p.code, p.name) for p in places]


def _column_labels(query: Query) -> list[tuple[object, str, str]]:
    if query.columns == "branch":
        return [(b.pk, b.code, b.name) for b in Branch.objects.order_by("code")]
    if query.columns == "category":
        return [(c.value, c.value, str(c.label)) for c in Category]
    if query.columns == "sex":
        return [(s.value, s.value, str(s.label)) for s in Sex] + [
            ("", "E", _("Cooperatives and enterprises"))
        ]
    start, end = _month_span(query)
    months, month = [], start
    while month <= end:
        months.append((month, f"{month:%Y-%m}", f"{month:%Y-%m}"))
        month = shift(month, 1)
    return months


@dataclass(frozen=True)
class Published:
    query: Query
    rows: list[tuple[str, str]]  # (code, name)
    columns: list[tuple[str, str]]
    protected: disclosure.Protected

    def long_rows(self):
        """(area code, area name, column code, column name, count or None) with the totals."""
        grid = self.protected
        for i, (code, name) in enumerate(self.rows):
            for j, (ccode, cname) in enumerate(self.columns):
                yield code, name, ccode, cname, grid.cells[i][j]
            yield code, name, TOTAL_CODE, _("Total"), grid.row_totals[i]
        for j, (ccode, cname) in enumerate(self.columns):
            yield TOTAL_CODE, _("Total"), ccode, cname, grid.column_totals[j]
        yield TOTAL_CODE, _("Total"), TOTAL_CODE, _("Total"), grid.total


# The open data are read again from the counts at most this often (methodology page): a
# national cross-table sums up to a few hundred thousand counts and protects them.
CACHE_SECONDS = 300


def _cached(name: str, compute):
    digest = hashlib.sha256(f"{get_language()}|{name}".encode()).hexdigest()[:32]

    def counted():
        ledger.catch_up_if_noted()  # the changes noted since the last fold, first (0068)
        return compute()

    return cache.get_or_set(f"open-data:{digest}", counted, CACHE_SECONDS)


def table(query: Query) -> Published:
    """The protected cross-table of live registrations for `query` (cached a while)."""
    return _cached(repr(query), lambda: _table(query))


def _table(query: Query) -> Published:
    row_field = f"{query.rows}_id"
    column_field = {"branch": "branch_id", "category": "category", "sex": "sex"}.get(
        query.columns, "month"
    )
    found = {
        (r[row_field], r[column_field]): r["n"]
        for r in _counts(query).values(row_field, column_field).annotate(n=Sum("n"))
    }
    rows, columns = _row_labels(query, None), _column_labels(query)
    cells = [[found.get((r[0], c[0]), 0) for c in columns] for r in rows]
    protected = disclosure.protect(cells) if rows and columns else disclosure.protect([[0]])
    return Published(
        query=query,
        rows=[(code, str(name)) for _pk, code, name in rows],
        columns=[(code, str(name)) for _pk, code, name in columns],
        protected=protected,
    )


def coverage(level: str = "region") -> list[dict]:
    """AMO coverage per region or province: protected counts and the rate between them."""
    return _cached(f"coverage:{level}", lambda: _coverage(level))


def _coverage(level: str) -> list[dict]:
    field = f"{level}_id"
    live = Count.objects.filter(measure=measures.PLACE, state__in=LIVE).exclude(sex="")
    covered = Count.objects.filter(measure=measures.AMO, state="rights_open")
    registered = dict(live.values_list(field).annotate(n=Sum("n")).order_by())
    open_rights = dict(covered.values_list(field).annotate(n=Sum("n")).order_by())
    places = (Region if level == "region" else Province).objects.order_by("code")
    places = list(places)
    # Additive columns (not covered, covered) whose row total is the registered artisans.
    grid = [
        [max(registered.get(p.pk, 0) - open_rights.get(p.pk, 0), 0), open_rights.get(p.pk, 0)]
        for p in places
    ]
    protected = disclosure.protect(grid) if places else None
    rows = []
    for i, place in enumerate(places):
        shown_registered, shown_covered = protected.row_totals[i], protected.cells[i][1]
        rate = None
        if shown_registered and shown_covered is not None:
            rate = round(100 * shown_covered / shown_registered, 1)
        rows.append(
            {
                "code": place.code,
                "name": place.name,
                "registered": shown_registered,
                "rights_open": shown_covered,
                "rate": rate,
            }
        )
    return rows
