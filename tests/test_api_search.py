"""Full-text search (`?q=`) on meetings, statements, sources and commitments: the same
answers on PostgreSQL and SQLite, ranked, highlighted for the page only, kept in step with
every write, and never a 500 whatever the query."""

import factories as f
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from problems import field_errors

from events.models import Meeting, SourceDocument, Statement
from events.search import MAX_QUERY_CHARS, ensure_sqlite_triggers

pytestmark = pytest.mark.django_db

STATEMENTS = reverse("statement-list")
MEETINGS = reverse("meeting-list")
SOURCES = reverse("sourcedocument-list")
COMMITMENTS = reverse("commitment-list")


def statement(text, *, meeting=None, status="published"):
    meeting = meeting or f.MeetingFactory(status=status)
    source = f.SourceDocumentFactory(meetings=[meeting], text=text)
    return f.StatementFactory(meeting=meeting, source=source)


def results(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


@pytest.fixture
def said():
    return {
        "security": statement("The two sides agreed to deepen cooperation in the security field."),
        "medicine": statement("China will speed up the construction of a center for medicine."),
        "trade": statement("China opposes protectionism and upholds free trade <b>firmly</b>."),
        "both": statement(
            "Security cooperation and security dialogue: the two sides cooperate on security."
        ),
    }


def test_words_are_matched_stemmed_and_all_required(api_client, said):
    found = {r["id"] for r in results(api_client, STATEMENTS, q="cooperating")}
    assert found == {said["security"].pk, said["both"].pk}
    found = {r["id"] for r in results(api_client, STATEMENTS, q="security medicine")}
    assert found == set()


def test_phrases_alternatives_and_exclusions(api_client, said):
    def ids(q):
        return {r["id"] for r in results(api_client, STATEMENTS, q=q)}

    assert ids('"security field"') == {said["security"].pk}
    assert ids('"field security"') == set()
    assert ids("medicine or trade") == {said["medicine"].pk, said["trade"].pk}
    assert ids("security -dialogue") == {said["security"].pk}


def test_results_come_by_relevance_unless_ordering_is_given(api_client, said):
    ranked = [r["id"] for r in results(api_client, STATEMENTS, q="security")]
    assert ranked == [said["both"].pk, said["security"].pk]  # three mentions before one
    by_id = [r["id"] for r in results(api_client, STATEMENTS, q="security", ordering="id")]
    assert by_id == sorted(by_id)


def test_each_result_has_its_passage_highlighted_as_escaped_html(api_client, said):
    [hit] = results(api_client, STATEMENTS, q="trade")
    assert "<mark>trade</mark>" in hit["snippet"]
    # The readout's own markup is never markup here: escaped (SQLite's snippet() keeps
    # it as text) or dropped (PostgreSQL's parser reads it as a tag).
    assert "firmly" in hit["snippet"]
    assert "<b>" not in hit["snippet"]
    # Without a query, there is nothing to highlight.
    assert {r["snippet"] for r in results(api_client, STATEMENTS)} == {None}


def test_a_snippet_costs_one_query_whatever_the_page_size(api_client, said):
    statement("Security again.")
    for number in range(5):
        statement(f"Security is discussed, time {number}.")

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(STATEMENTS, params).status_code == 200
        return len(captured)

    plain = queries(page_size=2)
    assert queries(q="security", page_size=2) == plain + 1
    assert queries(q="security", page_size=8) == plain + 1


def test_meetings_sources_and_commitments_are_searched_too(api_client):
    talks = f.MeetingFactory(title="Wang Yi holds talks with the Foreign Minister of Tajikistan")
    noted = f.MeetingFactory(title="A meeting", notes="Held during talks on the Afghan issue.")
    f.MeetingFactory(title="Phone call on trade")
    found = results(api_client, MEETINGS, q="talk")
    assert [m["id"] for m in found] == [talks.pk, noted.pk]  # a title counts more than notes
    assert "<mark>talks</mark>" in found[0]["snippet"]

    meeting = f.MeetingFactory()
    readout = f.SourceDocumentFactory(
        meetings=[meeting], title="Readout", text="Wang Yi met Tajikistan's Foreign Minister."
    )
    f.SourceDocumentFactory(meetings=[meeting], text="Nothing about that country.")
    [hit] = results(api_client, SOURCES, q="tajikistan")
    assert hit["id"] == readout.pk
    assert "<mark>Tajikistan" in hit["snippet"]
    assert "text" not in hit

    luban = f.CommitmentFactory(meeting=meeting, description="Run the Luban Workshop well")
    f.CommitmentFactory(meeting=meeting, description="Speed up a medicine centre")
    [hit] = results(api_client, COMMITMENTS, q="workshops")
    assert hit["id"] == luban.pk
    assert hit["snippet"] == "Run the Luban <mark>Workshop</mark> well"


def test_drafts_stay_hidden_from_those_who_may_not_see_them(api_client, staff_client):
    hidden = statement("A secret pledge on glaciers.", status="draft")
    assert results(api_client, STATEMENTS, q="glaciers") == []
    assert [r["id"] for r in results(staff_client, STATEMENTS, q="glaciers")] == [hidden.pk]


def test_search_follows_every_write(api_client, staff_client):
    meeting = f.MeetingFactory(title="Talks on water")
    assert [m["id"] for m in results(api_client, MEETINGS, q="water")] == [meeting.pk]

    response = staff_client.patch(
        reverse("meeting-detail", args=[meeting.pk]), {"title": "Talks on glaciers"}
    )
    assert response.status_code == 200
    assert results(api_client, MEETINGS, q="water") == []
    assert [m["id"] for m in results(api_client, MEETINGS, q="glaciers")] == [meeting.pk]

    Meeting.objects.filter(pk=meeting.pk).update(notes="Also on rivers.")
    assert [m["id"] for m in results(api_client, MEETINGS, q="rivers")] == [meeting.pk]

    meeting.delete()
    assert results(api_client, MEETINGS, q="glaciers") == []


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        'security" AND "',
        "security AND OR NOT",
        "secur* ^ : ( ) { } [ ] NEAR(a b)",
        "'; DROP TABLE events_statement; --",
        "security & | ! <-> :*",
        "🙂 security 🙂",
        "é" * 300,
    ],
)
def test_hostile_queries_are_searched_literally(api_client, said, query):
    response = api_client.get(STATEMENTS, {"q": query})
    assert response.status_code == 200, response.content
    assert Statement.objects.count() == 4


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("security\x00", "Null characters"),
        ("a" * 10_000, f"under {MAX_QUERY_CHARS} characters"),
        ('"" -- !!', "at least one word"),
        ("-security", "at least one word"),
    ],
)
@pytest.mark.parametrize("url", [STATEMENTS, MEETINGS, SOURCES, COMMITMENTS])
def test_queries_that_cannot_be_searched_are_a_400_naming_q(api_client, url, query, reason):
    response = api_client.get(url, {"q": query})
    [message] = field_errors(response)["q"]
    assert reason in message


def test_an_empty_query_lists_everything(api_client, said):
    assert len(results(api_client, STATEMENTS, q="  ")) == 4


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers with a table")
def test_sqlite_triggers_come_back_after_a_table_is_rebuilt(api_client):
    meeting = f.MeetingFactory(title="Talks on water")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER events_meeting_fts_update")
        cursor.execute("DROP TRIGGER events_meeting_fts_insert")
    Meeting.objects.filter(pk=meeting.pk).update(title="Talks on glaciers")
    assert ensure_sqlite_triggers() == ["events_meeting_fts_insert", "events_meeting_fts_update"]
    assert [m["id"] for m in results(api_client, MEETINGS, q="glaciers")] == [meeting.pk]
    assert results(api_client, MEETINGS, q="water") == []
    assert ensure_sqlite_triggers() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
@pytest.mark.parametrize("model", [Meeting, Statement, SourceDocument])
def test_postgresql_searches_through_the_gin_index(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM {table} "
            "WHERE search_vector @@ websearch_to_tsquery('english', 'security')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{table}_search" in plan
