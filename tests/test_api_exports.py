"""Exports (CSV, NDJSON, iCalendar, PLOVER) of every list, each read back with a parser of
its own, and the conditional reads of lists and records (ETag, Last-Modified, 304)."""

import csv
import datetime
import io
import json
from pathlib import Path

import factories as f
import icalendar
import jsonschema
import pytest
from django.urls import reverse
from problems import problem

from events.api.exports import fold, safe_cell
from events.api.urls import router
from events.models import Meeting, Place, Statement
from events.services import delete_record
from events.services.meetings import meeting_save, meetings_set_status

pytestmark = pytest.mark.django_db

LIST = reverse("meeting-list")
STATEMENTS = reverse("statement-list")
PLOVER_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "plover_record.json").read_text())

HOSTILE_TITLE = "=cmd|' /C calc'!A0, \"quoted\"; semi\nsecond line \\ back"
TEXT = (
    "On April 25, 2025 local time, Wang Yi met with Tajikistan's Foreign Minister Sirojiddin "
    "Muhriddin in Almaty. Wang Yi said China firmly supports Tajikistan in safeguarding its "
    "independence. The two sides agreed to deepen cooperation in the security field."
)


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response), newline="")))


def ndjson(response) -> list[dict]:
    return [json.loads(line) for line in body(response).splitlines()]


def span(sentence):
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def meeting(*, title="Wang Yi met Sirojiddin Muhriddin", status="published", day=25):
    """A China-Tajikistan meeting in Almaty: Wang Yi hosts, a source, two statements."""
    almaty = Place.objects.filter(name="Almaty").first() or f.PlaceFactory(
        name="Almaty", country=f.country("KAZ")
    )
    record = f.MeetingFactory(
        title=title,
        date=datetime.date(2025, 4, day),
        place=almaty,
        plover_mode="third-party",
        status=status,
    )
    wang = f.ParticipantFactory(
        meeting=record, name_as_written="Wang Yi", side=f.country("CHN"), role="host"
    )
    f.ParticipantFactory(
        meeting=record, name_as_written="Sirojiddin Muhriddin", side=f.country("TJK"), role="guest"
    )
    source = f.SourceDocumentFactory(meetings=[record], text=f"{TEXT} ({record.slug})")
    start, end = span("China firmly supports Tajikistan")
    f.StatementFactory(
        meeting=record,
        source=source,
        attribution=Statement.Attribution.SPEAKER,
        speaker=wang,
        kind=Statement.Kind.STANCE,
        plover_code="SUPPORT",
        start=start,
        end=end,
        topics=[f.TopicFactory(slug=f"sovereignty-{record.slug}")],
    )
    start, end = span("The two sides agreed to deepen cooperation in the security field.")
    f.StatementFactory(meeting=record, source=source, start=start, end=end, plover_code="AGREE")
    return record


# Every list, in CSV and NDJSON -----------------------------------------------------------

LIST_ROUTES = sorted(f"{basename}-list" for _, _, basename in router.registry)


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_every_list_exports_csv_and_ndjson_as_its_json_list(route, staff_client):
    meeting()
    url = reverse(route)
    page = staff_client.get(url, {"page_size": 100}).json()
    rows = page["results"]  # the first page: every list but the countries' holds it all
    # Page-numbered lists count their rows; a cursor list of one page has no next.
    total = page["count"] if "count" in page else len(rows)
    assert "count" in page or page["next"] is None
    as_csv = csv_rows(staff_client.get(url, {"format": "csv"}))
    as_ndjson = ndjson(staff_client.get(url, {"format": "ndjson"}))
    assert len(as_ndjson) == len(as_csv) == total
    as_csv, as_ndjson = as_csv[: len(rows)], as_ndjson[: len(rows)]
    assert as_ndjson == rows
    if rows:
        assert list(as_csv[0]) == list(rows[0])  # the JSON's fields, in order
        key = "id" if "id" in rows[0] else "alpha3"
        assert [row[key] for row in as_csv] == [str(row[key]) for row in rows]


