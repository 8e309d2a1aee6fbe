"""Conditional requests: `ETag` and `Last-Modified` on a record and on a list, `If-Match`
and `If-Unmodified-Since` on the writes that change a record, `If-None-Match` and
`If-Modified-Since` on reads, answered `304 Not Modified` (RFC 9110, section 13).

A record's ETag is strong and derived from its version, which every write moves (and
the writes of what its page shows: a meeting's participants, statements, commitments).
A precondition that holds becomes the version the service must still find when it
writes, so a change that slips in between is refused too.

A list's ETag is weak: a hash of the filtered rows' count, latest `updated_at`, and the
sums of their ids and versions (one aggregate query), with the query string, the format
and whether the caller may see drafts. A row that changes moves its version, a row that
enters or leaves the list moves the count or the sum of ids, so the ETag changes. It does
not see a change to a related record that leaves the row's version alone (a person
renamed, shown by name in a meeting's participants). A list's `Last-Modified` is its
rows' latest `updated_at`: a row that leaves the list does not move it, so `If-None-Match`
is the exact validator and `If-Modified-Since` only a coarse one (RFC 9110 has
`If-None-Match` win when both are sent).
"""

import datetime
import hashlib

from django.db.models import Count, Max, Sum
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from events.models.visibility import can_see_drafts

__all__ = [
    "VARY",
    "ListValidators",
    "PreconditionFailedError",
    "etag",
    "expected_version",
    "list_validators",
    "not_modified",
    "not_modified_response",
    "with_list_validators",
    "with_validators",
]

# Who asks and in which format changes what a read answers.
VARY = ["Accept", "Authorization", "Cookie"]

INTEGER_KEYS = {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField"}


class PreconditionFailedError(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "The record changed since you read it. Read it again (its current ETag is in this "
        "answer) and apply your change to that version."
    )

    def __init__(self, record, detail=None):
        super().__init__(detail)
        self.record = record


def etag(record) -> str:
    return version_etag(record.version)


def _tags(header: str) -> list[str]:
    """The entity tags of an `If-Match` list, weak ones left out (If-Match compares strongly)."""
    tags = []
    for part in header.split(","):
        part = part.strip()
        if part and not part.startswith("W/"):
            tags.append(part)
    return tags


def expected_version(request, record) -> int | None:
    """The version the client's preconditions name, or None when it sent none.

    Raises `PreconditionFailedError` (412) when a precondition fails now.
    """
    if_match = request.headers.get("If-Match")
    if if_match is not None:
        tags = _tags(if_match)
        if "*" in tags:
            return None  # any current version of a record that exists
        if etag(record) not in tags:
            raise PreconditionFailedError(record)
        return record.version
    if_unmodified_since = request.headers.get("If-Unmodified-Since")
    if if_unmodified_since is not None:
        since = parse_http_date_safe(if_unmodified_since)
        if since is None:
            return None  # an invalid date is ignored (RFC 9110, 13.1.4)
        if int(record.updated_at.timestamp()) > since:
            raise PreconditionFailedError(record)
        return record.version
    return None


def with_validators(response, record):
    """Give `response` the record's `ETag` and `Last-Modified`."""
    response["ETag"] = etag(record)
    response["Last-Modified"] = http_date(record.updated_at.timestamp())
    patch_vary_headers(response, VARY)
    return response


def version_etag(version: int) -> str:
    return quote_etag(f"v{version}")


# Reads: If-None-Match and If-Modified-Since --------------------------------------------


class ListValidators:
    """A list's weak ETag and its `Last-Modified` (None for an empty list)."""

    def __init__(self, etag: str, last_modified: datetime.datetime | None):
        self.etag = etag
        self.last_modified = last_modified


def page_validators(rows, request, *, position) -> ListValidators:
    """The validators of one page of a list, from the rows it shows: no query of its own, so
    a cursor-paginated list still counts nothing. They change when a row of the page changes
    (its version), when rows enter or leave the page, or when its `position` (its neighbours'
    links, the list's count where it has one) moves."""
    last = max((row.updated_at for row in rows), default=None)
    query = sorted(request.query_params.lists())
    accepted = getattr(request, "accepted_media_type", "") or ""
    parts = [
        rows[0]._meta.label if rows else "",
        repr([(row.pk, row.version) for row in rows]),
        last.isoformat() if last else "",
        repr(position),
        repr(query),
        accepted,
        "drafts" if can_see_drafts(request.user) else "public",
    ]
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return ListValidators(f'W/"{digest}"', last)


def list_validators(queryset, request) -> ListValidators:
    """The validators of the whole list `queryset` (filtered, as the caller may see it), in
    one aggregate query: for exports, which send the whole list."""
    model = queryset.model
    aggregates = {
        "count": Count("pk"),
        "last": Max("updated_at"),
        "versions": Sum("version"),
    }
    if model._meta.pk.get_internal_type() in INTEGER_KEYS:
        aggregates["ids"] = Sum("pk")
    stats = queryset.order_by().aggregate(**aggregates)
    query = sorted(request.query_params.lists())
    accepted = getattr(request, "accepted_media_type", "") or ""
    parts = [
        model._meta.label,
        stats["count"],
        stats["last"].isoformat() if stats["last"] else "",
        stats.get("ids") or 0,
        stats["versions"] or 0,
        repr(query),
        accepted,
        "drafts" if can_see_drafts(request.user) else "public",
    ]
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return ListValidators(f'W/"{digest}"', stats["last"])


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request, current_etag: str, last_modified: datetime.datetime | None) -> bool:
    """Whether a GET or HEAD should be answered 304 (RFC 9110, 13.1.2, 13.1.3, 13.2.2).

    `If-None-Match` compares weakly and, when sent, `If-Modified-Since` is ignored.
    """
    if request.method not in {"GET", "HEAD"}:
        return False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {_opaque(part.strip()) for part in if_none_match.split(",") if part.strip()}
        return "*" in tags or _opaque(current_etag) in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since is None or last_modified is None:
        return False
    since = parse_http_date_safe(if_modified_since)
    return since is not None and int(last_modified.timestamp()) <= since


def _set_validators(response, current_etag, last_modified):
    response["ETag"] = current_etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(response, VARY)
    return response


def not_modified_response(current_etag: str, last_modified: datetime.datetime | None):
    return _set_validators(
        Response(status=status.HTTP_304_NOT_MODIFIED), current_etag, last_modified
    )


def with_list_validators(response, validators: ListValidators):
    return _set_validators(response, validators.etag, validators.last_modified)
