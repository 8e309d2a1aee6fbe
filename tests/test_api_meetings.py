"""Meetings: the nested page, creating a meeting with its participants, filters, ordering
and the number of queries a list and a page cost."""

import datetime
import re

import factories as f
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from problems import field_errors, fields_at_fault

from events.models import Commitment, Meeting, Organization, Participant, Place, Statement

pytestmark = pytest.mark.django_db

LIST = reverse("meeting-list")

TEXT_2025 = (
    "On April 25, 2025 local time, Wang Yi met with Tajikistan's Foreign Minister Sirojiddin "
    "Muhriddin in Almaty. Wang Yi said China firmly supports Tajikistan in safeguarding its "
    "independence. The two sides agreed to deepen cooperation in the security field."
)


def detail(meeting):
    return reverse("meeting-detail", args=[meeting.pk])


def span(text, sentence):
    start = text.index(sentence)
    return start, start + len(sentence)


def build_meeting(*, date=datetime.date(2025, 4, 25), slug=None, status="published"):
    """A meeting as a readout reports it: two participants with offices, a place and an
    occasion, a source, a statement by a speaker and a joint one, a commitment."""
    almaty = Place.objects.filter(name="Almaty").first() or f.PlaceFactory(
        name="Almaty", country=f.country("KAZ")
    )
    meeting = f.MeetingFactory(
        date=date,
        place=almaty,
        occasion=f.GatheringFactory(),
        occasion_relation="sidelines",
        status=status,
        **({"slug": slug} if slug else {}),
    )
    mfa = Organization.objects.filter(slug="mfa").first() or f.OrganizationFactory(
        slug="mfa", name="Ministry of Foreign Affairs of China"
    )
    wang = f.ParticipantFactory(
        meeting=meeting,
        person=f.PersonFactory(name="Wang Yi"),
        name_as_written="Wang Yi",
        side=f.country("CHN"),
        role="host",
        offices=[
            f.PositionFactory(title=f"Foreign Minister ({meeting.slug})", organization=mfa),
            f.PositionFactory(),
        ],
    )
    f.ParticipantFactory(
        meeting=meeting,
        name_as_written="Sirojiddin Muhriddin",
        side=f.country("TJK"),
        role="guest",
        offices=[f.PositionFactory()],
    )
    source = f.SourceDocumentFactory(meetings=[meeting], text=TEXT_2025 + f" ({meeting.slug})")
    security = f.TopicFactory(slug=f"security-{meeting.slug}")
    start, end = span(TEXT_2025, "China firmly supports Tajikistan")
    f.StatementFactory(
        meeting=meeting,
        source=source,
        attribution=Statement.Attribution.SPEAKER,
        speaker=wang,
        kind=Statement.Kind.STANCE,
        plover_code="SUPPORT",
        start=start,
        end=end,
        topics=[f.TopicFactory()],
    )
    start, end = span(
        TEXT_2025, "The two sides agreed to deepen cooperation in the security field."
    )
    agreement = f.StatementFactory(
        meeting=meeting,
        source=source,
        start=start,
        end=end,
        plover_code="AGREE",
        topics=[security],
    )
    f.CommitmentFactory(
        meeting=meeting,
        statement=agreement,
        kind=Commitment.Kind.AGREEMENT,
        sides=[f.country("CHN"), f.country("TJK")],
        topics=[security],
    )
    return meeting


# The page -----------------------------------------------------------------------------


def test_a_meeting_page_nests_what_a_reader_needs(api_client):
    earlier = f.CommitmentFactory(meeting=f.MeetingFactory(date=datetime.date(2022, 3, 31)))
    meeting = build_meeting()
    Commitment.objects.get(meeting=meeting).reaffirms.set([earlier])

    page = api_client.get(detail(meeting)).json()

    assert page["plover_event"] == "CONSULT"
    assert page["place"]["name"] == "Almaty"
    assert page["place"]["country"] == {"alpha3": "KAZ", "name": "Kazakhstan"}
    assert page["occasion"]["id"] == meeting.occasion_id
    assert set(page["occasion"]) == {"id", "slug", "name", "kind", "date_earliest", "date_latest"}
    wang, guest = page["participants"]
    assert wang["person"]["name"] == "Wang Yi"
    assert wang["side"] == "CHN"
    assert guest["side"] == "TJK"
    assert guest["person"] is None
    office = next(o for o in wang["offices"] if o["title"].startswith("Foreign Minister"))
    assert office["organization"]["name"] == "Ministry of Foreign Affairs of China"
    (source,) = page["sources"]
    assert set(source) == {
        "id",
        "title",
        "url",
        "publisher",
        "language",
        "published_on",
        "content_hash",
    }
    stance, agreement = page["statements"]
    assert stance["speaker_name"] == "Wang Yi"
    assert stance["sides"] == ["CHN"]
    assert stance["kind"] == "stance"
    assert stance["plover_code"] == "SUPPORT"
    assert stance["text"] == "China firmly supports Tajikistan"
    assert TEXT_2025[stance["start"] : stance["end"]] == stance["text"]
    assert agreement["attribution"] == "joint"
    assert agreement["sides"] == ["CHN", "TJK"]
    assert agreement["topics"] == [f"security-{meeting.slug}"]
    (commitment,) = page["commitments"]
    assert commitment["sides"] == ["CHN", "TJK"]
    assert commitment["status"] == "pledged"
    assert commitment["reaffirms"] == [earlier.pk]


