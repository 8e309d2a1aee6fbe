"""/healthz and /readyz, and what the API answers while its database is down: a 503 with
Retry-After, said once in the log per outage, and recovery without a restart.

The outage here is simulated (every query fails as a refused connection does);
`.ci/outage.py` stops a real PostgreSQL server under a running gunicorn."""

import logging

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from problems import problem

from events import health

pytestmark = pytest.mark.django_db

MEETINGS = reverse("meeting-list")


class Outage:
    """Every query fails as it does when the server is down, from `start()` to `end()`."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def start(self):
        def refuse(*args, **kwargs):
            raise OperationalError(
                'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
            )

        self.monkeypatch.setattr(connection, "cursor", refuse)
        return self

    def end(self):
        self.monkeypatch.undo()


@pytest.fixture
def database_down(monkeypatch):
    yield Outage(monkeypatch).start()
    health.outage.since, health.outage.refused = None, 0


@pytest.fixture
def outage(monkeypatch):
    yield Outage(monkeypatch)
    health.outage.since, health.outage.refused = None, 0


def test_healthz_answers_without_the_database(api_client, database_down):
    response = api_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_the_database_and_the_migrations(api_client):
    response = api_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_is_503_while_the_database_is_down(api_client, database_down):
    response = api_client.get("/readyz")
    body = problem(response, 503)
    assert body["checks"] == {"database": "unavailable", "migrations": "unknown"}
    assert int(response["Retry-After"]) > 0


def test_readyz_is_503_while_a_migration_is_pending(api_client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = api_client.get("/readyz")
    body = problem(response, 503)
    assert body["code"] == "migrations_pending"
    assert body["checks"]["migrations"] == "1 not applied"


@pytest.mark.parametrize(
    ("method", "path", "client_name"),
    [
        ("get", "/api/v1/meetings/", "api_client"),
        ("get", "/api/v1/meetings/1/", "api_client"),
        ("post", "/api/v1/meetings/", "staff_client"),
        ("get", "/api/v1/countries/", "staff_client"),
    ],
)
def test_every_api_request_is_a_503_with_retry_after(request, outage, method, path, client_name):
    client = request.getfixturevalue(client_name)
    outage.start()
    response = getattr(client, method)(path, {}, format="json")
    body = problem(response, 503)
    assert body["code"] == "database_unavailable"
    assert response["Retry-After"] == "5"


def test_the_admin_is_a_plain_503_too(client, django_user_model, outage):
    client.force_login(django_user_model.objects.create_superuser("root"))
    outage.start()
    response = client.get("/admin/events/meeting/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_the_log_says_it_once_per_outage_and_again_when_it_ends(api_client, database_down, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(5):
        assert api_client.get(MEETINGS).status_code == 503
    said = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.getMessage() for record in said] == [
        'The database is unavailable (connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused): answering 503 until it is back."
    ]
    assert all(record.exc_info is None for record in said)

    caplog.clear()
    database_down.end()
    assert api_client.get(MEETINGS).status_code == 200
    assert api_client.get(MEETINGS).status_code == 200
    (back,) = [record.getMessage() for record in caplog.records if record.levelno >= 30]
    assert back.startswith("The database answers again after ")
    assert back.endswith("; 5 requests were answered 503 meanwhile.")


def test_a_request_that_needs_no_database_does_not_end_the_outage(api_client, database_down):
    assert api_client.get(MEETINGS).status_code == 503
    assert api_client.get("/healthz").status_code == 200
    assert health.outage.since is not None
