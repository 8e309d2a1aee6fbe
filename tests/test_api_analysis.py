"""Analysts' questions in one request each: the meetings of two sides, a relationship's
summary, a person's timeline, who held what on a day, and what changed since a sync."""

import datetime

import factories as f
import pytest
from django.urls import reverse
from django.utils import timezone
from problems import field_errors

from events.models import Meeting, Person, RelationshipLevel

pytestmark = pytest.mark.django_db

MEETINGS = reverse("meeting-list")
TUNXI = "2022-03-31-wang-yi-muzaffar-ashurion"
ALMATY = "2025-04-25-wang-yi-sirojiddin-muhriddin"


def slugs(response):
    assert response.status_code == 200, response.json()
    return [row["slug"] for row in response.json()["results"]]


def test_between_finds_the_meetings_both_sides_took_part_in_wherever_held(api_client, seed):
    """`country` and `counterpart` also match a meeting held in the country: `between` not."""
    elsewhere = f.MeetingFactory(slug="tjk-rus-in-china", place=f.PlaceFactory())  # in China
    f.ParticipantFactory(meeting=elsewhere, side=f.country("TJK"))
    f.ParticipantFactory(meeting=elsewhere, side=f.country("RUS"))

    assert slugs(api_client.get(MEETINGS, {"between": "CHN,TJK"})) == [ALMATY, TUNXI]
    assert slugs(api_client.get(MEETINGS, {"between": "tjk, chn"})) == [ALMATY, TUNXI]
    assert "tjk-rus-in-china" in slugs(
        api_client.get(MEETINGS, {"country": "CHN", "counterpart": "TJK"})
    )
    assert slugs(api_client.get(MEETINGS, {"between": "TJK,RUS"})) == ["tjk-rus-in-china"]
    assert slugs(api_client.get(MEETINGS, {"between": "CHN,TJK,RUS"})) == []


@pytest.mark.parametrize(
    "value", ["CHN", "CHN,XYZ", ",".join(["CHN"] * 1 + ["TJK"] * 1) + ",", "A" * 400]
)
def test_between_refuses_what_names_no_pair_of_countries(api_client, value):
    response = api_client.get(MEETINGS, {"between": value})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["between"]


def test_the_relation_of_two_countries_in_one_request(api_client, seed):
    for url in (reverse("relation", args=["CHN", "TJK"]), reverse("relation", args=["tjk", "chn"])):
        data = api_client.get(url).json()
        assert {c["alpha3"] for c in data["countries"]} == {"CHN", "TJK"}
        assert (data["meetings"], data["first"], data["last"]) == (2, "2022-03-31", "2025-04-25")
        assert [(y["year"], y["by_contact_type"]) for y in data["years"]] == [
            (2022, {"meeting": 1}),
            (2025, {"meeting": 1}),
        ]
        almaty, _tunxi = data["encounters"]
        assert almaty["slug"] == ALMATY
        wang = next(p for p in almaty["participants"] if p["name_as_written"] == "Wang Yi")
        assert "Minister of Foreign Affairs" in {o["title"] for o in wang["offices"]}
        counts = {t["slug"]: t["statements"] for t in data["topics"]}
        assert counts["belt-and-road"] >= 2
        ordered = [t["statements"] for t in data["topics"]]
        assert ordered == sorted(ordered, reverse=True)
        assert [level["level"] for level in data["levels"]] == list(
            RelationshipLevel.objects.values_list("level", flat=True)
        )
        assert len(data["commitments"]) == data["commitment_count"] == 23
        assert sorted(len(group) for group in data["recurring"]) == [2, 2, 2, 2, 4]


def test_a_relations_queries_do_not_grow_with_its_meetings(
    api_client, seed, django_assert_num_queries
):
    """The pair's meetings are found once; what is counted or listed starts from them."""
    url = reverse("relation", args=["CHN", "TJK"])
    api_client.get(url)  # the country lookups' caches, if any, warmed
    with django_assert_num_queries(15) as before:
        data = api_client.get(url).json()
    assert data["meetings"] == 2
    for day in range(1, 6):
        meeting = f.MeetingFactory(date=datetime.date(2024, 1, day), contact_type="phone_call")
        f.ParticipantFactory(meeting=meeting, side=f.country("CHN"))
        f.ParticipantFactory(meeting=meeting, side=f.country("TJK"))
    with django_assert_num_queries(len(before.captured_queries)):
        data = api_client.get(url).json()
    assert data["meetings"] == 7
    assert [(y["year"], y["by_contact_type"]) for y in data["years"]] == [
        (2022, {"meeting": 1}),
        (2024, {"phone_call": 5}),
        (2025, {"meeting": 1}),
    ]


