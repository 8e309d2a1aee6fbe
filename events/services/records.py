"""The one write path every record goes through: validate, save, version, history.

The API's serializers, the admin's forms, the importer and the management commands shape
their input and call these (or the model-specific services built on them), so each rule
lives once: on the model (`clean()`, `clean_relations()`, constraints) and runs here, in
the transaction that writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.history import write_scope

__all__ = [
    "Blocker",
    "DeleteBlocked",
    "PreconditionFailed",
    "bulk_create_with_links",
    "delete_blockers",
    "record_delete",
    "record_save",
    "touch",
    "validate_record",
]

M = TypeVar("M", bound=models.Model)


class PreconditionFailed(Exception):
    """The record changed since the version the writer read (or no longer exists)."""

    def __init__(self, record: models.Model, current_version: int | None):
        super().__init__(f"{record._meta.label} {record.pk} is at version {current_version}")
        self.record = record
        self.current_version = current_version


@dataclass(frozen=True)
class Blocker:
    """Rows that refer to a record and would be lost or left dangling by deleting it."""

    label: str  # e.g. "statement" (the model's verbose name)
    relation: str  # the accessor on the record, e.g. "statements"
    rows: models.QuerySet


class DeleteBlocked(Exception):
    def __init__(self, record: models.Model, blockers: list[Blocker]):
        super().__init__(f"{record._meta.label} {record.pk} is referred to")
        self.record = record
        self.blockers = blockers


def validate_record(
    instance: models.Model,
    *,
    relations: Mapping[str, Iterable] | None = None,
    exclude: Iterable[str] = (),
) -> None:
    """Run every rule of the model on `instance` as it would be saved with `relations`.

    Field checks, `clean()`, uniqueness, the check constraints (each violation reported on
    the field the model's `constraint_error_fields` names) and `clean_relations()` for
    many-to-many rules. Raises one ValidationError with every field's reasons.
    """
    model = type(instance)
    exclude = set(exclude)
    errors: dict[str, list] = {}
    try:
        instance.full_clean(exclude=exclude or None, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    field_of = getattr(model, "constraint_error_fields", {})
    using = router.db_for_write(model, instance=instance)
    skip = exclude | (set(errors) - {NON_FIELD_ERRORS})
    for constraint in model._meta.constraints:
        try:
            constraint.validate(model, instance, exclude=skip, using=using)
        except ValidationError as error:
            key = field_of.get(constraint.name.removeprefix(prefix), NON_FIELD_ERRORS)
            errors.setdefault(key, []).extend(error.error_list)
    if relations and hasattr(instance, "clean_relations"):
        try:
            instance.clean_relations(dict(relations))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def touch(querysets: Iterable[models.QuerySet], *, changed: bool = False) -> None:
    """Move the version of records whose page shows this change (a meeting's page lists its
    participants), so their ETags change too. Their history does not move: they did not
    change themselves; nor does `updated_at`, unless `changed` (what readers see of them
    did change: a meeting was published, so `updated_since` must find its parts)."""
    fields = {"version": F("version") + 1}
    if changed:
        fields["updated_at"] = timezone.now()
    for queryset in querysets:
        queryset.update(**fields)


def _claim_version(instance: models.Model, expected_version: int | None) -> None:
    """Take the row for this write and move its version: an UPDATE first, so two writers
    queue on the row (PostgreSQL) or the database (SQLite) instead of both reading an old
    version. A version other than `expected_version` means someone else wrote in between."""
    model = type(instance)
    rows = model._base_manager.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) != 1:
        current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True)
        raise PreconditionFailed(instance, current.first())
    instance.version = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True)[
        0
    ]


def record_save(
    instance: M,
    *,
    relations: Mapping[str, Iterable] | None = None,
    expected_version: int | None = None,
    validate: bool = True,
    reason: str = "",
) -> M:
    """Create `instance` (unsaved) or write its changes, with its many-to-many links.

    In one transaction: the version is claimed (refused with `PreconditionFailed` when
    `expected_version` is not the stored one), every rule is checked, the row and its links
    are written, the records that show it get a new version, and the row gets one
    historical record.
    """
    relations = dict(relations or {})
    with write_scope(reason=reason):
        adding = instance._state.adding
        if not adding:
            _claim_version(instance, expected_version)
        if validate:
            validate_record(instance, relations=relations)
        instance.save()
        for name, values in relations.items():
            manager = getattr(instance, name)
            if adding:
                manager.add(*values)  # a new row has no links to read first
            else:
                manager.set(values)
        touch(instance.versioned_relatives())
        # The row as now stored: a second save in this request moves from here.
        instance._loaded_values = {
            f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
        }
    return instance


def delete_blockers(instance: models.Model) -> list[Blocker]:
    """What refers to `instance` and would be lost (a cascade) or left pointing nowhere.

    Every reverse relation blocks, many-to-many ones included (a topic tagged on statements,
    an organisation mentioned), except the rows the model declares it owns
    (`deletes_with()`), which go with it and are themselves checked. Each blocker's rows are
    unfiltered: the caller shows only what its reader may see.
    """
    blockers: list[Blocker] = []
    owned = instance.deletes_with() if hasattr(instance, "deletes_with") else {}
    for relation in instance._meta.related_objects:
        accessor = relation.get_accessor_name()
        rows = relation.related_model._base_manager.filter(**{relation.field.name: instance})
        if accessor in owned:
            rows = rows.exclude(pk__in=owned[accessor].values("pk"))
            for row in owned[accessor]:
                blockers.extend(delete_blockers(row))
        if rows.exists():
            blockers.append(
                Blocker(
                    label=str(relation.related_model._meta.verbose_name),
                    relation=accessor,
                    rows=rows,
                )
            )
    return blockers


def record_delete(
    instance: models.Model, *, expected_version: int | None = None, reason: str = ""
) -> None:
    """Delete a record nothing else refers to (`DeleteBlocked` names what does).

    Rows it owns go with it (a meeting's participants), each recorded in the history
    with the same changeset, so a restore brings them back.
    """
    with write_scope(reason=reason):
        _claim_version(instance, expected_version)
        blockers = delete_blockers(instance)
        if blockers:
            raise DeleteBlocked(instance, blockers)
        relatives = instance.versioned_relatives()
        instance.delete()
        touch(relatives)


BLOCKED_MESSAGE = _("Cannot delete: other records refer to this one.")


def bulk_create_with_links(model, rows: list, values: Iterable, links: Iterable[str]) -> list:
    """`rows` created in one query, then each many-to-many link in one query: `values` holds,
    row by row, the linked records (or their ids) under each link's name. For the writes
    that add many rows of one model at once (a readout's statements, its proposals)."""
    created = model.objects.bulk_create(rows)
    for name in links:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        own, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            [
                through(**{own: row.pk, target: getattr(item, "pk", item)})
                for row, data in zip(created, values, strict=True)
                for item in getattr(data, name)
            ]
        )
    return created
