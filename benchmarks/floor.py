"""The floor: the tracker's read endpoints as a bare WSGI app, for `make bench`.

It answers what an anonymous reader gets from the app, byte for byte (the tests compare
them), by sending the same SQL the app sends (the tests compare that too) through psycopg
and encoding with orjson: no framework, no serializers, no middleware. What the app takes
beyond the floor's time is the cost of the framework.

Endpoints: the meeting list (`cursor`, `page_size`, `q`), a meeting's page, the statement
and commitment lists (`cursor`, `page_size`, `q`), in their default ordering (relevance
first under `q`). Anything else is a 404.

Run it like the app: `gunicorn benchmarks.floor:application` with `DATABASE_URL` set.
When the app's serializers or querysets change, the tests say what to follow here.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import os
import re
from dataclasses import dataclass
from urllib import parse

import orjson
import psycopg

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
PUBLISHED = "published"
SEARCH_CONFIG = "english"
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_OPTIONS = f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=24, MinWords=12'

# Each table's columns in the order the ORM selects them (its model's concrete fields).
COLUMNS = {
    "events_meeting": "id created_at updated_at version slug title date date_qualifier "
    "contact_type plover_mode place_id occasion_id occasion_relation status notes",
    "events_place": "id created_at updated_at version needs_review identifiers sources "
    "locked_fields slug name kind country_id parent_id",
    "events_country": "created_at updated_at version alpha3 alpha2 numeric name official_name",
    "events_gathering": "id created_at updated_at version needs_review date_earliest "
    "date_latest date_precision date_text slug name kind place_id host_country_id description",
    "events_participant": "id created_at updated_at version meeting_id person_id "
    "name_as_written side_id side_organization_id role title_as_written order",
    "events_person": "id created_at updated_at version needs_review identifiers sources "
    "locked_fields slug name native_name country_id",
    "events_position": "id created_at updated_at version needs_review identifiers sources "
    "locked_fields slug title kind organization_id",
    "events_organization": "id created_at updated_at version needs_review identifiers sources "
    "locked_fields slug name abbreviation kind country_id parent_id",
    # A meeting's page cites its sources without their text (the app defers it).
    "events_sourcedocument": "id created_at updated_at version publisher_id title url language "
    "published_on content_hash",
    "events_statement": "id created_at updated_at version meeting_id source_id attribution "
    "speaker_id side_id kind plover_code text start end",
    "events_topic": "id created_at updated_at version slug name parent_id description keywords",
    "events_commitment": "id created_at updated_at version slug meeting_id statement_id kind "
    "description status",
    "events_commitmentstatuschange": "id created_at updated_at version commitment_id status "
    "date note statement_id",
}
COLUMNS = {table: names.split() for table, names in COLUMNS.items()}

# The meeting list reads only what it shows (the app's `MeetingViewSet.page_queryset`).
LIST_COLUMNS = {
    "events_meeting": "id created_at updated_at version slug title date date_qualifier "
    "contact_type plover_mode place_id occasion_id occasion_relation status",
    "events_place": "id slug name kind country_id",
    "events_country": "alpha3 name",
    "events_gathering": "id date_earliest date_latest slug name kind",
}
LIST_COLUMNS = {table: names.split() for table, names in LIST_COLUMNS.items()}


def cols(table: str, alias: str | None = None, columns=COLUMNS) -> str:
    prefix = alias or f'"{table}"'
    return ", ".join(f'{prefix}."{name}"' for name in columns[table])


def at(table: str, offset: int = 0, columns=COLUMNS) -> dict[str, int]:
    """Where each column of `table` sits in a row whose `table` columns start at `offset`."""
    return {name: offset + index for index, name in enumerate(columns[table])}


def width(table: str, columns=COLUMNS) -> int:
    return len(columns[table])


def in_list(ids) -> str:
    """An IN list as the ORM writes it: each id once, in the order first seen."""
    return ", ".join(str(int(i)) for i in dict.fromkeys(ids))


def drf_datetime(value) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def drf_date(value) -> str | None:
    return None if value is None else value.isoformat()


class NotFound(Exception):
    pass


# Pagination and search, as DRF and events/search.py do them -----------------------------


def replace_query_param(url, key, value):
    scheme, netloc, path, query, fragment = parse.urlsplit(str(url))
    query_dict = parse.parse_qs(query, keep_blank_values=True)
    query_dict[str(key)] = [str(value)]
    query = parse.urlencode(sorted(query_dict.items()), doseq=True)
    return parse.urlunsplit((scheme, netloc, path, query, fragment))


def remove_query_param(url, key):
    scheme, netloc, path, query, fragment = parse.urlsplit(str(url))
    query_dict = parse.parse_qs(query, keep_blank_values=True)
    query_dict.pop(key, None)
    query = parse.urlencode(sorted(query_dict.items()), doseq=True)
    return parse.urlunsplit((scheme, netloc, path, query, fragment))


class Key:
    """One sort key of a list as the app's cursor pagination sends it (SQL, direction)."""

    def __init__(self, sql, descending=False, *, nullable=False, params=(), position=None):
        self.sql, self.descending, self.nullable = sql, descending, nullable
        self.params, self.position = list(params), position

    def compare(self, op: str, value) -> tuple[str, list]:
        if value is None:
            return f"{self.sql} IS {'NOT ' if op == 'not null' else ''}NULL", list(self.params)
        if self.position is not None:  # a rank: compared as a `real`
            return f"{self.sql} {op} (%s::real)", [*self.params, value]
        return f"{self.sql} {op} %s", [*self.params, value]