def test_the_format_may_be_asked_for_by_accept(api_client):
    meeting()
    response = api_client.get(LIST, HTTP_ACCEPT="text/csv")
    assert [row["title"] for row in csv_rows(response)] == ["Wang Yi met Sirojiddin Muhriddin"]
    response = api_client.get(LIST, HTTP_ACCEPT="application/x-ndjson")
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert len(ndjson(response)) == 1
    # A client that takes anything gets JSON.
    assert api_client.get(LIST, HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"


def test_an_export_is_the_whole_filtered_list_unpaginated(api_client):
    for day in range(1, 8):
        f.MeetingFactory(date=datetime.date(2024, 3, day), contact_type="phone_call")
    f.MeetingFactory(date=datetime.date(2023, 1, 1))
    response = api_client.get(
        LIST, {"format": "csv", "date_after": "2024-01-01", "page_size": 2, "ordering": "date"}
    )
    rows = csv_rows(response)
    assert [row["date"] for row in rows] == [f"2024-03-0{day}" for day in range(1, 8)]
    assert {row["contact_type"] for row in rows} == {"phone_call"}
    assert response["Content-Disposition"] == 'attachment; filename="meeting.csv"'


def test_a_csv_flattens_nested_values_and_defuses_formulas(api_client):
    meeting(title=HOSTILE_TITLE)
    (row,) = csv_rows(api_client.get(LIST, {"format": "csv"}))
    assert row["title"] == "'" + HOSTILE_TITLE
    assert row["place"] == "Almaty"
    assert row["participants"] == "Wang Yi (CHN, host); Sirojiddin Muhriddin (TJK, guest)"
    assert row["occasion"] == ""
    assert row["plover_event"] == "CONSULT"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain, with comma", "plain, with comma"),
        (-1, -1),
        (None, ""),
        (True, "true"),
        (["a", "=b"], "a; '=b"),
        ([{"name": "x"}, {"name": "y"}], "x; y"),
    ],
)
def test_a_cell(value, cell):
    assert safe_cell(value) == cell


def test_drafts_never_leak_into_an_export(api_client, reader_client, staff_client):
    meeting(title="Published")
    meeting(title="Draft", status="draft")
    for client, titles in [
        (api_client, ["Published"]),
        (reader_client, ["Published"]),
        (staff_client, ["Draft", "Published"]),
    ]:
        rows = csv_rows(client.get(LIST, {"format": "csv"}))
        assert sorted(row["title"] for row in rows) == titles
        events = icalendar.Calendar.from_ical(client.get(LIST, {"format": "ics"}).getvalue())
        assert sorted(str(e["SUMMARY"]) for e in events.walk("VEVENT")) == titles
        records = ndjson(client.get(LIST, {"format": "plover"}))
        assert sorted(record["comment"] for record in records) == titles
        statements = ndjson(client.get(STATEMENTS, {"format": "plover"}))
        assert len(statements) == 2 * len(titles)


def test_an_export_costs_the_same_queries_for_3_or_30_meetings(
    api_client, django_assert_num_queries
):
    for day in range(1, 4):
        meeting(day=day)
    # The validators, the meetings, their participants; a header; then nothing per row.
    for export in ("csv", "ndjson", "ics"):
        with django_assert_num_queries(3):
            assert len(body(api_client.get(LIST, {"format": export}))) > 0
    with django_assert_num_queries(4):  # and the sources each meeting cites
        body(api_client.get(LIST, {"format": "plover"}))
    for day in range(4, 31):
        meeting(day=day % 28 + 1)
    for export in ("csv", "ndjson", "ics"):
        with django_assert_num_queries(3):
            response = api_client.get(LIST, {"format": export})
            content = body(response)
    assert content.count("BEGIN:VEVENT") == 30
    with django_assert_num_queries(4):
        assert len(ndjson(api_client.get(LIST, {"format": "plover"}))) == 30


# iCalendar -----------------------------------------------------------------------------------


