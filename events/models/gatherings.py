from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import (
    DatePrecision,
    NaturalKeyManager,
    Reviewable,
    TimestampedModel,
    partial_date_errors,
)
from .geography import Country, Place
from .organizations import Organization
from .people import Person
from .visibility import PUBLISHED, VisibleQuerySet

__all__ = ["Gathering", "RelationshipLevel"]


def partial_date_constraint() -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(date_latest__gte=models.F("date_earliest"))
        | models.Q(date_earliest__isnull=True)
        | models.Q(date_latest__isnull=True),
        name="%(app_label)s_%(class)s_date_bounds_ordered",
        violation_error_message=_("The latest date is before the earliest."),
    )


class PartialDateModel(models.Model):
    """A date known to the day, the month, the year or not at all, with its source wording.

    `date_earliest` and `date_latest` are what queries use: "in July last year" is stored
    as month precision with the bounds 2024-07-01 and 2024-07-31.
    """

    date_earliest = models.DateField(null=True, blank=True, db_index=True)
    date_latest = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_text = models.CharField(max_length=200, blank=True, help_text=_("As the source words it."))

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = partial_date_errors(
            precision=self.date_precision,
            earliest=self.date_earliest,
            latest=self.date_latest,
            earliest_field="date_earliest",
            latest_field="date_latest",
        )
        if errors:
            raise ValidationError(errors)


class GatheringQuerySet(VisibleQuerySet):
    def public(self):
        """Reviewed gatherings, and those a published meeting sat beside or mentions."""
        from .meetings import Meeting
        from .sources import Statement

        outer = models.OuterRef("pk")
        return self.filter(
            models.Q(needs_review=False)
            | models.Q(models.Exists(Meeting.objects.filter(status=PUBLISHED, occasion=outer)))
            | models.Q(
                models.Exists(
                    Statement.objects.filter(meeting__status=PUBLISHED, mentioned_gatherings=outer)
                )
            )
        )


class Gathering(Reviewable, PartialDateModel, TimestampedModel):
    """An event a readout refers to: a multilateral meeting, a conference, a visit recalled."""

    class Kind(models.TextChoices):
        MULTILATERAL_MEETING = "multilateral_meeting", _("Multilateral meeting")
        SUMMIT = "summit", _("Summit")
        CONFERENCE = "conference", _("Conference")
        PARTY_CONFERENCE = "party_conference", _("Party or government work conference")
        STATE_VISIT = "state_visit", _("State visit")
        OFFICIAL_VISIT = "official_visit", _("Official visit")
        OTHER = "other", _("Other")

    slug = models.SlugField(max_length=150, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="gatherings"
    )
    host_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="hosted_gatherings"
    )
    organizers = models.ManyToManyField(Organization, blank=True, related_name="gatherings")
    principals = models.ManyToManyField(
        Person,
        blank=True,
        related_name="gatherings",
        help_text=_("Notable people who took part, such as the visiting head of state."),
    )
    description = models.TextField(blank=True)

    objects = NaturalKeyManager.from_queryset(GatheringQuerySet)("slug")
    history = CurationHistory()

    class Meta:
        ordering = ["-date_earliest", "name"]
        constraints = [partial_date_constraint()]

    constraint_error_fields = {"date_bounds_ordered": "date_latest"}

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class RelationshipLevelQuerySet(VisibleQuerySet):
    def public(self):
        """Levels not stated in an unpublished meeting's readout, nor announced at a
        gathering only a draft knows."""
        return self.filter(
            models.Q(statement__isnull=True) | models.Q(statement__meeting__status=PUBLISHED),
            models.Q(announced_at__isnull=True)
            | models.Q(announced_at__in=Gathering.objects.public()),
        )


class RelationshipLevel(PartialDateModel, TimestampedModel):
    """The stated level of a bilateral relationship from a date on.

    The pair is stored in alphabetical order of alpha-3 codes so each pair has one spelling.
    """

    country_a = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    country_b = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(
        max_length=300, help_text=_("As stated, e.g. 'comprehensive strategic partnership'.")
    )
    announced_at = models.ForeignKey(
        Gathering,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relationship_levels",
    )
    statement = models.ForeignKey(
        "events.Statement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relationship_levels",
        help_text=_("The readout sentence that states it."),
    )

    objects = NaturalKeyManager.from_queryset(RelationshipLevelQuerySet)(
        "country_a", "country_b", "level"
    )
    history = CurationHistory()

    class Meta:
        ordering = ["country_a", "country_b", "date_earliest"]
        constraints = [
            partial_date_constraint(),
            models.CheckConstraint(
                condition=models.Q(country_a__lt=models.F("country_b")),
                name="%(app_label)s_%(class)s_pair_ordered",
                violation_error_message=_("Give the pair's alpha-3 codes in alphabetical order."),
            ),
            models.UniqueConstraint(
                fields=["country_a", "country_b", "level"],
                name="%(app_label)s_%(class)s_unique_pair_level",
                violation_error_message=_("This level is already recorded for this pair."),
            ),
        ]

    constraint_error_fields = {
        "date_bounds_ordered": "date_latest",
        "pair_ordered": "country_b",
        "unique_pair_level": "level",
    }

    def __str__(self):
        return f"{self.country_a_id}-{self.country_b_id}: {self.level}"

    def natural_key(self):
        return (self.country_a_id, self.country_b_id, self.level)
