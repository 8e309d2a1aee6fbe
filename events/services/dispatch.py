"""The service that writes each kind of record, for the callers that write any kind (the
API's serializers and viewsets, the admin's pages): one place says which it is."""

from django.db import models

from events.models import Commitment, CommitmentStatusChange, Meeting, SourceDocument

from .commitments import commitment_save, status_change_delete, status_change_save
from .meetings import meeting_delete, meeting_save
from .records import record_delete, record_save
from .sources import source_update

__all__ = ["delete_record", "save_record"]


def save_record(
    instance: models.Model,
    *,
    relations: dict | None = None,
    expected_version: int | None = None,
    user=None,
) -> models.Model:
    """Create or change `instance` with its links, through its model's service."""
    relations = dict(relations or {})
    if isinstance(instance, Meeting):
        return meeting_save(instance, user=user, expected_version=expected_version)
    if isinstance(instance, Commitment):
        return commitment_save(instance, relations=relations, expected_version=expected_version)
    if isinstance(instance, CommitmentStatusChange):
        return status_change_save(instance, expected_version=expected_version)
    if isinstance(instance, SourceDocument) and not instance._state.adding:
        return source_update(
            source=instance,
            meetings=relations.get("meetings"),
            expected_version=expected_version,
        )
    return record_save(instance, relations=relations, expected_version=expected_version)


def delete_record(instance: models.Model, *, expected_version: int | None = None, user=None):
    """Delete `instance` through its model's service (`DeleteBlocked` if referred to)."""
    if isinstance(instance, Meeting):
        return meeting_delete(instance, user=user, expected_version=expected_version)
    if isinstance(instance, CommitmentStatusChange):
        return status_change_delete(instance, expected_version=expected_version)
    return record_delete(instance, expected_version=expected_version)
