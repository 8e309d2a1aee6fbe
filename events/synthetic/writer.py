"""Rows written in bulk: COPY on PostgreSQL, one `executemany` per batch elsewhere.

The generator speaks in model field names (`meeting`, `topic`, ...); the writer maps them
to columns, so a field renamed or added later needs a change in one place only.
"""

from __future__ import annotations

import json

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import models

__all__ = ["TableWriter", "reset_sequences"]


class TableWriter:
    """Rows of one table, kept until `flush()` sends them to the database.

    Fields the generator does not name take their model default (a field added later with
    a default needs no change here); one without a default is an error naming it.
    """

    def __init__(self, connection, model: type[models.Model], fields: list[str]):
        self.connection = connection
        self.model = model
        meta = model._meta
        self.table = meta.db_table
        named = [meta.get_field(name) for name in fields]
        defaulted = [
            field
            for field in meta.concrete_fields
            if field not in named
            and not field.primary_key
            and not getattr(field, "generated", False)
        ]
        for field in defaulted:
            if not field.has_default() and not field.null and not field.empty_strings_allowed:
                raise ImproperlyConfigured(
                    f"The synthetic archive does not fill {meta.label}.{field.name}: "
                    "add it to events/synthetic/generator.py."
                )
        self.defaults = tuple(field.get_default() for field in defaulted)
        model_fields = [*named, *defaulted]
        self.columns = [field.column for field in model_fields]
        self.adapters = [self._adapter(field) for field in model_fields]
        self.rows: list[tuple] = []
        self.written = 0

    def _adapter(self, field):
        """How a Python value becomes what the driver expects for this column."""
        if isinstance(field, models.JSONField):
            return json.dumps
        if self.connection.vendor == "postgresql":
            return None  # psycopg adapts dates, datetimes and numbers itself
        ops = self.connection.ops
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        return None

    def add(self, *values) -> None:
        self.rows.append(values + self.defaults)

    def flush(self) -> None:
        if not self.rows:
            return
        rows = self.rows
        if any(self.adapters):
            rows = [
                tuple(
                    value if adapt is None or value is None else adapt(value)
                    for adapt, value in zip(self.adapters, row, strict=True)
                )
                for row in rows
            ]
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({placeholders})", rows
                )
        self.written += len(self.rows)
        self.rows = []


def reset_sequences(connection, model_list) -> None:
    """Move id sequences past the ids written explicitly (PostgreSQL; SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
