"""Statements: their text is the source's text at their span, their speaker takes part in
their meeting; filters by side, topic and the meeting's status; a fixed query budget."""

import factories as f
import pytest
from django.urls import reverse
from problems import field_errors, fields_at_fault

from events.models import Statement

pytestmark = pytest.mark.django_db

LIST = reverse("statement-list")

TEXT = (
    "Wang Yi said China firmly supports Tajikistan. "
    "Muhriddin said Tajikistan is ready to deepen Belt and Road cooperation. "
    "The two sides agreed to jointly support the SCO."
)


def span(sentence):
    start = TEXT.index(sentence)
    return start, start + len(sentence)


@pytest.fixture
def readout():
    """One published meeting of China and Tajikistan, its source, and its two speakers."""
    meeting = f.MeetingFactory()
    source = f.SourceDocumentFactory(meetings=[meeting], text=TEXT)
    wang = f.ParticipantFactory(meeting=meeting, name_as_written="Wang Yi", side=f.country("CHN"))
    muhriddin = f.ParticipantFactory(
        meeting=meeting, name_as_written="Muhriddin", side=f.country("TJK")
    )
    return {"meeting": meeting, "source": source, "wang": wang, "muhriddin": muhriddin}


def body(readout, sentence, **fields):
    start, end = span(sentence)
    return {
        "meeting": readout["meeting"].pk,
        "source": readout["source"].pk,
        "attribution": "speaker",
        "speaker": readout["wang"].pk,
        "kind": "stance",
        "start": start,
        "end": end,
        **fields,
    }


# Writing ------------------------------------------------------------------------------


def test_it_takes_the_text_from_the_source_when_left_out(staff_client, readout):
    response = staff_client.post(LIST, body(readout, "China firmly supports Tajikistan"))
    assert response.status_code == 201, response.data
    assert response.data["text"] == "China firmly supports Tajikistan"
    assert response.data["speaker_name"] == "Wang Yi"


def test_it_accepts_the_text_when_it_matches_the_span(staff_client, readout):
    sentence = "China firmly supports Tajikistan"
    response = staff_client.post(LIST, body(readout, sentence, text=sentence))
    assert response.status_code == 201, response.data


def test_it_rejects_a_text_that_is_not_the_span(staff_client, readout):
    response = staff_client.post(
        LIST, body(readout, "China firmly supports Tajikistan", text="China supports Tajikistan")
    )
    assert response.status_code == 400
    assert fields_at_fault(response) == ["text"]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(0, len(TEXT) + 1, "end"), (10, 10, "end"), (20, 5, "end"), (-1, 5, "start")],
)
def test_it_rejects_a_span_outside_the_source(staff_client, readout, start, end, field):
    data = {**body(readout, "China"), "start": start, "end": end}
    response = staff_client.post(LIST, data)
    assert response.status_code == 400
    assert field in fields_at_fault(response)


def test_it_rejects_a_speaker_from_another_meeting(staff_client, readout):
    stranger = f.ParticipantFactory()
    response = staff_client.post(LIST, body(readout, "China", speaker=stranger.pk))
    assert response.status_code == 400
    assert field_errors(response) == {
        "speaker": ["The speaker does not take part in this meeting."]
    }


def test_it_rejects_a_source_that_does_not_report_the_meeting(staff_client, readout):
    other = f.SourceDocumentFactory(text=TEXT + " Another copy.")
    response = staff_client.post(LIST, body(readout, "China", source=other.pk))
    assert response.status_code == 400
    assert fields_at_fault(response) == ["source"]


def test_it_rejects_an_inconsistent_attribution(staff_client, readout):
    response = staff_client.post(LIST, body(readout, "China", attribution="joint"))
    assert response.status_code == 400
    assert fields_at_fault(response) == ["attribution"]


def test_it_rejects_a_second_statement_at_the_same_span(staff_client, readout):
    data = body(readout, "China firmly supports Tajikistan")
    assert staff_client.post(LIST, data).status_code == 201
    response = staff_client.post(LIST, data)
    assert response.status_code == 400
    assert field_errors(response) == {
        "start": ["This source already has a statement with this span."]
    }


def test_it_recomputes_the_text_when_the_span_moves(staff_client, readout):
    created = staff_client.post(LIST, body(readout, "China firmly supports Tajikistan")).data
    start, end = span("Wang Yi said")
    response = staff_client.patch(
        reverse("statement-detail", args=[created["id"]]), {"start": start, "end": end}
    )
    assert response.status_code == 200, response.data
    assert response.data["text"] == "Wang Yi said"


