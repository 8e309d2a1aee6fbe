"""Full-text search (`?q=`) over meetings, statements, sources and commitments.

One interface on both databases:

- PostgreSQL: a `search_vector` column kept by a trigger (`to_tsvector('english', ...)`,
  weighted by field) with a GIN index; `websearch_to_tsquery` reads the query, `ts_rank`
  ranks, `ts_headline` highlights.
- SQLite: an FTS5 table over the same fields (external content, kept in sync by triggers,
  Porter stemming); the query is rebuilt from its words so FTS5's own syntax never sees
  raw input; `bm25()` ranks, `snippet()` highlights.

The query language is the web's on both: words are all required, `"a phrase"`, `or`
between alternatives, `-word` to leave out. Highlighted snippets are computed only for the
page returned (`snippets`), and are HTML: the text escaped, each match in `<mark>`.

Migration 0008 creates the columns, tables and triggers; `ensure_sqlite_triggers` puts
the SQLite triggers back after a later migration rebuilds a table (SQLite drops a table's
triggers with it), from `post_migrate`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.expressions import RawSQL

__all__ = [
    "MAX_QUERY_CHARS",
    "SEARCH_INDEXES",
    "clean_query",
    "ensure_sqlite_triggers",
    "search",
    "snippets",
]

MAX_QUERY_CHARS = 500
TEXT_SEARCH_CONFIG = "english"
# Private-use characters mark matches inside the database; Python turns them into <mark>
# once the text is escaped, so a readout's own "<" can never become markup.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 24


@dataclass(frozen=True)
class SearchIndex:
    table: str
    # (column, PostgreSQL weight A-D, SQLite bm25 weight)
    columns: tuple[tuple[str, str, float], ...]

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    def column_names(self) -> list[str]:
        return [column for column, _, _ in self.columns]


SEARCH_INDEXES: dict[str, SearchIndex] = {
    "events.meeting": SearchIndex("events_meeting", (("title", "A", 10.0), ("notes", "C", 1.0))),
    "events.statement": SearchIndex("events_statement", (("text", "A", 1.0),)),
    "events.sourcedocument": SearchIndex(
        "events_sourcedocument", (("title", "A", 10.0), ("text", "B", 1.0))
    ),
    "events.commitment": SearchIndex("events_commitment", (("description", "A", 1.0),)),
}


def index_for(model: type[models.Model]) -> SearchIndex:
    return SEARCH_INDEXES[model._meta.label_lower]


# The query --------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    negated: bool = False


def parse_query(text: str) -> list[list[Term]]:
    """Alternatives (split on `or`), each a list of terms that must all match."""
    groups: list[list[Term]] = [[]]
    for match in TOKEN.finditer(text):
        phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            groups.append([])
            continue
        negated = bare is not None and bare.startswith("-")
        found = tuple(WORD.findall(phrase if phrase is not None else bare))
        if found:
            groups[-1].append(Term(found, negated))
    return [group for group in groups if any(not term.negated for term in group)]


def clean_query(value: str) -> str:
    """The query as searched, or a ValidationError saying why it cannot be."""
    value = value.strip()
    if "\x00" in value:
        raise ValidationError("The search may not contain NUL characters.", code="invalid")
    if len(value) > MAX_QUERY_CHARS:
        raise ValidationError(
            f"Keep the search under {MAX_QUERY_CHARS} characters (it has {len(value):,}).",
            code="max_length",
        )
    if value and not parse_query(value):
        raise ValidationError(
            "Give at least one word to search for (not only words to leave out).",
            code="invalid",
        )
    return value


def fts5_query(text: str) -> str:
    """FTS5's syntax for the query, built from its words only (each one quoted)."""

    def quoted(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    alternatives = []
    for group in parse_query(text):
        wanted = " AND ".join(quoted(term) for term in group if not term.negated)
        unwanted = "".join(f" NOT {quoted(term)}" for term in group if term.negated)
        alternatives.append(f"({wanted}){unwanted}")
    return " OR ".join(alternatives)


# Querysets ----------------------------------------------------------------------------


def search(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Rows that match `text`, annotated with `search_rank` (higher is better)."""
    index = index_for(queryset.model)
    quote = connection.ops.quote_name
    table = quote(index.table)
    if connection.vendor == "postgresql":
        query = "websearch_to_tsquery(%s::regconfig, %s)"
        params = [TEXT_SEARCH_CONFIG, text]
        matches = RawSQL(
            f"{table}.search_vector @@ {query}", params, output_field=models.BooleanField()
        )
        rank = RawSQL(
            f"ts_rank({table}.search_vector, {query}, 1)", params, output_field=models.FloatField()
        )
        return queryset.filter(matches).annotate(search_rank=rank)
    fts = quote(index.fts_table)
    weights = ", ".join(str(weight) for _, _, weight in index.columns)
    params = [fts5_query(text)]
    rank = RawSQL(
        f"(SELECT -bm25({fts}, {weights}) FROM {fts} WHERE {fts} MATCH %s "
        f"AND {fts}.rowid = {table}.{quote('id')})",
        params,
        output_field=models.FloatField(),
    )
    matching = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", params)
    return queryset.filter(pk__in=matching).annotate(search_rank=rank)


def snippets(model: type[models.Model], ids: list[int], text: str) -> dict[int, str]:
    """Highlighted extracts of these rows (a page of results), in one query: HTML with
    each match in `<mark>`."""
    if not ids:
        return {}
    index = index_for(model)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            document = " || ' … ' || ".join(
                f"replace(replace(coalesce({quote(c)}, ''), %s, ''), %s, '')"
                for c in index.column_names()
            )
            cursor.execute(
                f"SELECT id, ts_headline(%s::regconfig, {document}, "
                f"websearch_to_tsquery(%s::regconfig, %s), %s) "
                f"FROM {quote(index.table)} WHERE id = ANY(%s)",
                [
                    TEXT_SEARCH_CONFIG,
                    *[MARK_START, MARK_END] * len(index.columns),
                    TEXT_SEARCH_CONFIG,
                    text,
                    f'StartSel="{MARK_START}", StopSel="{MARK_END}", '
                    f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}",
                    list(ids),
                ],
            )
        else:
            fts = quote(index.fts_table)
            placeholders = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"SELECT rowid, snippet({fts}, -1, %s, %s, '…', {SNIPPET_WORDS}) FROM {fts} "
                f"WHERE {fts} MATCH %s AND rowid IN ({placeholders})",
                [MARK_START, MARK_END, fts5_query(text), *ids],
            )
        rows = cursor.fetchall()
    return {
        pk: html.escape(raw.replace("\x00", ""))
        .replace(MARK_START, "<mark>")
        .replace(MARK_END, "</mark>")
        for pk, raw in rows
        if raw is not None
    }


# SQLite triggers --------------------------------------------------------------------


def sqlite_trigger_sql(index: SearchIndex) -> dict[str, str]:
    """The triggers that keep an FTS5 table in step with its content table, by name."""
    table, fts = index.table, index.fts_table
    columns = ", ".join(index.column_names())
    new = ", ".join(f"new.{c}" for c in index.column_names())
    old = ", ".join(f"old.{c}" for c in index.column_names())
    insert = f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.id, {old});"
    return {
        f"{fts}_insert": f"AFTER INSERT ON {table} BEGIN {insert} END",
        f"{fts}_delete": f"AFTER DELETE ON {table} BEGIN {delete} END",
        f"{fts}_update": f"AFTER UPDATE OF {columns} ON {table} BEGIN {delete} {insert} END",
    }


def ensure_sqlite_triggers(using_connection=None) -> list[str]:
    """Recreate missing FTS triggers (and rebuild that index); the names recreated."""
    conn = using_connection or connection
    if conn.vendor != "sqlite":
        return []
    recreated = []
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'table')")
        present = {name for (name,) in cursor.fetchall()}
        for index in SEARCH_INDEXES.values():
            if index.fts_table not in present:
                continue  # not migrated that far yet
            missing = {
                name: body
                for name, body in sqlite_trigger_sql(index).items()
                if name not in present
            }
            for name, body in missing.items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
                recreated.append(name)
            if missing:
                cursor.execute(
                    f"INSERT INTO {index.fts_table}({index.fts_table}) VALUES ('rebuild')"
                )
    return recreated
