import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import NaturalKeyManager, TimestampedModel
from .gatherings import Gathering
from .geography import Country
from .meetings import Meeting, MeetingPartQuerySet, Participant
from .organizations import Organization
from .people import Person
from .topics import Topic
from .visibility import VisibleQuerySet

__all__ = ["SourceDocument", "Statement"]


class SourceDocumentQuerySet(VisibleQuerySet):
    def with_text(self, text: str):
        """The source holding exactly this text (at most one: its hash is unique)."""
        return self.filter(content_hash=SourceDocument.hash_text(text))

    def public(self):
        """Sources of at least one published meeting."""
        published = Meeting.objects.published().filter(sources=models.OuterRef("pk"))
        return self.filter(models.Exists(published))


class SourceDocument(TimestampedModel):
    """A readout as published, kept verbatim so every statement can point into it."""

    publisher = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
    )
    title = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=16, default="en", help_text=_("BCP 47 code."))
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(help_text=_("The readout verbatim; statement spans index into it."))
    content_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text=_("SHA-256 of the UTF-8 text.")
    )
    meetings = models.ManyToManyField(Meeting, blank=True, related_name="sources")

    objects = NaturalKeyManager.from_queryset(SourceDocumentQuerySet)("content_hash")
    history = CurationHistory()

    class Meta:
        ordering = ["-published_on", "id"]
        verbose_name = _("source document")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="%(app_label)s_%(class)s_text_not_empty",
                violation_error_message=_("A source needs its text."),
            ),
        ]

    constraint_error_fields = {"text_not_empty": "text"}

    def __str__(self):
        return self.title or self.url or f"Source {self.content_hash[:12]}"

    def natural_key(self):
        return (self.content_hash,)

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def full_clean(self, *args, **kwargs):
        # The hash is derived from the text, never given: compute it before it is checked.
        self.content_hash = self.hash_text(self.text or "")
        super().full_clean(*args, **kwargs)

    def validate_unique(self, exclude=None):
        # A duplicate hash is reported on the text, by `clean()`.
        super().validate_unique(exclude={*(exclude or ()), "content_hash"})

    def clean(self):
        """The text is kept verbatim, once; it is frozen while statements point into it."""
        super().clean()
        if self.text is not None and not self.text.strip():
            raise ValidationError({"text": _("A source needs its text, not only whitespace.")})
        stored = type(self)._base_manager.filter(pk=self.pk) if self.pk else None
        content_hash = self.hash_text(self.text or "")
        if (
            stored is not None
            and not stored.filter(content_hash=content_hash).exists()
            and Statement.objects.filter(source_id=self.pk).exists()
        ):
            raise ValidationError(
                {"text": _("Statements point into this text; it cannot change while they exist.")}
            )
        duplicate = type(self)._base_manager.filter(content_hash=content_hash)
        if duplicate.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"text": _("A source with exactly this text is already stored.")}, code="unique"
            )

    def clean_relations(self, relations: dict) -> None:
        """A meeting whose statements quote this source stays linked to it."""
        if "meetings" not in relations or self.pk is None:
            return
        kept = {meeting.pk for meeting in relations["meetings"]}
        quoting = (
            Meeting.objects.filter(
                models.Exists(
                    Statement.objects.filter(meeting=models.OuterRef("pk"), source_id=self.pk)
                ),
                sources=self.pk,
            )
            .exclude(pk__in=kept)
            .order_by("date", "pk")
        )
        names = [str(meeting) for meeting in quoting]
        if names:
            raise ValidationError(
                {
                    "meetings": _("Statements of %(meetings)s quote this source; keep it linked.")
                    % {"meetings": "; ".join(names)}
                },
                code="quoted",
            )