class Cursor:
    """`?cursor=` and `?page_size=` as events/api/pagination.py reads and writes them."""

    def __init__(self, request: Request, keys: list[Key]):
        self.request, self.keys = request, keys
        params = request.params
        try:
            self.size = int(params.get("page_size", PAGE_SIZE))
            if self.size < 1:
                self.size = PAGE_SIZE
            self.size = min(self.size, MAX_PAGE_SIZE)
        except ValueError:
            self.size = PAGE_SIZE
        self.position, self.reverse = None, False
        encoded = params.get("cursor")
        if encoded is not None:
            try:
                padded = encoded + "=" * (-len(encoded) % 4)
                cursor = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
                position = cursor["p"]
                if len(position) != len(keys) or cursor["r"] not in (0, 1):
                    raise ValueError
            except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
                raise NotFound from None
            self.position = [
                datetime.date.fromisoformat(v) if isinstance(v, str) else v for v in position
            ]
            self.reverse = bool(cursor["r"])

    @property
    def order(self) -> str:
        terms = []
        for key in self.keys:
            descending = key.descending != self.reverse
            term = f"{key.position or key.sql} {'DESC' if descending else 'ASC'}"
            if key.nullable:
                term += " NULLS FIRST" if self.reverse else " NULLS LAST"
            terms.append(term)
        return "ORDER BY " + ", ".join(terms)

    @property
    def limit(self) -> str:
        return f"LIMIT {self.size + 1}"

    def where(self, conditions: list[str], params: list) -> tuple[str, list]:
        """The list's WHERE with the cursor's conditions after the list's own."""
        conditions, params = list(conditions), list(params)
        if self.position is not None:
            alternatives: list[str] = []
            for index, key in enumerate(self.keys):
                value = self.position[index]
                ahead = key.descending != self.reverse
                if value is None:
                    if not self.reverse:
                        continue  # nothing after the NULLs
                    after = [key.compare("not null", None)]
                else:
                    after = [key.compare("<" if ahead else ">", value)]
                    if key.nullable and not self.reverse:
                        after.append(key.compare("is null", None))
                equal = [
                    earlier.compare("=", v) if v is not None else earlier.compare("null", None)
                    for earlier, v in zip(self.keys[:index], self.position[:index], strict=True)
                ]
                if not equal:
                    for sql, values in after:
                        alternatives.append(sql)
                        params += values
                    continue
                if len(after) == 1:
                    head, values = after[0]
                else:
                    head = "(" + " OR ".join(sql for sql, _ in after) + ")"
                    values = [v for _, vs in after for v in vs]
                params += values
                for _, vs in equal:
                    params += vs
                alternatives.append("(" + " AND ".join([head, *(sql for sql, _ in equal)]) + ")")
            conditions.append("(" + " OR ".join(alternatives) + ")")
            first = self.keys[0]
            if self.position[0] is not None and not first.nullable:
                op = "<=" if first.descending != self.reverse else ">="
                sql, values = first.compare(op, self.position[0])
                conditions.append(sql)
                params += values
        if len(conditions) == 1:
            return conditions[0], params
        return "(" + " AND ".join(conditions) + ")", params

    def take(self, rows: list) -> list:
        """The page's rows out of the `size + 1` fetched, in the list's order."""
        more = len(rows) > self.size
        rows = rows[: self.size]
        if self.reverse:
            rows = rows[::-1]
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, self.position is not None
        self.rows = rows
        return rows

    def envelope(self, results: list, keys_of) -> dict:
        url, rows = self.request.absolute_url, self.rows

        def link(row, reverse):
            values = [v.isoformat() if isinstance(v, datetime.date) else v for v in keys_of(row)]
            data = orjson.dumps({"p": values, "r": int(reverse)})
            encoded = base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")
            return replace_query_param(url, "cursor", encoded)

        return {
            "next": link(rows[-1], False) if self.has_next and rows else None,
            "previous": link(rows[0], True) if self.has_previous and rows else None,
            "results": results,
        }


WORD = re.compile(r"[^\W_]+")


def search_text(request: Request) -> str:
    """`q` as events/search.py accepts it (the floor is only sent valid queries)."""
    return request.params.get("q", "").strip()


def search_condition(table: str) -> str:
    return f'("{table}".search_vector @@ websearch_to_tsquery(%s::regconfig, %s))'


