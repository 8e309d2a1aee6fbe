"""Bringing a record back: to an earlier version, or out of deletion with what went with it."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext

from events.history import links_of, write_scope
from events.models import Meeting

from .meetings import check_publish_permission
from .records import record_save

__all__ = ["record_restore"]


def record_restore(*, entry, user=None) -> models.Model:
    """Give the record the fields and links it had in `entry` (a historical record).

    A deleted record comes back with its id, and so do the rows deleted with it (a
    meeting's participants, in the same changeset). The restore is a write like any
    other: validated, versioned and recorded, with a reason naming the version restored.
    Restoring a meeting to or from `published` needs the permission to publish.
    """
    model = entry.instance_type
    reason = gettext("Restored as of %(date)s") % {"date": entry.history_date.isoformat()}
    with write_scope(reason=reason):
        return _restore(entry, model, user=user)


def _restore(entry, model, *, user) -> models.Model:
    values = {f.attname: getattr(entry, f.attname) for f in model._meta.concrete_fields}
    links = links_of([entry], model)[entry.history_id]
    try:
        instance = model._base_manager.get(pk=values[model._meta.pk.attname])
    except ObjectDoesNotExist:
        instance = None
    if model is Meeting:
        was = instance.status if instance is not None else None
        check_publish_permission(user=user, was=was, becomes=values["status"])
    skipped = {"created_at", "updated_at", "version"}
    if instance is None:
        instance = model(**{k: v for k, v in values.items() if k not in {"updated_at", "version"}})
        record_save(instance, relations=links)
        _restore_deleted_with(entry, model, instance, user=user)
    else:
        for attname, value in values.items():
            if attname not in skipped:
                setattr(instance, attname, value)
        record_save(instance, relations=links)
    return instance


def _restore_deleted_with(entry, model, instance, *, user) -> None:
    """Rows deleted in the same changeset because they hung on this one (a cascade)."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        if not hasattr(related, "_curation_history") or relation.many_to_many:
            continue
        deleted = related.history.filter(
            history_changeset=entry.history_changeset,
            history_type="-",
            **{relation.field.attname: instance.pk},
        )
        for dependent in deleted:
            _restore(dependent, related, user=user)
