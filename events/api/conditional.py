"""Conditional requests: `ETag` and `Last-Modified` on a record, `If-Match` and
`If-Unmodified-Since` on the writes that change it (RFC 9110, section 13).

The ETag is strong and derived from the record's version, which every write moves (and
the writes of what its page shows: a meeting's participants, statements, commitments).
A precondition that holds becomes the version the service must still find when it
writes, so a change that slips in between is refused too.
"""

from django.utils.http import http_date, parse_http_date_safe, quote_etag
from rest_framework import status
from rest_framework.exceptions import APIException

__all__ = ["PreconditionFailedError", "etag", "expected_version", "with_validators"]


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
    return quote_etag(f"v{record.version}")


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
    return response