def snippets(db: Database, table: str, columns: list[str], ids: list[int], text: str) -> dict:
    document = " || ' … ' || ".join(
        f"replace(replace(coalesce(\"{column}\", ''), %s, ''), %s, '')" for column in columns
    )
    rows = db.query(
        f"SELECT id, ts_headline(%s::regconfig, {document}, "
        f"websearch_to_tsquery(%s::regconfig, %s), %s) "
        f'FROM "{table}" WHERE id = ANY(%s)',
        [
            SEARCH_CONFIG,
            *[MARK_START, MARK_END] * len(columns),
            SEARCH_CONFIG,
            text,
            SNIPPET_OPTIONS,
            list(ids),
        ],
    )
    return {
        pk: raw.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
        .replace(MARK_START, "<mark>")
        .replace(MARK_END, "</mark>")
        for pk, raw in rows
        if raw is not None
    }


# The database ------------------------------------------------------------------------


class Database:
    """One connection per worker, autocommit and client-side binding as Django uses them."""

    def __init__(self, url: str):
        self.url = url
        self.connection = None
        self.log: list[str] | None = None  # the SQL sent, when a test asks

    def query(self, sql: str, params=None) -> list[tuple]:
        if self.connection is None or self.connection.closed:
            self.connection = psycopg.connect(
                self.url,
                autocommit=True,
                cursor_factory=psycopg.ClientCursor,
                options="-c TimeZone=UTC",
            )
        with self.connection.cursor() as cursor:
            text = cursor.mogrify(sql, params) if params else sql
            if self.log is not None:
                self.log.append(text)
            cursor.execute(text)
            return cursor.fetchall()


# Endpoints ------------------------------------------------------------------------------

MEETING_FROM = (
    'FROM "events_meeting" '
    'LEFT OUTER JOIN "events_place" ON ("events_meeting"."place_id" = "events_place"."id") '
    'LEFT OUTER JOIN "events_country" ON ("events_place"."country_id" = '
    '"events_country"."alpha3") '
    'LEFT OUTER JOIN "events_gathering" ON ("events_meeting"."occasion_id" = '
    '"events_gathering"."id")'
)
MEETING_SELECT = (
    f"SELECT {cols('events_meeting')}, {cols('events_place')}, {cols('events_country')}, "
    f"{cols('events_gathering')}"
)


@dataclass(frozen=True)
class MeetingRow:
    """Where a meeting row's columns sit: the meeting's, then its place's, the place's
    country's and its occasion's (a search's rank comes between the meeting's and the
    place's)."""

    meeting: dict
    place: dict
    country: dict
    occasion: dict
    width: int

    @classmethod
    def of(cls, columns) -> MeetingRow:
        meeting = at("events_meeting", 0, columns)
        place = at("events_place", len(meeting), columns)
        country = at("events_country", len(meeting) + len(place), columns)
        occasion = at("events_gathering", len(meeting) + len(place) + len(country), columns)
        return cls(meeting, place, country, occasion, len(meeting))


DETAIL_ROW = MeetingRow.of(COLUMNS)
LIST_ROW = MeetingRow.of(LIST_COLUMNS)
M = DETAIL_ROW.meeting
PARTICIPANT_ORDER = (
    'ORDER BY "events_meeting"."date" DESC, "events_meeting"."id" ASC, '
    '"events_participant"."order" ASC, "events_participant"."id" ASC'
)


def meeting_fields(row, *, layout: MeetingRow = DETAIL_ROW, rank_offset: int = 0) -> dict:
    """The fields every meeting shows, in the serializer's order (up to `status`)."""
    M, PL, CO, GA = layout.meeting, layout.place, layout.country, layout.occasion

    def c(index):
        return row[index + rank_offset] if index >= layout.width else row[index]

    place = None
    if c(PL["id"]) is not None:
        place = {
            "id": c(PL["id"]),
            "slug": c(PL["slug"]),
            "name": c(PL["name"]),
            "kind": c(PL["kind"]),
            "country": {"alpha3": c(CO["alpha3"]), "name": c(CO["name"])},
        }
    occasion = None
    if c(GA["id"]) is not None:
        occasion = {
            "id": c(GA["id"]),
            "slug": c(GA["slug"]),
            "name": c(GA["name"]),
            "kind": c(GA["kind"]),
            "date_earliest": drf_date(c(GA["date_earliest"])),
            "date_latest": drf_date(c(GA["date_latest"])),
        }
    return {
        "id": row[M["id"]],
        "slug": row[M["slug"]],
        "title": row[M["title"]],
        "date": drf_date(row[M["date"]]),
        "date_qualifier": row[M["date_qualifier"]],
        "contact_type": row[M["contact_type"]],
        "plover_event": "CONSULT",
        "plover_mode": row[M["plover_mode"]],
        "place": place,
        "occasion": occasion,
        "occasion_relation": row[M["occasion_relation"]],
        "status": row[M["status"]],
    }


P = at("events_participant")
PE = at("events_person", width("events_participant"))


