"""Indexes in the order the large lists' cursor pages follow (events/api/pagination.py)."""

from django.db import migrations, models

# Undated sources come last in the source list. SQLite cannot index `NULLS LAST`, and sorts
# a few thousand sources as fast without: the index is PostgreSQL's only.
SOURCE_INDEX = (
    "CREATE INDEX IF NOT EXISTS events_source_published_id ON events_sourcedocument "
    "(published_on DESC NULLS LAST, id)"
)


def create_source_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SOURCE_INDEX)


def drop_source_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS events_source_published_id")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_commitment_proposals"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["-date", "id"], name="events_meeting_date_id"),
        ),
        migrations.RunPython(create_source_index, drop_source_index),
    ]
