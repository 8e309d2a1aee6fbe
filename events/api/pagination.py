"""Pagination: page numbers on the small lists, cursors on the large ones.

- `PageNumberPagination`: `?page=` and `?page_size=` (default 50, at most 100), with a
  `count`. Cheap where the list is small (countries, people, offices, ...).
- `CursorPagination`: `?cursor=` and `?page_size=`, no `count`, for meetings, statements,
  sources and commitments. A page is found by its position in the list's ordering (the
  keys of the row before it), not by an `OFFSET`, so page 1,000 costs what page 1 costs
  and no `COUNT(*)` runs over a million rows.
"""

import base64
import binascii
import datetime
import json
import math

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import F, FloatField, OrderBy, Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from rest_framework import pagination
from rest_framework.exceptions import NotFound

__all__ = ["CursorPagination", "PageNumberPagination"]


class PageNumberPagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`; a page past the end or not a number is a 404.

    Pages are stable because every list is ordered with the primary key as the last
    tie-breaker (`StableOrderingFilter`, a filter backend of every viewset).
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class Key:
    """One sort key of a list: a field path (or an annotation such as `search_rank`)."""

    def __init__(self, path: str, descending: bool, nullable: bool, annotation: bool):
        self.path, self.descending = path, descending
        self.nullable, self.annotation = nullable, annotation

    def order_by(self, reverse: bool = False) -> OrderBy:
        descending = self.descending != reverse
        # NULLs after every value read forwards (an explicit rule, the same on both
        # databases); only where a key can be NULL, so that the others keep their indexes.
        nulls = {}
        if self.nullable:
            nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        return OrderBy(F(self.path), descending=descending, **nulls)

    def value(self, value):
        """The filter's operand for a value read from a cursor."""
        if self.annotation and isinstance(value, float) and connection.vendor == "postgresql":
            # A rank is a `real`: compared as one, so that the value read back from the
            # database (printed to the precision of a `real`) finds exactly its row again.
            return RawSQL("%s::real", [value], output_field=FloatField())
        return value

    def after(self, value, reverse: bool) -> Q:
        """Rows strictly after `value` on this key, reading forwards (or backwards)."""
        ahead = self.descending != reverse  # moving towards smaller values
        if value is None:  # NULLs come last
            return Q(**{f"{self.path}__isnull": False}) if reverse else Q(pk__in=[])
        operand = self.value(value)
        found = Q(**{f"{self.path}__{'lt' if ahead else 'gt'}": operand})
        if self.nullable and not reverse:
            found |= Q(**{f"{self.path}__isnull": True})
        return found

    def equal(self, value) -> Q:
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: self.value(value)})


def sort_keys(queryset) -> list[Key]:
    """The queryset's ordering as sort keys: relations expanded into their model's
    ordering (as Django orders by them), up to the primary key, which makes a row's
    position unique."""
    model = queryset.model
    keys: list[Key] = []
    for term in queryset.query.order_by:
        for path, descending in expand(model, str(term)):
            if any(key.path == path for key in keys):
                continue
            annotation = path in queryset.query.annotations
            nullable = not annotation and is_nullable(model, path)
            keys.append(Key(path, descending, nullable, annotation))
            if path == model._meta.pk.name:
                return keys
    keys.append(Key(model._meta.pk.name, False, False, False))
    return keys


def expand(model, term: str, descending: bool = False, prefix: str = "") -> list:
    flip = term.startswith("-")
    name = term.lstrip("-")
    descending = descending != flip
    if name == "pk":
        name = model._meta.pk.name
    target, field = model, None
    for part in name.split("__"):
        try:
            field = target._meta.get_field(part)
        except FieldDoesNotExist:
            return [(prefix + name, descending)]  # an annotation
        if field.is_relation:
            target = field.related_model
    if field is not None and field.is_relation and field.many_to_one:
        if target._meta.ordering:
            return [
                found
                for sub in target._meta.ordering
                for found in expand(target, sub, descending, f"{prefix}{name}__")
            ]
        name = f"{name}__{target._meta.pk.name}"
    return [(prefix + name, descending)]


def is_nullable(model, path: str) -> bool:
    target = model
    for part in path.split("__"):
        field = target._meta.get_field(part)
        if field.null:
            return True
        if field.is_relation:
            target = field.related_model
    return False


def encode_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


class CursorPagination(pagination.CursorPagination):
    """`{next, previous, results}`: links carry an opaque `cursor`; `page_size` at most 100.

    The list keeps its ordering (`?ordering=` or the default, relevance first under
    `?q=`) with the primary key as the last key; the cursor holds the keys of the row the
    next page starts after (or the previous page ends before). A cursor that cannot be
    read is a 404. Rows added or removed between two requests neither shift nor repeat
    the rows of the following pages.
    """

    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = None
    cursor_query_description = "Where the page starts: the `cursor` of a `next` or `previous` link."

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.keys = sort_keys(queryset)
        self.cursor = self.decode(request)
        reverse = bool(self.cursor and self.cursor["r"])
        queryset = queryset.order_by(*(key.order_by(reverse) for key in self.keys))
        for index, key in enumerate(self.keys):
            if "__" in key.path and not key.annotation:
                queryset = queryset.annotate(**{f"_cursor_{index}": F(key.path)})
        if self.cursor is not None:
            try:
                queryset = queryset.filter(self.after(self.cursor["p"], reverse))
            except (ValueError, TypeError, ValidationError):  # a value the key cannot take
                raise NotFound(self.invalid_cursor_message) from None
        # One row more than the page tells whether another follows; what the rows' relations
        # need is fetched for the page's rows only.
        lookups = queryset._prefetch_related_lookups
        rows = list(queryset.prefetch_related(None)[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, self.cursor is not None
        prefetch_related_objects(rows, *lookups)
        self.page = rows
        return rows

    def after(self, position: list, reverse: bool) -> Q:
        """Rows after the position, reading forwards (before it, backwards). The first
        key is also bounded on its own, so that an index on it finds where to start."""
        found = Q(pk__in=[])
        for index, key in enumerate(self.keys):
            step = key.after(position[index], reverse)
            for earlier, value in zip(self.keys[:index], position[:index], strict=True):
                step &= earlier.equal(value)
            found |= step
        first = self.keys[0]
        if position[0] is not None and not first.nullable:
            lookup = "lte" if first.descending != reverse else "gte"
            found &= Q(**{f"{first.path}__{lookup}": first.value(position[0])})
        return found

    def position(self, row) -> list:
        values = []
        for index, key in enumerate(self.keys):
            if "__" in key.path and not key.annotation:
                value = getattr(row, f"_cursor_{index}")
            else:
                value = getattr(row, key.path)
            values.append(encode_value(value))
        return values

    def decode(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            padded = encoded + "=" * (-len(encoded) % 4)
            cursor = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not (
                isinstance(cursor, dict)
                and isinstance(cursor.get("p"), list)
                and len(cursor["p"]) == len(self.keys)
                and cursor.get("r") in (0, 1)
            ):
                raise ValueError
            for key, value in zip(self.keys, cursor["p"], strict=True):
                if not (value is None or isinstance(value, str | int | float)):
                    raise ValueError
                if isinstance(value, float) and not math.isfinite(value):
                    raise ValueError
                if key.annotation and not (value is None or isinstance(value, int | float)):
                    raise ValueError  # a rank is a number
                if isinstance(value, str) and ("\x00" in value or len(value) > 500):
                    raise ValueError
        except (ValueError, UnicodeError, binascii.Error):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor

    def encode(self, position: list, reverse: bool) -> str:
        data = json.dumps({"p": position, "r": int(reverse)}, separators=(",", ":"))
        encoded = base64.urlsafe_b64encode(data.encode()).decode("ascii").rstrip("=")
        return pagination.replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self.encode(self.position(self.page[-1]), False)

    def get_previous_link(self):
        if not self.has_previous or not self.page:
            return None
        return self.encode(self.position(self.page[0]), True)

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        envelope["required"] = ["next", "previous", "results"]  # always there, maybe null
        return envelope

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size}}
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
