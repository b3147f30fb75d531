"""Hot writes compiled once (decision 86), as `prepared.Prepared` does for hot reads.

Saving a model instance through the ORM builds and compiles its INSERT or UPDATE on every
call: for the rows an approval writes, more Python than the database spends writing them.
Here the statement of a model and its columns is built once per connection and kept; each
call only computes the values, as the ORM does (`Field.pre_save`, then `get_db_prep_save`:
`auto_now`, JSON, dates), and runs it. What the ORM's save does around the statement is
done the same way: the related objects' ids taken (`_prepare_related_fields_for_save`),
`pre_save` and `post_save` sent (not by `insert_many`, as `bulk_create` sends none), the
ids read back with `RETURNING`, the instance marked saved, the transaction marked for
rollback when the statement fails.

    insert(registration)                         # registration.save(force_insert=True)
    update(dossier, ["state", "updated_at"])     # dossier.save(update_fields=[...])
    insert_many(entries)                         # Model.objects.bulk_create(entries)

Whatever the compiled statement cannot say is left to the ORM, every time: an instance
whose primary key is already set, a model with parents or a proxy, a column with its own
placeholder, a model with a `save` of its own (for `insert` and `update`), a value that is
an expression, a backend without `RETURNING`. Slower, never different.
"""

import weakref

from django.db import DatabaseError, connections, router, transaction
from django.db.models import CharField, Model, TextField
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

# Per connection: (kind, model, what) -> the statement, or None when the ORM must do it.
_STATEMENTS = weakref.WeakKeyDictionary()


class _Insert:
    __slots__ = ("compiler", "converters", "fields", "returning", "returning_params", "sql")

    def __init__(self, connection, model, rows: int):
        meta = model._meta
        self.fields = [f for f in meta.local_concrete_fields if not f.generated]
        self.fields = [f for f in self.fields if f is not meta.auto_field]
        self.returning = meta.db_returning_fields
        qn = connection.ops.quote_name
        values = connection.ops.bulk_insert_sql(self.fields, [["%s"] * len(self.fields)] * rows)
        returning_sql, self.returning_params = connection.ops.return_insert_columns(self.returning)
        self.sql = (
            f"{connection.ops.insert_statement()} {qn(meta.db_table)} "
            f"({', '.join(qn(f.column) for f in self.fields)}) {values} {returning_sql}"
        )
        self.compiler = InsertQuery(model).get_compiler(connection=connection)
        self.converters = self.compiler.get_converters(
            [f.get_col(meta.db_table) for f in self.returning]
        )


class _Update:
    __slots__ = ("fields", "pk", "sql")

    def __init__(self, connection, model, fields: list):
        meta = model._meta
        qn = connection.ops.quote_name
        self.fields, self.pk = fields, meta.pk
        table = qn(meta.db_table)
        assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
        self.sql = f"UPDATE {table} SET {assignments} WHERE {table}.{qn(meta.pk.column)} = %s"


def _simple(model, saved: bool) -> bool:
    """A model whose row is one table's, with an automatic id, no column of its own SQL,
    and (when the write stands for its `save`, `saved`) no `save` of its own."""
    meta = model._meta
    return not (
        (saved and model.save is not Model.save)
        or meta.parents
        or meta.proxy
        or meta.order_with_respect_to
        or meta.auto_field is None
        or any(hasattr(f, "get_placeholder") for f in meta.local_concrete_fields)
    )


def _insert_statement(connection, model, rows: int, saved: bool):
    here = _STATEMENTS.setdefault(connection, {})
    key = ("insert", model, rows, saved)
    if key not in here:
        features = connection.features
        returns = features.can_return_columns_from_insert and (
            rows == 1 or features.can_return_rows_from_bulk_insert
        )
        here[key] = _Insert(connection, model, rows) if returns and _simple(model, saved) else None
    return here[key]


def _update_statement(connection, model, update_fields: frozenset):
    here = _STATEMENTS.setdefault(connection, {})
    key = ("update", model, update_fields)
    if key not in here:
        meta = model._meta
        fields = [
            f
            for f in meta.local_concrete_fields
            if f not in meta.pk_fields
            and not f.generated
            and (f.name in update_fields or f.attname in update_fields)
        ]
        named = {f.name for f in fields} | {f.attname for f in fields}
        # A name that is no column: the ORM says so (ValueError).
        known = fields and update_fields <= named
        here[key] = _Update(connection, model, fields) if known and _simple(model, True) else None
    return here[key]


