"""Writing source documents and the statements that point into them."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import prefetch_related_objects

from events.history import record_now, write_scope
from events.models import (
    Country,
    Gathering,
    Meeting,
    Organization,
    Participant,
    Person,
    SourceDocument,
    Statement,
    Topic,
)

from .records import bulk_create_with_links, record_save, touch

__all__ = [
    "StatementData",
    "source_create",
    "source_link",
    "source_update",
    "statement_create",
    "statements_create",
]

STATEMENT_LINKS = [
    "topics",
    "mentioned_countries",
    "mentioned_organizations",
    "mentioned_people",
    "mentioned_gatherings",
]


def source_create(
    *,
    text: str,
    title: str = "",
    url: str = "",
    publisher: Organization | None = None,
    language: str = "en",
    published_on: datetime.date | None = None,
    meetings: Sequence[Meeting] = (),
) -> SourceDocument:
    """Store a readout verbatim; its content hash is derived from the text."""
    source = SourceDocument(
        text=text,
        title=title,
        url=url,
        publisher=publisher,
        language=language,
        published_on=published_on,
    )
    return record_save(source, relations={"meetings": meetings})


def source_update(
    *,
    source: SourceDocument,
    meetings: Sequence[Meeting] | None = None,
    expected_version: int | None = None,
    **fields,
) -> SourceDocument:
    """Change a source's fields and, given `meetings`, the meetings it reports."""
    for name, value in fields.items():
        setattr(source, name, value)
    relations = {} if meetings is None else {"meetings": meetings}
    with write_scope():
        previous = set(source.meetings.values_list("pk", flat=True))
        record_save(source, relations=relations, expected_version=expected_version)
        if meetings is not None:
            # A meeting's page lists its sources: those it gained or lost show the change.
            changed = previous ^ {meeting.pk for meeting in meetings}
            touch([Meeting.objects.filter(pk__in=changed)])
    return source


def source_link(*, source: SourceDocument, meeting: Meeting, linked: bool) -> None:
    """Say that `source` reports `meeting` (or no longer does: refused while statements
    of the meeting quote it)."""
    meetings = set(source.meetings.all())
    meetings = meetings | {meeting} if linked else meetings - {meeting}
    source_update(source=source, meetings=list(meetings))


def statement_create(
    *,
    meeting: Meeting,
    source: SourceDocument,
    attribution: str,
    kind: str,
    start: int,
    end: int,
    text: str = "",
    speaker: Participant | None = None,
    side: Country | None = None,
    plover_code: str = "",
    topics: Sequence[Topic | int] = (),
    mentioned_countries: Sequence[Country | str] = (),
    mentioned_organizations: Sequence[Organization | int] = (),
    mentioned_people: Sequence[Person | int] = (),
    mentioned_gatherings: Sequence[Gathering | int] = (),
) -> Statement:
    """Record a statement at its span of the source; its text, left empty, is the
    source's text there (`Statement.clean`). Topics and mentions as records or keys."""
    statement = Statement(
        meeting=meeting,
        source=source,
        attribution=attribution,
        speaker=speaker,
        side=side,
        kind=kind,
        plover_code=plover_code,
        text=text,
        start=start,
        end=end,
    )
    return record_save(
        statement,
        relations={
            "topics": topics,
            "mentioned_countries": mentioned_countries,
            "mentioned_organizations": mentioned_organizations,
            "mentioned_people": mentioned_people,
            "mentioned_gatherings": mentioned_gatherings,
        },
    )


@dataclass(frozen=True, kw_only=True)
class StatementData:
    """One statement for `statements_create`; topics and mentions as records or their keys."""

    attribution: str
    kind: str
    start: int
    end: int
    speaker: Participant | None = None
    side: Country | None = None
    plover_code: str = ""
    topics: Sequence[Topic | int] = ()
    mentioned_countries: Sequence[Country | str] = ()
    mentioned_organizations: Sequence[Organization | int] = ()
    mentioned_people: Sequence[Person | int] = ()
    mentioned_gatherings: Sequence[Gathering | int] = ()


def statements_create(
    *, meeting: Meeting, source: SourceDocument, statements: Sequence[StatementData]
) -> list[Statement]:
    """Record many statements of one source at one meeting (an imported readout).

    Each is checked by the model's field checks and `Statement.clean()`, its records given
    as loaded objects; the database's constraints and triggers check the rest at insert.
    One insert writes the statements and one per kind of link, and their history is
    written when the import's scope ends, so a readout costs the same number of queries
    however many statements it has.
    """
    prefetch_related_objects([source], "meetings")
    rows = []
    errors = {}
    for index, data in enumerate(statements):
        statement = Statement(
            meeting=meeting,
            source=source,
            attribution=data.attribution,
            speaker=data.speaker,
            side=data.side,
            kind=data.kind,
            plover_code=data.plover_code,
            start=data.start,
            end=data.end,
        )
        try:
            statement.clean_fields(exclude=["meeting", "source", "speaker", "side"])
            statement.clean()
        except ValidationError as error:
            errors[f"statements[{index}]"] = error.messages
        rows.append(statement)
    if len({(s.start, s.end) for s in rows}) != len(rows):
        errors[NON_FIELD_ERRORS] = ["Two statements have the same span."]
    if errors:
        raise ValidationError(errors)
    with write_scope():
        created = bulk_create_with_links(Statement, rows, statements, STATEMENT_LINKS)
        record_now(created)
        touch([Meeting.objects.filter(pk=meeting.pk)])
    return created
