from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import (
    CuratedModel,
    DatePrecision,
    NaturalKeyManager,
    Reviewable,
    TimestampedModel,
    partial_date_errors,
)
from .geography import Country
from .organizations import Organization
from .visibility import PUBLISHED, VisibleQuerySet

__all__ = ["Person", "PersonAlias", "Position", "Tenure"]


class PersonQuerySet(VisibleQuerySet):
    def public(self):
        """Reviewed people, and those who took part in or are named at a published meeting."""
        from .meetings import Participant
        from .sources import Statement

        outer = models.OuterRef("pk")
        return self.filter(
            models.Q(needs_review=False)
            | models.Q(
                models.Exists(Participant.objects.filter(meeting__status=PUBLISHED, person=outer))
            )
            | models.Q(
                models.Exists(
                    Statement.objects.filter(meeting__status=PUBLISHED, mentioned_people=outer)
                )
            )
        )


class PersonPartQuerySet(VisibleQuerySet):
    """Aliases: public with their person."""

    def public(self):
        return self.filter(person__in=Person.objects.public())


class PositionQuerySet(VisibleQuerySet):
    def public(self):
        """Reviewed offices, and those held by a participant of a published meeting."""
        from .meetings import Participant

        held = Participant.objects.filter(meeting__status=PUBLISHED, offices=models.OuterRef("pk"))
        return self.filter(models.Q(needs_review=False) | models.Q(models.Exists(held)))


class TenureQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(
            person__in=Person.objects.public(), position__in=Position.objects.public()
        )


class Person(Reviewable, CuratedModel):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, help_text=_("The name as the tracker displays it."))
    native_name = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )

    objects = NaturalKeyManager.from_queryset(PersonQuerySet)("slug")
    history = CurationHistory()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class PersonAlias(TimestampedModel):
    """A spelling variant (Muhriddin / Mukhriddin), a former name or a name in another script."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    language = models.CharField(
        max_length=16, blank=True, help_text=_("BCP 47 code, e.g. 'en', 'zh'.")
    )
    note = models.CharField(max_length=200, blank=True)

    objects = NaturalKeyManager.from_queryset(PersonPartQuerySet)("person__slug", "name")
    history = CurationHistory()
    version_parents = ("person",)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("person aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"],
                name="%(app_label)s_%(class)s_unique_person_name",
                violation_error_message=_("This person already has this alias."),
            ),
        ]

    constraint_error_fields = {"unique_person_name": "name"}

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.person.slug, self.name)

    natural_key.dependencies = ["events.person"]


class Position(Reviewable, CuratedModel):
    """An office in an organisation, apart from whoever holds it (Open Civic Data's Post)."""

    class Kind(models.TextChoices):
        HEAD_OF_STATE = "head_of_state", _("Head of state")
        HEAD_OF_GOVERNMENT = "head_of_government", _("Head of government")
        MINISTER = "minister", _("Minister")
        DEPUTY_MINISTER = "deputy_minister", _("Deputy minister")
        STATE_COUNCILOR = "state_councilor", _("State councilor")
        PARTY_MEMBER = "party_member", _("Party body member")
        LEADER = "leader", _("Leader of an organisation")
        DIPLOMAT = "diplomat", _("Ambassador or envoy")
        OTHER = "other", _("Other")

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="positions"
    )

    objects = NaturalKeyManager.from_queryset(PositionQuerySet)("slug")
    history = CurationHistory()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "title"],
                name="%(app_label)s_%(class)s_unique_organization_title",
                violation_error_message=_("This organisation already has an office of this title."),
            ),
        ]

    constraint_error_fields = {"unique_organization_title": "title"}

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


