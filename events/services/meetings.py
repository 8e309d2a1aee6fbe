"""Writing a meeting and its participants; publishing is a permission of its own."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from events.history import write_scope
from events.models import (
    Commitment,
    Country,
    Gathering,
    Meeting,
    Organization,
    Participant,
    Person,
    Place,
    Position,
    SourceDocument,
    Statement,
)

from .records import record_delete, record_save, touch

__all__ = [
    "PUBLISH_PERMISSION",
    "ParticipantData",
    "check_publish_permission",
    "meeting_create",
    "meeting_delete",
    "meeting_save",
    "meetings_set_status",
    "participant_create",
]

PUBLISH_PERMISSION = "events.publish_meeting"
PUBLISH_REFUSED = _(
    "Publishing or unpublishing a meeting needs the permission to publish meetings "
    "(events.publish_meeting)."
)


def check_publish_permission(*, user, was: str | None, becomes: str | None) -> None:
    """Moving a meeting to or from `published` needs `events.publish_meeting`.

    `user` None is a trusted caller (a management command run by an operator).
    """
    published = Meeting.Status.PUBLISHED
    crosses = was != becomes and published in {was, becomes}
    if crosses and user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(PUBLISH_REFUSED)


@dataclass(frozen=True, kw_only=True)
class ParticipantData:
    """One participant as a readout names them; `order` defaults to the position in the list."""

    name_as_written: str
    side: Country | None = None
    side_organization: Organization | None = None
    person: Person | None = None
    role: str = Participant.Role.PARTICIPANT
    title_as_written: str = ""
    offices: Sequence[Position] = ()
    order: int | None = None


def participant_create(
    *,
    meeting: Meeting,
    name_as_written: str,
    side: Country | None = None,
    side_organization: Organization | None = None,
    person: Person | None = None,
    role: str = Participant.Role.PARTICIPANT,
    title_as_written: str = "",
    offices: Sequence[Position] = (),
    order: int = 0,
) -> Participant:
    participant = Participant(
        meeting=meeting,
        name_as_written=name_as_written,
        side=side,
        side_organization=side_organization,
        person=person,
        role=role,
        title_as_written=title_as_written,
        order=order,
    )
    return record_save(participant, relations={"offices": offices})


def meeting_save(
    meeting: Meeting,
    *,
    user=None,
    expected_version: int | None = None,
    reason: str = "",
) -> Meeting:
    """Create or change a meeting; moving it to or from `published` needs the permission.

    A change of status also moves the public status of the commitments whose history is
    traced to this meeting's statements (only published readouts count).
    """
    was = None if meeting._state.adding else meeting._loaded_values.get("status")
    check_publish_permission(user=user, was=was, becomes=meeting.status)
    with write_scope(reason=reason):
        record_save(meeting, expected_version=expected_version)
        if was is not None and was != meeting.status:
            _status_changed([meeting])
    return meeting


def meeting_create(
    *,
    slug: str,
    title: str,
    date: datetime.date,
    contact_type: str,
    date_qualifier: str = Meeting.DateQualifier.NONE,
    plover_mode: str = "",
    place: Place | None = None,
    occasion: Gathering | None = None,
    occasion_relation: str = Meeting.OccasionRelation.NONE,
    status: str = Meeting.Status.DRAFT,
    notes: str = "",
    participants: Sequence[ParticipantData] = (),
    user=None,
) -> Meeting:
    """Create a meeting with its participants, all or nothing."""
    meeting = Meeting(
        slug=slug,
        title=title,
        date=date,
        contact_type=contact_type,
        date_qualifier=date_qualifier,
        plover_mode=plover_mode,
        place=place,
        occasion=occasion,
        occasion_relation=occasion_relation,
        status=status,
        notes=notes,
    )
    with write_scope():
        meeting_save(meeting, user=user)
        for index, data in enumerate(participants):
            participant_create(
                meeting=meeting,
                name_as_written=data.name_as_written,
                side=data.side,
                side_organization=data.side_organization,
                person=data.person,
                role=data.role,
                title_as_written=data.title_as_written,
                offices=data.offices,
                order=index if data.order is None else data.order,
            )
    return meeting


def meetings_set_status(*, meetings: Iterable[Meeting], status: str, user=None) -> list[Meeting]:
    """Mark several meetings at once (the admin's actions); all or none.

    Answers the meetings that changed. Refused as a whole (PermissionDenied) when one of
    them would cross `published` and `user` may not publish.
    """
    changing = [meeting for meeting in meetings if meeting.status != status]
    for meeting in changing:
        check_publish_permission(user=user, was=meeting.status, becomes=status)
    with write_scope():
        for meeting in changing:
            meeting.status = status
            record_save(meeting)
        _status_changed(changing)
    return changing


def meeting_delete(meeting: Meeting, *, user=None, expected_version: int | None = None) -> None:
    """Delete a meeting nothing else refers to, with its participants. Deleting a published
    meeting unpublishes it, so it needs the permission to publish."""
    check_publish_permission(user=user, was=meeting.status, becomes=None)
    record_delete(meeting, expected_version=expected_version)


def _status_changed(meetings: Sequence[Meeting]) -> None:
    """A meeting became (or stopped being) public: what it shows and what shows it moves."""
    from .commitments import commitment_sync_status

    if not meetings:
        return
    ids = [meeting.pk for meeting in meetings]
    touch(
        [
            Participant.objects.filter(meeting__in=ids),
            Statement.objects.filter(meeting__in=ids),
            Commitment.objects.filter(meeting__in=ids),
            Commitment.objects.filter(reaffirms__meeting__in=ids),
            SourceDocument.objects.filter(meetings__in=ids),
        ]
    )
    traced = Commitment.objects.filter(status_changes__statement__meeting__in=ids).distinct()
    for commitment in traced:
        commitment_sync_status(commitment)
