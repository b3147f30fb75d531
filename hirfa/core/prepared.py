"""Hot reads compiled once (decision 81).

Building and compiling a queryset (its filters, joins, `only` and `select_related`) costs
more Python than the database spends answering it: for the dossier an approval reads, most
of the read. `Prepared` builds the queryset once per connection and shape, keeps its SQL,
and then only runs that SQL with the values of the call, turning the rows into model
instances as the ORM does (related objects, deferred fields and converters included).

    to_decide = Prepared(lambda shape, pk: Dossier.objects.filter(pk=pk), int)
    dossiers = to_decide.fetch(None, 42)

`build(shape, *values)` is called once per shape with stand-in values, each of which must
appear once in the query's parameters (or not at all: a value the shape does not use);
the call's values replace them there. A query that shows a stand-in twice, rewrites it
(escaped, wildcarded), folds it into its SQL text or finds nothing by itself (`none()`) is
run through the ORM every time: slower, never wrong.

A value of kind `In` is the right side of an `__in` lookup (`build` passes its stand-in as
`column__in=`): a list, written into the statement as the ORM writes one (a parameter per
distinct value), or a `RawSQL` subquery, written in as it is. On SQLite a list is padded
to the next power of two by repeating its last value (the same rows: `IN` ignores a
repeat): a few texts per statement, which sqlite3 keeps compiled (its statement cache is
keyed by the text; compiling a statement of five joins costs as much as running it). `rows()` runs a
`values_list()` queryset the same way and answers its tuples (decision 88: the search).

    page = Prepared(lambda shape, ids: Registration.objects.filter(pk__in=ids)
                    .values_list("pk", "number"), In)
    page.rows(None, [4, 8, 15])
"""

import re
import weakref

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError

# Stand-ins: integers no table holds as an id (within any integer column's range, or the
# ORM would fold the lookup away); strings marked, and holding LIKE's special characters so
# that a lookup which rewrites its value (escaping, adding wildcards) shows it.
_STAND_IN_INT = 2_147_480_000


# Where an `In` stand-in is written: `IN (SELECT %s)`, its parameter the stand-in integer.
_SPLICE = "SELECT %s"
_PLACEHOLDER = re.compile(r"%%|%s")


class In:
    """The kind of a value given to an `__in` lookup: a list of values or a `RawSQL`."""


def _stand_in(kind, index: int):
    if kind is In:
        return RawSQL(_SPLICE, [_STAND_IN_INT + index])
    return _STAND_IN_INT + index if kind is int else f"\x01prepared-{index}-%_"


def _plain(stand_in):
    """What a stand-in leaves in the query's parameters."""
    return stand_in.params[0] if isinstance(stand_in, RawSQL) else stand_in


def _splices(sql: str, params: list, places: list, stand_ins: list) -> list | None:
    """(parameter, start, end) of the text of each `In` stand-in used (`SELECT %s`), in the
    order of the parameters; None if one is not written as expected."""
    placeholders = [m.start() for m in _PLACEHOLDER.finditer(sql) if m.group() == "%s"]
    if len(placeholders) != len(params):
        return None
    found = []
    for place, stand_in in zip(places, stand_ins, strict=True):
        if place is None or not isinstance(stand_in, RawSQL):
            continue
        end = placeholders[place] + 2
        start = end - len(_SPLICE)
        if sql[start - 1 : end + 1] != f"({_SPLICE})":
            return None
        found.append((place, start, end))
    return sorted(found)


def _places(sql: str, params: list, stand_ins: list) -> list | None:
    """Where each stand-in is in `params` (None: not used), or None if one is not a plain
    parameter (used twice, rewritten by its lookup, or written into the SQL itself)."""
    places = []
    for stand_in in stand_ins:
        text = str(stand_in)
        exact = [i for i, p in enumerate(params) if type(p) is type(stand_in) and p == stand_in]
        rewritten = [
            p for p in params if isinstance(p, str) and p != stand_in and text.rstrip("%_") in p
        ]
        if text in sql or len(exact) > 1 or rewritten:
            return None
        places.append(exact[0] if exact else None)
    return places