def test_a_meeting_list_is_lighter_than_its_page(api_client):
    build_meeting()
    (row,) = api_client.get(LIST).json()["results"]
    assert {"statements", "sources", "commitments", "notes"}.isdisjoint(row)
    assert [p["name_as_written"] for p in row["participants"]] == [
        "Wang Yi",
        "Sirojiddin Muhriddin",
    ]


def test_a_meeting_list_costs_two_queries_however_many_meetings(
    api_client, django_assert_num_queries
):
    for day in range(1, 4):
        build_meeting(date=datetime.date(2025, 4, day))
    # Expect 2 queries (a cursor-paginated list counts nothing, and its ETag comes from the
    # rows shown): retrieve meetings with place, country and occasion, retrieve
    # participants with their people.
    with django_assert_num_queries(2):
        response = api_client.get(LIST)
    assert len(response.data["results"]) == 3


def test_a_meeting_page_costs_ten_queries(api_client, django_assert_num_queries):
    meeting = build_meeting()
    # Expect 10 queries: retrieve the meeting with place, country and occasion; participants
    # with people; their offices with organisations; sources with publishers; statements
    # with speakers; statement topics; commitments; their sides; their topics; the earlier
    # commitments they reaffirm.
    with django_assert_num_queries(10):
        response = api_client.get(detail(meeting))
    assert len(response.data["statements"]) == 2


def test_a_token_adds_the_queries_that_identify_the_caller(staff_client, django_assert_num_queries):
    meeting = build_meeting()
    # Expect 13 queries: the token with its user, the user's permissions and those of their
    # groups (whether they may read drafts), then the ten of a meeting's page.
    with django_assert_num_queries(13):
        staff_client.get(detail(meeting))


# Creating a meeting with its participants ---------------------------------------------


def meeting_body(**overrides):
    wang = f.PersonFactory(name="Wang Yi")
    return {
        "slug": "2025-05-30-phone-call",
        "title": "Wang Yi speaks with Sirojiddin Muhriddin on the phone",
        "date": "2025-05-30",
        "contact_type": "phone_call",
        "plover_mode": "phone",
        "status": "draft",
        "participants": [
            {
                "person": wang.pk,
                "name_as_written": "Wang Yi",
                "side": "CHN",
                "role": "participant",
                "title_as_written": "Foreign Minister",
                "offices": [f.PositionFactory().pk],
            },
            {"name_as_written": "Sirojiddin Muhriddin", "side": "TJK", "role": "participant"},
        ],
        **overrides,
    }


def test_it_creates_a_meeting_with_its_participants_in_one_request(staff_client):
    response = staff_client.post(LIST, meeting_body(), format="json")
    assert response.status_code == 201, response.data
    assert [p["name_as_written"] for p in response.data["participants"]] == [
        "Wang Yi",
        "Sirojiddin Muhriddin",
    ]
    assert [p["order"] for p in response.data["participants"]] == [0, 1]
    meeting = Meeting.objects.get(slug="2025-05-30-phone-call")
    assert meeting.participants.get(name_as_written="Wang Yi").offices.count() == 1


def test_it_writes_nothing_when_one_participant_is_invalid(staff_client):
    body = meeting_body()
    body["participants"][1]["side_organization"] = f.OrganizationFactory().pk
    response = staff_client.post(LIST, body, format="json")
    assert response.status_code == 400, response.data
    assert field_errors(response) == {
        "participants.1.side": [
            "A participant represents either a country or an organisation, not both."
        ]
    }
    assert not Meeting.objects.filter(slug=body["slug"]).exists()
    assert not Participant.objects.exists()


