"""API tokens (django-rest-knox): stored hashed, expiring, revocable, made by a command."""

import datetime
import io
import json

import factories as f
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from problems import problem
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

MEETINGS = reverse("meeting-list")
BODY = {"slug": "a", "title": "A", "date": "2025-04-25", "contact_type": "meeting"}


def create_token(username, *args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_token", username, *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_created_token_writes(staff_user):
    token = create_token(staff_user.username)
    assert client_with(token).post(MEETINGS, BODY, format="json").status_code == 201


def test_only_a_hash_of_the_token_is_stored(staff_user):
    token = create_token(staff_user.username)
    (stored,) = AuthToken.objects.all()
    assert token not in stored.digest
    assert stored.token_key == token[: len(stored.token_key)] and len(stored.token_key) < 16
    dump = io.StringIO()
    call_command("dumpdata", "knox", stdout=dump)
    assert token not in dump.getvalue()
    assert json.loads(dump.getvalue())[0]["pk"] == stored.digest


def test_a_token_expires_after_90_days_by_default(staff_user):
    create_token(staff_user.username)
    (stored,) = AuthToken.objects.all()
    lifetime = stored.expiry - timezone.now()
    assert datetime.timedelta(days=89) < lifetime <= datetime.timedelta(days=90)


def test_an_expired_token_is_refused_and_deleted(staff_user):
    token = create_token(staff_user.username, "--days", "1")
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = client_with(token).get(MEETINGS)
    assert problem(response, 401)["detail"] == "Invalid token."
    assert not AuthToken.objects.exists()


def test_a_token_may_be_made_not_to_expire(staff_user):
    create_token(staff_user.username, "--days", "0")
    assert AuthToken.objects.get().expiry is None


def test_revoking_a_users_tokens_ends_them(staff_user, django_user_model):
    token = create_token(staff_user.username)
    other = create_token(django_user_model.objects.create_user("bob").username)
    out = io.StringIO()
    call_command("revoke_tokens", staff_user.username, stdout=out)
    assert "1 token(s) revoked." in out.getvalue()
    assert problem(client_with(token).get(MEETINGS), 401)["code"] == "authentication_failed"
    assert client_with(other).get(MEETINGS).status_code == 200


def test_expired_tokens_can_be_swept(staff_user):
    create_token(staff_user.username, "--days", "1")
    kept = create_token(staff_user.username)
    AuthToken.objects.filter(expiry__lt=timezone.now() + datetime.timedelta(days=2)).update(
        expiry=timezone.now() - datetime.timedelta(days=1)
    )
    call_command("revoke_tokens", "--expired", stdout=io.StringIO())
    assert AuthToken.objects.count() == 1
    assert client_with(kept).get(MEETINGS).status_code == 200


def test_the_commands_refuse_an_unknown_user():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        create_token("nobody")
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("revoke_tokens", "nobody")


def test_a_token_costs_one_query(staff_user, django_assert_num_queries):
    """Token, user and expiry in one query, as before tokens were hashed."""
    client = client_with(create_token(staff_user.username))
    f.PlaceFactory()
    # The token with its user; whether they may read drafts (their permissions and their
    # groups'); the page and its count (its ETag comes from the rows shown).
    with django_assert_num_queries(1 + 2 + 2):
        assert client.get(reverse("place-list")).status_code == 200


def test_tokens_are_not_shown_in_plain_in_the_admin(admin_client, settings):
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    user = admin_client.get("/admin/").wsgi_request.user
    token = create_token(user.username)
    response = admin_client.get("/admin/knox/authtoken/")
    assert response.status_code == 200
    assert token not in response.content.decode()
