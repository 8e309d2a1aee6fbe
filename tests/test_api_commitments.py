"""Commitments: who pledged what, which earlier commitment a later one reaffirms, and a
status that only changes through its history."""

import datetime

import factories as f
import pytest
from django.urls import reverse
from problems import field_errors, fields_at_fault

from events.models import Commitment, CommitmentStatusChange

pytestmark = pytest.mark.django_db

LIST = reverse("commitment-list")
CHANGES = reverse("commitmentstatuschange-list")


def bilateral(date, status="published"):
    meeting = f.MeetingFactory(date=date, status=status)
    f.ParticipantFactory(meeting=meeting, side=f.country("CHN"))
    f.ParticipantFactory(meeting=meeting, side=f.country("TJK"))
    return meeting


@pytest.fixture
def commitments():
    """Tunxi 2022: a security agreement. Almaty 2025: China's Luban pledge, Tajikistan's
    Belt and Road pledge, and the security agreement reaffirmed."""
    security = f.TopicFactory(slug="security")
    counter_terrorism = f.TopicFactory(slug="counter-terrorism", parent=security)
    education = f.TopicFactory(slug="education")
    tunxi = bilateral(datetime.date(2022, 3, 31))
    almaty = bilateral(datetime.date(2025, 4, 25))
    both = [f.country("CHN"), f.country("TJK")]
    security_2022 = f.CommitmentFactory(
        meeting=tunxi, kind="agreement", sides=both, topics=counter_terrorism
    )
    return {
        "security_2022": security_2022,
        "luban": f.CommitmentFactory(meeting=almaty, topics=education),
        "belt_and_road": f.CommitmentFactory(
            meeting=almaty, sides=[f.country("TJK")], status="in_progress"
        ),
        "security_2025": f.CommitmentFactory(
            meeting=almaty, kind="agreement", sides=both, topics=security, reaffirms=security_2022
        ),
    }


def names(response, commitments):
    assert response.status_code == 200, response.data
    by_id = {c.pk: name for name, c in commitments.items()}
    return sorted(by_id[row["id"]] for row in response.data["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"side": "CHN"}, ["luban", "security_2022", "security_2025"]),
        ({"side": "TJK"}, ["belt_and_road", "security_2022", "security_2025"]),
        ({"kind": "pledge"}, ["belt_and_road", "luban"]),
        ({"topic": "security"}, ["security_2022", "security_2025"]),
        ({"topic": "counter-terrorism"}, ["security_2022"]),
        ({"status": "in_progress"}, ["belt_and_road"]),
        ({"reaffirms__isnull": "false"}, ["security_2025"]),
        ({"q": "workshop"}, ["belt_and_road", "luban", "security_2022", "security_2025"]),
    ],
)
def test_it_filters_commitments(api_client, commitments, query, expected):
    assert names(api_client.get(LIST, query), commitments) == expected


def test_it_filters_commitments_by_meeting_and_by_what_they_reaffirm(api_client, commitments):
    earlier = commitments["security_2022"]
    assert names(api_client.get(LIST, {"reaffirms": earlier.pk}), commitments) == ["security_2025"]
    assert names(api_client.get(LIST, {"meeting": earlier.meeting_id}), commitments) == [
        "security_2022"
    ]


def test_a_draft_commitment_is_reaffirmed_by_nothing_for_anonymous_readers(
    api_client, staff_client, commitments
):
    """Filtering by a hidden commitment answers as for one that does not exist."""
    earlier = commitments["security_2022"]
    earlier.meeting.status = "draft"
    earlier.meeting.save()
    missing = max(c.pk for c in commitments.values()) + 100
    for client in (api_client, staff_client):
        assert names(client.get(LIST, {"reaffirms": missing}), commitments) == []
    assert names(api_client.get(LIST, {"reaffirms": earlier.pk}), commitments) == []
    assert names(api_client.get(LIST, {"reaffirms__isnull": "false"}), commitments) == []
    assert "security_2025" in names(
        api_client.get(LIST, {"reaffirms__isnull": "true"}), commitments
    )
    # Staff see the draft, and what reaffirms it.
    assert names(staff_client.get(LIST, {"reaffirms": earlier.pk}), commitments) == [
        "security_2025"
    ]
    assert names(staff_client.get(LIST, {"reaffirms__isnull": "false"}), commitments) == [
        "security_2025"
    ]


