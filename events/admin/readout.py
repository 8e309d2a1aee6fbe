"""A readout's text with its statements highlighted: the import preview, a source's page and
the meeting page show statements the same way (a <mark> per statement, coloured by kind,
labelled with kind and speaker by the stylesheet `events/admin/curation.css`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..ingest.draft import DraftStatement
from ..models import Country, Statement

__all__ = [
    "highlight_statements",
    "kind_class",
    "label_of",
    "mark",
    "said_by",
    "saved_statement_marks",
]


def label_of(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def kind_class(kind: str) -> str:
    """A CSS class for the kind; a kind the model does not know is shown as "other"."""
    return kind if kind in Statement.Kind.values else Statement.Kind.OTHER


def said_by(statement: DraftStatement, countries: dict[str, Country]) -> str:
    if statement.speaker:
        return statement.speaker
    names = [countries[c].name if c in countries else c for c in statement.sides]
    if statement.attribution == Statement.Attribution.SIDE and names:
        return ", ".join(names)
    return gettext("Both sides")


def mark(
    text: str, *, kind: str, label: str, title: str = "", anchor: str = "", href: str = ""
) -> SafeString:
    """One statement's <mark>; `anchor` gives it an id, `href` makes its text a link."""
    body = format_html('<a href="{}">{}</a>', href, text) if href else text
    return format_html(
        '<mark class="readout-statement readout-kind-{}" data-kind="{}" data-label="{}"{}{}>'
        "{}</mark>",
        kind_class(kind),
        kind,
        label,
        format_html(' title="{}"', title) if title else "",
        format_html(' id="{}"', anchor) if anchor else "",
        body,
    )


def highlight_statements(
    text: str,
    statements: Sequence[DraftStatement],
    countries: dict[str, Country] | None = None,
    *,
    hrefs: Sequence[str] | None = None,
) -> SafeString:
    """The readout as HTML, each statement in a <mark> labelled with its kind and speaker.

    The label is an attribute the stylesheet shows before the statement, so the marks hold
    the readout's text and nothing else. `hrefs`, in the order of `statements`, link each
    statement's text (to its own page).

    The text between and inside the marks is escaped: `format_html` and `format_html_join`
    escape every plain string they are given.
    """
    countries = countries or {}
    parts: list[str | SafeString] = []
    cursor = 0
    links = list(hrefs) if hrefs is not None else [""] * len(statements)
    ordered = sorted(
        zip(statements, links, strict=True), key=lambda pair: (pair[0].start, pair[0].end)
    )
    for number, (statement, href) in enumerate(ordered, 1):
        start, end = max(statement.start, cursor, 0), min(statement.end, len(text))
        if start >= end:  # inside the previous statement: the parser's spans do not overlap
            continue
        kind = label_of(Statement.Kind, statement.kind)
        speaker = said_by(statement, countries)
        details = [f"#{number}", kind, speaker]
        if statement.plover_code:
            details.append(f"PLOVER {statement.plover_code}")
        if statement.topics:
            details.append(gettext("topics: %s") % ", ".join(statement.topics))
        parts.append(text[cursor:start])
        parts.append(
            mark(
                text[start:end],
                kind=statement.kind,
                label=f"{kind} · {speaker}",
                title=" · ".join(details),
                href=href,
            )
        )
        cursor = end
    parts.append(text[cursor:])
    return format_html_join("", "{}", ((part,) for part in parts))


def saved_statement_marks(statements: Iterable[Statement]) -> list[DraftStatement]:
    """Stored statements in the shape `highlight_statements` reads (speaker and side
    selected with them, topics prefetched)."""
    return [
        DraftStatement(
            text=statement.text,
            start=statement.start,
            end=statement.end,
            kind=statement.kind,
            plover_code=statement.plover_code,
            attribution=statement.attribution,
            speaker=statement.speaker.name_as_written if statement.speaker_id else None,
            sides=[statement.side_id] if statement.side_id else [],
            topics=[topic.name for topic in statement.topics.all()],
            topic_ids=[],
            mentions={},
            mention_ids={},
        )
        for statement in statements
    ]
