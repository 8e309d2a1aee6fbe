"""Writing commitments and their status history together."""

import datetime
from collections.abc import Sequence

from django.db import transaction

from events.models import Commitment, CommitmentStatusChange, Country, Meeting, Statement, Topic

__all__ = ["commitment_create", "commitment_set_status"]


def commitment_create(
    *,
    slug: str,
    meeting: Meeting,
    kind: str,
    sides: Sequence[Country],
    description: str,
    statement: Statement | None = None,
    topic: Topic | None = None,
    reaffirms: Commitment | None = None,
) -> Commitment:
    """Create a commitment, pledged on the meeting's date: its history starts there."""
    with transaction.atomic():
        commitment = Commitment.objects.create(
            slug=slug,
            meeting=meeting,
            kind=kind,
            description=description,
            statement=statement,
            topic=topic,
            reaffirms=reaffirms,
            status=Commitment.Status.PLEDGED,
        )
        commitment.sides.set(sides)
        CommitmentStatusChange.objects.create(
            commitment=commitment,
            status=Commitment.Status.PLEDGED,
            date=meeting.date,
            statement=statement,
        )
    return commitment


def commitment_set_status(
    *,
    commitment: Commitment,
    status: str,
    date: datetime.date,
    note: str = "",
    statement: Statement | None = None,
) -> CommitmentStatusChange:
    """Record that a commitment became `status` on `date`.

    `Commitment.status` is the latest change by date, so a change recorded late (dated
    before the last one) enters the history without overriding the current status.
    """
    with transaction.atomic():
        # Lock the commitment so two changes recorded at once agree on the latest.
        Commitment.objects.select_for_update().only("pk").get(pk=commitment.pk)
        change = CommitmentStatusChange.objects.create(
            commitment=commitment, status=status, date=date, note=note, statement=statement
        )
        latest = commitment.status_changes.order_by("-date", "-id").values_list("status", flat=True)
        commitment.status = latest.first()
        commitment.save(update_fields=["status", "updated_at"])
    return change
