"""Exports of a whole filtered list: CSV, NDJSON, iCalendar (meetings), PLOVER (meetings and
statements), chosen with `?format=` or `Accept` like any REST framework renderer.

An export is the list as JSON would page through it (the same filters, ordering and
visibility, drafts hidden from readers), but whole and unpaginated, streamed: the rows are
read with `queryset.iterator(chunk_size=CHUNK_SIZE)` (prefetches run once per chunk) and
written chunk by chunk, so memory stays constant whatever the size, and the queries number
`1 + prefetches` per chunk of rows. There is no ceiling on the number of rows: a client that
wants less filters (`updated_since`, dates, sides). The list's throttle counts an export as
one request.

- CSV (`text/csv`): a header row, then one row per record with the list's JSON fields as
  columns, in the same order. A nested object is written as its name (a participant as
  `name (side, role)`), a list joined with `; `, null as an empty cell, a boolean as
  `true`/`false`. A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
  return is prefixed with `'` so that a spreadsheet does not run it as a formula (OWASP,
  CSV injection).
- NDJSON (`application/x-ndjson`): one JSON object per line, exactly a row of the JSON list.
- iCalendar (`text/calendar`, meetings): one all-day event per meeting (RFC 5545).
- PLOVER (`?format=plover`, `application/x-ndjson; profile=plover`, meetings and
  statements): one event record per line, see `plover_meeting` and `plover_statement`.

A renderer here never renders an error: the views answer errors as JSON problems.
"""

from __future__ import annotations

import csv
import datetime
import json
from itertools import islice

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

from events.models import Meeting, SourceDocument, Statement

__all__ = [
    "CHUNK_SIZE",
    "PLOVER_CODEBOOK",
    "CSVRenderer",
    "ExportRenderer",
    "ICalendarRenderer",
    "NDJSONRenderer",
    "PloverRenderer",
    "fold",
    "ics_text",
    "safe_cell",
    "stream",
]

CHUNK_SIZE = 500  # rows per query; below SQLite's bound on a prefetch's `IN (...)` parameters

# PLOVER's codebook as the records follow it: the JSON fields of the Open Event Data
# Alliance's manual (github.com/openeventdata/PLOVER, PLOVER_MANUAL.tex, draft 0.7b1), with
# the sixteen event categories POLECAT codes in (REQUEST where the draft says DEMAND).
PLOVER_CODEBOOK = "plover-0.7b1-polecat-categories"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportRenderer(BaseRenderer):
    """A list written as a stream: `begin`, then `rows` per chunk of records, then `end`."""

    charset = "utf-8"
    extension = ""
    # The media type the answer and the schema name, when it has parameters that content
    # negotiation would not match against `*/*` (DRF compares a renderer's parameters).
    full_media_type = None
    # How the schema documents the body (the JSON schema of a text stream: a string).
    openapi_schema: dict = {"type": "string"}

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only a body-less answer (304) comes here; a list's body is streamed by `stream`.
        return b""

    def prepare(self, queryset, view):
        """The queryset with what this format reads beyond the list's serializer."""
        return queryset

    def begin(self, view) -> str:
        return ""

    def rows(self, view, records: list) -> str:
        raise NotImplementedError

    def end(self, view) -> str:
        return ""


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def stream(view, queryset, renderer: ExportRenderer) -> StreamingHttpResponse:
    """The whole of `queryset` in `renderer`'s format, written as it is read."""
    queryset = renderer.prepare(queryset, view)

    def body():
        yield renderer.begin(view).encode()
        for records in _chunks(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
            yield renderer.rows(view, records).encode()
        yield renderer.end(view).encode()

    content_type = f"{renderer.full_media_type or renderer.media_type}; charset={renderer.charset}"
    response = StreamingHttpResponse(body(), content_type=content_type)
    name = view.basename or "export"
    response["Content-Disposition"] = f'attachment; filename="{name}.{renderer.extension}"'
    return response


def _serialized(view, records) -> list[dict]:
    return view.get_serializer(records, many=True).data


# CSV and NDJSON ------------------------------------------------------------------------


class NDJSONRenderer(ExportRenderer):
    """One JSON object per line: the list's rows as its JSON shows them."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    extension = "ndjson"
    openapi_schema = {
        "type": "string",
        "description": "One JSON object per line (the list's `results` items), unpaginated.",
    }

    def rows(self, view, records):
        return "".join(
            json.dumps(row, cls=JSONEncoder, ensure_ascii=False) + "\n"
            for row in _serialized(view, records)
        )


def _label(value: dict) -> str:
    if "name_as_written" in value:
        details = ", ".join(str(value[key]) for key in ("side", "role") if value.get(key))
        return f"{value['name_as_written']} ({details})" if details else value["name_as_written"]
    for key in ("name", "title", "slug", "alpha3", "id"):
        if value.get(key) not in (None, ""):
            return str(value[key])
    if "scheme" in value and "identifier" in value:
        return f"{value['scheme']}:{value['identifier']}"
    return json.dumps(value, cls=JSONEncoder, ensure_ascii=False, sort_keys=True)


def safe_cell(value) -> str | int | float:
    """A JSON value as one CSV cell, text that could run as a formula defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dict):
        text = _label(value)
    elif isinstance(value, list):
        text = "; ".join(str(safe_cell(item)) for item in value)
    else:
        text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text