def test_it_names_an_unknown_side_of_a_participant(staff_client):
    body = meeting_body()
    body["participants"][1]["side"] = "XYZ"
    response = staff_client.post(LIST, body, format="json")
    assert response.status_code == 400
    assert "Unknown country code" in field_errors(response)["participants.1.side"][0]


def test_it_rolls_back_the_meeting_when_a_participant_fails_in_the_database(
    staff_client, monkeypatch
):
    """A failure after the meeting row is written (here: a forced one) leaves nothing."""
    from events.services import meetings

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(meetings, "participant_create", fail)
    with pytest.raises(RuntimeError):
        staff_client.post(LIST, meeting_body(), format="json")
    assert not Meeting.objects.exists()


def test_it_refuses_a_participant_listed_twice(staff_client):
    body = meeting_body()
    body["participants"][1]["name_as_written"] = "Wang Yi"
    response = staff_client.post(LIST, body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {
        "participants.1.name_as_written": ["This name is listed twice."]
    }


@pytest.mark.parametrize("method", ["put", "patch"])
def test_it_refuses_participants_when_a_meeting_is_updated(staff_client, method):
    meeting = f.MeetingFactory()
    body = {**meeting_body(slug=meeting.slug), "participants": []}
    response = getattr(staff_client, method)(detail(meeting), body, format="json")
    assert response.status_code == 400
    assert "/api/v1/participants/" in field_errors(response)["participants"][0]


def test_it_refuses_an_occasion_relation_without_an_occasion(staff_client):
    body = meeting_body(occasion_relation="sidelines")
    response = staff_client.post(LIST, body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {
        "occasion_relation": ["An occasion relation needs an occasion."]
    }


def test_a_draft_created_by_staff_is_hidden_from_anonymous_readers(staff_client, api_client):
    response = staff_client.post(LIST, meeting_body(), format="json")
    url = reverse("meeting-detail", args=[response.data["id"]])
    assert api_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 200


# Filters ------------------------------------------------------------------------------


def slugs(response):
    assert response.status_code == 200, response.data
    return sorted(row["slug"] for row in response.data["results"])


@pytest.fixture
def meetings():
    """Alice's world: China meets Tajikistan in China (2022) and in Kazakhstan (2025);
    Kazakhstan meets Tajikistan in Tajikistan; Russia calls Kazakhstan; one draft."""
    china, tajikistan, kazakhstan, russia = (f.country(c) for c in ("CHN", "TJK", "KAZ", "RUS"))
    tunxi = f.PlaceFactory(name="Tunxi", country=china)
    almaty = f.PlaceFactory(name="Almaty", country=kazakhstan)
    dushanbe = f.PlaceFactory(name="Dushanbe", country=tajikistan)
    wang = f.PersonFactory(name="Wang Yi")

    def meeting(slug, date, place, *sides, contact_type="meeting", status="published"):
        m = f.MeetingFactory(
            slug=slug,
            title=f"Talks in {slug.title()}",
            date=date,
            place=place,
            contact_type=contact_type,
            status=status,
        )
        for side in sides:
            f.ParticipantFactory(meeting=m, side=side, person=wang if side == china else None)
        return m

    return {
        "tunxi": meeting("tunxi", datetime.date(2022, 3, 31), tunxi, china, tajikistan),
        "almaty": meeting("almaty", datetime.date(2025, 4, 25), almaty, china, tajikistan),
        "dushanbe": meeting(
            "dushanbe", datetime.date(2024, 1, 10), dushanbe, kazakhstan, tajikistan
        ),
        "call": meeting(
            "call", datetime.date(2023, 6, 1), None, russia, kazakhstan, contact_type="phone_call"
        ),
        "draft": meeting(
            "draft", datetime.date(2025, 5, 1), tunxi, china, tajikistan, status="draft"
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"date_after": "2024-01-10"}, ["almaty", "dushanbe"]),
        ({"date_before": "2023-06-01"}, ["call", "tunxi"]),
        ({"date_after": "2023-01-01", "date_before": "2024-12-31"}, ["call", "dushanbe"]),
        # A side, or held there: Kazakhstan took part in two and hosted a third.
        ({"country": "KAZ"}, ["almaty", "call", "dushanbe"]),
        ({"country": "kaz"}, ["almaty", "call", "dushanbe"]),
        # A side only: Kazakhstan's counterparts met it, not in it.
        ({"counterpart": "KAZ"}, ["call", "dushanbe"]),
        # China's meetings with Tajikistan; then Kazakhstan's with Tajikistan.
        ({"country": "CHN", "counterpart": "TJK"}, ["almaty", "tunxi"]),
        ({"country": "KAZ", "counterpart": "TJK"}, ["almaty", "dushanbe"]),
        ({"kind": "phone_call"}, ["call"]),
        ({"status": "published", "slug": "tunxi"}, ["tunxi"]),
        ({"status": "draft"}, []),
        ({"q": "ALMATY"}, ["almaty"]),
    ],
)
def test_it_filters_meetings(api_client, meetings, query, expected):
    assert slugs(api_client.get(LIST, query)) == expected


