"""`manage.py backup PATH`: the whole curated database in one file, history included.

The file is what `dumpdata --natural-foreign` writes (so `loaddata` reads it back), but the
records are read in batches with what they refer to joined or prefetched: `dumpdata` reads
each record's many-to-many links and naturally keyed references (a history row's user) with
a query of their own, which took minutes for a few thousand meetings.
"""

import bz2
import gzip
import lzma

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import router
from django.db.models import Prefetch

# Rebuilt by `migrate` in any database (and their ids differ between databases): referred to
# by natural keys instead. Sessions are not curated data.
EXCLUDED_APPS = {"contenttypes", "sessions"}
EXCLUDED_MODELS = {"auth.permission"}

OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".lzma": lzma.open}
BATCH = 2000


def naturally_keyed_references(model) -> list[str]:
    """The foreign keys the file names by natural key: joined, so none costs a query."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and hasattr(field.related_model, "natural_key")
    ]


def backed_up_models() -> list:
    app_list = {
        config: None
        for config in apps.get_app_configs()
        if config.label not in EXCLUDED_APPS and config.models_module is not None
    }
    return [
        model
        for model in serializers.sort_dependencies(app_list.items(), allow_cycles=True)
        if model._meta.label_lower not in EXCLUDED_MODELS
        and not model._meta.proxy
        and router.allow_migrate_model("default", model)
    ]


def records_of(model):
    links = [
        Prefetch(
            field.name,
            queryset=field.related_model._default_manager.select_related(
                *naturally_keyed_references(field.related_model)
            ),
        )
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    queryset = (
        model._default_manager.order_by(model._meta.pk.name)
        .select_related(*naturally_keyed_references(model))
        .prefetch_related(*links)
    )
    return queryset.iterator(chunk_size=BATCH)


def every_record():
    for model in backed_up_models():
        yield from records_of(model)


class Command(BaseCommand):
    help = (
        "Write every record of the tracker (the curated data and its history, the users, "
        "their groups, permissions and tokens, the admin's log) to PATH as JSON, with the "
        "ids they have, so `manage.py restore PATH` rebuilds the same database in an empty "
        "one, SQLite or PostgreSQL. PATH ending in .gz, .bz2, .xz or .lzma is compressed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, e.g. backup-2026-11-30.json.gz.")

    def handle(self, *args, path: str, verbosity: int, **options):
        suffix = path[path.rfind(".") :] if "." in path else ""
        opener = OPENERS.get(suffix, open)
        with opener(path, "wt", encoding="utf-8") as file:
            serializers.serialize(
                "json", every_record(), stream=file, use_natural_foreign_keys=True
            )
        if verbosity:
            self.stdout.write(f"Wrote the tracker's records to {path}.")