def test_it_rejects_an_unknown_topic_or_country(staff_client, readout):
    data = body(readout, "China", topics=["no-such-topic"], mentioned_countries=["XXX"])
    response = staff_client.post(LIST, data)
    assert response.status_code == 400
    assert set(fields_at_fault(response)) == {"topics", "mentioned_countries"}


# Filters ------------------------------------------------------------------------------


@pytest.fixture
def statements(readout):
    """A stance by Wang Yi (China), a pledge attributed to Tajikistan, a joint agreement,
    and a statement of a meeting China held with Kazakhstan."""
    security = f.TopicFactory(slug="security")
    sco = f.TopicFactory(slug="sco", parent=security)
    belt_and_road = f.TopicFactory(slug="belt-and-road")

    def statement(sentence, **fields):
        start, end = span(sentence)
        return f.StatementFactory(
            meeting=readout["meeting"], source=readout["source"], start=start, end=end, **fields
        )

    other_meeting = f.ParticipantFactory(side=f.country("KAZ")).meeting
    return {
        "stance": statement(
            "China firmly supports Tajikistan",
            attribution="speaker",
            speaker=readout["wang"],
            kind="stance",
            plover_code="SUPPORT",
            topics=[security],
        ),
        "pledge": statement(
            "Tajikistan is ready to deepen Belt and Road cooperation",
            attribution="side",
            side=f.country("TJK"),
            kind="commitment",
            plover_code="AGREE",
            topics=[belt_and_road],
        ),
        "joint": statement(
            "The two sides agreed to jointly support the SCO",
            kind="agreement",
            plover_code="AGREE",
            topics=[sco],
        ),
        "kazakh": f.StatementFactory(meeting=other_meeting, kind="agreement"),
    }


def names(response, statements):
    assert response.status_code == 200, response.data
    by_id = {s.pk: name for name, s in statements.items()}
    return sorted(by_id[row["id"]] for row in response.data["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"side": "CHN"}, ["joint", "stance"]),
        ({"side": "TJK"}, ["joint", "pledge"]),
        ({"side": "KAZ"}, ["kazakh"]),
        ({"side": "USA"}, []),
        ({"kind": "agreement"}, ["joint", "kazakh"]),
        ({"attribution": "side"}, ["pledge"]),
        ({"plover_code": "AGREE"}, ["joint", "pledge"]),
        ({"topic": "security"}, ["joint", "stance"]),
        ({"topic": "sco"}, ["joint"]),
        ({"status": "published"}, ["joint", "kazakh", "pledge", "stance"]),
        ({"status": "draft"}, []),
        ({"q": "belt and road"}, ["pledge"]),
    ],
)
def test_it_filters_statements(api_client, statements, query, expected):
    assert names(api_client.get(LIST, query), statements) == sorted(expected)


def test_it_filters_statements_by_meeting_and_source(api_client, statements, readout):
    by_meeting = api_client.get(LIST, {"meeting": readout["meeting"].pk})
    assert names(by_meeting, statements) == ["joint", "pledge", "stance"]
    by_source = api_client.get(LIST, {"source": statements["kazakh"].source_id})
    assert names(by_source, statements) == ["kazakh"]


def test_joint_statements_are_attributed_to_every_side(api_client, statements):
    row = api_client.get(reverse("statement-detail", args=[statements["joint"].pk])).data
    assert row["sides"] == ["CHN", "TJK"]


def test_statements_of_drafts_are_filtered_for_staff_only(staff_client, api_client):
    draft = f.StatementFactory(meeting=f.MeetingFactory(status="draft"))
    assert [r["id"] for r in staff_client.get(LIST, {"status": "draft"}).data["results"]] == [
        draft.pk
    ]
    assert api_client.get(LIST, {"status": "draft"}).data["results"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"side": "ZZZ"}, "side"),
        ({"topic": "nothing"}, "topic"),
        ({"kind": "poem"}, "kind"),
        ({"meeting": "first"}, "meeting"),
        ({"meeting": "-3"}, "meeting"),
        ({"source": str(2**64)}, "source"),
    ],
)
def test_it_rejects_a_malformed_statement_filter(api_client, query, field):
    response = api_client.get(LIST, query)
    assert response.status_code == 400
    assert fields_at_fault(response) == [field]


def test_a_statement_list_costs_seven_queries(api_client, statements, django_assert_num_queries):
    for statement in Statement.objects.all():
        statement.mentioned_countries.set([f.country("USA")])
        statement.mentioned_people.set([f.PersonFactory()])
    # Expect 7 queries (no count: the list is cursor-paginated; its ETag comes from the rows
    # shown): retrieve statements with speakers and meetings, topics, mentioned countries,
    # organisations, people and gatherings, and the meetings' participants (the sides of
    # joint statements).
    with django_assert_num_queries(7):
        response = api_client.get(LIST)
    assert len(response.data["results"]) == 4
