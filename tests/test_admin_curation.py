"""Trustworthy curation in the admin: history with a diff, restoring a version, recovering a
deleted record, refusing to save over a newer version, publishing as a right."""

import factories as f
import pytest
from admin_pages import (  # noqa: F401  (admin_test_settings: an autouse fixture)
    admin_test_settings,
    form_errors,
    form_post_data,
    url,
)
from django.contrib.auth.models import Permission
from django.test import Client

from events.models import Meeting, Participant, Person, Statement, Topic

pytestmark = pytest.mark.django_db


def curator(django_user_model, username: str, *codenames: str) -> Client:
    """A staff user with these permissions of the tracker, signed in to the admin."""
    user = django_user_model.objects.create_user(username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
    )
    client = Client()
    client.force_login(user)
    return client


MEETING_EDITOR = ["view_meeting", "change_meeting", "add_meeting", "change_participant"]


def edit(client, model, pk, **changes):
    """Open a record's page, change fields, and save it as a browser would."""
    page = client.get(url(model, "change", pk))
    assert page.status_code == 200
    return client.post(url(model, "change", pk), form_post_data(page) | changes)


def test_the_history_page_shows_each_change_with_who_and_the_channel(admin_client):
    person = f.PersonFactory(name="Sirojiddin Mukhriddin")
    assert edit(admin_client, Person, person.pk, name="Sirojiddin Muhriddin").status_code == 302
    page = admin_client.get(url(Person, "history", person.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sirojiddin Mukhriddin" in html and "Sirojiddin Muhriddin" in html
    assert "<del>Sirojiddin Mukhriddin</del>" in html
    assert "Admin" in html and "admin" in html  # the channel and the user


def test_restoring_an_earlier_version_brings_back_its_values_and_links(admin_client):
    statement = f.StatementFactory()
    health, security = f.TopicFactory(name="Health"), f.TopicFactory(name="Security")
    assert (
        edit(
            admin_client, Statement, statement.pk, topics=[str(health.pk)], kind="commitment"
        ).status_code
        == 302
    )
    assert (
        edit(
            admin_client, Statement, statement.pk, topics=[str(security.pk)], kind="stance"
        ).status_code
        == 302
    )
    with_health = statement.history.filter(history_type="~").order_by("history_date").first()
    response = admin_client.post(url(Statement, "restore", statement.pk, with_health.history_id))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.kind == "commitment"
    assert list(statement.topics.all()) == [health]
    latest = statement.history.order_by("-history_date").first()
    assert latest.history_change_reason.startswith("Restored as of")


def test_a_deleted_meeting_is_listed_and_recovered_with_its_participants(admin_client):
    meeting = f.MeetingFactory(status=Meeting.Status.DRAFT, title="Deleted by mistake")
    participants = [f.ParticipantFactory(meeting=meeting) for _ in range(2)]
    participants[0].offices.set([f.PositionFactory()])
    response = admin_client.post(url(Meeting, "delete", meeting.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()

    listing = admin_client.get(url(Meeting, "deleted"))
    assert [entry.title for entry in listing.context["page_obj"]] == ["Deleted by mistake"]
    deleted = Meeting.history.get(id=meeting.pk, history_type="-")
    assert (
        admin_client.post(url(Meeting, "restore", meeting.pk, deleted.history_id)).status_code
        == 302
    )

    recovered = Meeting.objects.get(pk=meeting.pk)
    assert recovered.title == "Deleted by mistake"
    assert sorted(p.pk for p in recovered.participants.all()) == [p.pk for p in participants]
    assert list(Participant.objects.get(pk=participants[0].pk).offices.all()) == list(
        participants[0].offices.all()
    )
    assert not admin_client.get(url(Meeting, "deleted")).context["page_obj"].object_list


def test_the_delete_page_lists_what_refers_to_a_record_and_refuses(admin_client):
    topic = f.TopicFactory(name="Traditional medicine")
    f.StatementFactory(topics=[topic])
    page = admin_client.get(url(Topic, "delete", topic.pk))
    assert "1 statement refer to it" in page.content.decode()
    admin_client.post(url(Topic, "delete", topic.pk), {"post": "yes"})
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_saving_over_a_newer_version_is_refused_naming_who_changed_it(
    admin_client, django_user_model
):
    meeting = f.MeetingFactory(title="As imported")
    mine = admin_client.get(url(Meeting, "change", meeting.pk))
    other = curator(django_user_model, "frank", *MEETING_EDITOR)
    assert edit(other, Meeting, meeting.pk, title="Frank's title").status_code == 302

    stale = admin_client.post(
        url(Meeting, "change", meeting.pk), form_post_data(mine) | {"title": "My title"}
    )
    errors = form_errors(stale)
    assert "changed by frank" in " ".join(errors["__all__"])
    meeting.refresh_from_db()
    assert meeting.title == "Frank's title"


def test_an_editor_may_not_publish_or_unpublish_in_the_form(django_user_model):
    editor = curator(django_user_model, "grace", *MEETING_EDITOR)
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT)
    refused = edit(editor, Meeting, draft.pk, status="published")
    assert "publish" in " ".join(form_errors(refused)["status"])
    assert edit(editor, Meeting, draft.pk, status="reviewed").status_code == 302
    published = f.MeetingFactory()
    refused = edit(editor, Meeting, published.pk, status="draft")
    assert "publish" in " ".join(form_errors(refused)["status"])
    assert Meeting.objects.get(pk=published.pk).status == "published"


def test_the_bulk_publish_action_needs_the_permission(django_user_model):
    editor = curator(django_user_model, "heidi", *MEETING_EDITOR)
    meetings = [f.MeetingFactory(status=Meeting.Status.REVIEWED) for _ in range(2)]
    changelist = editor.get(url(Meeting, "changelist"))
    actions = [name for name, _ in changelist.context["action_form"].fields["action"].choices]
    assert "mark_published" not in actions
    published = f.MeetingFactory()
    response = editor.post(
        url(Meeting, "changelist"),
        {"action": "mark_reviewed", "_selected_action": [published.pk, meetings[0].pk]},
        follow=True,
    )
    assert "publish" in " ".join(str(m) for m in response.context["messages"])
    assert Meeting.objects.get(pk=published.pk).status == "published"

    publisher = curator(django_user_model, "ivan", *MEETING_EDITOR, "publish_meeting")
    publisher.post(
        url(Meeting, "changelist"),
        {"action": "mark_published", "_selected_action": [m.pk for m in meetings]},
    )
    assert set(
        Meeting.objects.filter(pk__in=[m.pk for m in meetings]).values_list("status", flat=True)
    ) == {"published"}
    assert all(m.history.filter(history_channel="admin").exists() for m in meetings)


def test_a_curator_without_meeting_rights_does_not_see_a_drafts_new_person(django_user_model):
    draft = f.MeetingFactory(status=Meeting.Status.DRAFT)
    new = f.PersonFactory(name="Unreviewed Name", needs_review=True)
    f.ParticipantFactory(meeting=draft, person=new)
    reviewed = f.PersonFactory(name="Reviewed Name")
    people_only = curator(django_user_model, "judy", "view_person", "change_person")
    html = people_only.get(url(Person, "changelist")).content.decode()
    assert "Reviewed Name" in html and "Unreviewed Name" not in html
    assert people_only.get(url(Person, "change", new.pk)).status_code == 302  # not found
    assert people_only.get(url(Person, "change", reviewed.pk)).status_code == 200