class Statement(TimestampedModel):
    """One sentence or clause of a readout: who said it, what kind of thing it says, where.

    `text` is always `source.text[start:end]`: the database checks the span length here
    and a trigger checks the text itself (migration 0003).
    """

    class Kind(models.TextChoices):
        STANCE = "stance", _("Stance")
        COMMITMENT = "commitment", _("Commitment")
        AGREEMENT = "agreement", _("Agreement")
        APPRECIATION = "appreciation", _("Appreciation")
        CONGRATULATION = "congratulation", _("Congratulation")
        GRATITUDE = "gratitude", _("Thanks")
        ASSESSMENT = "assessment", _("Assessment")
        RECOLLECTION = "recollection", _("Recollection")
        CRITICISM = "criticism", _("Criticism")
        WELCOME = "welcome", _("Welcome or invitation")
        EXCHANGE_OF_VIEWS = "exchange_of_views", _("Exchange of views")
        PROPOSAL = "proposal", _("Proposal")
        OTHER = "other", _("Other")

    class Attribution(models.TextChoices):
        SPEAKER = "speaker", _("A participant")
        SIDE = "side", _("One side")
        JOINT = "joint", _("Both sides")

    class PloverCode(models.TextChoices):
        """The PLOVER event types, for joining our data with POLECAT's."""

        AGREE = "AGREE", "AGREE"
        CONSULT = "CONSULT", "CONSULT"
        SUPPORT = "SUPPORT", "SUPPORT"
        CONCEDE = "CONCEDE", "CONCEDE"
        COOPERATE = "COOPERATE", "COOPERATE"
        AID = "AID", "AID"
        RETREAT = "RETREAT", "RETREAT"
        REQUEST = "REQUEST", "REQUEST"
        ACCUSE = "ACCUSE", "ACCUSE"
        REJECT = "REJECT", "REJECT"
        THREATEN = "THREATEN", "THREATEN"
        PROTEST = "PROTEST", "PROTEST"
        SANCTION = "SANCTION", "SANCTION"
        MOBILIZE = "MOBILIZE", "MOBILIZE"
        COERCE = "COERCE", "COERCE"
        ASSAULT = "ASSAULT", "ASSAULT"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="statements")
    source = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="statements")
    attribution = models.CharField(max_length=10, choices=Attribution.choices)
    speaker = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    side = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text=_("For a statement attributed to one side rather than a named speaker."),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    plover_code = models.CharField(max_length=10, choices=PloverCode.choices, blank=True)
    text = models.TextField(
        blank=True, help_text=_("Left empty, it is filled from the source's text at the span.")
    )
    start = models.PositiveIntegerField(help_text=_("Offset of the first character in the source."))
    end = models.PositiveIntegerField(help_text=_("Offset just past the last character."))
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    mentioned_countries = models.ManyToManyField(Country, blank=True, related_name="mentions")
    mentioned_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="mentions"
    )
    mentioned_people = models.ManyToManyField(Person, blank=True, related_name="mentions")
    mentioned_gatherings = models.ManyToManyField(Gathering, blank=True, related_name="mentions")

    objects = NaturalKeyManager.from_queryset(MeetingPartQuerySet)(
        "source__content_hash", "start", "end"
    )
    history = CurationHistory()
    version_parents = ("meeting",)

    class Meta:
        ordering = ["source", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "start", "end"],
                name="%(app_label)s_%(class)s_unique_source_span",
                violation_error_message=_("This source already has a statement with this span."),
            ),
            models.CheckConstraint(
                condition=Exact(models.F("end"), models.F("start") + Length("text"))
                & models.Q(end__gt=models.F("start")),
                name="%(app_label)s_%(class)s_span_matches_text",
                violation_error_message=_("The span's length must equal the text's."),
            ),
            models.CheckConstraint(
                condition=models.Q(attribution="speaker", speaker__isnull=False, side__isnull=True)
                | models.Q(attribution="side", speaker__isnull=True, side__isnull=False)
                | models.Q(attribution="joint", speaker__isnull=True, side__isnull=True),
                name="%(app_label)s_%(class)s_attribution_consistent",
                violation_error_message=_(
                    "A speaker's statement names the speaker; a side's names the side; "
                    "a joint one names neither."
                ),
            ),
        ]

    constraint_error_fields = {
        "unique_source_span": "start",
        "span_matches_text": "text",
        "attribution_consistent": "attribution",
    }

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."

    def deletes_with(self) -> dict[str, models.QuerySet]:
        """The commitments proposed from it and not accepted go with a statement (an
        accepted one's commitment still refers to the statement, and keeps it)."""
        return {"commitment_proposals": self.commitment_proposals.exclude(state="accepted")}

    @staticmethod
    def span_is_inside(source: SourceDocument, start: int | None, end: int | None) -> bool:
        return start is not None and end is not None and 0 <= start < end <= len(source.text)

    def clean(self):
        """The rules every write path shares: the text is the source's at the span (filled
        from it when left empty), the speaker takes part, the source reports the meeting.
        The database backs them with a trigger and check constraints (0003 and 0005)."""
        super().clean()
        errors = {}
        source = self.source if self.source_id else None
        if (
            source is not None
            and not self.text
            and self.span_is_inside(source, self.start, self.end)
        ):
            self.text = source.text[self.start : self.end]
        if source is None and not self.text:
            errors["text"] = _("Give the text, or a source and span to fill it from.")
        if source is not None:
            errors |= self._span_errors(source)
        if self.speaker_id and self.meeting_id and self.speaker.meeting_id != self.meeting_id:
            errors["speaker"] = _("The speaker does not take part in this meeting.")
        # Read from `source.meetings` prefetched when there is one (`statements_create`
        # checks many statements of one source against one fetch).
        if (
            source is not None
            and self.meeting_id
            and self.meeting_id not in {meeting.pk for meeting in source.meetings.all()}
        ):
            errors["source"] = _(
                "This source does not report the meeting; add the meeting to its sources."
            )
        if errors:
            raise ValidationError(errors)

    def _span_errors(self, source: SourceDocument) -> dict[str, str]:
        start, end = self.start, self.end
        if start is None or end is None:
            return {}
        if end <= start:
            return {"end": _("The span must end after it starts.")}
        if end > len(source.text):
            return {
                "end": _("The span ends at %(end)d, past the source's %(length)d characters.")
                % {"end": end, "length": len(source.text)}
            }
        expected = source.text[start:end]
        if self.text == expected:
            return {}
        message = gettext(
            "This is not the source's text at [%(start)d, %(end)d), which reads “%(expected)s”."
        ) % {"start": start, "end": end, "expected": expected}
        found = source.text.find(self.text) if self.text else -1
        if found >= 0:
            message += " " + gettext("The text is at [%(found)d, %(found_end)d).") % {
                "found": found,
                "found_end": found + len(self.text),
            }
        return {"text": message}

    def natural_key(self):
        return (self.source.content_hash, self.start, self.end)

    natural_key.dependencies = ["events.sourcedocument"]
