"""Trustworthy curation through the API: history, conditional writes, publishing as a right,
and deletes that never take curated data with them."""

import datetime

import factories as f
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import (
    Commitment,
    CommitmentStatusChange,
    Meeting,
    Participant,
    Statement,
)
from events.services import commitment_set_status

pytestmark = pytest.mark.django_db


def meeting_url(meeting) -> str:
    return reverse("meeting-detail", args=[meeting.pk])


def history_url(name: str, pk) -> str:
    return reverse(f"{name}-history", args=[pk])


def client_with(django_user_model, username: str, *codenames: str) -> APIClient:
    """A signed-in user (not staff) with exactly these permissions of the tracker."""
    user = django_user_model.objects.create_user(username)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
    )
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model):
    """May add and change meetings and their participants, but not publish."""
    return client_with(
        django_user_model,
        "carol",
        "add_meeting",
        "change_meeting",
        "view_meeting",
        "delete_meeting",
        "add_participant",
    )


@pytest.fixture
def publisher(django_user_model):
    return client_with(
        django_user_model, "dave", "add_meeting", "change_meeting", "publish_meeting"
    )


def bilateral(**fields) -> Meeting:
    meeting = f.MeetingFactory(**fields)
    f.ParticipantFactory(meeting=meeting, name_as_written="Wang Yi", side=f.country("CHN"))
    f.ParticipantFactory(
        meeting=meeting, name_as_written="Sirojiddin Muhriddin", side=f.country("TJK")
    )
    return meeting


# History ------------------------------------------------------------------------------


def test_history_lists_each_write_with_who_when_how_and_the_values_before_and_after(
    staff_client, staff_user
):
    meeting = bilateral(title="First title", notes="Kept notes")
    assert staff_client.patch(meeting_url(meeting), {"title": "Second title"}).status_code == 200
    assert staff_client.patch(meeting_url(meeting), {"notes": ""}).status_code == 200

    response = staff_client.get(history_url("meeting", meeting.pk))
    assert response.status_code == 200
    newest, middle, oldest = response.data["results"]
    assert (newest["type"], newest["user"], newest["channel"]) == ("changed", "alice", "api")
    assert newest["changes"] == [{"field": "notes", "old": "Kept notes", "new": ""}]
    assert middle["changes"] == [{"field": "title", "old": "First title", "new": "Second title"}]
    assert oldest["type"] == "created"
    assert {"field": "title", "old": None, "new": "First title"} in oldest["changes"]
    assert newest["version"] == meeting.version + 2 or newest["version"] > middle["version"]


def test_history_records_many_to_many_links(staff_client):
    statement = f.StatementFactory()
    health, security = f.TopicFactory(slug="health"), f.TopicFactory(slug="security")
    url = reverse("statement-detail", args=[statement.pk])
    assert staff_client.patch(url, {"topics": ["health"]}).status_code == 200
    assert staff_client.patch(url, {"topics": ["security"]}).status_code == 200

    newest, earlier, *_ = staff_client.get(history_url("statement", statement.pk)).data["results"]
    assert newest["changes"] == [{"field": "topics", "old": [health.pk], "new": [security.pk]}]
    assert earlier["changes"] == [{"field": "topics", "old": [], "new": [health.pk]}]


def test_history_of_a_hidden_record_is_a_404_and_users_are_shown_to_curators_only(
    api_client, staff_client
):
    draft = bilateral(status=Meeting.Status.DRAFT)
    assert api_client.get(history_url("meeting", draft.pk)).status_code == 404
    published = bilateral()
    staff_client.patch(meeting_url(published), {"notes": "Checked."})
    public = api_client.get(history_url("meeting", published.pk)).data["results"]
    assert public[0]["changes"] == [{"field": "notes", "old": "", "new": "Checked."}]
    assert all(entry["user"] is None for entry in public)


