"""Commitments the importer proposes, and the curator's decision on each."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from events.history import record_now, write_scope
from events.models import (
    Commitment,
    CommitmentProposal,
    Country,
    Meeting,
    Statement,
    Topic,
)

from .commitments import commitment_save
from .records import bulk_create_with_links, record_delete, record_save, touch

__all__ = [
    "ProposalData",
    "commitment_slug",
    "proposal_accept",
    "proposal_commitment",
    "proposal_reject",
    "proposal_reopen",
    "proposals_create",
]

PROPOSAL_LINKS = ["sides", "topics", "suggested_reaffirms"]


@dataclass(frozen=True, kw_only=True)
class ProposalData:
    """One proposed commitment for `proposals_create`; links as records or their keys."""

    statement: Statement
    kind: str
    description: str
    sides: Sequence[Country | str]
    topics: Sequence[Topic | int] = ()
    suggested_reaffirms: Sequence[Commitment | int] = ()


def proposals_create(
    *, meeting: Meeting, proposals: Sequence[ProposalData]
) -> list[CommitmentProposal]:
    """Record the proposals of one imported readout, each checked by the model's rules.

    As `statements_create` does for statements: one insert for the proposals and one per
    kind of link, whatever their number; their history is written when the scope ends.
    """
    if not proposals:
        return []
    sides = Country.objects.in_bulk(
        {getattr(side, "pk", side) for data in proposals for side in data.sides}
    )
    earlier = Commitment.objects.select_related("meeting").in_bulk(
        {getattr(c, "pk", c) for data in proposals for c in data.suggested_reaffirms}
    )
    prefetch_related_objects([meeting], "participants")
    rows, errors = [], {}
    for index, data in enumerate(proposals):
        proposal = CommitmentProposal(
            meeting=meeting,
            statement=data.statement,
            kind=data.kind,
            description=data.description,
        )
        relations = {
            "sides": [sides[getattr(side, "pk", side)] for side in data.sides],
            "suggested_reaffirms": [earlier[getattr(c, "pk", c)] for c in data.suggested_reaffirms],
        }
        try:
            proposal.clean_fields(exclude=["meeting", "statement"])
            proposal.clean()
            proposal.clean_relations(relations)
        except ValidationError as error:
            errors[f"proposals[{index}]"] = error.messages
        rows.append(proposal)
    if errors:
        raise ValidationError(errors)
    with write_scope():
        created = bulk_create_with_links(CommitmentProposal, rows, proposals, PROPOSAL_LINKS)
        record_now(created)
        touch([Meeting.objects.filter(pk=meeting.pk)])
    return created


def _pending(proposal: CommitmentProposal) -> None:
    if proposal.state != CommitmentProposal.State.PROPOSED:
        raise ValidationError(
            {
                "state": _("This proposal was already %(state)s.")
                % {"state": proposal.get_state_display().lower()}
            },
            code="decided",
        )


def commitment_slug(*, meeting: Meeting, sides: Sequence[Country], description: str) -> str:
    """A free slug for a new commitment: its meeting's date, its sides, its first words."""
    codes = "-".join(sorted(side.pk.lower() for side in sides))
    base = slugify(f"{meeting.date.isoformat()}-{codes}-{description}")
    max_length = Commitment._meta.get_field("slug").max_length
    base = base[: max_length - 4].strip("-")
    slug, number = base, 2
    while Commitment.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def proposal_commitment(
    proposal: CommitmentProposal, *, reaffirms: Sequence[Commitment]
) -> tuple[Commitment, dict]:
    """The commitment a proposal becomes, and its many-to-many links: its sides, its topics
    and the earlier commitments the curator kept as those it reaffirms."""
    sides = list(proposal.sides.all())
    commitment = Commitment(
        slug=commitment_slug(
            meeting=proposal.meeting, sides=sides, description=proposal.description
        ),
        meeting=proposal.meeting,
        statement=proposal.statement,
        kind=proposal.kind,
        description=proposal.description,
        status=Commitment.Status.PLEDGED,
    )
    relations = {
        "sides": sides,
        "topics": list(proposal.topics.all()),
        "reaffirms": list(reaffirms),
    }
    return commitment, relations


def proposal_accept(
    *,
    proposal: CommitmentProposal,
    user=None,
    reaffirms: Sequence[Commitment] | None = None,
    expected_version: int | None = None,
) -> Commitment:
    """Record the commitment a proposal describes (pledged on its meeting's date) and mark
    the proposal accepted, by `user`, now; all or nothing. `reaffirms` are the earlier
    commitments the curator kept (of those suggested, or any others); None keeps every
    suggested one."""
    _pending(proposal)
    if reaffirms is None:
        reaffirms = list(proposal.suggested_reaffirms.all())
    with write_scope():
        commitment, relations = proposal_commitment(proposal, reaffirms=reaffirms)
        commitment_save(commitment, relations=relations)
        proposal.state = CommitmentProposal.State.ACCEPTED
        proposal.commitment = commitment
        proposal.decided_by = user if getattr(user, "is_authenticated", False) else None
        proposal.decided_at = timezone.now()
        record_save(proposal, expected_version=expected_version)
    return commitment


def proposal_reject(
    *, proposal: CommitmentProposal, user=None, expected_version: int | None = None
) -> CommitmentProposal:
    """Mark a proposal rejected, by `user`, now: no commitment is recorded."""
    _pending(proposal)
    proposal.state = CommitmentProposal.State.REJECTED
    proposal.decided_by = user if getattr(user, "is_authenticated", False) else None
    proposal.decided_at = timezone.now()
    return record_save(proposal, expected_version=expected_version)


def proposal_reopen(
    *, proposal: CommitmentProposal, expected_version: int | None = None
) -> CommitmentProposal:
    """Put a decided proposal back to be decided. Undoing an acceptance deletes the
    commitment it recorded, which is refused (`DeleteBlocked`) once other records refer to
    that commitment (a later status change, a commitment reaffirming it)."""
    if proposal.state == CommitmentProposal.State.PROPOSED:
        raise ValidationError({"state": _("This proposal is not decided yet.")}, code="not_decided")
    commitment = proposal.commitment
    with write_scope():
        proposal.state = CommitmentProposal.State.PROPOSED
        proposal.commitment = None
        proposal.decided_by = None
        proposal.decided_at = None
        record_save(proposal, expected_version=expected_version)
        if commitment is not None:
            record_delete(commitment)
    return proposal
