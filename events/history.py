"""Change history: who changed which record, when, through which channel, before and after.

django-simple-history keeps a historical table beside each domain model (and beside each
of its many-to-many links), written from model signals, so every write path is seen: the
services, the admin, the importer, management commands and a shell. This module adds what
a curation tool needs on top:

- **who and through which channel**: an entry point (API request, admin request, import,
  command) says so once with `acting()`; every record it writes carries the user, the
  channel and a changeset id shared by the records of that request or command;
- **one record per row per write**: inside `write_scope()` (every service opens one) the
  signals only note which rows changed; when the scope ends, each changed row gets one
  historical record holding its fields and its many-to-many links as they ended up, in a
  fixed number of queries per model however many rows were written;
- **deletes keep their links**: a row's last record is written just before it is deleted,
  while its many-to-many links still exist, so a restore brings them back.
"""

from __future__ import annotations

import contextvars
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

__all__ = [
    "Channel",
    "CurationHistory",
    "HistoryExtras",
    "acting",
    "current_context",
    "record_now",
    "write_scope",
]


class Channel(models.TextChoices):
    """The door a change came in by."""

    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    IMPORT = "import", _("Readout import")
    COMMAND = "command", _("Management command or shell")


@dataclass
class WriteContext:
    """Who is writing, through which channel, and the rows changed in the open scope."""

    channel: str = Channel.COMMAND
    user: Any = None
    request: Any = None  # the user is read from it when records are written (DRF sets it late)
    reason: str = ""
    changeset: uuid.UUID = field(default_factory=uuid.uuid4)
    # (model, pk) -> [instance, history type]; None outside a write scope.
    pending: dict | None = None
    # Rows loaded from a fixture (`loaddata`) are recorded too: the `seed` command's.
    record_loaded: bool = False

    def resolve_user(self):
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        return user if user is not None and getattr(user, "is_authenticated", False) else None


_context: contextvars.ContextVar[WriteContext | None] = contextvars.ContextVar(
    "events_write_context", default=None
)


def current_context() -> WriteContext:
    return _context.get() or WriteContext()


@contextmanager
def acting(*, channel: str, user=None, request=None, reason: str = "") -> Iterator[WriteContext]:
    """Attribute the writes made inside to `user` (or `request`'s user) and `channel`.

    Entry points open it: the middleware for API and admin requests, the import and
    management commands. Nested, the inner one wins (the importer called from the API
    records channel "import" with the API's user).
    """
    outer = _context.get()
    context = WriteContext(
        channel=channel,
        user=user if user is not None else (outer.user if outer else None),
        request=request if request is not None else (outer.request if outer else None),
        reason=reason or (outer.reason if outer else ""),
        changeset=outer.changeset if outer else uuid.uuid4(),
    )
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


@contextmanager
def write_scope(*, reason: str = "", record_loaded: bool = False) -> Iterator[WriteContext]:
    """One logical write: a transaction at whose end every row it changed gets one
    historical record. Nested scopes join the outermost. With `record_loaded`, rows that
    `loaddata` writes are recorded too (they are not otherwise: a backup brings its own
    history)."""
    context = _context.get()
    if context is None:
        with (
            acting(channel=Channel.COMMAND, reason=reason),
            write_scope(record_loaded=record_loaded) as inner,
        ):
            yield inner
        return
    if context.pending is not None:
        # Inside the outermost scope's transaction: all or nothing with it, so no savepoint.
        with transaction.atomic(savepoint=False):
            yield context
        return
    saved_reason = context.reason
    if reason:
        context.reason = reason
    context.pending = {}
    context.record_loaded = record_loaded
    try:
        with transaction.atomic():
            yield context
            _flush(context)
    finally:
        context.pending = None
        context.record_loaded = False
        context.reason = saved_reason


def record_now(instances, history_type: str = "+") -> None:
    """Note rows written without signals (`bulk_create`): they get their record when the
    open write scope ends, or at once outside one."""
    context = _context.get()
    if context is not None and context.pending is not None:
        for instance in instances:
            _mark(context, instance, history_type)
        return
    with write_scope():
        record_now(instances, history_type)


def _mark(context: WriteContext, instance, history_type: str) -> None:
    key = (type(instance), instance.pk)
    entry = context.pending.get(key)
    if entry is None:
        context.pending[key] = [instance, history_type]
    else:
        # The latest object holds the row's final values; a creation stays a creation.
        entry[0] = instance


def _flush(context: WriteContext) -> None:
    """Write the pending records: per model, one insert of records and, per many-to-many
    link, one read of the links and one insert of their snapshot."""
    by_model: dict[type[models.Model], list] = defaultdict(list)
    for (model, _pk), (instance, history_type) in context.pending.items():
        by_model[model].append((instance, history_type))
    context.pending.clear()
    now = timezone.now()
    user = context.resolve_user()
    for model, entries in by_model.items():
        history_model = model.history.model
        rows = [
            history_model(
                history_date=now,
                history_type=history_type,
                history_user=user,
                history_change_reason=context.reason[:100] or None,
                history_channel=context.channel,
                history_changeset=context.changeset,
                **{f.attname: getattr(instance, f.attname) for f in history_model.tracked_fields},
            )
            for instance, history_type in entries
        ]
        created = history_model.objects.bulk_create(rows)
        _snapshot_links(model, created)