def participants_by_meeting(db: Database, meeting_ids, *, with_person: bool) -> dict:
    person_select = f", {cols('events_person')}" if with_person else ""
    person_join = (
        ' LEFT OUTER JOIN "events_person" ON ("events_participant"."person_id" = '
        '"events_person"."id")'
        if with_person
        else ""
    )
    rows = db.query(
        f'SELECT {cols("events_participant")}{person_select} FROM "events_participant" '
        'INNER JOIN "events_meeting" ON ("events_participant"."meeting_id" = '
        f'"events_meeting"."id"){person_join} WHERE "events_participant"."meeting_id" IN '
        f"({in_list(meeting_ids)}) {PARTICIPANT_ORDER}"
    )
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row[P["meeting_id"]], []).append(row)
    return found


def participant_briefs(db: Database, meeting_ids) -> dict:
    """Each meeting's participants as its list shows them (the app reads them as values)."""
    rows = db.query(
        'SELECT "events_participant"."meeting_id" AS "meeting_id", "events_participant"."id" '
        'AS "id", "events_participant"."name_as_written" AS "name_as_written", '
        '"events_participant"."side_id" AS "side_id", "events_participant"."side_organization_id" '
        'AS "side_organization_id", "events_participant"."role" AS "role", '
        '"events_participant"."person_id" AS "person_id", "events_person"."slug" AS '
        '"person__slug", "events_person"."name" AS "person__name", "events_person"."country_id" '
        'AS "person__country_id" FROM "events_participant" LEFT OUTER JOIN "events_person" ON '
        '("events_participant"."person_id" = "events_person"."id") WHERE '
        f'"events_participant"."meeting_id" IN ({in_list(meeting_ids)}) '
        'ORDER BY 1 ASC, "events_participant"."order" ASC, 2 ASC'
    )
    found: dict[int, list] = {}
    for meeting, pk, name_as_written, side, organization, role, person, *brief in rows:
        found.setdefault(meeting, []).append(
            {
                "id": pk,
                "person": None
                if person is None
                else {"id": person, "slug": brief[0], "name": brief[1], "country": brief[2]},
                "name_as_written": name_as_written,
                "side": side,
                "side_organization": organization,
                "role": role,
            }
        )
    return found


def person_brief(row) -> dict | None:
    if row[PE["id"]] is None:
        return None
    return {
        "id": row[PE["id"]],
        "slug": row[PE["slug"]],
        "name": row[PE["name"]],
        "country": row[PE["country_id"]],
    }


def rank_key(table: str, text: str, columns=COLUMNS) -> Key:
    """Relevance, the first key of a search: `search_rank`, the column after `table`'s."""
    return Key(
        f'(ts_rank("{table}".search_vector, websearch_to_tsquery(%s::regconfig, %s), 1))',
        True,
        params=[SEARCH_CONFIG, text],
        position=width(table, columns) + 1,
    )


def rank_select(table: str) -> str:
    return (
        f', (ts_rank("{table}".search_vector, websearch_to_tsquery(%s::regconfig, %s), 1)) '
        'AS "search_rank"'
    )


def meeting_list(db: Database, request: Request) -> dict:
    M = LIST_ROW.meeting
    conditions = ['"events_meeting"."status" = %s']
    params: list = [PUBLISHED]
    text = search_text(request)
    keys = [Key('"events_meeting"."date"', True), Key('"events_meeting"."id"')]
    rank = ""
    if text:
        conditions.append(search_condition("events_meeting"))
        params += [SEARCH_CONFIG, text]
        rank = rank_select("events_meeting")
        keys.insert(0, rank_key("events_meeting", text, LIST_COLUMNS))
    cursor = Cursor(request, keys)
    where, params = cursor.where(conditions, params)
    rows = db.query(
        f"SELECT {cols('events_meeting', columns=LIST_COLUMNS)}{rank}, "
        f"{cols('events_place', columns=LIST_COLUMNS)}, "
        f"{cols('events_country', columns=LIST_COLUMNS)}, "
        f"{cols('events_gathering', columns=LIST_COLUMNS)} "
        f"{MEETING_FROM} WHERE {where} {cursor.order} {cursor.limit}",
        ([SEARCH_CONFIG, text] if text else []) + params,
    )
    rows = cursor.take(rows)
    rank_offset = 1 if text else 0
    ids = [row[M["id"]] for row in rows]
    participants = participant_briefs(db, ids) if ids else {}
    found = snippets(db, "events_meeting", ["title", "notes"], ids, text) if text and ids else {}
    results = []
    for row in rows:
        meeting = meeting_fields(row, layout=LIST_ROW, rank_offset=rank_offset)
        meeting["participants"] = participants.get(row[M["id"]], [])
        meeting["snippet"] = found.get(row[M["id"]])
        meeting["created_at"] = drf_datetime(row[M["created_at"]])
        meeting["updated_at"] = drf_datetime(row[M["updated_at"]])
        results.append(meeting)

    def keys_of(row):
        ranked = [row[LIST_ROW.width]] if text else []
        return [*ranked, row[M["date"]], row[M["id"]]]

    return cursor.envelope(results, keys_of)


S = at("events_statement")
STATEMENT_ORDER = (
    'ORDER BY "events_sourcedocument"."published_on" DESC, "events_sourcedocument"."id" ASC, '
    '"events_statement"."start" ASC'
)


