"""The write services, called as an importer would call them (no HTTP)."""

import datetime

import factories as f
import pytest
from django.core.exceptions import ValidationError

from events.models import Commitment, Meeting, Participant, SourceDocument
from events.services import (
    ParticipantData,
    commitment_create,
    commitment_set_status,
    meeting_create,
    source_create,
    source_update,
    statement_create,
)

pytestmark = pytest.mark.django_db


def test_meeting_create_writes_the_meeting_and_its_participants_in_order():
    office = f.PositionFactory()
    meeting = meeting_create(
        slug="tunxi",
        title="Wang Yi meets Muzaffar Ashurion",
        date=datetime.date(2022, 3, 31),
        contact_type=Meeting.ContactType.MEETING,
        participants=[
            ParticipantData(name_as_written="Wang Yi", side=f.country("CHN"), offices=[office]),
            ParticipantData(name_as_written="Muzaffar Ashurion", side=f.country("TJK")),
        ],
    )
    wang, ashurion = meeting.participants.all()
    assert (wang.name_as_written, wang.order, list(wang.offices.all())) == ("Wang Yi", 0, [office])
    assert (ashurion.side_id, ashurion.order) == ("TJK", 1)


def test_meeting_create_leaves_nothing_when_a_participant_fails():
    with pytest.raises(ValidationError, match="already has a participant of this name"):
        meeting_create(
            slug="tunxi",
            title="Twice the same name",
            date=datetime.date(2022, 3, 31),
            contact_type=Meeting.ContactType.MEETING,
            participants=[
                ParticipantData(name_as_written="Wang Yi", side=f.country("CHN")),
                ParticipantData(name_as_written="Wang Yi", side=f.country("CHN")),
            ],
        )
    assert not Meeting.objects.exists()
    assert not Participant.objects.exists()


def test_source_create_hashes_the_text_and_links_the_meetings():
    meeting = f.MeetingFactory()
    source = source_create(text="A readout.", meetings=[meeting])
    assert source.content_hash == SourceDocument.hash_text("A readout.")
    assert list(source.meetings.all()) == [meeting]


def test_source_update_rehashes_a_new_text():
    source = source_create(text="A readout.")
    source_update(source=source, text="A corrected readout.")
    source.refresh_from_db()
    assert source.content_hash == SourceDocument.hash_text("A corrected readout.")


def test_statement_create_takes_its_text_from_the_source():
    meeting = f.MeetingFactory()
    source = f.SourceDocumentFactory(meetings=[meeting], text="Both sides agreed. China will help.")
    statement = statement_create(
        meeting=meeting, source=source, attribution="joint", kind="agreement", start=0, end=18
    )
    assert statement.text == "Both sides agreed."


def test_statement_create_refuses_a_text_that_is_not_the_span():
    meeting = f.MeetingFactory()
    source = f.SourceDocumentFactory(meetings=[meeting], text="Both sides agreed.")
    with pytest.raises(ValidationError):
        statement_create(
            meeting=meeting,
            source=source,
            attribution="joint",
            kind="agreement",
            start=0,
            end=4,
            text="Both sides",
        )


def test_commitment_create_starts_its_history():
    meeting = f.MeetingFactory(date=datetime.date(2025, 4, 25))
    f.ParticipantFactory(meeting=meeting, side=f.country("CHN"))
    commitment = commitment_create(
        slug="luban",
        meeting=meeting,
        kind=Commitment.Kind.PLEDGE,
        sides=[f.country("CHN")],
        description="Run Luban Workshop well",
    )
    (change,) = commitment.status_changes.all()
    assert (change.status, change.date) == ("pledged", datetime.date(2025, 4, 25))


def test_commitment_set_status_keeps_the_latest_by_date():
    commitment = f.CommitmentFactory()
    commitment_set_status(commitment=commitment, status="fulfilled", date=datetime.date(2026, 1, 1))
    change = commitment_set_status(
        commitment=commitment, status="in_progress", date=datetime.date(2025, 9, 1), note="late"
    )
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"
    assert change.note == "late"
