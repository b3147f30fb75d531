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
"""

import weakref

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

# Stand-ins: integers no table holds as an id (within any integer column's range, or the
# ORM would fold the lookup away); strings marked, and holding LIKE's special characters so
# that a lookup which rewrites its value (escaping, adding wildcards) shows it.
_STAND_IN_INT = 2_147_480_000


def _stand_in(kind, index: int):
    return _STAND_IN_INT + index if kind is int else f"\x01prepared-{index}-%_"


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
        "sql",
    )

    def __init__(self, queryset, stand_ins: list):
        self.places = None
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            self.sql, params = compiler.as_sql()
        except EmptyResultSet:
            # `none()`, or a stand-in out of its column's range: the ORM decides each time.
            return
        self.compiler = compiler
        self.params = list(params)
        self.for_update = queryset.query.select_for_update
        self.places = _places(self.sql, self.params, stand_ins)
        if self.places is None:
            return
        klass_info, select = compiler.klass_info, compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        self.columns = (start, end, [f[0].target.attname for f in select[start:end]])
        self.converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        self.populators = get_related_populators(klass_info, select, queryset.db)


class Prepared:
    """A read compiled once per connection and shape, run with new values (see above).

    `build(shape, *values)` returns the queryset (of model instances: no `values()`,
    annotations or prefetching); `kinds` gives each value's type (int or str); `shape`
    (hashable) tells apart the querysets `build` makes differently for the same values,
    e.g. a territorial scope by region, by province, national or none.
    """

    def __init__(self, build, *kinds):
        self.build = build
        self.kinds = kinds
        self._by_connection = weakref.WeakKeyDictionary()

    def fetch(self, shape, *values, using: str = DEFAULT_DB_ALIAS) -> list:
        connection = connections[using]
        compiled_here = self._by_connection.setdefault(connection, {})
        compiled = compiled_here.get(shape)
        if compiled is None:
            stand_ins = [_stand_in(kind, i) for i, kind in enumerate(self.kinds)]
            queryset = self.build(shape, *stand_ins).using(using)
            compiled = compiled_here[shape] = _Compiled(queryset, stand_ins)
        if compiled.places is None:
            return list(self.build(shape, *values).using(using))
        if compiled.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        for place, value in zip(compiled.places, values, strict=True):
            if place is not None:
                params[place] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        start, end, attnames = compiled.columns
        found = []
        for row in rows:
            obj = compiled.model.from_db(using, attnames, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found