def test_a_delete_is_recorded_with_the_rows_it_took(staff_client):
    meeting = f.MeetingFactory(status=Meeting.Status.DRAFT)
    participant = f.ParticipantFactory(meeting=meeting)
    assert staff_client.delete(meeting_url(meeting)).status_code == 204

    meeting_deleted = Meeting.history.get(id=meeting.pk, history_type="-")
    participant_deleted = Participant.history.get(id=participant.pk, history_type="-")
    assert meeting_deleted.history_user.username == "alice"
    assert meeting_deleted.history_changeset == participant_deleted.history_changeset


def test_an_import_is_recorded_through_the_import_channel(staff_client, no_meetings):
    from readouts import TUNXI, read

    mfa = f.OrganizationFactory(slug="mfa", name="Ministry of Foreign Affairs of China")
    response = staff_client.post(
        reverse("sourcedocument-list"), {"text": read(TUNXI), "publisher": mfa.pk}
    )
    assert response.status_code == 201, response.data
    meeting = Meeting.objects.get(pk=response.data["meetings"][0])
    (created,) = meeting.history.all()
    assert (created.history_channel, created.history_user.username) == ("import", "alice")
    statements = Statement.history.filter(meeting_id=meeting.pk)
    assert statements.count() == meeting.statements.count()
    assert {entry.history_changeset for entry in statements} == {created.history_changeset}


# Conditional writes -------------------------------------------------------------------


def test_a_record_carries_its_etag_and_last_modified(api_client):
    meeting = bilateral()
    response = api_client.get(meeting_url(meeting))
    assert response["ETag"] == f'"v{meeting.version}"'
    assert response["Last-Modified"].endswith("GMT")


def test_two_clients_editing_the_same_meeting_the_second_is_refused_not_applied(
    staff_client, staff_user
):
    meeting = bilateral(title="As imported", notes="")
    second = APIClient()
    second.force_authenticate(staff_user)
    read_by_first = staff_client.get(meeting_url(meeting))
    read_by_second = second.get(meeting_url(meeting))
    assert read_by_first["ETag"] == read_by_second["ETag"]

    first = staff_client.patch(
        meeting_url(meeting),
        {"title": "Corrected by the first", "notes": "Checked against the Tajik readout."},
        HTTP_IF_MATCH=read_by_first["ETag"],
    )
    assert first.status_code == 200
    stale = second.patch(
        meeting_url(meeting), {"title": "Overwritten?"}, HTTP_IF_MATCH=read_by_second["ETag"]
    )
    assert stale.status_code == 412
    assert stale["ETag"] == first["ETag"] == stale.data["etag"]
    meeting.refresh_from_db()
    assert (meeting.title, meeting.notes) == (
        "Corrected by the first",
        "Checked against the Tajik readout.",
    )
    retried = second.patch(meeting_url(meeting), {"title": "Retitled"}, HTTP_IF_MATCH=stale["ETag"])
    assert retried.status_code == 200


def test_a_change_to_a_participant_moves_the_meetings_etag(staff_client):
    meeting = bilateral()
    etag = staff_client.get(meeting_url(meeting))["ETag"]
    participant = meeting.participants.first()
    url = reverse("participant-detail", args=[participant.pk])
    assert staff_client.patch(url, {"title_as_written": "Foreign Minister"}).status_code == 200
    assert (
        staff_client.patch(meeting_url(meeting), {"notes": "x"}, HTTP_IF_MATCH=etag).status_code
        == 412
    )


def test_if_unmodified_since_and_delete_preconditions(staff_client):
    meeting = f.MeetingFactory(status=Meeting.Status.DRAFT)
    long_ago = "Mon, 01 Jan 2001 00:00:00 GMT"
    response = staff_client.patch(
        meeting_url(meeting), {"notes": "late"}, HTTP_IF_UNMODIFIED_SINCE=long_ago
    )
    assert response.status_code == 412
    assert staff_client.delete(meeting_url(meeting), HTTP_IF_MATCH='"v999"').status_code == 412
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    far_future = "Fri, 01 Jan 2100 00:00:00 GMT"
    assert (
        staff_client.patch(
            meeting_url(meeting), {"notes": "ok"}, HTTP_IF_UNMODIFIED_SINCE=far_future
        ).status_code
        == 200
    )
    assert staff_client.delete(meeting_url(meeting), HTTP_IF_MATCH="*").status_code == 204


