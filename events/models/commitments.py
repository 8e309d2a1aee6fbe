from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import MAX_CHAIN_LENGTH, NaturalKeyManager, TimestampedModel
from .geography import Country
from .meetings import Meeting, MeetingPartQuerySet
from .sources import Statement
from .topics import Topic
from .visibility import PUBLISHED, VisibleQuerySet

__all__ = ["Commitment", "CommitmentStatusChange"]


class CommitmentQuerySet(MeetingPartQuerySet):
    def chain_of(self, commitment: "Commitment") -> "CommitmentQuerySet":
        """Every commitment linked to `commitment` by reaffirmation, earlier and later (it
        included), in the order of their meetings: one query a step along the links."""
        through = Commitment.reaffirms.through
        found = frontier = {commitment.pk}
        for _step in range(MAX_CHAIN_LENGTH):
            links = through.objects.filter(
                models.Q(from_commitment__in=frontier) | models.Q(to_commitment__in=frontier)
            ).values_list("from_commitment", "to_commitment")
            frontier = {pk for link in links for pk in link} - found
            if not frontier:
                break
            found = found | frontier
        return self.filter(pk__in=found).order_by("meeting__date", "pk")

    def recurring(self) -> list[list[int]]:
        """The commitments that came back: groups of commitments linked by reaffirmation
        (two or more each), each group's ids in the order of their meetings, the largest
        group first. Only the rows of this queryset count, and links between them."""
        rows = dict(self.values_list("pk", "meeting__date"))
        through = Commitment.reaffirms.through
        links = through.objects.filter(from_commitment__in=rows, to_commitment__in=rows)
        parent = {pk: pk for pk in rows}

        def root(pk):
            while parent[pk] != pk:
                parent[pk] = parent[parent[pk]]
                pk = parent[pk]
            return pk

        for later, earlier in links.values_list("from_commitment", "to_commitment"):
            parent[root(later)] = root(earlier)
        groups: dict[int, list[int]] = {}
        for pk in rows:
            groups.setdefault(root(pk), []).append(pk)
        chains = [
            sorted(members, key=lambda pk: (rows[pk], pk))
            for members in groups.values()
            if len(members) > 1
        ]
        return sorted(
            chains, key=lambda chain: (-len(chain), -rows[chain[-1]].toordinal(), chain[0])
        )


