"""One error format for everything under /api/: RFC 9457 problem details, whether REST
framework, Django or the middleware answers, and whatever went wrong."""

import factories as f
import pytest
from django.urls import reverse
from problems import PROBLEM_TYPE, field_errors, problem

pytestmark = pytest.mark.django_db

MEETINGS = reverse("meeting-list")
STATEMENTS = reverse("statement-list")


def test_a_validation_error_keeps_each_field_path_and_reason(staff_client):
    body = {
        "slug": "not a slug",
        "title": "A meeting",
        "date": "2025-02-30",
        "contact_type": "meeting",
        "participants": [
            {"name_as_written": "Wang Yi", "side": "CHN"},
            {"name_as_written": "Someone", "side": "XXX"},
        ],
    }
    response = staff_client.post(MEETINGS, body, format="json")
    body = problem(response, 400)
    assert body["type"] == "about:blank"
    assert body["title"] == "Bad Request"
    assert body["code"] == "invalid"
    assert body["instance"] == MEETINGS
    errors = field_errors(response)
    assert set(errors) == {"slug", "date", "participants.1.side"}
    assert "Unknown country code 'XXX'" in errors["participants.1.side"][0]
    assert {error["code"] for error in body["errors"]} >= {"invalid", "does_not_exist"}
    assert body["detail"].startswith("Invalid input: 3 errors")


def test_a_single_error_is_summed_up_in_detail(staff_client):
    response = staff_client.post(MEETINGS, {"title": "x"}, format="json")
    body = problem(response, 400)
    assert [error["field"] for error in body["errors"]] == ["slug", "date", "contact_type"]
    response = staff_client.post(
        MEETINGS,
        {"slug": "a", "title": "A", "date": "yesterday", "contact_type": "meeting"},
        format="json",
    )
    assert problem(response, 400)["detail"].startswith("date: Date has wrong format.")


def test_an_error_about_the_whole_body_has_no_field(staff_client):
    response = staff_client.post(MEETINGS, data="[1, 2]", content_type="application/json")
    (error,) = problem(response, 400)["errors"]
    assert error["field"] is None


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing/", 404, "not_found"),
        ("get", "/api/nothing", 404, "not_found"),
        ("get", "/api/v1/meetings/999999/", 404, "not_found"),
        ("delete", "/api/v1/meetings/", 405, "method_not_allowed"),
        ("put", "/api/v1/commitment-status-changes/1/", 405, "method_not_allowed"),
    ],
)
def test_routing_errors_are_problems(staff_client, method, path, status, code):
    response = getattr(staff_client, method)(path)
    assert problem(response, status)["code"] == code


def test_an_unsupported_media_type_is_a_problem(staff_client):
    response = staff_client.post(MEETINGS, data="<m/>", content_type="application/xml")
    assert problem(response, 415)["code"] == "unsupported_media_type"


def test_an_unacceptable_accept_header_is_a_problem(api_client):
    response = api_client.get(MEETINGS, HTTP_ACCEPT="text/html")
    assert problem(response, 406)["code"] == "not_acceptable"


def test_a_disallowed_host_is_a_problem_under_the_api(api_client):
    """Django refuses the Host before any view runs (handler400)."""
    response = api_client.get(MEETINGS, HTTP_HOST="evil.example")
    assert problem(response, 400)["code"] == "bad_request"


def test_a_body_over_the_limit_is_a_413_before_it_is_read(staff_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = staff_client.post(
        MEETINGS, data='{"title": "' + "x" * 2_000 + '"}', content_type="application/json"
    )
    body = problem(response, 413)
    assert body["code"] == "request_too_large"
    assert "1,000 bytes" in body["detail"]


def test_the_default_body_limit_takes_a_whole_readout_and_refuses_more(staff_client):
    """2 MiB: a 200,000-character readout fits even written as \\uXXXX escapes."""
    readout = '{"text": "' + "\\u4e2d" * 200_000 + '"}'
    response = staff_client.post(
        reverse("sourcedocument-parse"), data=readout, content_type="application/json"
    )
    assert response.status_code == 400  # read and refused as a readout, not for its size
    assert "text" in field_errors(response)
    too_big = '{"text": "' + "x" * (2 * 1024 * 1024) + '"}'
    response = staff_client.post(MEETINGS, data=too_big, content_type="application/json")
    assert problem(response, 413)["code"] == "request_too_large"


def test_a_form_with_too_many_fields_is_refused(staff_client):
    response = staff_client.post(
        MEETINGS,
        data="&".join(f"f{i}=1" for i in range(1_500)),
        content_type="application/x-www-form-urlencoded",
    )
    assert problem(response, 413)["code"] == "request_too_large"


def test_a_server_error_under_the_api_is_a_problem(staff_client, monkeypatch):
    from events.api import views

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.MeetingViewSet, "list", broken)
    staff_client.raise_request_exception = False
    response = staff_client.get(MEETINGS)
    assert problem(response, 500)["code"] == "server_error"


# Unknown query parameters --------------------------------------------------------------


def test_an_unknown_query_parameter_is_a_400_naming_it(api_client):
    response = api_client.get(STATEMENTS, {"search": "medicine"})
    errors = field_errors(response)
    assert list(errors) == ["search"]
    assert "Unknown query parameter" in errors["search"][0]
    assert "q" in errors["search"][0]  # the message lists what the list takes


def test_every_unknown_parameter_is_named(api_client):
    response = api_client.get(MEETINGS, {"countyr": "CHN", "date_afer": "2022-01-01"})
    assert set(field_errors(response)) == {"countyr", "date_afer"}


@pytest.mark.parametrize(
    "query",
    [
        {"q": "medicine"},
        {"ordering": "-id"},
        {"page_size": "10"},  # a cursor-paginated list: `cursor`, not `page`
        {"format": "json"},
        {"kind": "stance", "topic": "security"},
    ],
)
def test_known_parameters_are_taken(api_client, query):
    f.TopicFactory(slug="security")
    assert api_client.get(STATEMENTS, query).status_code == 200


def test_a_record_page_ignores_query_parameters(api_client):
    meeting = f.MeetingFactory(status="published")
    response = api_client.get(reverse("meeting-detail", args=[meeting.pk]), {"utm_source": "x"})
    assert response.status_code == 200


def test_problems_are_served_as_problem_json(api_client):
    response = api_client.get("/api/v1/no-such-thing/")
    assert response["Content-Type"] == PROBLEM_TYPE