def test_a_weak_or_malformed_if_match_never_matches(staff_client):
    meeting = f.MeetingFactory()
    etag = f'"v{meeting.version}"'
    for header in (f"W/{etag}", "v1", '""', 'garbage, ""'):
        response = staff_client.patch(meeting_url(meeting), {"notes": "x"}, HTTP_IF_MATCH=header)
        assert response.status_code == 412, header
    both = staff_client.patch(meeting_url(meeting), {"notes": "x"}, HTTP_IF_MATCH=f'"v0", {etag}')
    assert both.status_code == 200


# Publishing is a right of its own ------------------------------------------------------


def test_a_writer_without_the_publish_permission_cannot_publish_at_creation(editor):
    body = {
        "slug": "2025-05-30-call",
        "title": "A call",
        "date": "2025-05-30",
        "contact_type": "phone_call",
        "status": "published",
    }
    response = editor.post(reverse("meeting-list"), body, format="json")
    assert response.status_code == 403
    assert "publish" in response.data["detail"]
    assert not Meeting.objects.filter(slug="2025-05-30-call").exists()


def test_a_writer_sees_the_draft_they_create_and_moves_it_to_reviewed_not_published(editor):
    body = {"slug": "a-draft", "title": "Draft", "date": "2025-05-30", "contact_type": "meeting"}
    created = editor.post(reverse("meeting-list"), body, format="json")
    assert created.status_code == 201
    url = reverse("meeting-detail", args=[created.data["id"]])
    assert editor.get(url).status_code == 200
    assert editor.patch(url, {"status": "reviewed"}, format="json").status_code == 200
    refused = editor.patch(url, {"status": "published"}, format="json")
    assert refused.status_code == 403
    assert Meeting.objects.get(pk=created.data["id"]).status == "reviewed"


def test_a_writer_cannot_unpublish_or_delete_a_published_meeting(editor):
    meeting = f.MeetingFactory()
    assert editor.patch(meeting_url(meeting), {"status": "draft"}, format="json").status_code == 403
    assert editor.delete(meeting_url(meeting)).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "published"
    assert editor.patch(meeting_url(meeting), {"notes": "typo fixed"}).status_code == 200


def test_a_publisher_publishes_and_unpublishes(publisher):
    meeting = f.MeetingFactory(status=Meeting.Status.REVIEWED)
    assert publisher.patch(meeting_url(meeting), {"status": "published"}).status_code == 200
    assert publisher.patch(meeting_url(meeting), {"status": "draft"}).status_code == 200


# A commitment's public status --------------------------------------------------------


def test_a_status_change_traced_to_a_draft_counts_once_the_draft_is_published(
    api_client, staff_client
):
    commitment = f.CommitmentFactory()
    later = f.StatementFactory(
        meeting=f.MeetingFactory(status="draft", date=datetime.date(2026, 1, 5))
    )
    commitment_set_status(
        commitment=commitment,
        status="fulfilled",
        date=datetime.date(2026, 1, 5),
        statement=later,
    )
    url = reverse("commitment-detail", args=[commitment.pk])
    public = api_client.get(url).data
    assert public["status"] == "pledged"
    assert [change["status"] for change in public["status_changes"]] == ["pledged"] or public[
        "status_changes"
    ] == []
    staff_client.patch(meeting_url(later.meeting), {"status": "published"})
    assert api_client.get(url).data["status"] == "fulfilled"
    staff_client.patch(meeting_url(later.meeting), {"status": "draft"})
    assert api_client.get(url).data["status"] == "pledged"