def test_meetings_as_an_icalendar_feed(api_client):
    record = meeting(title=HOSTILE_TITLE + " " + "very long title " * 8)
    response = api_client.get(LIST, {"format": "ics"})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = b"".join(response.streaming_content)
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"meeting-{record.pk}@testserver"
    assert event.decoded("DTSTART") == datetime.date(2025, 4, 25)
    assert event.decoded("DTEND") == datetime.date(2025, 4, 26)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert str(event["SUMMARY"]) == record.title
    assert str(event["LOCATION"]) == "Almaty, Kazakhstan"
    assert "Wang Yi (CHN, host)" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver/api/v1/meetings/{record.pk}/"
    assert event.decoded("DTSTAMP").tzinfo is not None


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "王毅会见" * 30
    folded = fold(line)
    parts = folded.encode().split(b"\r\n")
    assert all(len(part) <= 75 for part in parts)
    assert folded.replace("\r\n ", "").removesuffix("\r\n") == line


def test_only_meetings_are_a_calendar(api_client):
    problem(api_client.get(STATEMENTS, {"format": "ics"}), 404)


# PLOVER -----------------------------------------------------------------------------------


def test_meetings_as_plover_records(api_client):
    record = meeting()
    (event,) = ndjson(api_client.get(LIST, {"format": "plover"}))
    jsonschema.validate(event, PLOVER_SCHEMA)
    assert event["id"] == event["link"] == f"meeting-{record.pk}"
    assert event["date"] == "2025-04-25"
    assert (event["event"], event["mode"], event["quad_code"]) == (["CONSULT"], "third-party", 1)
    # The visitor is the source, the host the recipient.
    assert [actor["code"] for actor in event["source"]] == ["TJK"]
    assert [actor["code"] for actor in event["recipient"]] == ["CHN"]
    assert event["cite_info"]["codebook"] == "plover-0.7b1-polecat-categories"
    assert event["cite_info"]["url"] == record.sources.get().url


def test_statements_as_plover_records(api_client):
    record = meeting()
    source = record.sources.get()
    response = api_client.get(STATEMENTS, {"format": "plover"})
    assert response["Content-Type"] == "application/x-ndjson; profile=plover; charset=utf-8"
    events = ndjson(response)
    for event in events:
        jsonschema.validate(event, PLOVER_SCHEMA)
        offsets = event["text_info"]
        assert source.text[offsets["start"] : offsets["end"]] == event["text"]
        assert event["link"] == f"meeting-{record.pk}"
    by_event = {event["event"][0]: event for event in events}
    assert set(by_event) == {"SUPPORT", "AGREE"}
    support = by_event["SUPPORT"]
    assert [a["code"] for a in support["source"]] == ["CHN"]
    assert [a["code"] for a in support["recipient"]] == ["TJK"]
    assert support["context"] == [f"sovereignty-{record.slug}"]
    # A joint statement: every side is its source and it has no recipient (reciprocal).
    assert [a["code"] for a in by_event["AGREE"]["source"]] == ["CHN", "TJK"]
    assert by_event["AGREE"]["recipient"] == []


# Formats that do not exist, and errors ----------------------------------------------------------


def test_an_unknown_format_is_a_404_problem(api_client):
    problem(api_client.get(LIST, {"format": "xlsx"}), 404)
    problem(api_client.get(reverse("topic-list"), {"format": "plover"}), 404)


def test_a_record_is_not_exported(api_client):
    record = meeting()
    url = reverse("meeting-detail", args=[record.pk])
    problem(api_client.get(url, {"format": "csv"}), 404)
    problem(api_client.get(url, HTTP_ACCEPT="text/csv"), 406)


def test_an_error_is_a_json_problem_whatever_the_format(api_client):
    body = problem(api_client.get(LIST, {"format": "csv", "date_after": "soon"}), 400)
    assert body["errors"][0]["field"] == "date_after"
    problem(api_client.get(LIST, {"nonsense": "1"}, HTTP_ACCEPT="text/csv"), 400)


def test_an_export_counts_as_one_request_for_the_throttle(api_client, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        | {"anon": "2/minute"}
    }
    for _ in range(3):
        meeting(day=_ + 1)
    assert api_client.get(LIST, {"format": "csv"}).status_code == 200
    assert api_client.get(LIST, {"format": "csv"}).status_code == 200
    response = api_client.get(LIST, {"format": "csv"})
    problem(response, 429)


# ETag, Last-Modified, 304 -----------------------------------------------------------------