def test_a_published_commitment_names_the_commitments_it_is_linked_to_only_if_published(
    api_client, staff_client, commitments
):
    later = commitments["security_2025"]
    earlier = commitments["security_2022"]
    detail = reverse("commitment-detail", args=[later.pk])
    meeting_page = reverse("meeting-detail", args=[later.meeting_id])
    assert api_client.get(detail).json()["reaffirms"] == [earlier.pk]
    assert api_client.get(reverse("commitment-detail", args=[earlier.pk])).json()[
        "reaffirmed_by"
    ] == [later.pk]

    earlier.meeting.status = "draft"
    earlier.meeting.save()

    assert api_client.get(detail).json()["reaffirms"] == []
    nested = api_client.get(meeting_page).json()["commitments"]
    assert [c["reaffirms"] for c in nested if c["id"] == later.pk] == [[]]
    assert [c["id"] for c in api_client.get(detail).json()["chain"]] == [later.pk]
    assert staff_client.get(detail).json()["reaffirms"] == [earlier.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"side": "Tajikistan"}, "side"),
        ({"topic": "x"}, "topic"),
        ({"reaffirms": "1.5"}, "reaffirms"),
    ],
)
def test_it_rejects_a_malformed_commitment_filter(api_client, query, field):
    response = api_client.get(LIST, query)
    assert response.status_code == 400
    assert fields_at_fault(response) == [field]


def test_a_commitment_list_costs_six_queries(api_client, commitments, django_assert_num_queries):
    # Expect 6 queries (no count: the list is cursor-paginated; its ETag comes from the rows
    # shown): retrieve the commitments, then their sides, topics, status changes, the
    # commitments they reaffirm and those reaffirming them (one query each).
    with django_assert_num_queries(6):
        response = api_client.get(LIST)
    assert len(response.data["results"]) == 4


# Writing ------------------------------------------------------------------------------


def commitment_body(meeting, **fields):
    return {
        "slug": "luban-workshop",
        "meeting": meeting.pk,
        "kind": "pledge",
        "sides": ["CHN"],
        "description": "Run the Luban Workshop well",
        **fields,
    }


def test_a_new_commitment_starts_pledged_on_its_meeting_date(staff_client):
    meeting = bilateral(datetime.date(2025, 4, 25))
    response = staff_client.post(LIST, commitment_body(meeting, status="fulfilled"))
    assert response.status_code == 201, response.data
    assert response.data["status"] == "pledged"
    (change,) = response.data["status_changes"]
    assert (change["status"], change["date"]) == ("pledged", "2025-04-25")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sides": ["CHN", "TJK"]}, "A pledge is made by one side."),
        ({"kind": "agreement"}, "An agreement is made by at least two sides."),
        ({"sides": ["USA"]}, "Not a side of this meeting: USA."),
    ],
)
def test_it_rejects_sides_that_do_not_fit(staff_client, fields, message):
    meeting = bilateral(datetime.date(2025, 4, 25))
    response = staff_client.post(LIST, commitment_body(meeting, **fields))
    assert response.status_code == 400
    assert field_errors(response) == {"sides": [message]}


def test_it_rejects_reaffirming_a_later_commitment(staff_client, commitments):
    meeting = bilateral(datetime.date(2023, 1, 1))
    later = commitments["luban"]
    response = staff_client.post(LIST, commitment_body(meeting, reaffirms=[later.pk]))
    assert response.status_code == 400
    assert fields_at_fault(response) == ["reaffirms"]


def test_it_rejects_two_commitments_of_the_same_day_reaffirming_each_other(staff_client):
    """Meetings on one date are not ordered by it: the reaffirms chain must not loop."""
    day = datetime.date(2025, 4, 25)
    first = f.CommitmentFactory(meeting=bilateral(day))
    second = f.CommitmentFactory(meeting=bilateral(day), reaffirms=first)
    url = reverse("commitment-detail", args=[first.pk])
    response = staff_client.patch(url, {"reaffirms": [second.pk]})
    assert response.status_code == 400
    assert field_errors(response) == {
        "reaffirms": ["A commitment cannot reaffirm one that reaffirms it."]
    }


def test_it_reports_bad_sides_with_the_model_errors(staff_client):
    meeting = bilateral(datetime.date(2025, 4, 25))
    elsewhere = f.StatementFactory()
    body = commitment_body(meeting, sides=["USA"], statement=elsewhere.pk)
    response = staff_client.post(LIST, body)
    assert response.status_code == 400
    assert field_errors(response) == {
        "sides": ["Not a side of this meeting: USA."],
        "statement": ["The statement belongs to another meeting."],
    }


