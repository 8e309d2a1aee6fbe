"""Rules the database itself keeps, whatever writes to it (fixtures, scripts, a shell)."""

import factories as f
import pytest
from django.db import IntegrityError

from events.models import Statement

pytestmark = pytest.mark.django_db


def statement_of(meeting, *, speaker=None):
    text = "Wang Yi said the two sides are friends."
    source = f.SourceDocumentFactory(text=text)
    source.meetings.add(meeting)
    return Statement.objects.create(
        meeting=meeting,
        source=source,
        attribution=Statement.Attribution.SPEAKER if speaker else Statement.Attribution.JOINT,
        speaker=speaker,
        kind=Statement.Kind.ASSESSMENT,
        text=text,
        start=0,
        end=len(text),
    )


def test_it_refuses_a_statement_whose_text_is_not_the_source_text_at_its_span():
    meeting = f.MeetingFactory()
    statement = statement_of(meeting)
    statement.text = "Wang Yi said the two sides are rivals!"
    with pytest.raises(IntegrityError):
        statement.save()


def test_it_refuses_a_speaker_from_another_meeting():
    meeting, other = f.MeetingFactory(), f.MeetingFactory()
    with pytest.raises(IntegrityError):
        statement_of(meeting, speaker=f.ParticipantFactory(meeting=other))


def test_it_refuses_a_commitment_citing_a_statement_of_another_meeting():
    statement = statement_of(f.MeetingFactory())
    with pytest.raises(IntegrityError):
        f.CommitmentFactory(meeting=f.MeetingFactory(), statement=statement)


def test_it_refuses_to_move_a_speaker_to_another_meeting():
    meeting = f.MeetingFactory()
    speaker = f.ParticipantFactory(meeting=meeting)
    statement_of(meeting, speaker=speaker)
    speaker.meeting = f.MeetingFactory()
    with pytest.raises(IntegrityError):
        speaker.save()


def test_it_refuses_to_move_a_cited_statement_to_another_meeting():
    meeting = f.MeetingFactory()
    statement = statement_of(meeting)
    f.CommitmentFactory(meeting=meeting, statement=statement)
    statement.meeting = f.MeetingFactory()
    with pytest.raises(IntegrityError):
        statement.save()


def test_it_accepts_rows_of_the_same_meeting():
    meeting = f.MeetingFactory()
    statement = statement_of(meeting, speaker=f.ParticipantFactory(meeting=meeting))
    f.CommitmentFactory(meeting=meeting, statement=statement)
    assert statement.commitments.count() == 1
