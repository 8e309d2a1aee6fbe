"""The OpenAPI schema is complete and warning-free; the docs page works offline."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_a_single_warning():
    stdout, stderr = io.StringIO(), io.StringIO()
    # The same flags as CI's check: any warning fails the command.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        "/dev/null",
        stdout=stdout,
        stderr=stderr,
    )
    assert "Warning" not in stderr.getvalue()
    assert "Error" not in stderr.getvalue()


def test_the_schema_documents_every_resource_and_the_meeting_filters(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert "/api/v1/countries/{alpha3}/" in paths
    assert "/api/v1/commitment-status-changes/{id}/" in paths
    parameters = {p["name"] for p in paths["/api/v1/meetings/"]["get"]["parameters"]}
    assert {
        "date_after",
        "date_before",
        "country",
        "counterpart",
        "person",
        "kind",
        "topic",
        "status",
        "slug",
        "ordering",
        "cursor",
        "page_size",
    } <= parameters
    assert "page" not in parameters  # a cursor-paginated list
    # A meeting is written with participants and read as a nested page.
    create = paths["/api/v1/meetings/"]["post"]
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MeetingDetail"
    }
    # The status history is append-only.
    assert list(paths["/api/v1/commitment-status-changes/{id}/"]) == ["get"]
    # Participants are given when a meeting is created, not when it is updated.
    components = schema["components"]["schemas"]
    assert "participants" in components["MeetingWriteRequest"]["properties"]
    assert "participants" not in components["PatchedMeetingUpdateRequest"]["properties"]


@pytest.fixture
def plain_static_files(settings):
    # Deployments run collectstatic for the hashed-name manifest; tests serve names as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_the_docs_page_needs_no_internet(api_client, plain_static_files):
    response = api_client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads Swagger UI's scripts and styles"
    for url in assets:
        assert not re.match(r"^(https?:)?//", url), f"{url} is fetched from the internet"
        if url.startswith("/api/docs/?script"):
            # Swagger UI's settings, as a script of its own (no inline script for the CSP).
            script = api_client.get(url)
            assert script.status_code == 200
            assert script["Content-Type"].startswith("application/javascript")
            continue
        assert url.startswith("/static/")
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a local static file"
    assert "<script>" not in html
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)[^\s\"']+\.(js|css)", html)


def test_the_site_root_leads_to_the_api(api_client):
    response = api_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"


def test_every_operation_documents_the_errors_it_can_answer(api_client):
    """By method: what schemathesis's status-code conformance check holds the API to."""
    paths = api_client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            documented = {int(code) for code in operation["responses"]}
            expected = {401, 429, 503}
            if method in {"post", "put", "patch", "delete"}:
                expected |= {403, 409}
            if method in {"put", "patch", "delete"}:
                expected |= {412}
            if method in {"post", "put", "patch"}:
                expected |= {400, 413, 415}
            if "{" in path:
                expected |= {404}
            assert expected <= documented, (method, path, expected - documented)
            for code in documented & {400, 401, 403, 404, 409, 412, 413, 415, 429, 503}:
                content = operation["responses"][str(code)]["content"]
                assert content == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (method, path, code)
    parse = paths["/api/v1/sources/parse/"]["post"]["responses"]
    assert "422" in parse
    assert "Retry-After" in parse["429"]["headers"]


def test_numeric_ids_and_pages_document_their_range(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    (meeting_id,) = schema["paths"]["/api/v1/meetings/{id}/"]["get"]["parameters"]
    assert meeting_id["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/meetings/"]["get"]["parameters"]
    }
    assert parameters["cursor"] == {"type": "string"}
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 100)
    people = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]
    }
    assert people["page"]["minimum"] == 1
    assert parameters["person"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_nullable_relations_and_blank_choices_are_documented(api_client):
    components = api_client.get("/api/schema/", {"format": "json"}).json()["components"]
    meeting = components["schemas"]["MeetingList"]["properties"]
    assert meeting["occasion"].get("nullable") is True
    assert meeting["place"].get("nullable") is True
    assert {"$ref": "#/components/schemas/BlankEnum"} in meeting["plover_mode"]["oneOf"]