def test_it_rejects_a_commitment_reaffirming_itself(staff_client, commitments):
    luban = commitments["luban"]
    url = reverse("commitment-detail", args=[luban.pk])
    response = staff_client.patch(url, {"reaffirms": [luban.pk]})
    assert response.status_code == 400
    assert field_errors(response) == {"reaffirms": ["A commitment cannot reaffirm itself."]}


def test_it_rejects_a_statement_of_another_meeting(staff_client):
    meeting = bilateral(datetime.date(2025, 4, 25))
    elsewhere = f.StatementFactory()
    response = staff_client.post(LIST, commitment_body(meeting, statement=elsewhere.pk))
    assert response.status_code == 400
    assert field_errors(response) == {"statement": ["The statement belongs to another meeting."]}


def test_a_commitment_reaffirms_several_and_its_page_shows_the_chain(
    api_client, staff_client, commitments
):
    earlier, later = commitments["security_2022"], commitments["security_2025"]
    trade = f.CommitmentFactory(
        meeting=earlier.meeting, kind="agreement", sides=[f.country("CHN"), f.country("TJK")]
    )
    url = reverse("commitment-detail", args=[later.pk])
    response = staff_client.patch(
        url, {"reaffirms": [earlier.pk, trade.pk], "topics": ["security", "counter-terrorism"]}
    )
    assert response.status_code == 200, response.data
    page = api_client.get(url).json()
    assert sorted(page["reaffirms"]) == sorted([earlier.pk, trade.pk])
    assert page["topics"] == ["counter-terrorism", "security"] or sorted(page["topics"]) == [
        "counter-terrorism",
        "security",
    ]
    assert [c["id"] for c in page["chain"]] == [*sorted([earlier.pk, trade.pk]), later.pk]
    assert [c["date"] for c in page["chain"]] == ["2022-03-31", "2022-03-31", "2025-04-25"]
    assert api_client.get(reverse("commitment-detail", args=[trade.pk])).json()[
        "reaffirmed_by"
    ] == [later.pk]


def test_the_recurring_view_lists_the_commitments_that_came_back(api_client, commitments):
    response = api_client.get(reverse("commitment-recurring"))
    assert response.status_code == 200, response.data
    (group,) = response.data["results"]
    assert group["times"] == 2
    assert (group["first"], group["last"]) == ("2022-03-31", "2025-04-25")
    assert [c["id"] for c in group["commitments"]] == [
        commitments["security_2022"].pk,
        commitments["security_2025"].pk,
    ]
    assert api_client.get(reverse("commitment-recurring"), {"side": "USA"}).data["results"] == []


def test_the_topic_filter_finds_a_commitment_by_its_statements_topics(api_client, commitments):
    health = f.TopicFactory(slug="health")
    statement = f.StatementFactory(meeting=commitments["luban"].meeting, topics=[health])
    luban = commitments["luban"]
    luban.statement = statement
    luban.save()
    assert names(api_client.get(LIST, {"topic": "health"}), commitments) == ["luban"]


def test_a_reaffirmed_commitment_cannot_be_deleted(staff_client, commitments):
    earlier = commitments["security_2022"]
    response = staff_client.delete(reverse("commitment-detail", args=[earlier.pk]))
    assert response.status_code == 409
    assert response.json()["protected"] == [
        {"model": "commitment", "id": commitments["security_2025"].pk}
    ]


# Status history -----------------------------------------------------------------------


def test_a_status_change_updates_the_commitment(staff_client, commitments):
    luban = commitments["luban"]
    body = {"commitment": luban.pk, "status": "in_progress", "date": "2025-09-01"}
    response = staff_client.post(CHANGES, body)
    assert response.status_code == 201, response.data
    luban.refresh_from_db()
    assert luban.status == "in_progress"
    statuses = staff_client.get(CHANGES, {"commitment": luban.pk}).data["results"]
    assert [row["status"] for row in statuses] == ["in_progress"]


def test_a_change_recorded_late_does_not_override_the_current_status(staff_client, commitments):
    luban = commitments["luban"]
    staff_client.post(
        CHANGES, {"commitment": luban.pk, "status": "fulfilled", "date": "2026-01-01"}
    )
    staff_client.post(
        CHANGES, {"commitment": luban.pk, "status": "in_progress", "date": "2025-09-01"}
    )
    luban.refresh_from_db()
    assert luban.status == "fulfilled"


def test_it_rejects_a_change_dated_before_the_commitment(staff_client, commitments):
    body = {"commitment": commitments["luban"].pk, "status": "lapsed", "date": "2020-01-01"}
    response = staff_client.post(CHANGES, body)
    assert response.status_code == 400
    assert fields_at_fault(response) == ["date"]