def statement_sides(row, speaker_side, participants) -> list[str]:
    attribution = row[S["attribution"]]
    if attribution == "speaker":
        return [speaker_side] if speaker_side else []
    if attribution == "side":
        return [row[S["side_id"]]] if row[S["side_id"]] else []
    return sorted({p[P["side_id"]] for p in participants if p[P["side_id"]]})


def m2m(db: Database, through: str, owner: str, target_table: str, target_key: str, ids, order):
    """A prefetch of a many-to-many: {owner id: [target rows]}, as the ORM queries it."""
    rows = db.query(
        f'SELECT ("{through}"."{owner}_id") AS "_prefetch_related_val_{owner}_id", '
        f'{cols(target_table)} FROM "{target_table}" INNER JOIN "{through}" ON '
        f'("{target_table}"."{"alpha3" if target_table == "events_country" else "id"}" = '
        f'"{through}"."{target_key}") WHERE "{through}"."{owner}_id" IN ({in_list(ids)}) '
        f"ORDER BY {order}"
    )
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row[0], []).append(row[1:])
    return found


TOPIC = at("events_topic")
COUNTRY = at("events_country")
ORG = at("events_organization")
PERSON = at("events_person")
GATHERING = at("events_gathering")


def statement_list(db: Database, request: Request) -> dict:
    joins = (
        'INNER JOIN "events_meeting" ON ("events_statement"."meeting_id" = "events_meeting"."id")'
    )
    conditions = ['"events_meeting"."status" = %s']
    params: list = [PUBLISHED]
    text = search_text(request)
    # The source's date and id (its ordering), then the span's start and the id.
    keys = [
        Key('"events_sourcedocument"."published_on"', True, nullable=True),
        Key('"events_statement"."source_id"'),
        Key('"events_statement"."start"'),
        Key('"events_statement"."id"'),
    ]
    rank = ""
    if text:
        conditions.append(search_condition("events_statement"))
        params += [SEARCH_CONFIG, text]
        rank = rank_select("events_statement")
        keys.insert(0, rank_key("events_statement", text))
    cursor = Cursor(request, keys)
    where, params = cursor.where(conditions, params)
    shift = 1 if text else 0
    speaker_columns = ", ".join(
        f'"events_participant"."{name}"' for name in COLUMNS["events_participant"]
    )
    rows = db.query(
        f"SELECT {cols('events_statement')}{rank}, "
        f'"events_sourcedocument"."published_on" AS "_cursor_{shift}", '
        f'"events_statement"."source_id" AS "_cursor_{shift + 1}", '
        f"{cols('events_meeting')}, {speaker_columns} "
        f'FROM "events_statement" {joins} '
        'INNER JOIN "events_sourcedocument" ON ("events_statement"."source_id" = '
        '"events_sourcedocument"."id") '
        'LEFT OUTER JOIN "events_participant" ON ("events_statement"."speaker_id" = '
        f'"events_participant"."id") WHERE {where} {cursor.order} {cursor.limit}',
        ([SEARCH_CONFIG, text] if text else []) + params,
    )
    rows = cursor.take(rows)
    base = width("events_statement") + shift + 2
    meeting_at = base
    speaker_at = base + width("events_meeting")
    ids = [row[S["id"]] for row in rows]
    if ids:
        topics = m2m(
            db,
            "events_statement_topics",
            "statement",
            "events_topic",
            "topic_id",
            ids,
            '"events_topic"."name" ASC',
        )
        countries = m2m(
            db,
            "events_statement_mentioned_countries",
            "statement",
            "events_country",
            "country_id",
            ids,
            '"events_country"."name" ASC',
        )
        organizations = m2m(
            db,
            "events_statement_mentioned_organizations",
            "statement",
            "events_organization",
            "organization_id",
            ids,
            '"events_organization"."name" ASC',
        )
        people = m2m(
            db,
            "events_statement_mentioned_people",
            "statement",
            "events_person",
            "person_id",
            ids,
            '"events_person"."name" ASC',
        )
        gatherings = m2m(
            db,
            "events_statement_mentioned_gatherings",
            "statement",
            "events_gathering",
            "gathering_id",
            ids,
            '"events_gathering"."date_earliest" DESC, "events_gathering"."name" ASC',
        )
        participants = participants_by_meeting(
            db, [row[meeting_at + M["id"]] for row in rows], with_person=False
        )
        found = snippets(db, "events_statement", ["text"], ids, text) if text else {}
    results = []
    for row in rows:
        pk = row[S["id"]]
        speaker_name = row[speaker_at + P["name_as_written"]]
        results.append(
            {
                "id": pk,
                "meeting": row[S["meeting_id"]],
                "source": row[S["source_id"]],
                "attribution": row[S["attribution"]],
                "speaker": row[S["speaker_id"]],
                "speaker_name": speaker_name,
                "side": row[S["side_id"]],
                "sides": statement_sides(
                    row,
                    row[speaker_at + P["side_id"]],
                    participants.get(row[S["meeting_id"]], []),
                ),
                "kind": row[S["kind"]],
                "plover_code": row[S["plover_code"]],
                "text": row[S["text"]],
                "start": row[S["start"]],
                "end": row[S["end"]],
                "topics": [t[TOPIC["slug"]] for t in topics.get(pk, [])],
                "mentioned_countries": [c[COUNTRY["alpha3"]] for c in countries.get(pk, [])],
                "mentioned_organizations": [o[ORG["id"]] for o in organizations.get(pk, [])],
                "mentioned_people": [p[PERSON["id"]] for p in people.get(pk, [])],
                "mentioned_gatherings": [g[GATHERING["id"]] for g in gatherings.get(pk, [])],
                "snippet": found.get(pk),
                "created_at": drf_datetime(row[S["created_at"]]),
                "updated_at": drf_datetime(row[S["updated_at"]]),
            }
        )

    def keys_of(row):
        at = width("events_statement")
        return [*row[at : at + shift + 2], row[S["start"]], row[S["id"]]]

    return cursor.envelope(results, keys_of)


