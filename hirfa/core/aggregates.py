"""Database functions the ORM lacks, the same on PostgreSQL and SQLite (domain-free).

- ``Median(expression)``: the median of the non-null values of a group, in the database
  (PostgreSQL's ``percentile_cont(0.5)``; on SQLite an aggregate registered on each new
  connection by ``prepare_connection``).
- ``DaysBetween(start, end)``: whole calendar days from one date or timestamp to another
  (UTC dates), null when either is.

On each new connection (``connection_created``), ``prepare_connection`` gives SQLite the
median aggregate and turns PostgreSQL's JIT compilation off unless ``DATABASE_JIT`` is set:
the aggregates over correlated subqueries of the funnel and the campaigns' segments pass
``jit_above_cost`` on a large register, and compiling them took longer than running them
(decision 70).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Aggregate, Func


class _SQLiteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        values = sorted(self.values)
        if not values:
            return None
        middle = len(values) // 2
        if len(values) % 2:
            return float(values[middle])
        return (values[middle - 1] + values[middle]) / 2


def prepare_connection(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: SQLite's median aggregate; PostgreSQL without JIT."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("hirfa_median", 1, _SQLiteMedian)
    elif connection.vendor == "postgresql" and not settings.DATABASE_JIT:
        # On the driver's connection: once per connection, never counted as a query.
        with connection.connection.cursor() as cursor:
            cursor.execute("SET jit = off")


class Median(Aggregate):
    function = "hirfa_median"
    name = "Median"
    output_field = models.FloatField()
    allow_distinct = False

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)",
            **extra_context,
        )


class DaysBetween(Func):
    arity = 2
    output_field = models.IntegerField()

    def _compiled(self, compiler, connection):
        start, end = (compiler.compile(expression) for expression in self.get_source_expressions())
        return start, end, (*end[1], *start[1])  # the SQL names the end first

    def as_sql(self, compiler, connection, **extra_context):
        (start, _), (end, _), params = self._compiled(compiler, connection)
        return f"(CAST({end} AS date) - CAST({start} AS date))", params

    def as_sqlite(self, compiler, connection, **extra_context):
        (start, _), (end, _), params = self._compiled(compiler, connection)
        return (
            f"CAST(julianday(date({end})) - julianday(date({start})) AS INTEGER)",
            params,
        )
