"""Inserting many new rows at once: an import's persons, records and journal lines.

On PostgreSQL through COPY, with the ids reserved from the table's sequence first, so the
objects get their primary keys as with bulk_create. Django's bulk_create sends the rows as
arrays (UNNEST), and psycopg escapes every value of those arrays in Python — for Russian text
and JSON that escaping, not the database, was most of an import's time (bench/import_bench.py).
Elsewhere (SQLite) bulk_create is fast enough and is used as it is.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from functools import cache

from django.db import connection, models

BATCH = 5000

# How a field's value is taken from an object for COPY.
PLAIN, AUTO_NOW, JSON, FILE = range(4)


@cache
def column_plan(model: type[models.Model]) -> tuple[tuple[tuple[str, int, models.Field], ...], str]:
    """((attname, kind, field), …) of the non-key columns, and the quoted column list with the key first."""
    plan = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            kind = AUTO_NOW
        elif isinstance(field, models.JSONField):
            kind = JSON
        elif isinstance(field, models.FileField):
            kind = FILE
        else:
            kind = PLAIN
        plan.append((field.attname, kind, field))
    fields = [model._meta.pk.column, *(field.column for _, _, field in plan)]
    return tuple(plan), ", ".join(connection.ops.quote_name(name) for name in fields)


def json_text(value, encoder=None) -> str:
    return json.dumps(value, ensure_ascii=False, cls=encoder)


def _row(obj: models.Model, plan) -> list:
    row = [obj.pk]
    for attname, kind, field in plan:
        if kind == PLAIN:
            row.append(getattr(obj, attname))
        elif kind == AUTO_NOW:
            row.append(field.pre_save(obj, add=True))
        elif kind == JSON:
            row.append(json_text(getattr(obj, attname), field.encoder))
        else:
            row.append(getattr(obj, attname).name or "")
    return row


def reserve_ids(cursor, model: type[models.Model], count: int) -> list[int]:
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
    (sequence,) = cursor.fetchone()
    cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
    return [pk for (pk,) in cursor.fetchall()]


def copy_rows(cursor, model: type[models.Model], columns: str, rows: Iterable[Sequence]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def bulk_insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert new, unsaved `objects` of `model`; afterwards each has its primary key."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects, batch_size=500)
        return
    plan, columns = column_plan(model)
    with connection.cursor() as cursor:
        iterator = iter(objects)
        while batch := list(itertools.islice(iterator, BATCH)):
            for obj, pk in zip(batch, reserve_ids(cursor, model, len(batch)), strict=True):
                obj.pk = pk
            copy_rows(cursor, model, columns, (_row(obj, plan) for obj in batch))
            for obj in batch:
                obj._state.adding = False
                obj._state.db = connection.alias