C = at("events_commitment")
CHANGE = at("events_commitmentstatuschange")


def commitment_links(db: Database, ids, *, forward: bool) -> dict:
    """`reaffirms` (forward) or `reaffirmed_by` of each commitment: {id: [linked ids]},
    the linked commitments the reader may see, as the app's prefetch queries them."""
    owner, target = ("from", "to") if forward else ("to", "from")
    rows = db.query(
        f'SELECT ("events_commitment_reaffirms"."{owner}_commitment_id") AS '
        f'"_prefetch_related_val_{owner}_commitment_id", "events_commitment"."id" '
        'FROM "events_commitment" INNER JOIN "events_meeting" ON '
        '("events_commitment"."meeting_id" = "events_meeting"."id") '
        'INNER JOIN "events_commitment_reaffirms" ON ("events_commitment"."id" = '
        f'"events_commitment_reaffirms"."{target}_commitment_id") '
        'WHERE ("events_meeting"."status" = %s AND '
        f'"events_commitment_reaffirms"."{owner}_commitment_id" IN ({in_list(ids)})) '
        'ORDER BY "events_meeting"."date" DESC, "events_commitment"."id" ASC',
        [PUBLISHED],
    )
    found: dict[int, list] = {}
    for key, pk in rows:
        found.setdefault(key, []).append(pk)
    return found


def commitment_topics(db: Database, ids) -> dict:
    return m2m(
        db,
        "events_commitment_topics",
        "commitment",
        "events_topic",
        "topic_id",
        ids,
        '"events_topic"."name" ASC',
    )


def commitment_list(db: Database, request: Request) -> dict:
    joins = (
        'INNER JOIN "events_meeting" ON ("events_commitment"."meeting_id" = "events_meeting"."id")'
    )
    conditions = ['"events_meeting"."status" = %s']
    params: list = [PUBLISHED]
    text = search_text(request)
    keys = [Key('"events_meeting"."date"', True), Key('"events_commitment"."id"')]
    rank = ""
    if text:
        conditions.append(search_condition("events_commitment"))
        params += [SEARCH_CONFIG, text]
        rank = rank_select("events_commitment")
        keys.insert(0, rank_key("events_commitment", text))
    cursor = Cursor(request, keys)
    where, params = cursor.where(conditions, params)
    shift = 1 if text else 0
    rows = db.query(
        f"SELECT {cols('events_commitment')}{rank}, "
        f'"events_meeting"."date" AS "_cursor_{shift}" '
        f'FROM "events_commitment" {joins} WHERE {where} {cursor.order} {cursor.limit}',
        ([SEARCH_CONFIG, text] if text else []) + params,
    )
    rows = cursor.take(rows)
    ids = [row[C["id"]] for row in rows]
    if ids:
        sides = m2m(
            db,
            "events_commitment_sides",
            "commitment",
            "events_country",
            "country_id",
            ids,
            '"events_country"."name" ASC',
        )
        topics = commitment_topics(db, ids)
        changes = db.query(
            f"SELECT {cols('events_commitmentstatuschange')} "
            'FROM "events_commitmentstatuschange" '
            'LEFT OUTER JOIN "events_statement" ON ("events_commitmentstatuschange"."statement_id" '
            '= "events_statement"."id") '
            'LEFT OUTER JOIN "events_meeting" ON ("events_statement"."meeting_id" = '
            '"events_meeting"."id") '
            'INNER JOIN "events_commitment" ON ("events_commitmentstatuschange"."commitment_id" = '
            '"events_commitment"."id") '
            'INNER JOIN "events_meeting" T5 ON ("events_commitment"."meeting_id" = T5."id") '
            'WHERE (("events_commitmentstatuschange"."statement_id" IS NULL OR '
            '"events_meeting"."status" = %s) AND T5."status" = %s AND '
            f'"events_commitmentstatuschange"."commitment_id" IN ({in_list(ids)})) '
            'ORDER BY T5."date" DESC, "events_commitment"."id" ASC, '
            '"events_commitmentstatuschange"."date" ASC, "events_commitmentstatuschange"."id" ASC',
            [PUBLISHED, PUBLISHED],
        )
        history: dict[int, list] = {}
        for change in changes:
            history.setdefault(change[CHANGE["commitment_id"]], []).append(change)
        reaffirms = commitment_links(db, ids, forward=True)
        reaffirmed_by = commitment_links(db, ids, forward=False)
        found = snippets(db, "events_commitment", ["description"], ids, text) if text else {}
    results = []
    for row in rows:
        pk = row[C["id"]]
        results.append(
            {
                "id": pk,
                "slug": row[C["slug"]],
                "meeting": row[C["meeting_id"]],
                "statement": row[C["statement_id"]],
                "kind": row[C["kind"]],
                "sides": [s[COUNTRY["alpha3"]] for s in sides.get(pk, [])],
                "description": row[C["description"]],
                "topics": [t[TOPIC["slug"]] for t in topics.get(pk, [])],
                "status": row[C["status"]],
                "status_changes": [
                    {
                        "id": change[CHANGE["id"]],
                        "status": change[CHANGE["status"]],
                        "date": drf_date(change[CHANGE["date"]]),
                        "note": change[CHANGE["note"]],
                        "statement": change[CHANGE["statement_id"]],
                    }
                    for change in history.get(pk, [])
                ],
                "reaffirms": reaffirms.get(pk, []),
                "reaffirmed_by": reaffirmed_by.get(pk, []),
                "snippet": found.get(pk),
                "created_at": drf_datetime(row[C["created_at"]]),
                "updated_at": drf_datetime(row[C["updated_at"]]),
            }
        )

    def keys_of(row):
        at = width("events_commitment")
        return [*row[at : at + shift + 1], row[C["id"]]]

    return cursor.envelope(results, keys_of)


