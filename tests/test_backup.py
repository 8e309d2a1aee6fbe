"""`manage.py backup` and `manage.py restore`: the whole curated database, history included,
rebuilt exactly in an empty database of either kind.

Each round trip writes a backup of the test database, restores it into a freshly migrated
database by running the commands as an operator would (another process), backs that one
up in turn and compares the two files record by record. A PostgreSQL target needs a server:
the one `DATABASE_URL` names, or 127.0.0.1:5432 (skipped, with the reason, when none
answers).
"""

import datetime
import gzip
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import factories as f
import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from events.history import record_now, write_scope
from events.models import (
    Commitment,
    CommitmentStatusChange,
    Meeting,
    Participant,
    SourceDocument,
    Statement,
    Topic,
)
from events.services import commitment_set_status, meeting_save, record_save

pytestmark = pytest.mark.django_db

MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def postgres_server_url() -> str | None:
    """A PostgreSQL server to create target databases on, if one answers."""
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        return (
            f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        )
    try:
        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except psycopg.OperationalError:
        return None
    return "postgres://postgres@127.0.0.1:5432"


def manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run([*MANAGE, *args], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An empty, migrated SQLite database, copied for each restore (migrating takes a while)."""
    path = tmp_path_factory.mktemp("restore") / "template.sqlite3"
    manage(f"sqlite:///{path}", "migrate", "--verbosity", "0")
    return path


@pytest.fixture(scope="session")
def postgres_template():
    server = postgres_server_url()
    if server is None:
        pytest.skip("No PostgreSQL server answers at 127.0.0.1:5432 to restore into.")
    name = f"tracker_restore_template_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    manage(f"{server}/{name}", "migrate", "--verbosity", "0")
    yield server, name
    drop_database(server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """The URL of an empty, migrated database of each kind."""
    return make_empty_database(request, tmp_path, request.param)


@pytest.fixture
def empty_database_of_the_other_kind(request, tmp_path):
    """SQLite when the tests run on PostgreSQL and the other way round."""
    kind = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    return make_empty_database(request, tmp_path, kind)


def make_empty_database(request, tmp_path, kind):
    if kind == "sqlite":
        path = tmp_path / "restored.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_sqlite"), path)
        return f"sqlite:///{path}"
    server, template = request.getfixturevalue("postgres_template")
    name = f"tracker_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    request.addfinalizer(lambda: drop_database(server, name))
    return f"{server}/{name}"


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def records(path: Path) -> list[dict]:
    def key(record):
        return record["model"], json.dumps(record.get("pk"))

    return sorted(json.loads(gzip.decompress(path.read_bytes())), key=key)


def differences(original: list[dict], restored: list[dict]) -> dict:
    """Records missing, added or changed, by (model, pk): empty when the trip was exact."""
    before = {(r["model"], json.dumps(r.get("pk"))): r for r in original}
    after = {(r["model"], json.dumps(r.get("pk"))): r for r in restored}
    return {
        key: (before.get(key), after.get(key))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }


def round_trip(tmp_path: Path, target: str) -> tuple[list[dict], list[dict]]:
    original, again = tmp_path / "original.json.gz", tmp_path / "again.json.gz"
    call_command("backup", str(original), verbosity=0)
    manage(target, "restore", str(original))
    manage(target, "backup", str(again))
    return records(original), records(again)


def test_the_seeded_tracker_and_its_history_come_back_exactly(
    seed, empty_database, tmp_path, django_user_model, staff_user
):
    meeting = Meeting.objects.get(slug="2025-04-25-wang-yi-sirojiddin-muhriddin")
    meeting.notes = "Checked against the Tajik readout."
    meeting_save(meeting)
    commitment_set_status(
        commitment=Commitment.objects.first(), status="in_progress", date=datetime.date(2025, 9, 1)
    )
    statement = Statement.objects.first()
    record_save(statement, relations={"topics": [Topic.objects.get(slug="health")]})
    django_user_model.objects.create_user("curator", email="c@example.org")

    original, restored = round_trip(tmp_path, empty_database)
    assert differences(original, restored) == {}
    assert restored == original
    kinds = {record["model"] for record in original}
    assert {"events.historicalmeeting", "events.historicalstatement_topics", "auth.user"} <= kinds
    assert any(
        r["model"] == "events.historicalmeeting" and r["fields"]["notes"].startswith("Checked")
        for r in original
    )


def generate_archive(meetings: int) -> None:
    """An archive of `meetings` meetings: participants, a source each with two statements and their
    topics, a commitment with a status change every tenth meeting, and their history."""
    topics = list(Topic.objects.all()[:3]) or [f.TopicFactory()]
    chn, tjk = f.country("CHN"), f.country("TJK")
    with write_scope(reason="Generated for the backup test"):
        rows = Meeting.objects.bulk_create(
            Meeting(
                slug=f"archive-{n}",
                title=f"Archive meeting {n}",
                date=datetime.date(2000, 1, 1) + datetime.timedelta(days=n),
                contact_type="meeting",
                status="published" if n % 20 else "draft",
            )
            for n in range(meetings)
        )
        participants = Participant.objects.bulk_create(
            Participant(meeting=meeting, name_as_written=name, side=side, order=order)
            for meeting in rows
            for order, (name, side) in enumerate([("Wang Yi", chn), ("Official", tjk)])
        )
        texts = [
            f"Readout {m.slug}. The two sides agreed to cooperate. China is ready to help."
            for m in rows
        ]
        sources = SourceDocument.objects.bulk_create(
            SourceDocument(text=text, content_hash=SourceDocument.hash_text(text)) for text in texts
        )
        SourceDocument.meetings.through.objects.bulk_create(
            SourceDocument.meetings.through(sourcedocument=s, meeting=m)
            for s, m in zip(sources, rows, strict=True)
        )
        statements = []
        for source, meeting in zip(sources, rows, strict=True):
            first = source.text.index("The two")
            second = source.text.index("China")
            for start, end in ((first, second - 1), (second, len(source.text))):
                statements.append(
                    Statement(
                        meeting=meeting,
                        source=source,
                        attribution="joint",
                        kind="agreement",
                        text=source.text[start:end],
                        start=start,
                        end=end,
                    )
                )
        statements = Statement.objects.bulk_create(statements)
        Statement.topics.through.objects.bulk_create(
            Statement.topics.through(statement=s, topic=topics[n % len(topics)])
            for n, s in enumerate(statements)
        )
        commitments = Commitment.objects.bulk_create(
            Commitment(
                slug=f"archive-{m.slug}",
                meeting=m,
                kind="pledge",
                description="Help",
                statement=statements[2 * n + 1],
            )
            for n, m in enumerate(rows)
            if n % 10 == 0
        )
        Commitment.sides.through.objects.bulk_create(
            Commitment.sides.through(commitment=c, country=chn) for c in commitments
        )
        changes = CommitmentStatusChange.objects.bulk_create(
            CommitmentStatusChange(commitment=c, status="pledged", date=c.meeting.date)
            for c in commitments
        )
        for batch in (rows, participants, sources, statements, commitments, changes):
            record_now(batch)


def test_an_archive_of_three_hundred_meetings_comes_back_exactly(
    empty_database_of_the_other_kind, tmp_path
):
    """Into the other kind of database: CI runs the suite on both, so both ways are tried."""
    generate_archive(300)
    archive = Meeting.objects.filter(slug__startswith="archive-")
    assert archive.count() == 300
    assert Meeting.history.filter(slug__startswith="archive-").count() == 300

    original, restored = round_trip(tmp_path, empty_database_of_the_other_kind)
    assert differences(original, restored) == {}
    assert restored == original
    assert sum(r["model"] == "events.meeting" for r in restored) >= 300
    assert sum(r["model"] == "events.historicalstatement" for r in restored) >= 600


def test_restore_refuses_a_database_that_holds_records(migrated_sqlite, tmp_path):
    target = tmp_path / "in-use.sqlite3"
    shutil.copy(migrated_sqlite, target)
    url = f"sqlite:///{target}"
    manage(url, "seed", "--verbosity", "0")
    backup = tmp_path / "backup.json.gz"
    manage(url, "backup", str(backup))
    env = {**os.environ, "DATABASE_URL": url}
    refused = subprocess.run(
        [*MANAGE, "restore", str(backup)], env=env, capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0
    assert "already holds" in refused.stderr
    not_a_backup = tmp_path / "notes.json"
    not_a_backup.write_text('{"not": "a list"}')
    shutil.copy(migrated_sqlite, target)
    refused = subprocess.run(
        [*MANAGE, "restore", str(not_a_backup)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0
    assert "not a backup of the tracker" in refused.stderr
