"""Sources: verbatim texts identified by their hash, linked to the meetings they report."""

import factories as f
import pytest
from django.urls import reverse
from problems import field_errors, fields_at_fault

from events.models import SourceDocument

pytestmark = pytest.mark.django_db

LIST = reverse("sourcedocument-list")

TEXT = "On March 31, 2022, State Councilor and Foreign Minister Wang Yi met with Muzaffar Ashurion."


def detail(source_id):
    return reverse("sourcedocument-detail", args=[source_id])


# Given `meetings`, a text is stored as it is; without, it is imported as a readout
# (tests/test_api_ingest.py).


def test_it_computes_the_content_hash_and_ignores_one_sent(staff_client):
    meeting = f.MeetingFactory()
    data = {"text": TEXT, "content_hash": "0" * 64, "meetings": [meeting.pk]}
    response = staff_client.post(LIST, data)
    assert response.status_code == 201, response.data
    assert response.data["content_hash"] == SourceDocument.hash_text(TEXT)


def test_it_keeps_the_text_verbatim_with_its_whitespace(staff_client):
    text = "  Line one.\n\nLine two.\n"
    response = staff_client.post(LIST, {"text": text, "meetings": [f.MeetingFactory().pk]})
    assert response.status_code == 201, response.data
    assert SourceDocument.objects.get().text == text


def test_it_rejects_a_text_that_is_already_stored_naming_the_source(staff_client):
    existing = f.SourceDocumentFactory(text=TEXT, meetings=[f.MeetingFactory(status="draft")])
    response = staff_client.post(LIST, {"text": TEXT, "title": "Again"})
    assert response.status_code == 400
    assert field_errors(response) == {
        "text": [f"A source with this text already exists (id {existing.pk})."]
    }


@pytest.mark.parametrize("text", ["", "   \n\t ", None])
def test_it_rejects_an_empty_text(staff_client, text):
    response = staff_client.post(LIST, {"text": text}, format="json")
    assert response.status_code == 400
    assert fields_at_fault(response) == ["text"]


def test_it_rejects_a_text_longer_than_200000_characters(staff_client):
    response = staff_client.post(LIST, {"text": "x" * 200_001}, format="json")
    assert response.status_code == 400
    assert "200000" in field_errors(response)["text"][0]


def test_a_new_text_gets_a_new_hash(staff_client):
    source = f.SourceDocumentFactory(meetings=[f.MeetingFactory()])
    response = staff_client.patch(detail(source.pk), {"text": TEXT})
    assert response.status_code == 200, response.data
    assert response.data["content_hash"] == SourceDocument.hash_text(TEXT)


def test_the_text_of_a_source_with_statements_cannot_change(staff_client):
    statement = f.StatementFactory()
    response = staff_client.patch(detail(statement.source_id), {"text": TEXT})
    assert response.status_code == 400
    assert fields_at_fault(response) == ["text"]


def test_a_source_with_statements_cannot_be_deleted(staff_client):
    statement = f.StatementFactory()
    response = staff_client.delete(detail(statement.source_id))
    assert response.status_code == 409
    assert response.json()["protected"] == [{"model": "statement", "id": statement.pk}]


def test_a_source_list_leaves_texts_out_and_its_page_has_it(api_client):
    source = f.SourceDocumentFactory(meetings=[f.MeetingFactory()])
    (row,) = api_client.get(LIST).data["results"]
    assert "text" not in row
    assert api_client.get(detail(source.pk)).data["text"] == source.text


def test_anonymous_readers_see_only_the_published_meetings_a_source_reports(api_client):
    published, draft = f.MeetingFactory(), f.MeetingFactory(status="draft")
    source = f.SourceDocumentFactory(meetings=[published, draft])
    assert api_client.get(detail(source.pk)).data["meetings"] == [published.pk]


def test_it_filters_sources_by_meeting(api_client):
    meeting = f.MeetingFactory()
    source = f.SourceDocumentFactory(meetings=[meeting])
    f.SourceDocumentFactory(meetings=[f.MeetingFactory()])
    rows = api_client.get(LIST, {"meeting": meeting.pk}).data["results"]
    assert [row["id"] for row in rows] == [source.pk]


def test_filtering_sources_by_a_draft_meeting_finds_nothing_for_anonymous_readers(
    api_client, staff_client
):
    """A hidden meeting answers as one that does not exist, even when the source it shares
    with a published meeting is visible."""
    draft = f.MeetingFactory(status="draft")
    source = f.SourceDocumentFactory(meetings=[f.MeetingFactory(), draft])
    missing = draft.pk + 100
    assert api_client.get(LIST, {"meeting": missing}).data["results"] == []
    assert api_client.get(LIST, {"meeting": draft.pk}).data["results"] == []
    rows = staff_client.get(LIST, {"meeting": draft.pk}).data["results"]
    assert [row["id"] for row in rows] == [source.pk]


def test_a_source_list_costs_two_queries(api_client, django_assert_num_queries):
    for _ in range(3):
        f.SourceDocumentFactory(meetings=[f.MeetingFactory(), f.MeetingFactory()])
    # Expect 2 queries (no count: the list is cursor-paginated; its ETag comes from the rows
    # shown): retrieve sources (without texts), their visible meetings.
    with django_assert_num_queries(2):
        response = api_client.get(LIST)
    assert len(response.data["results"]) == 3


def test_a_writer_who_cannot_see_a_draft_keeps_its_link_to_the_source(
    api_client, django_user_model
):
    from django.contrib.auth.models import Permission

    erin = django_user_model.objects.create_user("erin")
    erin.user_permissions.add(Permission.objects.get(codename="change_sourcedocument"))
    api_client.force_login(erin)
    published, other, draft = (
        f.MeetingFactory(),
        f.MeetingFactory(),
        f.MeetingFactory(status="draft"),
    )
    source = f.SourceDocumentFactory(meetings=[published, draft])
    response = api_client.patch(detail(source.pk), {"meetings": [other.pk]}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["meetings"] == [other.pk]
    assert set(source.meetings.values_list("pk", flat=True)) == {other.pk, draft.pk}


def test_a_source_stays_linked_to_the_meetings_whose_statements_quote_it(staff_client):
    statement = f.StatementFactory(meeting__title="Wang Yi meets Muhriddin")
    source = statement.source
    unquoted = f.MeetingFactory()
    source.meetings.add(unquoted)
    response = staff_client.patch(detail(source.pk), {"meetings": []}, format="json")
    assert response.status_code == 400
    (message,) = field_errors(response)["meetings"]
    assert "Wang Yi meets Muhriddin" in message
    assert "quote this source" in message
    assert set(source.meetings.all()) == {statement.meeting, unquoted}
    # Unlinking only the meeting that does not quote it is fine.
    response = staff_client.patch(
        detail(source.pk), {"meetings": [statement.meeting_id]}, format="json"
    )
    assert response.status_code == 200, response.data
    assert list(source.meetings.all()) == [statement.meeting]