class Commitment(TimestampedModel):
    """Something one side pledged or both sides agreed to do, tracked over time.

    `status` is the latest effective entry of `status_changes`; services write both
    together. `reaffirms` links a later meeting's commitment to the earlier ones it repeats
    (a 2025 pledge may echo two of 2022); `reaffirmed_by` is the other way.
    """

    class Kind(models.TextChoices):
        PLEDGE = "pledge", _("Pledge by one side")
        AGREEMENT = "agreement", _("Agreement of both sides")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        IN_PROGRESS = "in_progress", _("In progress")
        FULFILLED = "fulfilled", _("Fulfilled")
        LAPSED = "lapsed", _("Lapsed")

    slug = models.SlugField(max_length=150, unique=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="commitments")
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sides = models.ManyToManyField(Country, related_name="commitments")
    description = models.TextField(help_text=_("What was committed to, in the curator's words."))
    topics = models.ManyToManyField(Topic, blank=True, related_name="commitments")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLEDGED)
    reaffirms = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="reaffirmed_by",
        help_text=_("The earlier commitments this one repeats."),
    )

    objects = NaturalKeyManager.from_queryset(CommitmentQuerySet)("slug")
    history = CurationHistory()
    version_parents = ("meeting",)

    class Meta:
        ordering = ["-meeting__date", "id"]

    def __str__(self):
        return self.description if len(self.description) <= 80 else self.description[:77] + "..."

    def deletes_with(self) -> dict[str, models.QuerySet]:
        """Its opening pledge goes with a commitment; a later status change keeps it."""
        history = self.status_changes.all()
        if history.exclude(status=self.Status.PLEDGED).exists():
            return {}
        return {"status_changes": history}

    def clean(self):
        """The statement is from this meeting. (Sides and reaffirmed commitments are
        many-to-many, unknown to the model until the row is saved: `clean_relations`.)"""
        super().clean()
        if self.meeting_id is None:
            return
        if self.statement_id is not None and self.statement.meeting_id != self.meeting_id:
            raise ValidationError({"statement": _("The statement belongs to another meeting.")})

    def clean_relations(self, relations: dict) -> None:
        """Who made it and what it repeats: checked together, every error reported."""
        errors = {}
        for check in (self._sides_errors, self._reaffirms_errors):
            try:
                check(relations)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _reaffirms_errors(self, relations: dict) -> None:
        """Each commitment it reaffirms was made at an earlier meeting (meetings on one day
        are not ordered by their date: for those, no chain may lead back to this one)."""
        if "reaffirms" not in relations or self.meeting_id is None:
            return
        earlier = list(relations["reaffirms"])
        if any(commitment.pk == self.pk for commitment in earlier if self.pk is not None):
            raise ValidationError({"reaffirms": _("A commitment cannot reaffirm itself.")})
        date = self.meeting.date
        for commitment in earlier:
            if commitment.meeting_id == self.meeting_id or commitment.meeting.date > date:
                raise ValidationError(
                    {"reaffirms": _("A commitment reaffirms one made at an earlier meeting.")}
                )
        if self.pk is not None and self._reaches_self(earlier):
            raise ValidationError(
                {"reaffirms": _("A commitment cannot reaffirm one that reaffirms it.")}
            )

    def _reaches_self(self, earlier: list) -> bool:
        """Whether following `reaffirms` from `earlier` comes back here: one query a step,
        only through commitments of this meeting's day (earlier days cannot lead back)."""
        through = Commitment.reaffirms.through
        frontier = {c.pk for c in earlier if c.meeting.date == self.meeting.date}
        seen: set[int] = set()
        for _step in range(MAX_CHAIN_LENGTH):
            if self.pk in frontier:
                return True
            frontier -= seen
            if not frontier:
                return False
            seen |= frontier
            frontier = set(
                through.objects.filter(
                    from_commitment__in=frontier,
                    to_commitment__meeting__date=self.meeting.date,
                ).values_list("to_commitment", flat=True)
            )
        return True  # a chain this long on one day is itself a loop

    def _sides_errors(self, relations: dict) -> None:
        """A pledge is made by one side, an agreement by two or more, all of them sides at
        the meeting (its participants' `side`)."""
        if "sides" not in relations or self.meeting_id is None:
            return
        sides = list(relations["sides"])
        if self.kind == self.Kind.PLEDGE and len(sides) != 1:
            raise ValidationError({"sides": _("A pledge is made by one side.")})
        if self.kind == self.Kind.AGREEMENT and len(sides) < 2:
            raise ValidationError({"sides": _("An agreement is made by at least two sides.")})
        # `all()`: read from the meeting's prefetched participants when a caller checks
        # many records of one meeting (`proposals_create`), else one query.
        present = {participant.side_id for participant in self.meeting.participants.all()}
        absent = sorted(side.pk for side in sides if side.pk not in present)
        if absent:
            raise ValidationError(
                {
                    "sides": _("Not a side of this meeting: %(codes)s.")
                    % {"codes": ", ".join(absent)}
                }
            )

    def natural_key(self):
        return (self.slug,)


class CommitmentStatusChangeQuerySet(VisibleQuerySet):
    def effective(self):
        """The changes a commitment's status comes from: those not traced to a statement of
        an unpublished meeting (a draft's readout is not yet a fact)."""
        return self.filter(
            models.Q(statement__isnull=True) | models.Q(statement__meeting__status=PUBLISHED)
        )

    def public(self):
        """Effective changes of published commitments (a change traced to a draft would
        tell of the draft by its statement id and note)."""
        return self.effective().filter(commitment__meeting__status=PUBLISHED)


class CommitmentStatusChange(TimestampedModel):
    """One step in a commitment's history: it became `status` on `date`."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=12, choices=Commitment.Status.choices)
    date = models.DateField()
    note = models.TextField(blank=True)
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        help_text=_("The readout sentence that shows the change, if any."),
    )

    objects = NaturalKeyManager.from_queryset(CommitmentStatusChangeQuerySet)(
        "commitment__slug", "status", "date"
    )
    history = CurationHistory()
    version_parents = ("commitment",)

    class Meta:
        ordering = ["commitment", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "status", "date"],
                name="%(app_label)s_%(class)s_unique_commitment_status_date",
                violation_error_message=_("This change is already recorded."),
            ),
        ]

    constraint_error_fields = {"unique_commitment_status_date": "date"}

    def __str__(self):
        return f"{self.commitment}: {self.get_status_display()} on {self.date}"

    def clean(self):
        super().clean()
        if self.commitment_id is None:
            return
        made_on = self.commitment.meeting.date
        errors = {}
        if self.date is not None and self.date < made_on:
            errors["date"] = _("This is before the commitment was made (%(date)s).") % {
                "date": made_on
            }
        statement = self.statement
        if (
            statement is not None
            and statement.meeting_id != self.commitment.meeting_id
            and statement.meeting.date <= made_on
        ):
            errors["statement"] = _(
                "The statement must be from the commitment's meeting or a later one "
                "(after %(date)s)."
            ) % {"date": made_on}
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        return (self.commitment.slug, self.status, self.date.isoformat())

    natural_key.dependencies = ["events.commitment"]