def test_a_relation_lists_its_latest_commitments_and_counts_them_all(api_client, seed, monkeypatch):
    monkeypatch.setattr("events.api.relations.MAX_COMMITMENTS_LISTED", 5)
    data = api_client.get(reverse("relation", args=["CHN", "TJK"])).json()
    assert data["commitment_count"] == 23
    listed = data["commitments"]
    assert len(listed) == 5
    assert [c["date"] for c in listed] == ["2025-04-25"] * 5  # the latest, oldest first
    assert [c["id"] for c in listed] == sorted(c["id"] for c in listed)
    # The chains are still those of all the pair's commitments.
    assert sorted(len(group) for group in data["recurring"]) == [2, 2, 2, 2, 4]


def test_a_relation_counts_only_what_the_reader_may_see(api_client, staff_client, seed):
    Meeting.objects.filter(slug=ALMATY).update(status="draft")
    public = api_client.get(reverse("relation", args=["CHN", "TJK"])).json()
    assert (public["meetings"], public["last"]) == (1, "2022-03-31")
    assert all(c["date"] == "2022-03-31" for c in public["commitments"])
    assert public["recurring"] == []
    assert staff_client.get(reverse("relation", args=["CHN", "TJK"])).json()["meetings"] == 2


def test_a_relation_of_unknown_or_identical_countries_is_refused(api_client):
    assert api_client.get(reverse("relation", args=["CHN", "XYZ"])).status_code == 404
    assert api_client.get(reverse("relation", args=["CHN", "CHN"])).status_code == 400


def test_a_persons_timeline_gives_offices_and_the_title_used_each_day(api_client, seed):
    wang = Person.objects.get(slug="wang-yi")
    data = api_client.get(reverse("person-timeline", args=[wang.pk])).json()
    assert data["person"]["slug"] == "wang-yi"
    assert [m["meeting"]["date"] for m in data["meetings"]] == ["2022-03-31", "2025-04-25"]
    titles = [m["title_as_written"] for m in data["meetings"]]
    assert titles[0].startswith("State Councilor")
    assert "Political Bureau" in titles[1]
    starts = [o["start_earliest"] for o in data["offices"] if o["start_earliest"]]
    assert starts == sorted(starts)


def test_at_gives_who_held_what_on_a_day(api_client, seed):
    people = reverse("person-list")
    held_2022 = {
        row["slug"] for row in api_client.get(people, {"at": "2022-03-31"}).json()["results"]
    }
    assert "wang-yi" in held_2022
    positions = reverse("position-list")
    offices = {r["slug"] for r in api_client.get(positions, {"at": "2022-03-31"}).json()["results"]}
    later = {r["slug"] for r in api_client.get(positions, {"at": "2025-04-25"}).json()["results"]}
    assert offices != later  # Wang Yi was State Councilor in 2022, on the Politburo in 2025
    assert api_client.get(people, {"at": "not-a-date"}).status_code == 400


def test_updated_since_lists_what_changed_after_a_moment(api_client, staff_client):
    old = f.PlaceFactory(name="Unchanged")
    moment = timezone.now()
    changed = f.PlaceFactory(name="Changed")
    since = (moment - datetime.timedelta(microseconds=1)).isoformat().replace("+00:00", "Z")
    rows = api_client.get(reverse("place-list"), {"updated_since": since}).json()["results"]
    assert [row["name"] for row in rows] == ["Changed"]
    assert old.pk not in {row["id"] for row in rows}
    assert api_client.get(reverse("place-list"), {"updated_since": "yesterday"}).status_code == 400
    assert changed.pk


def test_statements_and_commitments_of_the_meetings_between_two_sides(api_client, seed):
    statements = api_client.get(
        reverse("statement-list"), {"between": "CHN,TJK", "page_size": 100}
    ).json()
    assert len(statements["results"]) == 41
    assert api_client.get(reverse("statement-list"), {"between": "CHN,USA"}).json()["results"] == []
    recurring = api_client.get(reverse("commitment-recurring"), {"between": "CHN,TJK"}).json()
    assert sorted(group["times"] for group in recurring["results"]) == [2, 2, 2, 2, 4]


def test_a_meeting_published_after_a_sync_brings_its_parts_into_the_next_one(
    api_client, staff_client
):
    statement = f.StatementFactory(meeting=f.MeetingFactory(status="reviewed"))
    sync = timezone.now().isoformat().replace("+00:00", "Z")
    statements = reverse("statement-list")
    assert api_client.get(statements, {"updated_since": sync}).json()["results"] == []
    url = reverse("meeting-detail", args=[statement.meeting_id])
    assert staff_client.patch(url, {"status": "published"}).status_code == 200
    rows = api_client.get(statements, {"updated_since": sync}).json()["results"]
    assert [row["id"] for row in rows] == [statement.pk]