POS = at("events_position", 1)
POS_ORG = at("events_organization", 1 + width("events_position"))
SRC = at("events_sourcedocument", 1)
SRC_ORG = at("events_organization", 1 + width("events_sourcedocument"))
ST_SPEAKER = at("events_participant", width("events_statement"))


def organization_brief(row, where) -> dict | None:
    if row[where["id"]] is None:
        return None
    return {
        "id": row[where["id"]],
        "slug": row[where["slug"]],
        "name": row[where["name"]],
        "abbreviation": row[where["abbreviation"]],
        "kind": row[where["kind"]],
    }


def meeting_detail(db: Database, request: Request, meeting_id: int) -> dict:
    rows = db.query(
        f"{MEETING_SELECT} {MEETING_FROM} WHERE "
        f'("events_meeting"."status" = %s AND "events_meeting"."id" = {int(meeting_id)}) LIMIT 21',
        [PUBLISHED],
    )
    if not rows:
        raise NotFound
    [row] = rows
    participants = participants_by_meeting(db, [meeting_id], with_person=True).get(meeting_id, [])
    offices: dict[int, list] = {}
    if participants:
        for office in db.query(
            'SELECT ("events_participant_offices"."participant_id") AS '
            f'"_prefetch_related_val_participant_id", {cols("events_position")}, '
            f'{cols("events_organization")} FROM "events_position" '
            'INNER JOIN "events_participant_offices" ON ("events_position"."id" = '
            '"events_participant_offices"."position_id") '
            'INNER JOIN "events_organization" ON ("events_position"."organization_id" = '
            '"events_organization"."id") WHERE "events_participant_offices"."participant_id" IN '
            f'({in_list(p[P["id"]] for p in participants)}) ORDER BY "events_position"."title" ASC'
        ):
            offices.setdefault(office[0], []).append(office)
    sources = db.query(
        'SELECT ("events_sourcedocument_meetings"."meeting_id") AS '
        f'"_prefetch_related_val_meeting_id", {cols("events_sourcedocument")}, '
        f'{cols("events_organization")} FROM "events_sourcedocument" '
        'INNER JOIN "events_sourcedocument_meetings" ON ("events_sourcedocument"."id" = '
        '"events_sourcedocument_meetings"."sourcedocument_id") '
        'LEFT OUTER JOIN "events_organization" ON ("events_sourcedocument"."publisher_id" = '
        '"events_organization"."id") '
        f'WHERE "events_sourcedocument_meetings"."meeting_id" IN ({int(meeting_id)}) '
        'ORDER BY "events_sourcedocument"."published_on" DESC, "events_sourcedocument"."id" ASC'
    )
    speaker_columns = ", ".join(
        f'"events_participant"."{name}"' for name in COLUMNS["events_participant"]
    )
    statements = db.query(
        f'SELECT {cols("events_statement")}, {speaker_columns} FROM "events_statement" '
        'LEFT OUTER JOIN "events_participant" ON ("events_statement"."speaker_id" = '
        '"events_participant"."id") '
        'INNER JOIN "events_sourcedocument" ON ("events_statement"."source_id" = '
        '"events_sourcedocument"."id") '
        f'WHERE "events_statement"."meeting_id" IN ({int(meeting_id)}) {STATEMENT_ORDER}'
    )
    topics = (
        m2m(
            db,
            "events_statement_topics",
            "statement",
            "events_topic",
            "topic_id",
            [s[S["id"]] for s in statements],
            '"events_topic"."name" ASC',
        )
        if statements
        else {}
    )
    commitments = db.query(
        f'SELECT {cols("events_commitment")} FROM "events_commitment" '
        f'WHERE "events_commitment"."meeting_id" IN ({int(meeting_id)}) '
        'ORDER BY "events_commitment"."id" ASC'
    )
    sides, commitment_topic, reaffirms = {}, {}, {}
    if commitments:
        commitment_ids = [c[C["id"]] for c in commitments]
        sides = m2m(
            db,
            "events_commitment_sides",
            "commitment",
            "events_country",
            "country_id",
            commitment_ids,
            '"events_country"."name" ASC',
        )
        commitment_topic = commitment_topics(db, commitment_ids)
        reaffirms = commitment_links(db, commitment_ids, forward=True)
    meeting = meeting_fields(row)
    meeting["notes"] = row[M["notes"]]
    meeting["participants"] = [
        {
            "id": p[P["id"]],
            "person": person_brief(p),
            "name_as_written": p[P["name_as_written"]],
            "side": p[P["side_id"]],
            "side_organization": p[P["side_organization_id"]],
            "role": p[P["role"]],
            "title_as_written": p[P["title_as_written"]],
            "offices": [
                {
                    "id": o[POS["id"]],
                    "slug": o[POS["slug"]],
                    "title": o[POS["title"]],
                    "kind": o[POS["kind"]],
                    "organization": organization_brief(o, POS_ORG),
                }
                for o in offices.get(p[P["id"]], [])
            ],
            "order": p[P["order"]],
        }
        for p in participants
    ]
    meeting["sources"] = [
        {
            "id": s[SRC["id"]],
            "title": s[SRC["title"]],
            "url": s[SRC["url"]],
            "publisher": organization_brief(s, SRC_ORG),
            "language": s[SRC["language"]],
            "published_on": drf_date(s[SRC["published_on"]]),
            "content_hash": s[SRC["content_hash"]],
        }
        for s in sources
    ]
    meeting["statements"] = [
        {
            "id": s[S["id"]],
            "source": s[S["source_id"]],
            "attribution": s[S["attribution"]],
            "speaker": s[S["speaker_id"]],
            "speaker_name": s[ST_SPEAKER["name_as_written"]],
            "side": s[S["side_id"]],
            "sides": statement_sides(s, s[ST_SPEAKER["side_id"]], participants),
            "kind": s[S["kind"]],
            "plover_code": s[S["plover_code"]],
            "text": s[S["text"]],
            "start": s[S["start"]],
            "end": s[S["end"]],
            "topics": [t[TOPIC["slug"]] for t in topics.get(s[S["id"]], [])],
        }
        for s in statements
    ]
    meeting["commitments"] = [
        {
            "id": c[C["id"]],
            "slug": c[C["slug"]],
            "kind": c[C["kind"]],
            "sides": [side[COUNTRY["alpha3"]] for side in sides.get(c[C["id"]], [])],
            "description": c[C["description"]],
            "topics": [t[TOPIC["slug"]] for t in commitment_topic.get(c[C["id"]], [])],
            "status": c[C["status"]],
            "reaffirms": reaffirms.get(c[C["id"]], []),
            "statement": c[C["statement_id"]],
        }
        for c in commitments
    ]
    meeting["created_at"] = drf_datetime(row[M["created_at"]])
    meeting["updated_at"] = drf_datetime(row[M["updated_at"]])
    return meeting


