"""Shared fixtures.

Clients for the API tests, one per kind of caller:

- `api_client`: anonymous (reads published records only);
- `staff_client`: Alice, staff with every permission on the tracker's models, by token in
  the Authorization header, as scripts call the API;
- `reader_client`: Bob, signed in (session) but neither staff nor allowed to write.

The seeded data (`fixtures/seed.json`), loaded once per test module that asks for it:

- `seed`: the seed, for one test;
- `no_meetings`: the seed's reference data only (people, offices, places, ...), its
  meetings deleted, so that a seed readout imports afresh.
"""

import os

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from knox.models import AuthToken
from readouts import delete_seeded_meetings
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_request_counts():
    """Throttling counts requests in the cache: each test starts with none counted."""
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_user(django_user_model):
    alice = django_user_model.objects.create_user("alice", is_staff=True)
    alice.user_permissions.set(Permission.objects.filter(content_type__app_label="events"))
    return alice


@pytest.fixture
def staff_client(staff_user):
    client = APIClient()
    _, token = AuthToken.objects.create(user=staff_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def reader_user(django_user_model):
    return django_user_model.objects.create_user("bob")


@pytest.fixture
def reader_client(reader_user):
    client = APIClient()
    client.force_login(reader_user)
    return client


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """`fixtures/seed.json`, loaded once for the test module and rolled back after it.

    Each test runs in its own savepoint inside this transaction (pytest-django's `db`),
    so what one test changes the next does not see. Once loaded, the seed stays for the
    rest of the module: ask for `seed` rather than this.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "seed", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seed(seeded, db):
    """Both readouts curated sentence by sentence, as the seed fixture has them."""


@pytest.fixture
def no_meetings(seed):
    """Only the seed's reference data: its meetings and what hangs on them deleted."""
    delete_seeded_meetings()


def pytest_configure(config):
    # WhiteNoise looks for STATIC_ROOT, which only `collectstatic` (deployments) creates.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_collection_modifyitems(config, items):
    """Browser tests (`@pytest.mark.browser`) need Debian's Chromium. Without it they are
    skipped, saying why, unless BROWSER_TESTS=required (`make browser-test`, `.ci/run`):
    then the run stops with an error rather than pass without them."""
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not browser_tests or os.access(chromium, os.X_OK):
        return
    reason = f"Chromium is not installed at {chromium} (run .ci/install-chromium.sh)"
    if os.environ.get("BROWSER_TESTS") == "required":
        raise pytest.UsageError(f"BROWSER_TESTS=required but {reason}.")
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=reason))
