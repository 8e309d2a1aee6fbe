"""Writing source documents and the statements that point into them."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

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

__all__ = [
    "StatementData",
    "source_create",
    "source_update",
    "statement_create",
    "statements_create",
    "validate_source_unlink",
]


def validate_source_unlink(source: SourceDocument, meetings) -> None:
    """Refuse to unlink `source` from `meetings` (a queryset or a sequence) when statements
    of any of them quote it: those statements would cite a source that no longer reports
    their meeting. The admin and the API both ask this before they unlink."""
    if source.pk is None:
        return
    pks = meetings.values("pk") if hasattr(meetings, "values") else [m.pk for m in meetings]
    quoting = Meeting.objects.filter(
        Exists(Statement.objects.filter(meeting=OuterRef("pk"), source=source)), pk__in=pks
    ).order_by("date", "pk")
    names = [str(meeting) for meeting in quoting]
    if names:
        raise ValidationError(
            _("Statements of %(meetings)s quote this source; keep it linked.")
            % {"meetings": "; ".join(names)},
            code="quoted",
        )


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
    """Store a readout verbatim, its content hash computed from the text."""
    with transaction.atomic():
        source = SourceDocument.objects.create(
            text=text,
            content_hash=SourceDocument.hash_text(text),
            title=title,
            url=url,
            publisher=publisher,
            language=language,
            published_on=published_on,
        )
        source.meetings.add(*meetings)
    return source


def source_update(
    *, source: SourceDocument, meetings: Sequence[Meeting] | None = None, **fields
) -> SourceDocument:
    """Change a source's fields; a new text gets a new hash (the database refuses a new text
    for a source that statements point into)."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(source, name, value)
        if "text" in fields:
            source.content_hash = SourceDocument.hash_text(source.text)
        source.save()
        if meetings is not None:
            source.meetings.set(meetings)
    return source


def statement_create(
    *,
    meeting: Meeting,
    source: SourceDocument,
    attribution: str,
    kind: str,
    start: int,
    end: int,
    text: str | None = None,
    speaker: Participant | None = None,
    side: Country | None = None,
    plover_code: str = "",
    topics: Sequence[Topic | int] = (),
    mentioned_countries: Sequence[Country | str] = (),
    mentioned_organizations: Sequence[Organization | int] = (),
    mentioned_people: Sequence[Person | int] = (),
    mentioned_gatherings: Sequence[Gathering | int] = (),
) -> Statement:
    """Record a statement at its span of the source; its text is the source's text there.

    Topics and mentions are given as records or as their primary keys."""
    statement = Statement(
        meeting=meeting,
        source=source,
        attribution=attribution,
        speaker=speaker,
        side=side,
        kind=kind,
        plover_code=plover_code,
        text=source.text[start:end] if text is None else text,
        start=start,
        end=end,
    )
    statement.clean()
    with transaction.atomic():
        statement.save()
        # A new row has no links yet: `add` writes them without first reading what is there.
        statement.topics.add(*topics)
        statement.mentioned_countries.add(*mentioned_countries)
        statement.mentioned_organizations.add(*mentioned_organizations)
        statement.mentioned_people.add(*mentioned_people)
        statement.mentioned_gatherings.add(*mentioned_gatherings)
    return statement


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


_LINKS = [
    "topics",
    "mentioned_countries",
    "mentioned_organizations",
    "mentioned_people",
    "mentioned_gatherings",
]


def statements_create(
    *, meeting: Meeting, source: SourceDocument, statements: Sequence[StatementData]
) -> list[Statement]:
    """Record many statements of one source at one meeting (an imported readout).

    Each is checked by `Statement.clean()`, as `statement_create` does; then one insert
    writes the statements and one per kind of link, so a readout costs the same number
    of queries however many statements it has.
    """
    prefetch_related_objects([source], "meetings")
    rows = []
    for data in statements:
        statement = Statement(
            meeting=meeting,
            source=source,
            attribution=data.attribution,
            speaker=data.speaker,
            side=data.side,
            kind=data.kind,
            plover_code=data.plover_code,
            text=source.text[data.start : data.end],
            start=data.start,
            end=data.end,
        )
        statement.clean()
        rows.append(statement)
    with transaction.atomic():
        created = Statement.objects.bulk_create(rows)
        for name in _LINKS:
            field = Statement._meta.get_field(name)
            through = field.remote_field.through
            own, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            through.objects.bulk_create(
                [
                    through(**{own: statement.pk, target: getattr(item, "pk", item)})
                    for statement, data in zip(created, statements, strict=True)
                    for item in getattr(data, name)
                ]
            )
    return created
