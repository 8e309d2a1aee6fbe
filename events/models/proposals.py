from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import TimestampedModel
from .commitments import Commitment
from .geography import Country
from .meetings import Meeting
from .sources import Statement
from .topics import Topic
from .visibility import VisibleQuerySet

__all__ = ["CommitmentProposal"]


class CommitmentProposalQuerySet(VisibleQuerySet):
    def public(self):
        """Nothing: proposals are the curators' work in progress, never published."""
        return self.none()

    def pending(self):
        return self.filter(state=CommitmentProposal.State.PROPOSED)


class CommitmentProposal(TimestampedModel):
    """A commitment the readout importer proposes from a commitment or agreement statement,
    for a curator to accept (which records the `Commitment`) or reject.

    It keeps what was proposed (kind, sides, topics, the words of the statement) and the
    earlier commitments it may reaffirm (same sides, a shared topic); accepted, it points to
    the commitment it became; decided, it says who decided and when.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="commitment_proposals"
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="commitment_proposals"
    )
    kind = models.CharField(max_length=10, choices=Commitment.Kind.choices)
    sides = models.ManyToManyField(Country, related_name="commitment_proposals")
    topics = models.ManyToManyField(Topic, blank=True, related_name="commitment_proposals")
    description = models.TextField()
    suggested_reaffirms = models.ManyToManyField(
        Commitment,
        blank=True,
        related_name="reaffirmation_proposals",
        verbose_name=_("may reaffirm"),
        help_text=_("Earlier commitments of the same sides on a shared topic."),
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("The commitment recorded when the proposal was accepted."),
    )

    objects = CommitmentProposalQuerySet.as_manager()
    history = CurationHistory()
    version_parents = ("meeting",)

    class Meta:
        ordering = ["meeting", "statement__start", "id"]
        verbose_name = _("commitment proposal")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="accepted", commitment__isnull=False)
                | (~models.Q(state="accepted") & models.Q(commitment__isnull=True)),
                name="%(app_label)s_%(class)s_accepted_has_commitment",
                violation_error_message=_(
                    "An accepted proposal names the commitment it became; no other does."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(state="proposed", decided_at__isnull=True)
                | (~models.Q(state="proposed") & models.Q(decided_at__isnull=False)),
                name="%(app_label)s_%(class)s_decided_when",
                violation_error_message=_("A decided proposal says when it was decided."),
            ),
        ]

    constraint_error_fields = {"accepted_has_commitment": "commitment", "decided_when": "state"}

    def __str__(self):
        text = self.description if len(self.description) <= 80 else self.description[:77] + "..."
        return f"{self.get_kind_display()}: {text}"

    def clean(self):
        super().clean()
        if (
            self.meeting_id is not None
            and self.statement_id is not None
            and self.statement.meeting_id != self.meeting_id
        ):
            raise ValidationError({"statement": _("The statement belongs to another meeting.")})

    def clean_relations(self, relations: dict) -> None:
        """The sides follow a commitment's rules (`Commitment.clean_relations`: one side
        pledges, two or more agree, all of them sides at the meeting); a commitment it may
        reaffirm was made at an earlier meeting."""
        if self.meeting_id is None:
            return
        if "sides" in relations:
            Commitment(meeting=self.meeting, kind=self.kind).clean_relations(
                {"sides": relations["sides"]}
            )
        later = [
            commitment
            for commitment in relations.get("suggested_reaffirms", ())
            if commitment.meeting_id == self.meeting_id
            or commitment.meeting.date > self.meeting.date
        ]
        if later:
            raise ValidationError(
                {
                    "suggested_reaffirms": _(
                        "A commitment reaffirms one made at an earlier meeting: not %(which)s."
                    )
                    % {"which": "; ".join(str(commitment) for commitment in later)}
                }
            )