class Tenure(CuratedModel):
    """One person's time in one office (Popolo's Membership, FollowTheMoney's Occupancy).

    Each end is a partial date: the wording of the source, its precision and the earliest
    and latest dates it can mean (both empty when unknown). No end date does not prove the
    tenure is current, so `status` is stated, not derived (OpenSanctions' rule).
    """

    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        ENDED = "ended", _("Ended")
        UNKNOWN = "unknown", _("Unknown")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tenures")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="tenures")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNKNOWN)

    start_earliest = models.DateField(null=True, blank=True, db_index=True)
    start_latest = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    start_text = models.CharField(
        max_length=200, blank=True, help_text=_("As the source words it.")
    )

    end_earliest = models.DateField(null=True, blank=True)
    end_latest = models.DateField(null=True, blank=True, db_index=True)
    end_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    end_text = models.CharField(max_length=200, blank=True, help_text=_("As the source words it."))

    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("The predecessor's tenure in this office (Wikidata P1365)."),
    )

    objects = NaturalKeyManager.from_queryset(TenureQuerySet)(
        "person__slug", "position__slug", "start_earliest"
    )
    history = CurationHistory()

    class Meta:
        ordering = ["person__name", "start_earliest"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "position", "start_earliest"],
                condition=models.Q(start_earliest__isnull=False),
                name="%(app_label)s_%(class)s_unique_person_position_start",
                violation_error_message=_(
                    "This person already has a tenure in this office from this date."
                ),
            ),
            # NULLs are distinct in a unique index: a second rule keeps one undated tenure.
            models.UniqueConstraint(
                fields=["person", "position"],
                condition=models.Q(start_earliest__isnull=True),
                name="%(app_label)s_%(class)s_unique_person_position_undated",
                violation_error_message=_(
                    "This person already has a tenure in this office with an unknown start."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(start_latest__gte=models.F("start_earliest"))
                | models.Q(start_earliest__isnull=True)
                | models.Q(start_latest__isnull=True),
                name="%(app_label)s_%(class)s_start_bounds_ordered",
                violation_error_message=_("The start's latest date is before its earliest."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_latest__gte=models.F("end_earliest"))
                | models.Q(end_earliest__isnull=True)
                | models.Q(end_latest__isnull=True),
                name="%(app_label)s_%(class)s_end_bounds_ordered",
                violation_error_message=_("The end's latest date is before its earliest."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_latest__gte=models.F("start_earliest"))
                | models.Q(start_earliest__isnull=True)
                | models.Q(end_latest__isnull=True),
                name="%(app_label)s_%(class)s_end_not_before_start",
                violation_error_message=_("A tenure cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="current")
                | (models.Q(end_earliest__isnull=True) & models.Q(end_latest__isnull=True)),
                name="%(app_label)s_%(class)s_current_has_no_end",
                violation_error_message=_("A current tenure has no end date."),
            ),
        ]

    constraint_error_fields = {
        "unique_person_position_start": "start_earliest",
        "unique_person_position_undated": "start_earliest",
        "start_bounds_ordered": "start_latest",
        "end_bounds_ordered": "end_latest",
        "end_not_before_start": "end_latest",
        "current_has_no_end": "status",
    }

    def __str__(self):
        return f"{self.person} as {self.position}"

    def clean(self):
        super().clean()
        errors = {}
        for end in ("start", "end"):
            errors.update(
                partial_date_errors(
                    precision=getattr(self, f"{end}_precision"),
                    earliest=getattr(self, f"{end}_earliest"),
                    latest=getattr(self, f"{end}_latest"),
                    earliest_field=f"{end}_earliest",
                    latest_field=f"{end}_latest",
                )
            )
        if self.replaces_id is not None:
            if self.pk is not None and self.replaces_id == self.pk:
                errors["replaces"] = _("A tenure cannot replace itself.")
            elif self.position_id is not None and self.replaces.position_id != self.position_id:
                errors["replaces"] = _("The predecessor's tenure must be in the same office.")
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        start = self.start_earliest.isoformat() if self.start_earliest else None
        return (self.person.slug, self.position.slug, start)

    natural_key.dependencies = ["events.person", "events.position"]
