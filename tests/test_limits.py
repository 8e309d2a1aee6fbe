"""Every request is bounded: request rates (429 with Retry-After), admin login lockout, and
the time a readout may take to read (422, nothing stored, no transaction held)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from problems import problem
from readouts import ALMATY, read

from events.models import Meeting, SourceDocument

pytestmark = pytest.mark.django_db

MEETINGS = reverse("meeting-list")
PARSE = reverse("sourcedocument-parse")
SOURCES = reverse("sourcedocument-list")


@pytest.fixture
def rates(settings):
    """Set throttle rates for one test (the suite's own are out of reach)."""

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **rates,
            },
        }

    return set_rates


def test_anonymous_readers_are_throttled_with_retry_after(api_client, rates):
    rates(anon="3/minute")
    answers = [api_client.get(MEETINGS).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    response = api_client.get(MEETINGS)
    body = problem(response, 429)
    assert body["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_anonymous_readers_are_counted_by_address(api_client, rates):
    rates(anon="1/minute")
    assert api_client.get(MEETINGS, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert api_client.get(MEETINGS, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert api_client.get(MEETINGS, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_signed_in_users_have_their_own_limit(staff_client, api_client, rates):
    rates(anon="1/minute", user="3/minute")
    assert [staff_client.get(MEETINGS).status_code for _ in range(4)] == [200, 200, 200, 429]
    # An anonymous reader from the same address is counted apart.
    assert api_client.get(MEETINGS).status_code == 200


def test_reading_a_readout_has_a_stricter_limit(staff_client, rates):
    rates(user="100/minute", readouts="2/minute")
    text = read(ALMATY)
    assert [staff_client.post(PARSE, {"text": text}).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    # An import reads a readout too: refused before anything is stored.
    response = staff_client.post(SOURCES, {"text": text})
    assert problem(response, 429)["code"] == "throttled"
    assert not SourceDocument.objects.exists()
    # Other requests are counted by the reader's limit only.
    assert staff_client.get(MEETINGS).status_code == 200


def test_a_limit_can_be_lifted(api_client, rates):
    rates(anon=None)
    assert {api_client.get(MEETINGS).status_code for _ in range(5)} == {200}


def test_rates_come_from_the_environment(monkeypatch):
    import importlib

    from tracker import test_settings

    monkeypatch.setenv("API_THROTTLE_ANON", "7/second")
    monkeypatch.setenv("API_THROTTLE_READOUTS", "off")
    reloaded = importlib.reload(importlib.import_module("tracker.settings"))
    try:
        rates = reloaded.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        assert rates["anon"] == "7/second"
        assert rates["readouts"] is None
    finally:
        monkeypatch.undo()
        importlib.reload(reloaded)
        importlib.reload(test_settings)


def test_a_malformed_rate_is_refused_at_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from tracker.settings import env_rate

    monkeypatch.setenv("API_THROTTLE_ANON", "lots")
    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_ANON"):
        env_rate("API_THROTTLE_ANON", "120/minute")


# Admin login lockout -------------------------------------------------------------------


@pytest.fixture
def plain_static_files(settings):
    # Deployments run collectstatic for the hashed-name manifest; tests serve names as they are.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


def test_the_admin_login_locks_out_after_repeated_failures(
    client, django_user_model, settings, plain_static_files
):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_superuser("root", password="a-right-password-2025")
    login = reverse("admin:login")
    wrong = {"username": "root", "password": "wrong", "next": "/admin/"}
    answers = [client.post(login, wrong).status_code for _ in range(3)]
    assert answers[:2] == [200, 200]  # the form again, with its error
    assert answers[2] == 429
    # Locked out: even the right password is refused now.
    right = {"username": "root", "password": "a-right-password-2025", "next": "/admin/"}
    assert client.post(login, right).status_code == 429


def test_a_right_password_resets_the_failure_count(
    client, django_user_model, settings, plain_static_files
):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_superuser("root", password="a-right-password-2025")
    login = reverse("admin:login")
    wrong = {"username": "root", "password": "wrong", "next": "/admin/"}
    right = {"username": "root", "password": "a-right-password-2025", "next": "/admin/"}
    for _ in range(2):
        client.post(login, wrong)
    assert client.post(login, right).status_code == 302
    client.logout()
    for _ in range(2):
        assert client.post(login, wrong).status_code == 200


# The time budget of a parse ------------------------------------------------------------


@pytest.fixture
def long_readout():
    """A real readout's body repeated to 190,000 characters: about 0.7 s to read here."""
    opening, body = read(ALMATY).split("\n", 1)
    return opening + "\n" + (body + "\n") * (190_000 // len(body))


def test_a_parse_over_its_time_budget_is_a_422_and_frees_the_server(
    staff_client, settings, long_readout
):
    settings.READOUT_PARSE_SECONDS = 0.05
    response = staff_client.post(PARSE, {"text": long_readout}, format="json")
    body = problem(response, 422)
    assert body["code"] == "parse_time_exceeded"
    assert "0.05 seconds" in body["detail"]
    # The worker was replaced: the next readout is read as usual.
    settings.READOUT_PARSE_SECONDS = 30
    response = staff_client.post(PARSE, {"text": read(ALMATY)}, format="json")
    assert response.status_code == 200
    assert response.json()["date"] == "2025-04-25"


def test_an_import_over_its_time_budget_stores_nothing(staff_client, settings, long_readout):
    settings.READOUT_PARSE_SECONDS = 0.05
    response = staff_client.post(SOURCES, {"text": long_readout}, format="json")
    assert problem(response, 422)["code"] == "parse_time_exceeded"
    assert not SourceDocument.objects.exists()
    assert not Meeting.objects.exists()


def test_an_import_reads_the_readout_before_its_transaction_opens(staff_client, monkeypatch):
    """The parse (in the worker) is over before the first write: no transaction is held
    open while a readout is read."""
    from events.ingest import budget

    seen = {}
    real = budget.draft_readout_within_budget

    def spy(*args, **kwargs):
        seen["in_transaction"] = connection.in_atomic_block and not _only_the_test_transaction()
        return real(*args, **kwargs)

    monkeypatch.setattr("events.api.serializers.readouts.draft_readout_within_budget", spy)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.post(
            SOURCES, {"text": read(ALMATY), "country": "CHN"}, format="json"
        )
    assert response.status_code == 201, response.content
    assert seen == {"in_transaction": False}
    assert any("INSERT" in query["sql"] for query in queries.captured_queries)


def _only_the_test_transaction() -> bool:
    """pytest-django wraps each test in one atomic block; the view's would be a second."""
    return len(connection.savepoint_ids) <= 1


def test_a_parse_within_its_budget_answers_as_before(staff_client, long_readout):
    response = staff_client.post(PARSE, {"text": long_readout}, format="json")
    assert response.status_code == 200
    assert len(response.json()["statements"]) > 1_000


def test_gunicorn_starts_the_parse_worker_with_each_server_process():
    """A server process's first parse does not wait for the worker's interpreter to start:
    gunicorn's `post_worker_init` starts it, and the worker is then ready."""
    from events.ingest import budget
    from tracker import gunicorn

    budget._stop_pool()
    budget._pool = None
    gunicorn.post_worker_init(worker=None)
    started = budget._pool
    assert started is not None and started.active
    assert started.schedule(budget.worker.ready).result(timeout=60) is True
    assert budget._get_pool() is started  # kept warm: the first parse reuses it
