"""Rows that point at each other must belong to the same meeting: the database keeps it so.

A statement's speaker is a participant of the statement's meeting; a commitment's statement
is a statement of the commitment's meeting; and neither a participant nor a statement can
move to another meeting while something that relies on it points at it. Check constraints
cannot look at other rows, so these are triggers, written once and emitted for PostgreSQL
and SQLite.
"""

from django.db import migrations

# (trigger name, table, events, SQL true when the row breaks the rule, message without quotes)
RULES = [
    (
        "events_statement_speaker_in_meeting",
        "events_statement",
        ("INSERT", "UPDATE"),
        "NEW.speaker_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events_participant p "
        "WHERE p.id = NEW.speaker_id AND p.meeting_id = NEW.meeting_id)",
        "the speaker of a statement must be a participant of its meeting",
    ),
    (
        "events_commitment_statement_in_meeting",
        "events_commitment",
        ("INSERT", "UPDATE"),
        "NEW.statement_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events_statement s "
        "WHERE s.id = NEW.statement_id AND s.meeting_id = NEW.meeting_id)",
        "the statement of a commitment must belong to its meeting",
    ),
    (
        "events_participant_meeting_kept",
        "events_participant",
        ("UPDATE",),
        "NEW.meeting_id <> OLD.meeting_id AND EXISTS (SELECT 1 FROM events_statement s "
        "WHERE s.speaker_id = OLD.id)",
        "a participant who made statements cannot move to another meeting",
    ),
    (
        "events_statement_meeting_kept",
        "events_statement",
        ("UPDATE",),
        "NEW.meeting_id <> OLD.meeting_id AND EXISTS (SELECT 1 FROM events_commitment c "
        "WHERE c.statement_id = OLD.id)",
        "a statement that commitments cite cannot move to another meeting",
    ),
]


def postgresql_forward(name, table, events, violation, message):
    return [
        f"""
        CREATE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            IF {violation} THEN
                RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql;
        """,
        f"CREATE TRIGGER {name} BEFORE {' OR '.join(events)} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}();",
    ]


def postgresql_backward(name, table, events, violation, message):
    return [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]


def sqlite_forward(name, table, events, violation, message):
    return [
        f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} WHEN {violation} "
        f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {message}'); END;"
        for event in events
    ]


def sqlite_backward(name, table, events, violation, message):
    return [f"DROP TRIGGER IF EXISTS {name}_{event.lower()};" for event in events]


def run(builders):
    def operation(apps, schema_editor):
        build = builders.get(schema_editor.connection.vendor)
        if build is None:
            return
        for rule in RULES:
            for sql in build(*rule):
                schema_editor.execute(sql, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("events", "0004_tenure_undated_unique")]

    operations = [
        migrations.RunPython(
            run({"postgresql": postgresql_forward, "sqlite": sqlite_forward}),
            run({"postgresql": postgresql_backward, "sqlite": sqlite_backward}),
        )
    ]