# Fields whose `get_db_prep_save` gives a str, or None, back unchanged on every backend
# (the exact classes: a subclass may prepare its values).
_TEXT_FIELDS = (CharField, TextField)


def _values(fields, obj, add: bool, connection) -> list | None:
    """The row's values as the ORM sends them; None when one is an expression."""
    values = []
    for field in fields:
        value = field.pre_save(obj, add)
        if (value is None or type(value) is str) and type(field) in _TEXT_FIELDS:
            values.append(value)  # what get_db_prep_save would give, without its calls
            continue
        if hasattr(value, "resolve_expression"):
            return None
        values.append(field.get_db_prep_save(value, connection=connection))
    return values


def _run_insert(statement, objs, params, connection, using) -> None:
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        if len(objs) == 1:
            rows = [
                connection.ops.fetch_returned_insert_columns(cursor, statement.returning_params)
            ]
        else:
            rows = connection.ops.fetch_returned_insert_rows(cursor)
    if statement.converters:
        rows = statement.compiler.apply_converters(rows, statement.converters)
    for obj, row in zip(objs, rows, strict=True):
        for field, value in zip(statement.returning, row, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = using


def insert(obj, *, using: str | None = None):
    """`obj.save(force_insert=True)`, its INSERT compiled once. Returns `obj`."""
    model = type(obj)
    using = using or router.db_for_write(model, instance=obj)
    connection = connections[using]
    statement = _insert_statement(connection, model, 1, True)
    if statement is None or obj.pk is not None:
        obj.save(force_insert=True, using=using)
        return obj
    obj._prepare_related_fields_for_save(operation_name="save")
    signals = not model._meta.auto_created
    if signals:
        pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    params = _values(statement.fields, obj, True, connection)
    if params is None:
        obj._save_table(cls=model, force_insert=True, using=using)
        obj._state.adding, obj._state.db = False, using
    else:
        _run_insert(statement, [obj], params, connection, using)
    if signals:
        post_save.send(
            sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
        )
    return obj


def insert_many(objs: list, *, using: str | None = None) -> list:
    """`Model.objects.bulk_create(objs)` (no signals, ids read back), one INSERT compiled
    once per number of rows. `objs` are of one model."""
    if not objs:
        return objs
    model = type(objs[0])
    using = using or router.db_for_write(model)
    connection = connections[using]
    statement = _insert_statement(connection, model, len(objs), False)
    batch = statement and connection.ops.bulk_batch_size(statement.fields, objs)
    if statement is None or batch < len(objs) or any(obj.pk is not None for obj in objs):
        return model._base_manager.using(using).bulk_create(objs)
    params = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        values = _values(statement.fields, obj, True, connection)
        if values is None:
            return model._base_manager.using(using).bulk_create(objs)
        params += values
    _run_insert(statement, objs, params, connection, using)
    return objs


def update(obj, update_fields, *, using: str | None = None) -> None:
    """`obj.save(update_fields=update_fields)`, its UPDATE compiled once per set of fields
    (a row that is not there raises `DatabaseError`, as the ORM does)."""
    model = type(obj)
    update_fields = frozenset(update_fields)
    using = using or router.db_for_write(model, instance=obj)
    connection = connections[using]
    statement = _update_statement(connection, model, update_fields)
    if statement is None or obj.pk is None:
        obj.save(update_fields=update_fields, using=using)
        return
    obj._prepare_related_fields_for_save(operation_name="save")
    signals = not model._meta.auto_created
    if signals:
        pre_save.send(
            sender=model, instance=obj, raw=False, using=using, update_fields=update_fields
        )
    params = _values(statement.fields, obj, False, connection)
    if params is None:
        obj._save_table(cls=model, using=using, update_fields=update_fields)
    else:
        params.append(statement.pk.get_db_prep_value(obj.pk, connection, prepared=False))
        with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            updated = cursor.rowcount
        if not updated:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    obj._state.adding, obj._state.db = False, using
    if signals:
        post_save.send(
            sender=model,
            instance=obj,
            created=False,
            update_fields=update_fields,
            raw=False,
            using=using,
        )
