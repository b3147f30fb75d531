"""The name index, one interface over the database's own full-text search.

Both backends answer one question, "which registrant ids have keys matching these
groups" (every group must match one of its keys; the last group may be a prefix), either
as a list of ids (when few match) or as an SQL subquery the ORM filters on (so that scope
and filters stay ordinary querysets). Keys are [a-z]+ (hirfa.core.names), safe to
write into the engines' query languages.

- SQLite: FTS5 tables `<table>_fts` kept by triggers (migration register 0005).
- PostgreSQL: a GIN index on `to_tsvector('simple', search_keys)` (same migration), read
  through a function per table (migration register 0007).
"""

from django.db import connection
from django.db.models.expressions import RawSQL

# How the last group of a query is matched: in full, or as what is being typed.
EXACT, PREFIX = "exact", "prefix"


class Backend:
    # The ids of a table matching a full-text query, at most `limit` of them.
    sql = ""
    any_key, all_groups = "", ""
    # How many matching registrants a broad query hands to the database to intersect
    # with the scope and filters: FTS5 reads ids from its index alone, PostgreSQL
    # visits (and rechecks) each row, so it gets fewer.
    many = 20_000

    def term(self, key: str, prefix: bool) -> str:
        raise NotImplementedError

    def query(self, groups: list[set[str]], mode: str) -> str:
        parts = []
        for index, group in enumerate(groups):
            prefix = mode == PREFIX and index == len(groups) - 1
            terms = (self.term(key, prefix) for key in sorted(group))
            parts.append("(" + self.any_key.join(terms) + ")")
        return self.all_groups.join(parts)

    def count(self, table: str, groups, mode: str, limit: int) -> int:
        """How many ids of a table match (at most `limit`), counted in the database."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM ({self.sql.format(table=table)}) AS found",
                [self.query(groups, mode), limit],
            )
            return cursor.fetchone()[0]

    def ids_by_table(self, tables, groups, mode: str, limit: int) -> dict[str, list[int]]:
        """The ids of several tables matching (persons and legal entities), at most `limit`
        of each, in one statement."""
        query = self.query(groups, mode)
        parts = [
            f"SELECT {number} AS source, * FROM ({self.sql.format(table=table)}) AS t{number}"
            for number, table in enumerate(tables)
        ]
        found = {table: [] for table in tables}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), [query, limit] * len(tables))
            for number, pk in cursor.fetchall():
                found[tables[number]].append(pk)
        return found

    def subquery(self, table: str, groups, mode: str, limit: int) -> RawSQL:
        return RawSQL(self.sql.format(table=table), [self.query(groups, mode), limit])


class SQLiteBackend(Backend):
    sql = "SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s LIMIT %s"
    any_key, all_groups = " OR ", " AND "

    def term(self, key, prefix):
        return f'"{key}"*' if prefix else f'"{key}"'


class PostgreSQLBackend(Backend):
    # Through a function that always uses the GIN index (migration register 0007): left
    # to itself, the planner may read the whole table for a query of many keys.
    sql = "SELECT matching FROM {table}_matching(to_tsquery('simple', %s), %s) AS matching"
    any_key, all_groups = " | ", " & "
    many = 5_000

    def term(self, key, prefix):
        return f"{key}:*" if prefix else key


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgreSQLBackend}


def backend() -> Backend:
    return BACKENDS[connection.vendor]()
