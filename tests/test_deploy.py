"""Deploy-ready settings: no start without a secret key in production, HTTPS settings from
the environment, a clean `check --deploy`, a CSP on the HTML pages, and a clear start-up
error (not a 500 on the login page) when `collectstatic` was not run.

Settings are read once per process, so each variant runs in a fresh `python` with the
environment a deployment would give it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parent.parent

# What the README documents for production (behind a TLS-terminating proxy).
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!Kq2" * 10,
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
    "DJANGO_PROXY_COUNT": "1",
}


def run_python(code: str, env: dict, *args) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "API_", "DATABASE_"))
    }
    return subprocess.run(
        [sys.executable, *args, *(["-c", code] if code else [])],
        env={**base, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(env: dict, *args) -> subprocess.CompletedProcess:
    return run_python("", env, "manage.py", *args)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import django; django.setup()", {"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_development_starts_without_one():
    result = run_python("import django; django.setup(); print('started')", {"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_turns_https_on_by_default():
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_python(code, PRODUCTION)
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ], result.stderr
    plain = run_python(code, {**PRODUCTION, "DJANGO_HTTPS": "0", "DJANGO_PROXY_COUNT": "0"})
    assert plain.stdout.split() == ["False", "False", "False", "0", "None"], plain.stderr


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    result = manage({**PRODUCTION, "DJANGO_STATIC_ROOT": str(root)}, "collectstatic", "--noinput")
    assert result.returncode == 0, result.stderr
    return root


def test_check_deploy_is_clean_under_the_documented_production_settings(collected_static):
    env = {**PRODUCTION, "DJANGO_STATIC_ROOT": str(collected_static)}
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_a_missing_static_manifest(tmp_path):
    env = {**PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)}
    result = manage(env, "check", "--deploy")
    assert result.returncode != 0
    assert "tracker.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_the_server_refuses_to_start_without_the_static_manifest(tmp_path):
    result = run_python("import tracker.wsgi", {**PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)})
    assert result.returncode != 0
    assert "ImproperlyConfigured: No static files manifest" in result.stderr


def test_the_server_starts_once_static_files_are_collected(collected_static):
    env = {**PRODUCTION, "DJANGO_STATIC_ROOT": str(collected_static)}
    result = run_python("import tracker.wsgi; print('ready')", env)
    assert result.returncode == 0, result.stderr
    assert "ready" in result.stdout


# Content-Security-Policy on the pages that render HTML -----------------------------------


@pytest.fixture
def plain_static_files(settings):
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs/"])
def test_html_pages_send_a_csp_that_allows_only_this_server(client, plain_static_files, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    html = response.content.decode()
    # Nothing the policy would block: no inline script or handler, no asset from elsewhere.
    assert "<script>" not in html
    assert " onclick=" not in html and " onload=" not in html
    assert not re.findall(r'(?:src|href|action)="(?:https?:)?//(?!testserver)', html)


def test_the_secret_key_in_tests_is_not_the_development_one():
    assert not django_settings.SECRET_KEY.startswith("django-insecure")
