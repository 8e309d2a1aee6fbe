from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CuratedModel, NaturalKeyManager, TimestampedModel, chain_errors
from .geography import Country

__all__ = ["Organization", "OrganizationAlias"]


class Organization(CuratedModel):
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

    objects = NaturalKeyManager("slug")

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

    objects = NaturalKeyManager("organization__slug", "name")

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

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.organization.slug, self.name)

    natural_key.dependencies = ["events.organization"]
