"""Writing commitments and their status history together."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from events.models import Commitment, CommitmentStatusChange, Country, Meeting, Statement, Topic

__all__ = [
    "commitment_create",
    "commitment_record_pledge",
    "commitment_set_status",
    "commitment_sync_status",
    "validate_commitment_sides",
]


def validate_commitment_sides(*, kind: str, sides: Sequence[Country], meeting: Meeting) -> None:
    """A pledge is made by one side, an agreement by two or more, all of them sides at
    the meeting (its participants' `side`).

    Not in `Commitment.clean()`: sides are a many-to-many, unknown to the model until the
    row is saved. The API's serializer and the admin's form both call this.
    """
    if kind == Commitment.Kind.PLEDGE and len(sides) != 1:
        raise ValidationError({"sides": _("A pledge is made by one side.")})
    if kind == Commitment.Kind.AGREEMENT and len(sides) < 2:
        raise ValidationError({"sides": _("An agreement is made by at least two sides.")})
    present = set(meeting.participants.values_list("side", flat=True))
    absent = sorted(side.pk for side in sides if side.pk not in present)
    if absent:
        raise ValidationError(
            {"sides": _("Not a side of this meeting: %(codes)s.") % {"codes": ", ".join(absent)}}
        )


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
        commitment_record_pledge(commitment)
    return commitment


def commitment_record_pledge(commitment: Commitment) -> None:
    """Start a saved commitment's history: pledged on its meeting's date, traced to its
    statement. A history that already has its pledge is left as it is."""
    if not commitment.status_changes.filter(status=Commitment.Status.PLEDGED).exists():
        CommitmentStatusChange.objects.create(
            commitment=commitment,
            status=Commitment.Status.PLEDGED,
            date=commitment.meeting.date,
            statement=commitment.statement,
        )


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
        commitment_sync_status(commitment)
    return change


def commitment_sync_status(commitment: Commitment) -> None:
    """Make `status` the latest status change's (by date, then by when it was recorded).

    Called after a change is recorded, edited or deleted; the commitment's `updated_at`
    moves with its history. A commitment with no recorded change keeps the status it has
    (pledged by default).
    """
    latest = commitment.status_changes.order_by("-date", "-id").values_list("status", flat=True)
    commitment.status = latest.first() or commitment.status
    commitment.save(update_fields=["status", "updated_at"])