class _Line:
    """A file-like object whose `write` returns what it is given (for `csv.writer`)."""

    def write(self, value):
        return value


class CSVRenderer(ExportRenderer):
    """A header row (the list's field names), then one row per record."""

    media_type = "text/csv"
    format = "csv"
    extension = "csv"
    openapi_schema = {
        "type": "string",
        "description": "CSV (RFC 4180): a header row with the list's field names, then one "
        "row per record. Nested objects appear as their name, lists joined with `; `.",
    }

    def columns(self, view) -> list[str]:
        return list(view.get_serializer().fields)

    def begin(self, view):
        return csv.writer(_Line()).writerow(self.columns(view))

    def rows(self, view, records):
        writer = csv.writer(_Line())
        columns = self.columns(view)
        return "".join(
            writer.writerow([safe_cell(row.get(column)) for column in columns])
            for row in _serialized(view, records)
        )


# iCalendar -----------------------------------------------------------------------------


def ics_text(value: str) -> str:
    """A TEXT value escaped (RFC 5545, 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in a TEXT value.
    return "".join(ch for ch in value if ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character, ending in CRLF."""
    parts, current, size = [], [], 0
    for ch in line:
        octets = len(ch.encode())
        if size + octets > 75:
            parts.append("".join(current))
            current, size = [], 1  # a continuation line starts with one space
        current.append(ch)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


