"""Cursor pagination on the large lists (meetings, statements, sources, commitments): no
count, links that follow the list's ordering through ties, NULLs and relevance, back and
forth, at the same cost on every page."""

import datetime

import factories as f
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

MEETINGS = reverse("meeting-list")
STATEMENTS = reverse("statement-list")
SOURCES = reverse("sourcedocument-list")
COMMITMENTS = reverse("commitment-list")


def walk(client, url, params, *, key="id"):
    """Every row, following `next` links; and the pages seen."""
    pages = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        pages.append(body)
        if body["next"] is None:
            break
        response = client.get(body["next"])
    return [row[key] for page in pages for row in page["results"]], pages


def back(client, pages, *, key="id"):
    """From the last page, every row, following `previous` links."""
    rows = []
    body = pages[-1]
    while True:
        rows = [row[key] for row in body["results"]] + rows
        if body["previous"] is None:
            return rows
        body = client.get(body["previous"]).json()


@pytest.fixture
def meetings():
    """Eleven meetings on four days: several share a date (the first key)."""
    days = [1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 1]
    return [f.MeetingFactory(date=datetime.date(2025, 4, day)) for day in days]


def test_the_meeting_list_is_walked_in_order_without_count(api_client, meetings):
    everything = [
        row["id"] for row in api_client.get(MEETINGS, {"page_size": 100}).json()["results"]
    ]
    assert len(everything) == 11
    ids, pages = walk(api_client, MEETINGS, {"page_size": 3})
    assert ids == everything
    assert [len(page["results"]) for page in pages] == [3, 3, 3, 2]
    assert pages[0]["previous"] is None
    assert back(api_client, pages) == everything


@pytest.mark.parametrize("ordering", ["title", "-title", "-date", "date", "-id", "contact_type"])
def test_every_ordering_is_walked_the_same(api_client, meetings, ordering):
    everything = [
        row["id"]
        for row in api_client.get(MEETINGS, {"page_size": 100, "ordering": ordering}).json()[
            "results"
        ]
    ]
    ids, pages = walk(api_client, MEETINGS, {"page_size": 4, "ordering": ordering})
    assert ids == everything
    assert back(api_client, pages) == everything


def test_filters_stay_in_the_links(api_client, meetings):
    f.MeetingFactory(status="draft", date=datetime.date(2025, 4, 2))
    ids, pages = walk(api_client, MEETINGS, {"page_size": 2, "date_after": "2025-04-03"})
    assert len(ids) == 6
    assert all("date_after=2025-04-03" in page["next"] for page in pages[:-1])


def test_a_page_deep_in_the_list_costs_what_the_first_costs(api_client, meetings):
    _, pages = walk(api_client, MEETINGS, {"page_size": 2})
    with CaptureQueriesContext(connection) as first:
        api_client.get(MEETINGS, {"page_size": 2})
    with CaptureQueriesContext(connection) as deep:
        api_client.get(pages[-2]["next"])
    assert len(deep) == len(first) == 2
    assert "OFFSET" not in deep[0]["sql"].upper()
    assert "COUNT(" not in " ".join(q["sql"].upper() for q in deep)


def test_rows_added_before_the_cursor_do_not_shift_the_next_page(api_client, meetings):
    ids, _ = walk(api_client, MEETINGS, {"page_size": 100})
    first = api_client.get(MEETINGS, {"page_size": 3}).json()
    f.MeetingFactory(date=datetime.date(2025, 5, 1))  # lands on page one
    second = api_client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == ids[3:6]


@pytest.mark.parametrize(
    "cursor", ["nonsense", "e30", "eyJwIjpbXSwiciI6MH0", "eyJwIjpbMSwyXSwiciI6NX0", "%00"]
)
def test_a_cursor_that_cannot_be_read_is_a_404(api_client, meetings, cursor):
    response = api_client.get(MEETINGS + f"?cursor={cursor}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def cursor_of(position, reverse=0):
    import base64
    import json

    data = json.dumps({"p": position, "r": reverse}).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "position",
    [["not a date", 1], ["2025-04-01", "not an id"], ["2025-04-01", 10**30], [None, None]],
)
def test_a_cursor_holding_values_its_keys_cannot_take_is_a_404_or_a_page(
    api_client, meetings, position
):
    response = api_client.get(MEETINGS, {"cursor": cursor_of(position)})
    assert response.status_code in {200, 404}


@pytest.mark.parametrize("rank", ["high", float("nan"), float("inf"), None])
def test_a_search_cursor_with_a_rank_that_is_no_number_is_a_404_or_a_page(api_client, rank):
    f.MeetingFactory(title="Talks on security")
    response = api_client.get(
        MEETINGS, {"q": "security", "cursor": cursor_of([rank, "2025-04-25", 1])}
    )
    assert response.status_code in {200, 404}


def test_statements_are_walked_through_their_sources_dates_and_nulls(api_client):
    meeting = f.MeetingFactory()
    for published_on in [None, datetime.date(2025, 4, 26), None, datetime.date(2024, 1, 1)]:
        source = f.SourceDocumentFactory(meetings=[meeting], published_on=published_on)
        for start in (0, 5):
            f.StatementFactory(meeting=meeting, source=source, start=start, end=start + 5)
    everything = [r["id"] for r in api_client.get(STATEMENTS, {"page_size": 100}).json()["results"]]
    assert len(everything) == 8
    ids, pages = walk(api_client, STATEMENTS, {"page_size": 3})
    assert ids == everything
    assert back(api_client, pages) == everything
    dated = api_client.get(SOURCES, {"page_size": 100}).json()["results"]
    assert [row["published_on"] for row in dated][-2:] == [None, None]  # NULLs last
    ids, pages = walk(api_client, SOURCES, {"page_size": 1})
    assert ids == [row["id"] for row in dated]
    assert back(api_client, pages) == ids


def test_commitments_are_walked_by_their_meetings_dates(api_client, meetings):
    for meeting in meetings[:6]:
        f.CommitmentFactory(meeting=meeting)
        f.CommitmentFactory(meeting=meeting)
    everything = [
        r["id"] for r in api_client.get(COMMITMENTS, {"page_size": 100}).json()["results"]
    ]
    ids, pages = walk(api_client, COMMITMENTS, {"page_size": 5})
    assert ids == everything and len(ids) == 12
    assert back(api_client, pages) == everything


def test_search_results_are_walked_by_relevance(api_client):
    for n in range(7):
        f.MeetingFactory(title="Talks on security " + "security " * (n % 3) + f"number {n}")
    everything = [
        r["id"]
        for r in api_client.get(MEETINGS, {"q": "security", "page_size": 100}).json()["results"]
    ]
    assert len(everything) == 7
    ids, pages = walk(api_client, MEETINGS, {"q": "security", "page_size": 2})
    assert ids == everything
    assert back(api_client, pages) == everything
    assert all(row["snippet"] for page in pages for row in page["results"])
