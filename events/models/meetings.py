from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import NaturalKeyManager, TimestampedModel
from .gatherings import Gathering
from .geography import Country, Place
from .organizations import Organization
from .people import Person, Position
from .visibility import PUBLISHED, VisibleQuerySet

__all__ = ["Meeting", "MeetingPartQuerySet", "Participant"]


class MeetingQuerySet(VisibleQuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)

    def between(self, *sides: str):
        """Meetings where every one of these sides (alpha-3 codes) took part, wherever held."""
        for side in sides:
            took_part = Participant.objects.filter(meeting=models.OuterRef("pk"), side=side)
            self = self.filter(models.Exists(took_part))
        return self

    def public(self):
        return self.published()


class MeetingPartQuerySet(VisibleQuerySet):
    """For records that belong to one meeting (participants, statements, commitments)."""

    def public(self):
        return self.filter(meeting__status=PUBLISHED)


class Meeting(TimestampedModel):
    """A bilateral contact between officials: a meeting, talks, a phone or video call."""

    class ContactType(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        TALKS = "talks", _("Talks")
        PHONE_CALL = "phone_call", _("Phone call")
        VIDEO_CALL = "video_call", _("Video call")
        EXCHANGE_OF_MESSAGES = "exchange_of_messages", _("Exchange of messages")
        OTHER = "other", _("Other")

    class DateQualifier(models.TextChoices):
        NONE = "", _("None stated")
        LOCAL_TIME = "local_time", _("Local time")
        BEIJING_TIME = "beijing_time", _("Beijing time")

    class PloverMode(models.TextChoices):
        """PLOVER codes every meeting as CONSULT; the mode says how the sides met."""

        VISIT = "visit", _("Visit")
        THIRD_PARTY = "third-party", _("Third party")
        MULTILATERAL = "multilateral", _("Multilateral")
        PHONE = "phone", _("Phone")

    class OccasionRelation(models.TextChoices):
        NONE = "", _("No occasion")
        ATTENDING = "attending", _("While attending")
        SIDELINES = "sidelines", _("On the sidelines of")
        DURING = "during", _("During")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")

    PLOVER_EVENT = "CONSULT"

    slug = models.SlugField(max_length=150, unique=True)
    title = models.CharField(max_length=300)
    date = models.DateField()
    date_qualifier = models.CharField(
        max_length=20, choices=DateQualifier.choices, default=DateQualifier.NONE, blank=True
    )
    contact_type = models.CharField(max_length=30, choices=ContactType.choices)
    plover_mode = models.CharField(max_length=20, choices=PloverMode.choices, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    occasion = models.ForeignKey(
        Gathering, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    occasion_relation = models.CharField(
        max_length=20, choices=OccasionRelation.choices, default=OccasionRelation.NONE, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)

    objects = NaturalKeyManager.from_queryset(MeetingQuerySet)("slug")
    history = CurationHistory()

    class Meta:
        ordering = ["-date", "id"]
        permissions = [("publish_meeting", _("Can publish and unpublish meetings"))]
        indexes = [
            models.Index(fields=["status", "date"], name="events_meeting_status_date"),
            # The list's order, which its cursor pages follow (events/api/pagination.py).
            models.Index(fields=["-date", "id"], name="events_meeting_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occasion__isnull=False) | models.Q(occasion_relation=""),
                name="%(app_label)s_%(class)s_relation_needs_occasion",
                violation_error_message=_("An occasion relation needs an occasion."),
            ),
        ]

    constraint_error_fields = {"relation_needs_occasion": "occasion_relation"}

    def __str__(self):
        return f"{self.date}: {self.title}"

    def deletes_with(self) -> dict[str, models.QuerySet]:
        """A meeting's participants go with it (and come back with a restore)."""
        return {"participants": self.participants.all()}

    def natural_key(self):
        return (self.slug,)


class Participant(TimestampedModel):
    """Someone who took part, with the name and title exactly as the readout writes them.

    The link to a person may stay empty until the name is resolved (Open Civic Data's
    related-entity pattern); `offices` are the offices held on the day of the meeting.
    A participant represents a country, or an international organisation for its officials.
    """

    class Role(models.TextChoices):
        HOST = "host", _("Host")
        GUEST = "guest", _("Guest")
        PARTICIPANT = "participant", _("Participant")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    name_as_written = models.CharField(max_length=200)
    side = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_("The country this participant represents."),
    )
    side_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_(
            "For officials of an international organisation: the organisation represented."
        ),
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    title_as_written = models.CharField(max_length=300, blank=True)
    offices = models.ManyToManyField(Position, blank=True, related_name="participations")
    order = models.PositiveSmallIntegerField(default=0)

    objects = NaturalKeyManager.from_queryset(MeetingPartQuerySet)(
        "meeting__slug", "name_as_written"
    )
    history = CurationHistory()
    version_parents = ("meeting",)

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "name_as_written"],
                name="%(app_label)s_%(class)s_unique_meeting_name",
                violation_error_message=_("This meeting already has a participant of this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(side__isnull=False, side_organization__isnull=True)
                | models.Q(side__isnull=True, side_organization__isnull=False),
                name="%(app_label)s_%(class)s_one_side",
                violation_error_message=_(
                    "A participant represents either a country or an organisation, not both."
                ),
            ),
        ]

    constraint_error_fields = {"one_side": "side", "unique_meeting_name": "name_as_written"}

    def __str__(self):
        return self.name_as_written

    def clean(self):
        super().clean()
        moved_from = getattr(self, "_loaded_values", {}).get("meeting_id")
        if self.pk and moved_from is not None and moved_from != self.meeting_id:
            # Statements name their speaker; moving them would orphan those statements.
            raise ValidationError({"meeting": _("A participant cannot move to another meeting.")})

    def natural_key(self):
        return (self.meeting.slug, self.name_as_written)

    def versioned_relatives(self):
        # A statement shows its speaker's name and its sides: they move with participants.
        from .sources import Statement

        meetings = {self.meeting_id, getattr(self, "_loaded_values", {}).get("meeting_id")}
        return [
            *super().versioned_relatives(),
            Statement.objects.filter(meeting_id__in=meetings - {None}),
        ]

    natural_key.dependencies = ["events.meeting"]
