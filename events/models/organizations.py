from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import CuratedModel, NaturalKeyManager, Reviewable, TimestampedModel, chain_errors
from .geography import Country
from .visibility import PUBLISHED, VisibleQuerySet

__all__ = ["Organization", "OrganizationAlias"]


class OrganizationQuerySet(VisibleQuerySet):
    def public(self):
        """Reviewed organisations, and those a published meeting's record uses: a side, a
        mention, a publisher of its readout, the organisation of an office held there."""
        from .meetings import Participant
        from .sources import SourceDocument, Statement

        published_participants = Participant.objects.filter(meeting__status=PUBLISHED)
        outer = models.OuterRef("pk")
        return self.filter(
            models.Q(needs_review=False)
            | models.Q(models.Exists(published_participants.filter(side_organization=outer)))
            | models.Q(models.Exists(published_participants.filter(offices__organization=outer)))
            | models.Q(
                models.Exists(
                    Statement.objects.filter(
                        meeting__status=PUBLISHED, mentioned_organizations=outer
                    )
                )
            )
            | models.Q(models.Exists(SourceDocument.objects.public().filter(publisher=outer)))
        )


class OrganizationAliasQuerySet(VisibleQuerySet):
    def public(self):
        return self.filter(organization__in=Organization.objects.public())


class Organization(Reviewable, CuratedModel):
    """A state, ministry, party body, international organisation or mechanism."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        GOVERNMENT = "government", _("Government body")
        MINISTRY = "ministry", _("Ministry")
        PARTY = "party", _("Party body")
        LEGISLATURE = "legislature", _("Legislature")
        INTERNATIONAL = "international", _("International organisation")
        MECHANISM = "mechanism", _("Cooperation mechanism")
        OTHER = "other", _("Other")

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    abbreviation = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("Empty for international organisations and mechanisms."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    objects = NaturalKeyManager.from_queryset(OrganizationQuerySet)("slug")
    history = CurationHistory()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"],
                name="%(app_label)s_%(class)s_unique_name_country",
                violation_error_message=_("This country already has an organisation of this name."),
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message=_("An organisation cannot be its own parent."),
            ),
        ]

    constraint_error_fields = {"unique_name_country": "name", "not_own_parent": "parent"}

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def clean(self):
        super().clean()
        errors = chain_errors(
            self,
            "parent",
            itself=_("An organisation cannot be its own parent."),
            cycle=_("An organisation cannot sit below itself."),
        )
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        return (self.slug,)


class OrganizationAlias(TimestampedModel):
    """Another name or spelling of an organisation, so sources that spell it otherwise resolve."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    language = models.CharField(
        max_length=16, blank=True, help_text=_("BCP 47 code, e.g. 'en', 'zh'.")
    )

    objects = NaturalKeyManager.from_queryset(OrganizationAliasQuerySet)(
        "organization__slug", "name"
    )
    history = CurationHistory()
    version_parents = ("organization",)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("organization aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_organization_name",
                violation_error_message=_("This organisation already has this alias."),
            ),
        ]

    constraint_error_fields = {"unique_organization_name": "name"}

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.organization.slug, self.name)

    natural_key.dependencies = ["events.organization"]