# Nothing cascades away -------------------------------------------------------------


def test_deleting_a_topic_in_use_is_a_409_naming_the_statements(staff_client):
    topic = f.TopicFactory()
    statement = f.StatementFactory(topics=[topic])
    response = staff_client.delete(reverse("topic-detail", args=[topic.pk]))
    assert response.status_code == 409
    assert {"model": "statement", "id": statement.pk} in response.data["protected"]
    assert statement.topics.filter(pk=topic.pk).exists()


def test_deleting_an_organisation_with_aliases_or_mentions_is_a_409(staff_client):
    organization = f.OrganizationFactory()
    alias = f.OrganizationAliasFactory(organization=organization)
    response = staff_client.delete(reverse("organization-detail", args=[organization.pk]))
    assert response.status_code == 409
    assert response.data["protected"] == [{"model": "organizationalias", "id": alias.pk}]
    alias.delete()
    statement = f.StatementFactory()
    statement.mentioned_organizations.add(organization)
    response = staff_client.delete(reverse("organization-detail", args=[organization.pk]))
    assert response.status_code == 409
    assert response.data["protected"] == [{"model": "statement", "id": statement.pk}]


def test_a_commitment_with_a_status_history_is_kept_one_with_its_pledge_only_goes(staff_client):
    meeting = bilateral(date=datetime.date(2025, 4, 25))
    body = {
        "slug": "luban",
        "meeting": meeting.pk,
        "kind": "pledge",
        "sides": ["CHN"],
        "description": "Run Luban Workshop well",
    }
    created = staff_client.post(reverse("commitment-list"), body, format="json")
    assert created.status_code == 201, created.data
    url = reverse("commitment-detail", args=[created.data["id"]])
    commitment = Commitment.objects.get(pk=created.data["id"])
    commitment_set_status(
        commitment=commitment, status="in_progress", date=datetime.date(2025, 9, 1)
    )
    assert staff_client.delete(url).status_code == 409
    assert CommitmentStatusChange.objects.filter(commitment=commitment).count() == 2

    second = staff_client.post(
        reverse("commitment-list"), {**body, "slug": "luban-2"}, format="json"
    )
    assert (
        staff_client.delete(reverse("commitment-detail", args=[second.data["id"]])).status_code
        == 204
    )
    assert not CommitmentStatusChange.objects.filter(commitment_id=second.data["id"]).exists()
    assert CommitmentStatusChange.history.filter(
        commitment_id=second.data["id"], history_type="-"
    ).exists()


@pytest.mark.parametrize(
    ("name", "build", "referrer"),
    [
        ("place", lambda: f.PlaceFactory(), lambda place: f.MeetingFactory(place=place)),
        ("person", lambda: f.PersonFactory(), lambda person: f.PersonAliasFactory(person=person)),
        (
            "position",
            lambda: f.PositionFactory(),
            lambda position: f.TenureFactory(position=position),
        ),
        (
            "gathering",
            lambda: f.GatheringFactory(),
            lambda gathering: f.MeetingFactory(occasion=gathering, occasion_relation="sidelines"),
        ),
    ],
)
def test_deleting_a_record_curated_data_refers_to_is_a_409(staff_client, name, build, referrer):
    record = build()
    referrer(record)
    response = staff_client.delete(reverse(f"{name}-detail", args=[record.pk]))
    assert response.status_code == 409
    assert response.data["protected"]
    assert type(record).objects.filter(pk=record.pk).exists()


def test_a_409_neither_names_nor_counts_what_the_reader_may_not_see(django_user_model):
    place = f.PlaceFactory()
    f.MeetingFactory(place=place, status=Meeting.Status.DRAFT)
    writer = client_with(django_user_model, "erin", "delete_place", "view_place")
    response = writer.delete(reverse("place-detail", args=[place.pk]))
    assert response.status_code == 409
    assert response.data["protected"] == []
