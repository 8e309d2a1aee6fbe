"""Writing a meeting and its participants."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from events.models import (
    Country,
    Gathering,
    Meeting,
    Organization,
    Participant,
    Person,
    Place,
    Position,
)

__all__ = ["ParticipantData", "meeting_create", "participant_create"]


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
    with transaction.atomic():
        participant = Participant.objects.create(
            meeting=meeting,
            name_as_written=name_as_written,
            side=side,
            side_organization=side_organization,
            person=person,
            role=role,
            title_as_written=title_as_written,
            order=order,
        )
        participant.offices.add(*offices)
    return participant


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
) -> Meeting:
    """Create a meeting with its participants, all or nothing."""
    with transaction.atomic():
        meeting = Meeting.objects.create(
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
