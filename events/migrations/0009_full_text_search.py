"""Full-text search over meetings, statements, sources and commitments (see events/search.py).

PostgreSQL: a `search_vector` tsvector column on each table, set by a trigger from the
weighted fields and indexed with GIN. A trigger rather than a generated column, so that a
later migration may still alter or rename the fields it reads.

SQLite: an FTS5 table per model over the same fields (external content: the text is not
stored twice), kept in step by triggers, Porter stemming as PostgreSQL's English stems.

The definitions are written out here, frozen, as a migration must be; events/search.py
holds the ones the queries use, and recreates the SQLite triggers if a later migration
rebuilds a table (which drops its triggers).
"""

from django.db import migrations

CONFIG = "english"

# table -> [(column, PostgreSQL weight)]
INDEXES = {
    "events_meeting": [("title", "A"), ("notes", "C")],
    "events_statement": [("text", "A")],
    "events_sourcedocument": [("title", "A"), ("text", "B")],
    "events_commitment": [("description", "A")],
}


def vector(columns, row=""):
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce({row}{column}, '')), '{weight}')"
        for column, weight in columns
    )


def postgresql_forward(table, columns):
    names = ", ".join(column for column, _ in columns)
    return [
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector",
        f"""
        CREATE FUNCTION {table}_search_vector() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := {vector(columns, "NEW.")};
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """,
        f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF {names} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()",
        f"UPDATE {table} SET search_vector = {vector(columns)}",
        f"CREATE INDEX {table}_search ON {table} USING gin (search_vector)",
    ]


def postgresql_backward(table, columns):
    return [
        f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_search_vector()",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
    ]


def sqlite_forward(table, columns):
    fts = f"{table}_fts"
    names = ", ".join(column for column, _ in columns)
    new = ", ".join(f"new.{column}" for column, _ in columns)
    old = ", ".join(f"old.{column}" for column, _ in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def sqlite_backward(table, columns):
    fts = f"{table}_fts"
    return [
        f"DROP TRIGGER IF EXISTS {fts}_insert",
        f"DROP TRIGGER IF EXISTS {fts}_delete",
        f"DROP TRIGGER IF EXISTS {fts}_update",
        f"DROP TABLE IF EXISTS {fts}",
    ]


def run(builders):
    def operation(apps, schema_editor):
        build = builders.get(schema_editor.connection.vendor)
        if build is None:
            return
        for table, columns in INDEXES.items():
            for sql in build(table, columns):
                schema_editor.execute(sql, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("events", "0008_commitment_many_reaffirms_topics")]

    operations = [
        migrations.RunPython(
            run({"postgresql": postgresql_forward, "sqlite": sqlite_forward}),
            run({"postgresql": postgresql_backward, "sqlite": sqlite_backward}),
        )
    ]
