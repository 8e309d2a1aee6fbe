"""Building blocks shared by the domain models."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CuratedModel",
    "DatePrecision",
    "NaturalKeyManager",
    "Reviewable",
    "TimestampedModel",
    "chain_errors",
    "partial_date_bounds",
    "partial_date_errors",
    "validate_identifiers",
    "validate_sources",
]


class TimestampedModel(models.Model):
    """Every record says when it was created and last changed, and carries a version.

    `version` grows by one with every change the services make (and when a record nested in
    this one's representation changes: a meeting's participants, a person's aliases); the
    API's `ETag` is derived from it and `If-Match` compares against it.
    `version_parents` names the foreign keys whose record's version moves with this one's.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    version_parents: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the row held when read: the services touch the previous parent too when a
        # record moves to another (`versioned_relatives`).
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def versioned_relatives(self) -> list[models.QuerySet]:
        """The records whose version moves with this one's: its `version_parents`, before
        and after a move to another parent."""
        relatives = []
        loaded = getattr(self, "_loaded_values", {})
        for name in self.version_parents:
            field = self._meta.get_field(name)
            keys = {getattr(self, field.attname), loaded.get(field.attname)} - {None}
            if keys:
                relatives.append(field.related_model._base_manager.filter(pk__in=keys))
        return relatives


class Reviewable(models.Model):
    """A record the readout importer may create for a draft; readers who may not see drafts
    see it once a published meeting uses it or a curator clears the flag."""

    needs_review = models.BooleanField(
        default=False,
        help_text=_(
            "Set by the readout importer for a record it created: check it (a new record, or "
            "one that already exists under another name?) and clear the flag."
        ),
    )

    class Meta:
        abstract = True


def validate_identifiers(value):
    """`[{"scheme": "wikidata", "identifier": "Q148"}]`, as Popolo and Open Civic Data keep them."""
    if not isinstance(value, list):
        raise ValidationError(_("Identifiers must be a list of {scheme, identifier} objects."))
    seen = set()
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) != {"scheme", "identifier"}
            or not all(isinstance(v, str) and v.strip() for v in item.values())
        ):
            raise ValidationError(
                _("Each identifier must be an object with non-empty 'scheme' and 'identifier'.")
            )
        key = (item["scheme"], item["identifier"])
        if key in seen:
            raise ValidationError(_("Identifier %(key)s is listed twice."), params={"key": key})
        seen.add(key)


def validate_sources(value):
    """`[{"url": "https://...", "note": "..."}, ...]`: where a curated fact comes from."""
    if not isinstance(value, list):
        raise ValidationError(_("Sources must be a list of {url, note} objects."))
    for item in value:
        if (
            not isinstance(item, dict)
            or not set(item) <= {"url", "note"}
            or not isinstance(item.get("url"), str)
            or not item["url"].strip()
            or not isinstance(item.get("note", ""), str)
        ):
            raise ValidationError(
                _("Each source must be an object with a 'url' and an optional 'note'.")
            )


class CuratedModel(TimestampedModel):
    """Identifiers, sources and locked fields, for records that curators maintain by hand.

    `locked_fields` names the fields a re-import must not overwrite, so that a curator's
    correction survives the next ingestion of the same readout.
    """

    identifiers = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_identifiers],
        help_text=_('External identifiers, e.g. [{"scheme": "wikidata", "identifier": "Q148"}].'),
    )
    sources = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_sources],
        help_text=_('Where these facts come from: [{"url": "...", "note": "..."}].'),
    )
    locked_fields = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Names of fields that imports must leave as curated."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        field_names = {f.name for f in self._meta.get_fields()}
        if not isinstance(self.locked_fields, list) or not all(
            isinstance(name, str) and name in field_names for name in self.locked_fields
        ):
            raise ValidationError({"locked_fields": _("List only field names of this record.")})


# Trees and reaffirmation chains here are a few links long; a longer one is itself a cycle.
MAX_CHAIN_LENGTH = 50


def chain_errors(instance: models.Model, field: str, *, itself: str, cycle: str) -> dict[str, str]:
    """Why `instance.<field>` would close a loop: point to the record itself (`itself`), or
    to a record whose own chain of `field` leads back to it (`cycle`). Empty when it is fine.

    For `parent` (a record cannot be its own ancestor) and other self-references that
    form chains. One query per link, from the new target up; a new record cannot be
    anyone's target yet, so it cannot close a loop.
    """
    target_id = getattr(instance, f"{field}_id")
    if target_id is None or instance.pk is None:
        return {}
    if target_id == instance.pk:
        return {field: itself}
    manager = type(instance)._base_manager
    seen = set()
    while target_id is not None and target_id not in seen:
        if target_id == instance.pk or len(seen) >= MAX_CHAIN_LENGTH:
            return {field: cycle}
        seen.add(target_id)
        target_id = manager.filter(pk=target_id).values_list(f"{field}_id", flat=True).first()
    return {}


class NaturalKeyManager(models.Manager):
    """A manager whose natural key is a set of fields, so fixtures load twice without duplicates."""

    def __init__(self, *fields: str):
        super().__init__()
        self.natural_key_fields = fields

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.natural_key_fields, values, strict=True)))


class DatePrecision(models.TextChoices):
    """How much of a partial date is known (EveryPolitician's ApproxDate)."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")


def partial_date_bounds(
    precision: str, year: int | None, month: int | None = None, day: int | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The earliest and latest dates a partial date can stand for; both None when unknown."""
    if precision == DatePrecision.UNKNOWN or year is None:
        return None, None
    if precision == DatePrecision.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, 1), datetime.date(year, month, last)
    exact = datetime.date(year, month, day)
    return exact, exact


def partial_date_errors(
    *,
    precision: str,
    earliest: datetime.date | None,
    latest: datetime.date | None,
    earliest_field: str,
    latest_field: str,
) -> dict[str, str]:
    """Why a partial date's bounds disagree with its precision (empty when they agree).

    A date known to the month is stored as that month's first and last day, so that
    "in July last year" can be found by any query over July; a date known to the day may
    span several days (a two-day conference).
    """
    if precision == DatePrecision.UNKNOWN:
        errors = {}
        for field, value in ((earliest_field, earliest), (latest_field, latest)):
            if value is not None:
                errors[field] = _("Leave empty when the date is unknown, or give its precision.")
        return errors
    if earliest is None:
        return {
            earliest_field: _("Give the earliest date this %(precision)s can mean.")
            % {"precision": precision}
        }
    if precision == DatePrecision.DAY:
        # One day, or a span of days such as a two-day conference; order is a check constraint.
        if latest is None:
            return {latest_field: _("Give the last day too (the same day for a single day).")}
        return {}
    expected_earliest, expected_latest = partial_date_bounds(
        precision, earliest.year, earliest.month, earliest.day
    )
    if earliest != expected_earliest:
        return {
            earliest_field: _("A date known to the %(precision)s starts on %(date)s.")
            % {"precision": precision, "date": expected_earliest.isoformat()}
        }
    if latest != expected_latest:
        return {
            latest_field: _("A date known to the %(precision)s ends on %(date)s.")
            % {"precision": precision, "date": expected_latest.isoformat()}
        }
    return {}