def test_it_rejects_the_same_change_twice(staff_client, commitments):
    body = {"commitment": commitments["luban"].pk, "status": "lapsed", "date": "2026-01-01"}
    assert staff_client.post(CHANGES, body).status_code == 201
    response = staff_client.post(CHANGES, body)
    assert response.status_code == 400
    assert field_errors(response) == {"date": ["This change is already recorded."]}


def test_status_is_read_only_on_a_commitment(staff_client, commitments):
    luban = commitments["luban"]
    url = reverse("commitment-detail", args=[luban.pk])
    assert staff_client.patch(url, {"status": "fulfilled"}).data["status"] == "pledged"


def test_recording_a_change_needs_the_right_to_change_commitments(api_client, django_user_model):
    from django.contrib.auth.models import Permission
    from knox.models import AuthToken

    carol = django_user_model.objects.create_user("carol")
    carol.user_permissions.add(Permission.objects.get(codename="add_commitmentstatuschange"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=carol)[1]}")
    commitment = f.CommitmentFactory()
    body = {"commitment": commitment.pk, "status": "lapsed", "date": "2026-01-01"}
    assert api_client.post(CHANGES, body).status_code == 403
    assert not CommitmentStatusChange.objects.exists()
    carol.user_permissions.add(Permission.objects.get(codename="change_commitment"))
    assert api_client.post(CHANGES, body).status_code == 201
    assert Commitment.objects.get().status == "lapsed"


def test_a_change_traced_to_a_draft_meeting_is_for_staff_only(
    api_client, staff_client, commitments
):
    luban = commitments["luban"]
    draft_statement = f.StatementFactory(meeting=bilateral(datetime.date(2025, 9, 1), "draft"))
    public = f.CommitmentStatusChangeFactory(commitment=luban, date=datetime.date(2025, 8, 1))
    secret = f.CommitmentStatusChangeFactory(
        commitment=luban,
        status="fulfilled",
        date=datetime.date(2025, 9, 1),
        note="Agreed in the draft meeting",
        statement=draft_statement,
    )
    rows = api_client.get(CHANGES, {"commitment": luban.pk}).data["results"]
    assert [row["id"] for row in rows] == [public.pk]
    detail = reverse("commitmentstatuschange-detail", args=[secret.pk])
    assert api_client.get(detail).status_code == 404
    page = api_client.get(reverse("commitment-detail", args=[luban.pk])).data
    assert [change["id"] for change in page["status_changes"]] == [public.pk]
    rows = staff_client.get(CHANGES, {"commitment": luban.pk}).data["results"]
    assert [row["id"] for row in rows] == [public.pk, secret.pk]
    page = staff_client.get(reverse("commitment-detail", args=[luban.pk])).data
    assert {change["id"] for change in page["status_changes"]} == {public.pk, secret.pk}


def test_a_change_is_traced_to_the_commitments_meeting_or_a_later_one(staff_client, commitments):
    luban = commitments["luban"]  # Almaty, 2025-04-25
    earlier = f.StatementFactory(meeting=commitments["security_2022"].meeting)
    same_meeting = f.StatementFactory(meeting=luban.meeting)
    later = f.StatementFactory(meeting=bilateral(datetime.date(2025, 9, 1)))
    body = {"commitment": luban.pk, "status": "in_progress", "date": "2025-10-01"}
    response = staff_client.post(CHANGES, {**body, "statement": earlier.pk})
    assert response.status_code == 400
    assert fields_at_fault(response) == ["statement"]
    assert "the commitment's meeting or a later one" in field_errors(response)["statement"][0]
    response = staff_client.post(CHANGES, {**body, "statement": same_meeting.pk})
    assert response.status_code == 201, response.data
    response = staff_client.post(CHANGES, {**body, "date": "2025-11-01", "statement": later.pk})
    assert response.status_code == 201, response.data


def test_a_writer_cannot_trace_a_change_to_a_statement_they_cannot_see(
    api_client, django_user_model, commitments
):
    from django.contrib.auth.models import Permission

    dave = django_user_model.objects.create_user("dave")
    dave.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_commitmentstatuschange", "change_commitment"])
    )
    api_client.force_login(dave)
    hidden = f.StatementFactory(meeting=bilateral(datetime.date(2025, 9, 1), "draft"))
    body = {"commitment": commitments["luban"].pk, "status": "in_progress"}
    response = api_client.post(CHANGES, {**body, "date": "2025-10-01", "statement": hidden.pk})
    assert response.status_code == 400
    assert fields_at_fault(response) == ["statement"]
