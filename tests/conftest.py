"""Clients for the API tests, one per kind of caller.

- `api_client`: anonymous (reads published records only);
- `staff_client`: Alice, staff with every permission on the tracker's models, by token in
  the Authorization header, as scripts call the API;
- `reader_client`: Bob, signed in (session) but neither staff nor allowed to write.
"""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


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
    token = Token.objects.create(user=staff_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def reader_user(django_user_model):
    return django_user_model.objects.create_user("bob")


@pytest.fixture
def reader_client(reader_user):
    client = APIClient()
    client.force_login(reader_user)
    return client


def pytest_configure(config):
    # WhiteNoise looks for STATIC_ROOT, which only `collectstatic` (deployments) creates.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