class ICalendarRenderer(ExportRenderer):
    """Meetings as an iCalendar feed: one all-day event per meeting (RFC 5545)."""

    media_type = "text/calendar"
    format = "ics"
    extension = "ics"
    openapi_schema = {
        "type": "string",
        "description": "An iCalendar feed (RFC 5545): one all-day VEVENT per meeting.",
    }

    def begin(self, view):
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Diplomatic event tracker//Meetings//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ]
        return "".join(fold(line) for line in lines)

    def end(self, view):
        return fold("END:VCALENDAR")

    def rows(self, view, records):
        request = view.request
        host = request.get_host().split(":")[0]
        return "".join(self.event(meeting, host, request) for meeting in records)

    def event(self, meeting: Meeting, host: str, request) -> str:
        place = meeting.place
        location = ", ".join(
            part for part in (place and place.name, place and place.country.name) if part
        )
        who = [
            f"{p.name_as_written} ({p.side_id or p.side_organization_id}, {p.role})"
            for p in meeting.participants.all()
        ]
        description = [meeting.get_contact_type_display()]
        if who:
            description.append("Participants: " + "; ".join(who))
        if meeting.occasion is not None:
            relation = meeting.get_occasion_relation_display() or "Occasion"
            description.append(f"{relation}: {meeting.occasion.name}")
        url = request.build_absolute_uri(reverse("meeting-detail", args=[meeting.pk]))
        lines = [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{_utc(meeting.updated_at)}",
            f"LAST-MODIFIED:{_utc(meeting.updated_at)}",
            f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{meeting.date + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_text(meeting.title)}",
        ]
        if location:
            lines.append(f"LOCATION:{ics_text(location)}")
        lines += [
            f"DESCRIPTION:{ics_text(chr(10).join(description))}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
        return "".join(fold(line) for line in lines)


# PLOVER ----------------------------------------------------------------------------------

# A statement without a PLOVER code of its own takes its kind's (the domain's mapping).
KIND_EVENTS = {
    Statement.Kind.AGREEMENT: "AGREE",
    Statement.Kind.COMMITMENT: "AGREE",
    Statement.Kind.STANCE: "SUPPORT",
    Statement.Kind.APPRECIATION: "SUPPORT",
    Statement.Kind.CONGRATULATION: "SUPPORT",
    Statement.Kind.GRATITUDE: "SUPPORT",
    Statement.Kind.WELCOME: "SUPPORT",
    Statement.Kind.CRITICISM: "ACCUSE",
    Statement.Kind.PROPOSAL: "REQUEST",
}


# The manual's quad categories: 1 verbal cooperation, 2 material cooperation, 3 verbal
# conflict, 4 material conflict.
QUAD_CODES = {
    **dict.fromkeys(["AGREE", "CONSULT", "SUPPORT", "CONCEDE"], 1),
    **dict.fromkeys(["COOPERATE", "AID", "RETREAT"], 2),
    **dict.fromkeys(["REQUEST", "ACCUSE", "REJECT", "SANCTION", "THREATEN"], 3),
    **dict.fromkeys(["PROTEST", "MOBILIZE", "COERCE", "ASSAULT"], 4),
}


def _side(participant) -> str | None:
    side = participant.side_id or participant.side_organization_id
    return str(side) if side else None


def _host_and_visitor(meeting: Meeting) -> tuple[str | None, str | None]:
    """The host's side and the visitor's: by role, else the side of the country it was held in."""
    sides = [_side(p) for p in meeting.participants.all()]
    roles = {p.role: _side(p) for p in meeting.participants.all()}
    host, visitor = roles.get("host"), roles.get("guest")
    held_in = meeting.place.country_id if meeting.place is not None else None
    if host is None and held_in in sides:
        host = held_in
    if host is None and sides:
        host = sides[0]
    if visitor is None:
        visitor = next((side for side in sides if side and side != host), None)
    return host, visitor


def _actors(meeting: Meeting, side: str | None) -> list[dict]:
    """The manual's actor objects: one per participant of that side (code, name as written)."""
    return [
        {"code": side, "actor_text": p.name_as_written}
        for p in meeting.participants.all()
        if side is not None and _side(p) == side
    ]


def _cite(view, kind: str, record, source: SourceDocument | None) -> dict:
    """The manual's citation object: the readout cited, and the record it was coded from."""
    return {
        "corpus": "diplomatic-event-tracker",
        "citation": view.request.build_absolute_uri(reverse(f"{kind}-detail", args=[record.pk])),
        "url": (source.url or None) if source is not None else None,
        "title": (source.title or None) if source is not None else None,
        "coder": "curated",
        "codebook": PLOVER_CODEBOOK,
    }


def plover_meeting(view, meeting: Meeting) -> dict:
    """A meeting as a PLOVER CONSULT: the visitor is the `source`, the host the `recipient`."""
    host, visitor = _host_and_visitor(meeting)
    sources = list(meeting.sources.all())
    return {
        "id": f"meeting-{meeting.pk}",
        "date": meeting.date.isoformat(),
        "source": _actors(meeting, visitor),
        "recipient": _actors(meeting, host),
        "event": [Meeting.PLOVER_EVENT],
        "quad_code": QUAD_CODES[Meeting.PLOVER_EVENT],
        "mode": meeting.plover_mode or None,
        "context": [],
        "link": f"meeting-{meeting.pk}",
        "cite_info": _cite(view, "meeting", meeting, sources[0] if sources else None),
        "comment": meeting.title,
    }


def plover_statement(view, statement: Statement) -> dict:
    """A statement as its PLOVER event: the side that says it is the `source`, the meeting's
    other sides the `recipient`; a joint statement has every side as its source and no
    recipient (the manual's reciprocal events)."""
    meeting = statement.meeting
    sides = sorted({_side(p) for p in meeting.participants.all()} - {None})
    if statement.attribution == Statement.Attribution.SPEAKER and statement.speaker:
        said_by = _side(statement.speaker)
        source = [{"code": said_by, "actor_text": statement.speaker.name_as_written}]
    elif statement.attribution == Statement.Attribution.SIDE and statement.side_id:
        said_by = str(statement.side_id)
        source = [{"code": said_by}]
    else:
        said_by = None
        source = [{"code": side} for side in sides]
    event = statement.plover_code or KIND_EVENTS.get(statement.kind, "CONSULT")
    return {
        "id": f"statement-{statement.pk}",
        "date": meeting.date.isoformat(),
        "source": source,
        "recipient": [{"code": side} for side in sides if side != said_by] if said_by else [],
        "event": [event],
        "quad_code": QUAD_CODES[event],
        "mode": None,
        "context": [topic.slug for topic in statement.topics.all()],
        "link": f"meeting-{meeting.pk}",
        "text": statement.text,
        "text_info": {"start": statement.start, "end": statement.end},
        "cite_info": _cite(view, "statement", statement, statement.source),
    }


class PloverRenderer(ExportRenderer):
    """PLOVER event records, one JSON object per line (meetings and statements)."""

    media_type = "application/x-ndjson"  # chosen with `?format=plover`: NDJSON comes first
    full_media_type = "application/x-ndjson; profile=plover"
    format = "plover"
    extension = "plover.ndjson"
    openapi_schema = {
        "type": "string",
        "description": "PLOVER event records, one JSON object per line, with the fields of "
        "the PLOVER manual: `id`, `date`, `source` and `recipient` (lists of actor objects: "
        "`code`, `actor_text`), `event` (a list of categories), `quad_code`, `mode`, "
        "`context`, `link` (the meeting), `text` and `text_info` (`start`, `end`: character "
        "offsets into the readout), `cite_info` (`url`, `title`, `citation`, `codebook`).",
    }

    def prepare(self, queryset, view):
        if queryset.model is Meeting:
            # The readout cited (its URL), not its text.
            sources = SourceDocument.objects.only("id", "url", "title", "published_on")
            return queryset.prefetch_related(
                Prefetch("sources", queryset=sources.order_by("published_on", "id"))
            )
        return queryset.select_related("source").defer("source__text")

    def rows(self, view, records):
        encode = plover_meeting if self.model_of(records) is Meeting else plover_statement
        return "".join(
            json.dumps(encode(view, record), cls=JSONEncoder, ensure_ascii=False) + "\n"
            for record in records
        )

    @staticmethod
    def model_of(records):
        return type(records[0])