# WSGI ---------------------------------------------------------------------------------


class Request:
    def __init__(self, environ):
        self.path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        self.params = {key: values[-1] for key, values in parse.parse_qs(query).items()}
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "localhost")
        self.absolute_url = f"http://{host}{self.path}" + (f"?{query}" if query else "")


DETAIL = re.compile(r"^/api/v1/meetings/([0-9]+)/$")
LISTS = {
    "/api/v1/meetings/": meeting_list,
    "/api/v1/statements/": statement_list,
    "/api/v1/commitments/": commitment_list,
}


def answer(db: Database, environ) -> tuple[str, dict]:
    """The status line and the payload for a request."""
    request = Request(environ)
    try:
        handler = LISTS.get(request.path)
        if handler is not None:
            return "200 OK", handler(db, request)
        detail = DETAIL.match(request.path)
        if detail:
            return "200 OK", meeting_detail(db, request, int(detail.group(1)))
    except NotFound:
        pass
    return "404 Not Found", {"detail": "Not found."}


def render(payload) -> bytes:
    """JSON as DRF's renderer writes it (compact, UTF-8, U+2028 and U+2029 escaped)."""
    return (
        orjson.dumps(payload)
        .replace(b"\xe2\x80\xa8", b"\\u2028")
        .replace(b"\xe2\x80\xa9", b"\\u2029")
    )


def make_application(database_url: str):
    db = Database(database_url)

    def application(environ, start_response):
        status, payload = answer(db, environ)
        body = render(payload)
        start_response(
            status,
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]

    application.db = db
    return application


application = make_application(os.environ.get("DATABASE_URL", ""))
