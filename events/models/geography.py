from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from events.history import CurationHistory

from .base import CuratedModel, NaturalKeyManager, Reviewable, TimestampedModel, chain_errors
from .visibility import PUBLISHED, VisibleQuerySet

__all__ = ["Country", "Place"]


class Country(TimestampedModel):
    """An ISO 3166-1 country, loaded from pycountry by a data migration."""

    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, primary_key=True)
    alpha2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    official_name = models.CharField(max_length=200, blank=True)

    history = CurationHistory()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alpha3=Upper("alpha3")) & Exact(Length("alpha3"), 3),
                name="%(app_label)s_%(class)s_alpha3_upper",
                violation_error_message=_("An alpha-3 code is three capital letters."),
            ),
        ]

    constraint_error_fields = {"alpha3_upper": "alpha3"}

    def __str__(self):
        return self.name


class PlaceQuerySet(VisibleQuerySet):
    def public(self):
        """Reviewed places, and those a published meeting is held at (or in)."""
        from .meetings import Meeting

        held = Meeting.objects.filter(status=PUBLISHED)
        return self.filter(
            models.Q(needs_review=False)
            | models.Q(models.Exists(held.filter(place=models.OuterRef("pk"))))
            | models.Q(models.Exists(held.filter(place__parent=models.OuterRef("pk"))))
        )


class Place(Reviewable, CuratedModel):
    """A city, region or venue; a place inside another points to it through `parent`."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        REGION = "region", _("Region or province")
        VENUE = "venue", _("Venue")
        COUNTRY = "country", _("Country as a whole")

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CITY)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="places")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    objects = NaturalKeyManager.from_queryset(PlaceQuerySet)("slug")
    history = CurationHistory()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "name"],
                name="%(app_label)s_%(class)s_unique_country_kind_name",
                violation_error_message=_(
                    "This country already has a place of this kind and name."
                ),
            ),
        ]

    constraint_error_fields = {"unique_country_kind_name": "name"}

    def __str__(self):
        return f"{self.name}, {self.country_id}"

    def clean(self):
        super().clean()
        errors = chain_errors(
            self,
            "parent",
            itself=_("A place cannot be its own parent."),
            cycle=_("A place cannot sit inside itself."),
        )
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        return (self.slug,)
