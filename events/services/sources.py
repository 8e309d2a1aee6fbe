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
        if meetings:
            source.meetings.set(meetings)
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
    topics: Sequence[Topic] = (),
    mentioned_countries: Sequence[Country] = (),
    mentioned_organizations: Sequence[Organization] = (),
    mentioned_people: Sequence[Person] = (),
    mentioned_gatherings: Sequence[Gathering] = (),
) -> Statement:
    """Record a statement at its span of the source; its text is the source's text there."""
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
        statement.topics.set(topics)
        statement.mentioned_countries.set(mentioned_countries)
        statement.mentioned_organizations.set(mentioned_organizations)
        statement.mentioned_people.set(mentioned_people)
        statement.mentioned_gatherings.set(mentioned_gatherings)
    return statement