def _snapshot_links(model: type[models.Model], records: list) -> None:
    """Copy each record's rows' many-to-many links into the historical link tables."""
    if not records:
        return
    tracker: CurationHistory = model._curation_history
    pk_name = model._meta.pk.attname
    by_pk = defaultdict(list)
    for record in records:
        by_pk[getattr(record, pk_name)].append(record)
    for m2m in tracker.get_m2m_fields_from_model(model):
        through = m2m.remote_field.through
        own = m2m.m2m_field_name()
        link_history = tracker.m2m_models[m2m]
        names = [f.attname for f in through._meta.concrete_fields]
        links = through.objects.filter(**{f"{own}__in": list(by_pk)}).values_list(*names)
        own_index = names.index(f"{own}_id")
        link_history.objects.bulk_create(
            link_history(history=record, **dict(zip(names, link, strict=True)))
            for link in links
            for record in by_pk[link[own_index]]
        )


class HistoryExtras(models.Model):
    """Fields every historical table adds to simple-history's own."""

    history_channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.COMMAND
    )
    history_changeset = models.UUIDField(
        null=True, db_index=True, help_text=_("Shared by the records of one request or command.")
    )

    class Meta:
        abstract = True


class CurationHistory(HistoricalRecords):
    """simple-history's `HistoricalRecords`, tracking every many-to-many link of its model,
    recording through the open write scope, and writing a deleted row's record first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("bases", [HistoryExtras])
        super().__init__(**kwargs)

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls._curation_history = self

    def get_m2m_fields_from_model(self, model):
        return list(model._meta.many_to_many)

    def get_history_user(self, instance):
        return current_context().resolve_user()

    def get_change_reason_for_object(self, instance, history_type, using):
        return current_context().reason[:100] or None

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("raw"):
            # Loaded from a fixture or a backup: its history, if any, comes with it. Its
            # links are set next: they are no change of their own.
            instance.skip_history_when_saving = True
            context = _context.get()
            if context is not None and context.pending is not None and context.record_loaded:
                _mark(context, instance, "+" if created else "~")
            return
        if hasattr(instance, "skip_history_when_saving"):
            return
        context = _context.get()
        if context is not None and context.pending is not None:
            _mark(context, instance, "+" if created else "~")
        else:
            self.create_historical_record(instance, "+" if created else "~", using=using)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if reverse:
            # `meeting.sources.add(source)`: the changed rows are the sources.
            if not pk_set:
                return  # a reverse clear names no rows; the services do not use one
            owners = list(kwargs["model"]._base_manager.filter(pk__in=pk_set))
        else:
            owners = [instance]
        context = _context.get()
        for owner in owners:
            if hasattr(owner, "skip_history_when_saving"):
                continue
            if context is not None and context.pending is not None:
                _mark(context, owner, "~")
            else:
                self.create_historical_record(owner, "~")

    def pre_delete(self, instance, **kwargs):
        super().pre_delete(instance, **kwargs)  # loads deferred fields
        context = _context.get()
        if context is not None and context.pending is not None:
            context.pending.pop((type(instance), instance.pk), None)
        # Now, while the row's many-to-many links still exist.
        self.create_historical_record(instance, "-", using=kwargs.get("using"))

    def post_delete(self, instance, using=None, **kwargs):
        """Recorded in `pre_delete`."""


def _stamp_context(sender, history_instance, **kwargs):
    """Records written one at a time (outside a scope, and deletes) carry the context too."""
    context = current_context()
    history_instance.history_channel = context.channel
    history_instance.history_changeset = context.changeset


pre_create_historical_record.connect(_stamp_context, dispatch_uid="events_history_context")


# Reading the history -------------------------------------------------------------------

TYPE_NAMES = {"+": "created", "~": "changed", "-": "deleted"}

# Bookkeeping that changes with every write: not shown as a change of its own.
UNSHOWN_FIELDS = {"updated_at", "version"}


def links_of(entries: list, model: type[models.Model]) -> dict[int, dict[str, list]]:
    """Each entry's many-to-many links as they were: {history_id: {field: [target keys]}},
    one query per many-to-many field for all the entries."""
    tracker: CurationHistory = model._curation_history
    found: dict[int, dict[str, list]] = {
        entry.history_id: {m2m.name: [] for m2m in model._meta.many_to_many} for entry in entries
    }
    for m2m in tracker.get_m2m_fields_from_model(model):
        target = f"{m2m.m2m_reverse_field_name()}_id"
        rows = (
            tracker.m2m_models[m2m]
            .objects.filter(history__in=[entry.history_id for entry in entries])
            .order_by(target)
            .values_list("history_id", target)
        )
        for history_id, key in rows:
            found[history_id][m2m.name].append(key)
    return found


def _shown(value):
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def entry_values(entry, links: dict[str, list]) -> dict[str, Any]:
    """A historical entry's fields (named as the model names them) and links."""
    values = {
        field.name: _shown(getattr(entry, field.attname))
        for field in entry.instance_type._meta.concrete_fields
        if field.name not in UNSHOWN_FIELDS
    }
    return values | links


def changes_between(older: dict | None, newer: dict) -> list[dict[str, Any]]:
    """[{field, old, new}] for every value that differs (all of them for a creation)."""
    older = older or {}
    return [
        {"field": name, "old": older.get(name), "new": value}
        for name, value in newer.items()
        if name not in older or older[name] != value
    ]