def test_a_list_answers_304_while_nothing_changed(api_client, django_assert_num_queries):
    meeting()
    first = api_client.get(LIST)
    tag = first["ETag"]
    assert tag.startswith('W/"')
    assert first["Last-Modified"]
    assert {"Accept", "Authorization", "Cookie"} <= {
        part.strip() for part in first["Vary"].split(",")
    }
    # The page's rows are read (the meetings: a page's validators come from its rows, so a
    # cursor list still counts nothing); their participants are not, nothing is rendered.
    with django_assert_num_queries(1):
        again = api_client.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == tag
    assert api_client.get(LIST, HTTP_IF_NONE_MATCH='"other", ' + tag).status_code == 304
    assert api_client.get(LIST, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    since = first["Last-Modified"]
    assert api_client.get(LIST, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    assert (
        api_client.get(LIST, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code
        == 200
    )


def test_an_export_has_its_own_etag_and_304(api_client):
    meeting()
    json_tag = api_client.get(LIST)["ETag"]
    csv_response = api_client.get(LIST, {"format": "csv"})
    assert csv_response["ETag"] != json_tag
    again = api_client.get(LIST, {"format": "csv"}, HTTP_IF_NONE_MATCH=csv_response["ETag"])
    assert again.status_code == 304


def test_the_etag_follows_the_query(api_client):
    meeting()
    tag = api_client.get(LIST)["ETag"]
    assert api_client.get(LIST, {"ordering": "date"})["ETag"] != tag
    assert api_client.get(LIST, {"ordering": "date"}, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_change_through_a_service_moves_the_list_etag(api_client):
    record = meeting()
    tag = api_client.get(LIST)["ETag"]
    record = Meeting.objects.get(pk=record.pk)
    record.title = "Renamed"
    meeting_save(record)
    response = api_client.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200
    assert response["ETag"] != tag
    assert response.json()["results"][0]["title"] == "Renamed"


def test_a_deleted_row_moves_the_list_etag(staff_client):
    kept, gone = f.TopicFactory(), f.TopicFactory()
    url = reverse("topic-list")
    tag = staff_client.get(url)["ETag"]
    delete_record(gone)
    response = staff_client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [kept.pk]


def test_publishing_and_withdrawing_move_the_list_etag(api_client, staff_user):
    record = meeting(status="draft")
    statements_tag = api_client.get(STATEMENTS)["ETag"]
    tag = api_client.get(LIST)["ETag"]
    meetings_set_status(meetings=[record], status=Meeting.Status.PUBLISHED, user=staff_user)
    published = api_client.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert published.status_code == 200 and len(published.json()["results"]) == 1
    # The statements of a meeting just published enter the statement list too.
    assert api_client.get(STATEMENTS, HTTP_IF_NONE_MATCH=statements_tag).status_code == 200
    statements_tag = api_client.get(STATEMENTS)["ETag"]
    meetings_set_status(meetings=[record], status=Meeting.Status.DRAFT, user=staff_user)
    withdrawn = api_client.get(LIST, HTTP_IF_NONE_MATCH=published["ETag"])
    assert withdrawn.status_code == 200 and withdrawn.json()["results"] == []
    assert api_client.get(STATEMENTS, HTTP_IF_NONE_MATCH=statements_tag).status_code == 200


def test_a_reader_and_a_curator_get_different_etags(api_client, staff_client):
    meeting()
    assert api_client.get(LIST)["ETag"] != staff_client.get(LIST)["ETag"]


def test_a_record_answers_304_to_its_etag(api_client, django_assert_num_queries):
    record = meeting()
    url = reverse("meeting-detail", args=[record.pk])
    first = api_client.get(url)
    tag = first["ETag"]
    # One query: the record's version; its page (ten queries) is not read.
    with django_assert_num_queries(1):
        again = api_client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304
    assert again["ETag"] == tag and again["Last-Modified"] == first["Last-Modified"]
    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    record = Meeting.objects.get(pk=record.pk)
    record.title = "Renamed"
    meeting_save(record)
    changed = api_client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag


def test_a_hidden_record_is_a_404_even_with_if_none_match(api_client):
    record = meeting(status="draft")
    url = reverse("meeting-detail", args=[record.pk])
    problem(api_client.get(url, HTTP_IF_NONE_MATCH="*"), 404)
