"""Writing source documents and the statements that point into them."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
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

__all__ = ["source_create", "source_update", "statement_create", "validate_source_unlink"]


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