class _Compiled:
    __slots__ = (
        "columns",
        "compiler",
        "converters",
        "for_update",
        "model",
        "params",
        "places",
        "populators",
        "spliced",
        "splices",
        "sql",
    )

    def __init__(self, queryset, stand_ins: list):
        self.places = None
        query = queryset.query
        values = queryset._iterable_class is ValuesListIterable
        if not values and queryset._iterable_class is not ModelIterable:
            return  # flat, named or dict rows: the ORM's
        if values and (query.extra_select or query.annotation_select):
            return  # the ORM reorders such rows' columns
        compiler = query.get_compiler(using=queryset.db)
        try:
            self.sql, params = compiler.as_sql()
        except EmptyResultSet:
            # `none()`, or a stand-in out of its column's range: the ORM decides each time.
            return
        self.compiler = compiler
        self.params = list(params)
        self.for_update = query.select_for_update
        places = _places(self.sql, self.params, [_plain(s) for s in stand_ins])
        self.splices = places and _splices(self.sql, self.params, places, stand_ins)
        if self.splices is None:
            return
        self.spliced = {place for place, _start, _end in self.splices}
        self.converters = compiler.get_converters(
            [s[0] for s in compiler.select[: compiler.col_count]]
        )
        self.model = None
        self.places = places
        if values:
            return
        klass_info, select = compiler.klass_info, compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        self.columns = (start, end, [f[0].target.attname for f in select[start:end]])
        self.populators = get_related_populators(klass_info, select, queryset.db)

    def statement(self, values, *, pad: bool = False) -> tuple[str, list] | None:
        """The SQL and parameters for these values; None when an `In` list is empty (the
        ORM knows what that means where it stands). `pad`: lists padded (see above)."""
        params = list(self.params)
        splicing = {}
        for place, value in zip(self.places, values, strict=True):
            if place is None:
                continue
            if place not in self.spliced:
                params[place] = value
            elif isinstance(value, RawSQL):
                splicing[place] = (value.sql, list(value.params))
            else:
                distinct = list(dict.fromkeys(v for v in value if v is not None))
                if not distinct:
                    return None
                if pad:  # to 1, 2, 4, 8… values
                    size = 1 << (len(distinct) - 1).bit_length()
                    distinct += [distinct[-1]] * (size - len(distinct))
                splicing[place] = (", ".join(["%s"] * len(distinct)), distinct)
        if not self.splices:
            return self.sql, params
        sql, spliced, sql_from, params_from = [], [], 0, 0
        for place, start, end in self.splices:
            text, values_in = splicing[place]
            sql += [self.sql[sql_from:start], text]
            spliced += params[params_from:place] + values_in
            sql_from, params_from = end, place + 1
        sql.append(self.sql[sql_from:])
        return "".join(sql), spliced + params[params_from:]

    def run(self, connection, values) -> list | None:
        """The rows (converted), or None if the ORM must answer."""
        statement = self.statement(values, pad=connection.vendor == "sqlite")
        if statement is None:
            return None
        if self.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        with connection.cursor() as cursor:
            cursor.execute(*statement)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return rows


class Prepared:
    """A read compiled once per connection and shape, run with new values (see above).

    `build(shape, *values)` returns the queryset (of model instances for `fetch`, no
    annotations or prefetching; a plain `values_list()` for `rows`); `kinds` gives each
    value's type (int, str or In); `shape`
    (hashable) tells apart the querysets `build` makes differently for the same values,
    e.g. a territorial scope by region, by province, national or none.
    """

    def __init__(self, build, *kinds):
        self.build = build
        self.kinds = kinds
        self._by_connection = weakref.WeakKeyDictionary()

    # False: every read through the ORM (tests compare the two paths).
    compiled = True

    def _compiled(self, shape, connection, using):
        compiled_here = self._by_connection.setdefault(connection, {})
        compiled = compiled_here.get(shape)
        if compiled is None:
            stand_ins = [_stand_in(kind, i) for i, kind in enumerate(self.kinds)]
            queryset = self.build(shape, *stand_ins).using(using)
            compiled = compiled_here[shape] = _Compiled(queryset, stand_ins)
        return compiled

    def fetch(self, shape, *values, using: str = DEFAULT_DB_ALIAS) -> list:
        """The model instances of the read."""
        connection = connections[using]
        compiled = self._compiled(shape, connection, using) if self.compiled else None
        rows = None
        if compiled is not None and compiled.places is not None and compiled.model is not None:
            rows = compiled.run(connection, values)
        if rows is None:
            return list(self.build(shape, *values).using(using))
        start, end, attnames = compiled.columns
        found = []
        for row in rows:
            obj = compiled.model.from_db(using, attnames, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found

    def rows(self, shape, *values, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """The tuples of a `values_list()` read."""
        connection = connections[using]
        compiled = self._compiled(shape, connection, using) if self.compiled else None
        rows = None
        if compiled is not None and compiled.places is not None and compiled.model is None:
            rows = compiled.run(connection, values)
        if rows is None:
            return list(self.build(shape, *values).using(using))
        width = compiled.compiler.col_count
        return [tuple(row[:width]) for row in rows]

    def statement(self, shape, *values, using: str = DEFAULT_DB_ALIAS) -> tuple[str, list] | None:
        """The compiled SQL and parameters of a `values_list()` read whose rows need no
        converting, to be run within a larger statement (a `UNION ALL` of several reads);
        None when the read is the ORM's (then `rows`)."""
        connection = connections[using]
        compiled = self._compiled(shape, connection, using) if self.compiled else None
        if compiled is None or compiled.places is None or compiled.model is not None:
            return None
        if compiled.converters or compiled.compiler.col_count != len(compiled.compiler.select):
            return None
        return compiled.statement(values, pad=connection.vendor == "sqlite")
