"""`field__in_many=values`: `field__in` for the long lists of the bulk writers (ADR 0087).

`__in` gives each value a placeholder and prepares it through the field, value by value,
three times over: for 5,000 registration numbers, more Python than the query costs the
database. `__in_many` sends the values as one parameter (an array on PostgreSQL,
`= ANY(%s)`; a JSON list that `json_each` reads on SQLite) and prepares none of them: they
must already be what the column holds (str for text, int for integers). Give them as a set
(or any iterable but a list or a tuple, whose items the ORM goes through one by one as
possible expressions). No limit on their number either (SQLite takes 32,766 placeholders).
No values match nothing.

Both databases use the column's index for each value (SQLite builds the list once, then
looks each value up; PostgreSQL scans the index for the array).
"""

import json

from django.db.models import Field, Lookup


@Field.register_lookup
class InMany(Lookup):
    lookup_name = "in_many"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, self.rhs]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.rhs)]