def test_it_filters_meetings_by_person(api_client, meetings):
    wang = meetings["tunxi"].participants.get(side="CHN").person
    assert slugs(api_client.get(LIST, {"person": wang.pk})) == ["almaty", "tunxi"]


def test_it_lists_a_meeting_once_however_many_participants_match(api_client, meetings):
    f.ParticipantFactory(meeting=meetings["almaty"], side=f.country("CHN"))
    response = api_client.get(LIST, {"country": "CHN"})
    assert slugs(response) == ["almaty", "tunxi"]
    assert len(response.data["results"]) == 2


def test_staff_filter_drafts_by_status(staff_client, meetings):
    assert slugs(staff_client.get(LIST, {"status": "draft"})) == ["draft"]


def test_it_filters_meetings_by_topic_and_the_topics_below_it(api_client, meetings):
    security = f.TopicFactory(slug="security")
    terrorism = f.TopicFactory(slug="counter-terrorism", parent=security)
    f.StatementFactory(meeting=meetings["tunxi"], topics=[terrorism])
    f.StatementFactory(meeting=meetings["almaty"], topics=[security])
    f.StatementFactory(meeting=meetings["almaty"], topics=[terrorism])
    assert slugs(api_client.get(LIST, {"topic": "security"})) == ["almaty", "tunxi"]
    assert slugs(api_client.get(LIST, {"topic": "counter-terrorism"})) == ["almaty", "tunxi"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_after": "31/03/2022"}, "date_after"),
        ({"date_before": "2022-02-30"}, "date_before"),
        ({"country": "XYZ"}, "country"),
        ({"counterpart": "Tajikistan"}, "counterpart"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"person": "wang"}, "person"),
        ({"person": str(10**30)}, "person"),
        ({"kind": "dinner"}, "kind"),
    ],
)
def test_it_rejects_a_malformed_filter_naming_the_parameter(api_client, query, field):
    response = api_client.get(LIST, query)
    assert response.status_code == 400
    assert fields_at_fault(response) == [field]


# Ordering and pagination --------------------------------------------------------------


def test_meetings_are_ordered_newest_first_by_default(api_client, meetings):
    assert [row["slug"] for row in api_client.get(LIST).data["results"]] == [
        "almaty",
        "dushanbe",
        "call",
        "tunxi",
    ]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("date", ["tunxi", "call", "dushanbe", "almaty"]),
        ("title,-date", None),
        ("-slug", ["tunxi", "dushanbe", "call", "almaty"]),
        # Not in the whitelist: the default order.
        ("notes", ["almaty", "dushanbe", "call", "tunxi"]),
        ("place__country__name", ["almaty", "dushanbe", "call", "tunxi"]),
    ],
)
def test_it_orders_meetings_by_whitelisted_fields(api_client, meetings, ordering, expected):
    rows = api_client.get(LIST, {"ordering": ordering}).data["results"]
    if expected is None:
        expected = [
            m.slug
            for m in sorted(
                (m for m in meetings.values() if m.status == "published"),
                key=lambda m: (m.title, -m.date.toordinal()),
            )
        ]
    assert [row["slug"] for row in rows] == expected


def test_meetings_on_the_same_day_keep_a_stable_order(api_client):
    """Rows with equal sort keys come back in id order, whatever order the database stores
    them in: the query itself orders by id last."""
    meetings = [f.MeetingFactory(date=datetime.date(2025, 1, day)) for day in range(1, 6)]
    # Moved to the same day newest first, so that storage order is not id order (PostgreSQL
    # writes an updated row anew).
    for meeting in reversed(meetings):
        Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2025, 2, 1))
    with CaptureQueriesContext(connection) as queries:
        rows = api_client.get(LIST, {"ordering": "date"}).data["results"]
    assert [row["id"] for row in rows] == [m.pk for m in meetings]
    (listing,) = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "events_meeting"' in q["sql"] and "ORDER BY" in q["sql"]
    ]
    order_by = listing.rsplit("ORDER BY", 1)[1].split("LIMIT")[0]
    assert re.fullmatch(r'\s*"events_meeting"\."date" ASC, "events_meeting"\."id" ASC\s*', order_by)
