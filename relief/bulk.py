"""Many rows in one go, for imports that write tens of thousands of rows inside one transaction.

On PostgreSQL the rows travel with ``COPY … FROM STDIN`` and their primary keys are drawn from the table's sequence
first, in one query, so rows of other tables (links, history) can point at them before they exist. Elsewhere
(SQLite in development and tests) ``bulk_create`` does the same job, more slowly.
"""

import datetime
import io
from operator import methodcaller

from django.db import connection
from django.db.models import F, Lookup, Q

BATCH = 2000
IN_CHUNK = 5000
# COPY's text format: a tab separates columns, a newline ends a row, \N is NULL; so these four are escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def _copy_text(value):
    if value is None:
        return NULL
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _copy_texts(values):
    """A column of strings as COPY text. Most columns hold none of the four characters COPY escapes; looking for
    them in the whole column at once (in C) spares translating each value in Python, on most of an import's bytes."""
    joined = "".join(values)
    if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
        return [value.translate(_COPY_ESCAPES) for value in values]
    return list(values)


def _copy_datetimes(values):
    """A column of datetimes as COPY text. An import stamps all its rows with one time: written once, not per row
    (formatting a datetime with its offset takes microseconds, and an import has hundreds of thousands)."""
    first = values[0]
    if values.count(first) == len(values):
        return [first.isoformat()] * len(values)
    return list(map(methodcaller("isoformat"), values))


# A column whose values are all of one of these types is converted in one go (by functions written in C where they
# can be), not value by value.
_CONVERT_COLUMN = {
    str: _copy_texts,
    int: lambda values: list(map(str, values)),
    datetime.datetime: _copy_datetimes,
}


def _copy_column(values):
    kinds = set(map(type, values))
    if len(kinds) == 1:
        (kind,) = kinds
        if kind is type(None):
            return [NULL] * len(values)
        if kind in _CONVERT_COLUMN:
            return _CONVERT_COLUMN[kind](values)
    return list(map(_copy_text, values))


def _next_ids(model, count):
    """``count`` fresh primary keys of ``model``, from its table's sequence, in one query.

    The sequence is looked up once (a materialized CTE): ``pg_get_serial_sequence`` reads the catalogue, which costs
    far more than drawing a number, so it is not called per row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH sequence AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS name) "
            "SELECT nextval(sequence.name) FROM sequence, generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model, columns, values):
    """Send one sequence of values per column to ``model``'s table with COPY."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    texts = [_copy_column(column) for column in values]
    buffer = io.StringIO("\n".join(map("\t".join, zip(*texts, strict=True))) + "\n")
    del texts
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, buffer, 1024 * 1024)  # read in 1 MB pieces


def insert_rows(model, fields, rows, *, with_ids=True):
    """Insert ``rows`` (tuples of database values in the order of ``fields``, attribute names such as ``ward_id``)
    into ``model``'s table and return their new primary keys in the same order (an empty list if not ``with_ids``).

    The caller holds the transaction: a failure half-way leaves nothing once it rolls back.
    """
    if not rows:
        return []
    columns = [model._meta.get_field(name).column for name in fields]
    if connection.vendor == "postgresql":
        values = list(zip(*rows, strict=True))
        if not with_ids:
            _copy(model, columns, values)
            return []
        ids = _next_ids(model, len(rows))
        _copy(model, [model._meta.pk.column, *columns], [ids, *values])
        return ids
    objects = model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows], BATCH)
    return [obj.pk for obj in objects] if with_ids else []


class AnyOf(Lookup):
    """``column = ANY(%s)``, the values sent as one array: PostgreSQL only. Django's ``IN`` builds a placeholder and
    adapts a parameter for each value, which for 100,000 numbers takes longer than the query itself."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, self.rhs)


def one_of(field, values):
    """Filters that together cover ``field`` being one of ``values``.

    PostgreSQL gets them all as one array in one query (it hashes the array and reads the scoped rows once);
    elsewhere ``IN (…)`` by chunks of ``IN_CHUNK``, within SQLite's limit on parameters.
    """
    values = list(values)
    if connection.vendor == "postgresql":
        return [AnyOf(F(field), values)] if values else []
    return [Q(**{f"{field}__in": values[start : start + IN_CHUNK]}) for start in range(0, len(values), IN_CHUNK)]
