"""Writing commitments and their status history together."""

import datetime
from collections.abc import Sequence

from events.history import write_scope
from events.models import Commitment, CommitmentStatusChange, Country, Meeting, Statement, Topic

from .records import record_delete, record_save

__all__ = [
    "commitment_create",
    "commitment_record_pledge",
    "commitment_save",
    "commitment_set_status",
    "commitment_sync_status",
    "status_change_delete",
    "status_change_save",
]


def commitment_create(
    *,
    slug: str,
    meeting: Meeting,
    kind: str,
    sides: Sequence[Country],
    description: str,
    statement: Statement | None = None,
    topics: Sequence[Topic] = (),
    reaffirms: Sequence[Commitment] = (),
) -> Commitment:
    """Create a commitment, pledged on the meeting's date: its history starts there."""
    commitment = Commitment(
        slug=slug,
        meeting=meeting,
        kind=kind,
        description=description,
        statement=statement,
        status=Commitment.Status.PLEDGED,
    )
    relations = {"sides": sides, "topics": topics, "reaffirms": reaffirms}
    return commitment_save(commitment, relations=relations)


def commitment_save(
    commitment: Commitment,
    *,
    relations: dict | None = None,
    expected_version: int | None = None,
) -> Commitment:
    """Create or change a commitment; a new one starts its history pledged."""
    adding = commitment._state.adding
    with write_scope():
        record_save(commitment, relations=relations, expected_version=expected_version)
        if adding:
            commitment_record_pledge(commitment)
    return commitment


def commitment_record_pledge(commitment: Commitment) -> None:
    """Start a saved commitment's history: pledged on its meeting's date, traced to its
    statement. A history that already has its pledge is left as it is."""
    if not commitment.status_changes.filter(status=Commitment.Status.PLEDGED).exists():
        status_change_save(
            CommitmentStatusChange(
                commitment=commitment,
                status=Commitment.Status.PLEDGED,
                date=commitment.meeting.date,
                statement=commitment.statement,
            )
        )


def commitment_set_status(
    *,
    commitment: Commitment,
    status: str,
    date: datetime.date,
    note: str = "",
    statement: Statement | None = None,
) -> CommitmentStatusChange:
    """Record that a commitment became `status` on `date`."""
    change = CommitmentStatusChange(
        commitment=commitment, status=status, date=date, note=note, statement=statement
    )
    return status_change_save(change)


def status_change_save(
    change: CommitmentStatusChange, *, expected_version: int | None = None
) -> CommitmentStatusChange:
    """Record or correct a step of a commitment's history, and the status it leads to (of
    the commitment it moved from, too)."""
    previous = getattr(change, "_loaded_values", {}).get("commitment_id")
    with write_scope():
        # Lock the commitment so two changes recorded at once agree on the latest.
        Commitment.objects.select_for_update().only("pk").get(pk=change.commitment_id)
        record_save(change, expected_version=expected_version)
        commitment_sync_status(change.commitment)
        if previous is not None and previous != change.commitment_id:
            commitment_sync_status(Commitment.objects.get(pk=previous))
    return change


def status_change_delete(
    change: CommitmentStatusChange, *, expected_version: int | None = None
) -> None:
    with write_scope():
        record_delete(change, expected_version=expected_version)
        commitment_sync_status(Commitment.objects.get(pk=change.commitment_id))


def commitment_sync_status(commitment: Commitment) -> None:
    """Make `status` that of the latest effective change (by date, then by when it was
    recorded): changes traced to a statement of an unpublished meeting do not count until
    that meeting is published. Without any, it is pledged."""
    latest = (
        commitment.status_changes.effective()
        .order_by("-date", "-id")
        .values_list("status", flat=True)
        .first()
    )
    status = latest or Commitment.Status.PLEDGED
    if status != commitment.status:
        commitment.status = status
        record_save(commitment)
