"""A statement's text must be its source's text at its span: the database keeps it so.

A check constraint cannot look into another table, so a trigger does, on both databases
the tracker supports. The source side is guarded too: a source's text cannot change once
statements point into it.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE FUNCTION events_statement_text_in_source() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM events_sourcedocument s
        WHERE s.id = NEW.source_id
          AND substr(s.text, NEW.start + 1, NEW."end" - NEW.start) = NEW.text
    ) THEN
        RAISE EXCEPTION 'statement text is not its source''s text at [%%, %%)', NEW.start, NEW."end"
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_statement_text_in_source
    BEFORE INSERT OR UPDATE ON events_statement
    FOR EACH ROW EXECUTE FUNCTION events_statement_text_in_source();

CREATE FUNCTION events_sourcedocument_text_frozen() RETURNS trigger AS $$
BEGIN
    IF NEW.text IS DISTINCT FROM OLD.text
       AND EXISTS (SELECT 1 FROM events_statement st WHERE st.source_id = OLD.id) THEN
        RAISE EXCEPTION 'the text of a source with statements cannot change'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_sourcedocument_text_frozen
    BEFORE UPDATE ON events_sourcedocument
    FOR EACH ROW EXECUTE FUNCTION events_sourcedocument_text_frozen();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS events_statement_text_in_source ON events_statement;
DROP FUNCTION IF EXISTS events_statement_text_in_source();
DROP TRIGGER IF EXISTS events_sourcedocument_text_frozen ON events_sourcedocument;
DROP FUNCTION IF EXISTS events_sourcedocument_text_frozen();
"""

SQLITE_STATEMENT_CHECK = """
CREATE TRIGGER events_statement_text_in_source_{event}
BEFORE {event} ON events_statement
WHEN NOT EXISTS (
    SELECT 1 FROM events_sourcedocument s
    WHERE s.id = NEW.source_id
      AND substr(s.text, NEW.start + 1, NEW."end" - NEW.start) = NEW.text
)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: statement text is not its source''s text at its span');
END;
"""

SQLITE_FORWARD = [
    SQLITE_STATEMENT_CHECK.format(event="INSERT"),
    SQLITE_STATEMENT_CHECK.format(event="UPDATE"),
    """
CREATE TRIGGER events_sourcedocument_text_frozen
BEFORE UPDATE OF text ON events_sourcedocument
WHEN NEW.text IS NOT OLD.text
 AND EXISTS (SELECT 1 FROM events_statement st WHERE st.source_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: the text of a source with statements cannot change');
END;
""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS events_statement_text_in_source_INSERT;",
    "DROP TRIGGER IF EXISTS events_statement_text_in_source_UPDATE;",
    "DROP TRIGGER IF EXISTS events_sourcedocument_text_frozen;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)
    elif vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("events", "0002_load_countries")]

    operations = [migrations.RunPython(forward, backward)]
