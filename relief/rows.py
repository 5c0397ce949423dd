"""Model instances from the row of a statement written out, on every database alike.

A few statements of the hand-out are written out because the ORM cannot say them (``UPDATE … RETURNING``) or
because they read several models in one row. ``models_from_row`` turns such a row back into instances with the
conversions the ORM itself applies (SQLite returns dates as text and booleans as integers; psycopg2 needs none), so
the statement and the code around it are the same on SQLite and PostgreSQL.
"""

import functools

from django.db import connections


@functools.cache
def _converters(alias, vendor, model):
    """For each concrete field of ``model``, the converters the ORM would apply to its column (None: none)."""
    connection = connections[alias]
    plan = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        plan.append((column, found) if found else None)
    return plan


def columns(model, alias, quote):
    """``model``'s concrete columns, prefixed with the table alias ``alias`` unless it is None, in the order
    ``models_from_row`` reads them."""
    prefix = f"{alias}." if alias else ""
    return [f"{prefix}{quote(field.column)}" for field in model._meta.concrete_fields]


def models_from_row(db, row, *models):
    """One instance of each of ``models`` from ``row``, which holds every concrete column of each model in turn
    (``columns``); an instance whose primary key is NULL (an outer join that found nothing) is None."""
    connection = connections[db]
    found, start = [], 0
    for model in models:
        fields = model._meta.concrete_fields
        values = list(row[start : start + len(fields)])
        start += len(fields)
        for index, converters in enumerate(_converters(db, connection.vendor, model)):
            if converters is not None and values[index] is not None:
                column, functions = converters
                for function in functions:
                    values[index] = function(values[index], column, connection)
        primary = model._meta.concrete_fields.index(model._meta.pk)
        found.append(None if values[primary] is None else model.from_db(db, [f.attname for f in fields], values))
    return found
