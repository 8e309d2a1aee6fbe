"""A client generated from the schema works: openapi-python-client (pinned in pyproject.toml)
writes a Python package from /api/schema/, and that package creates, reads, updates and
lists a meeting against a live server, and reads a refusal as a `Problem`."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from knox.models import AuthToken

PACKAGE = "tracker_api_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema))
    config = folder / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run on the generated code
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("openapi-python-client")),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
            del sys.modules[name]


def module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_generated_client_creates_reads_updates_and_lists_a_meeting(
    generated, live_server, staff_user, request
):
    _, token = AuthToken.objects.create(user=staff_user)
    client = generated.AuthenticatedClient(
        base_url=live_server.url, token=token, prefix="Token", raise_on_unexpected_status=True
    )
    # Closed when the test ends: a kept-alive connection would hold a server thread, and
    # that thread its database session, until the test database is dropped.
    client.__enter__()
    request.addfinalizer(lambda: client.__exit__(None, None, None))
    models = module("models")
    create = module("api.v1.v1_meetings_create")
    retrieve = module("api.v1.v1_meetings_retrieve")
    update = module("api.v1.v1_meetings_partial_update")
    listing = module("api.v1.v1_meetings_list")

    body = models.MeetingWriteRequest.from_dict(
        {
            "slug": "2025-05-30-phone-call",
            "title": "Wang Yi speaks with Sirojiddin Muhriddin",
            "date": "2025-05-30",
            "contact_type": "phone_call",
            "participants": [
                {"name_as_written": "Wang Yi", "side": "CHN", "role": "participant"},
                {"name_as_written": "Sirojiddin Muhriddin", "side": "TJK", "role": "participant"},
            ],
        }
    )
    created = create.sync(client=client, body=body)
    assert isinstance(created, models.MeetingDetail), created
    assert [p.name_as_written for p in created.participants] == [
        "Wang Yi",
        "Sirojiddin Muhriddin",
    ]
    assert created.place is None and created.occasion is None

    read = retrieve.sync(client=client, id=created.id)
    assert isinstance(read, models.MeetingDetail)
    assert read.date.isoformat() == "2025-05-30"

    patch = models.PatchedMeetingUpdateRequest(title="Wang Yi and Sirojiddin Muhriddin talk")
    updated = update.sync(client=client, id=created.id, body=patch)
    assert isinstance(updated, models.MeetingDetail)
    assert updated.title == "Wang Yi and Sirojiddin Muhriddin talk"

    page = listing.sync(client=client, page_size=10, counterpart="TJK")
    assert [meeting.slug for meeting in page.results] == ["2025-05-30-phone-call"]
    assert page.to_dict()["next"] is None  # the only page

    # A refusal is typed too: the problem, with the field at fault.
    refused = create.sync(client=client, body=body)
    assert isinstance(refused, models.Problem)
    assert refused.status == 400
    assert [error.field for error in refused.errors] == ["slug"]
