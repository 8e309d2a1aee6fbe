"""The error shape, rights, pagination and every malformed input we could think of: the
API answers 4xx with the field and the reason, never 500."""

import json

import factories as f
import pytest
from django.core.management import call_command
from django.urls import reverse
from problems import field_errors, fields_at_fault, problem
from rest_framework.test import APIClient

from events.models import Meeting, Participant

pytestmark = pytest.mark.django_db

MEETINGS = reverse("meeting-list")


def meeting_body(**fields):
    return {
        "slug": "a-meeting",
        "title": "A meeting",
        "date": "2025-04-25",
        "contact_type": "meeting",
        **fields,
    }


# Not found, wrong method, wrong body ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-thing/", "/api/nothing", "/api/v1/meetings/abc/", "/api/v1/countries/tjk/"],
)
def test_it_answers_an_unknown_api_path_with_json_404(api_client, path):
    response = api_client.get(path)
    assert problem(response, 404)["detail"] == "Not found."


def test_it_answers_an_unknown_page_outside_the_api_with_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_it_answers_a_missing_record_with_json_404(api_client):
    response = api_client.get(reverse("meeting-detail", args=[10**30]))
    assert problem(response, 404)["code"] == "not_found"


def test_it_answers_a_wrong_method_with_405(staff_client):
    response = staff_client.delete(MEETINGS)
    assert problem(response, 405)["detail"] == 'Method "DELETE" not allowed.'
    assert response["Allow"]


@pytest.mark.parametrize(
    "body",
    ["{not json", '{"title": "x",}', "[" * 100_000 + "]" * 100_000, '"just a string"', "[1, 2]"],
)
def test_it_rejects_a_body_that_is_not_a_json_object(staff_client, body):
    response = staff_client.post(MEETINGS, data=body, content_type="application/json")
    body = problem(response, 400)
    assert {error["field"] for error in body.get("errors", [])} <= {None}


def test_it_rejects_an_unsupported_media_type(staff_client):
    response = staff_client.post(MEETINGS, data="<meeting/>", content_type="application/xml")
    assert "application/xml" in problem(response, 415)["detail"]


# Wrong values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"date": "yesterday"}, "date"),
        ({"date": 20250425}, "date"),
        ({"date": "2025-02-30"}, "date"),
        ({"title": ["a", "list"]}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "nul \x00 inside"}, "title"),
        ({"contact_type": "dinner"}, "contact_type"),
        ({"place": 10**30}, "place"),
        ({"place": -1}, "place"),
        ({"place": True}, "place"),
        ({"place": 1.5}, "place"),
        ({"place": "Almaty"}, "place"),
        ({"place": {"id": 1}}, "place"),
        ({"place": 999_999}, "place"),
        ({"notes": "x" * 20_001}, "notes"),
        ({"slug": "not a slug"}, "slug"),
        ({"participants": "Wang Yi"}, "participants"),
        ({"participants": [{"name_as_written": "Wang Yi", "side": 156}]}, "participants"),
        ({"participants": [{"name_as_written": "Wang Yi", "side": "XXX"}]}, "participants"),
        ({"participants": [{"name_as_written": "Wang Yi"}]}, "participants"),
        (
            {"participants": [{"name_as_written": "A", "side": "CHN", "offices": "1"}]},
            "participants",
        ),
        (
            {"participants": [{"name_as_written": "A", "side": "CHN", "offices": [2**70]}]},
            "participants",
        ),
        ({"participants": [{"name_as_written": "A", "side": "CHN"}] * 101}, "participants"),
    ],
)
def test_it_rejects_a_wrong_value_naming_the_field(staff_client, fields, field):
    response = staff_client.post(MEETINGS, meeting_body(**fields), format="json")
    assert response.status_code == 400, response.data
    assert field in fields_at_fault(response)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        '"title": "lone \\ud800 surrogate"',
        '"notes": "nul \\u0000 inside"',
        '"date": 1e999',
        '"title": NaN',
        '"place": 1e30',
    ],
)
def test_it_rejects_text_no_database_can_store(staff_client, raw):
    body = '{"slug": "s", "date": "2025-04-25", "contact_type": "meeting", ' + raw + "}"
    response = staff_client.post(MEETINGS, data=body, content_type="application/json")
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_it_rejects_a_missing_required_field(staff_client):
    response = staff_client.post(MEETINGS, {"title": "A meeting"}, format="json")
    assert response.status_code == 400
    assert set(fields_at_fault(response)) == {"slug", "date", "contact_type"}


def test_it_rejects_a_duplicate_slug(staff_client):
    f.MeetingFactory(slug="a-meeting")
    response = staff_client.post(MEETINGS, meeting_body(), format="json")
    assert response.status_code == 400
    assert fields_at_fault(response) == ["slug"]


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("not a list", "identifiers"),
        ([{"scheme": "wikidata"}], "identifiers"),
        ([{"scheme": "wikidata", "identifier": ""}], "identifiers"),
        ([{"scheme": "wikidata", "identifier": "Q1"}] * 2, "identifiers"),
        ([{"scheme": "wikidata", "identifier": "Q\x001"}], "identifiers"),
        ([{"scheme": "x", "identifier": "y" * 30_000}], "identifiers"),
        ({"url": "https://example.org"}, "sources"),
        ([{"note": "no url"}], "sources"),
        ([{"url": "https://example.org", "extra": 1}], "sources"),
        (["not_a_field"], "locked_fields"),
        ("name", "locked_fields"),
    ],
)
def test_it_rejects_malformed_curation_json(staff_client, value, field):
    body = {"slug": "wang-yi", "name": "Wang Yi", field: value}
    response = staff_client.post(reverse("person-list"), body, format="json")
    assert response.status_code == 400, response.data
    assert fields_at_fault(response) == [field]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {
                "start_precision": "day",
                "start_earliest": "2020-01-01",
                "start_latest": "2020-01-01",
                "end_precision": "day",
                "end_earliest": "2019-01-01",
                "end_latest": "2019-01-01",
            },
            "end_latest",
            "A tenure cannot end before it starts.",
        ),
        (
            {
                "start_precision": "day",
                "start_earliest": "2020-01-31",
                "start_latest": "2020-01-01",
            },
            "start_latest",
            "The start's latest date is before its earliest.",
        ),
        (
            {
                "status": "current",
                "end_precision": "day",
                "end_earliest": "2024-01-01",
                "end_latest": "2024-01-01",
            },
            "status",
            "A current tenure has no end date.",
        ),
    ],
)
def test_it_reports_a_tenure_constraint_on_its_field(staff_client, fields, field, message):
    body = {"person": f.PersonFactory().pk, "position": f.PositionFactory().pk, **fields}
    response = staff_client.post(reverse("tenure-list"), body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {field: [message]}


def test_it_rejects_a_tenure_replacing_one_in_another_office(staff_client):
    predecessor = f.TenureFactory()
    body = {
        "person": f.PersonFactory().pk,
        "position": f.PositionFactory().pk,
        "replaces": predecessor.pk,
    }
    response = staff_client.post(reverse("tenure-list"), body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {
        "replaces": ["The predecessor's tenure must be in the same office."]
    }


def test_it_rejects_a_tenure_replacing_itself(staff_client):
    tenure = f.TenureFactory()
    url = reverse("tenure-detail", args=[tenure.pk])
    response = staff_client.patch(url, {"replaces": tenure.pk}, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {"replaces": ["A tenure cannot replace itself."]}


def test_it_rejects_a_relationship_pair_out_of_order(staff_client):
    body = {"country_a": "TJK", "country_b": "CHN", "level": "strategic partnership"}
    response = staff_client.post(reverse("relationshiplevel-list"), body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {
        "country_b": ["Give the pair's alpha-3 codes in alphabetical order."]
    }


def test_it_rejects_an_alias_given_twice(staff_client):
    alias = f.PersonAliasFactory()
    body = {"person": alias.person_id, "name": alias.name}
    response = staff_client.post(reverse("personalias-list"), body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {"name": ["This person already has this alias."]}


def test_it_rejects_a_place_inside_itself(staff_client):
    region = f.PlaceFactory(kind="region")
    city = f.PlaceFactory(parent=region)
    url = reverse("place-detail", args=[region.pk])
    assert staff_client.patch(url, {"parent": region.pk}, format="json").status_code == 400
    response = staff_client.patch(url, {"parent": city.pk}, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {"parent": ["A place cannot sit inside itself."]}


def test_it_rejects_a_topic_below_itself(staff_client):
    health = f.TopicFactory(slug="health")
    f.TopicFactory(slug="medicine", parent=health)
    url = reverse("topic-detail", args=[health.pk])
    response = staff_client.patch(url, {"parent": "medicine"}, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {"parent": ["A topic cannot sit below itself."]}


def test_it_rejects_an_organisation_below_itself_and_reports_it_once(staff_client):
    state = f.OrganizationFactory()
    government = f.OrganizationFactory(parent=state)
    ministry = f.OrganizationFactory(parent=government)
    url = reverse("organization-detail", args=[state.pk])
    response = staff_client.patch(url, {"parent": ministry.pk}, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {"parent": ["An organisation cannot sit below itself."]}
    # Pointing to itself: `clean()` and the check constraint say it once, not twice.
    response = staff_client.patch(url, {"parent": state.pk}, format="json")
    assert field_errors(response) == {"parent": ["An organisation cannot be its own parent."]}


def test_it_rejects_a_participant_moving_to_another_meeting(staff_client):
    participant = f.ParticipantFactory()
    url = reverse("participant-detail", args=[participant.pk])
    response = staff_client.patch(url, {"meeting": f.MeetingFactory().pk}, format="json")
    assert response.status_code == 400
    assert fields_at_fault(response) == ["meeting"]


def test_it_rejects_a_reference_to_a_draft_for_a_non_staff_writer(api_client, django_user_model):
    from django.contrib.auth.models import Permission

    dave = django_user_model.objects.create_user("dave")
    dave.user_permissions.add(Permission.objects.get(codename="add_participant"))
    api_client.force_login(dave)
    draft = f.MeetingFactory(status="draft")
    body = {"meeting": draft.pk, "name_as_written": "Wang Yi", "side": "CHN"}
    response = api_client.post(reverse("participant-list"), body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {"meeting": [f"No record with id {draft.pk}."]}


# Conflicts ----------------------------------------------------------------------------


def test_it_answers_a_protected_delete_with_409_listing_what_protects_it(staff_client):
    participant = f.ParticipantFactory(person=f.PersonFactory())
    response = staff_client.delete(reverse("person-detail", args=[participant.person_id]))
    body = problem(response, 409)
    assert body["protected"] == [{"model": "participant", "id": participant.pk}]
    assert body["code"] == "protected"


def test_a_meeting_with_statements_cannot_be_deleted(staff_client):
    statement = f.StatementFactory()
    response = staff_client.delete(reverse("meeting-detail", args=[statement.meeting_id]))
    assert response.status_code == 409
    assert {"model": "statement", "id": statement.pk} in response.json()["protected"]
    assert Meeting.objects.filter(pk=statement.meeting_id).exists()


def test_it_answers_a_constraint_race_with_409(staff_client, monkeypatch):
    """Two writers pass validation at once; the database refuses the second."""
    from events.services import records

    monkeypatch.setattr(records, "validate_record", lambda *args, **kwargs: None)
    first = f.ParticipantFactory(name_as_written="Wang Yi")
    body = {"meeting": first.meeting_id, "name_as_written": "Wang Yi", "side": "CHN"}
    response = staff_client.post(reverse("participant-list"), body, format="json")
    assert problem(response, 409)["code"] == "conflict"
    # The failed write left the connection usable.
    assert Participant.objects.count() == 1


# Rights -------------------------------------------------------------------------------


def test_anonymous_writes_are_401_with_a_token_challenge(api_client):
    response = api_client.post(MEETINGS, meeting_body(), format="json")
    assert problem(response, 401)["detail"] == "Authentication credentials were not provided."
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.get(MEETINGS)
    assert problem(response, 401)["detail"] == "Invalid token."


def test_a_user_without_permissions_gets_403(reader_client):
    response = reader_client.post(MEETINGS, meeting_body(), format="json")
    assert problem(response, 403)["detail"] == "You do not have permission to perform this action."


def test_a_token_from_create_token_authenticates(staff_user, capsys):
    call_command("create_token", staff_user.username)
    key = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(MEETINGS, meeting_body(), format="json")
    assert response.status_code == 201, response.data


def test_an_admin_session_authenticates_writes(staff_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)
    refused = client.post(MEETINGS, meeting_body(), format="json")
    assert "CSRF" in problem(refused, 403)["detail"]
    # What a browser holding the admin's CSRF cookie sends.
    client.cookies["csrftoken"] = token = "a" * 32
    response = client.post(MEETINGS, meeting_body(), format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.data


# Pagination ---------------------------------------------------------------------------

COUNTRIES = reverse("country-list")


def test_lists_are_paginated_by_50_by_default(api_client):
    body = api_client.get(COUNTRIES).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 50
    assert body["count"] > 200
    assert body["previous"] is None
    assert "page=2" in body["next"]


@pytest.mark.parametrize(("page_size", "expected"), [("1000", 100), ("7", 7), ("0", 50), ("x", 50)])
def test_page_size_is_capped_at_100(api_client, page_size, expected):
    body = api_client.get(COUNTRIES, {"page_size": page_size}).json()
    assert len(body["results"]) == expected


@pytest.mark.parametrize("page", ["0", "999", "last-but-one", str(10**30)])
def test_an_invalid_page_is_a_json_404(api_client, page):
    response = api_client.get(COUNTRIES, {"page": page})
    assert problem(response, 404)["detail"] == "Invalid page."


def test_pages_do_not_overlap(api_client):
    first = api_client.get(COUNTRIES, {"page_size": 100}).json()["results"]
    second = api_client.get(COUNTRIES, {"page_size": 100, "page": 2}).json()["results"]
    codes = [c["alpha3"] for c in first + second]
    assert len(codes) == len(set(codes)) == 200


def test_the_api_root_lists_every_resource(api_client):
    body = api_client.get("/api/v1/").json()
    assert set(body) == {
        "countries",
        "places",
        "organizations",
        "organization-aliases",
        "people",
        "person-aliases",
        "positions",
        "tenures",
        "topics",
        "gatherings",
        "relationship-levels",
        "meetings",
        "participants",
        "sources",
        "statements",
        "commitments",
        "commitment-status-changes",
    }


def test_errors_are_json_even_for_a_form_encoded_body(staff_client):
    response = staff_client.post(MEETINGS, {"title": "x"}, format="multipart")
    assert "slug" in field_errors(response)


@pytest.mark.parametrize("field", ["alpha3", "alpha2", "numeric", "name"])
def test_it_rejects_a_country_code_or_name_already_taken(staff_client, field):
    china = {"alpha3": "CHN", "alpha2": "CN", "numeric": "156", "name": "China"}
    body = {"alpha3": "QQA", "alpha2": "XA", "numeric": "900", "name": "Testland"}
    response = staff_client.post(COUNTRIES, {**body, field: china[field]}, format="json")
    assert response.status_code == 400
    assert fields_at_fault(response) == [field]


def test_a_server_error_under_the_api_is_json_and_elsewhere_html(rf):
    from events.api.exceptions import server_error

    api = server_error(rf.get("/api/v1/meetings/"))
    assert api.status_code == 500
    assert api["Content-Type"] == "application/problem+json"
    assert json.loads(api.content)["detail"] == "Server error."
    page = server_error(rf.get("/admin/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"date_precision": "month", "date_earliest": "2024-07-01", "date_latest": "2024-07-30"},
            "date_latest",
            "A date known to the month ends on 2024-07-31.",
        ),
        (
            {"date_precision": "year", "date_earliest": "2024-03-01", "date_latest": "2024-12-31"},
            "date_earliest",
            "A date known to the year starts on 2024-01-01.",
        ),
        (
            {"date_precision": "unknown", "date_earliest": "2024-07-01"},
            "date_earliest",
            "Leave empty when the date is unknown, or give its precision.",
        ),
        (
            {"date_precision": "day", "date_earliest": "2024-07-01", "date_latest": None},
            "date_latest",
            "Give the last day too (the same day for a single day).",
        ),
    ],
)
def test_it_rejects_partial_date_bounds_that_disagree_with_the_precision(
    staff_client, fields, field, message
):
    body = {"slug": "state-visit", "name": "State visit", "kind": "state_visit", **fields}
    response = staff_client.post(reverse("gathering-list"), body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {field: [message]}


def test_it_accepts_a_date_known_to_the_month_as_the_whole_month(staff_client):
    body = {
        "slug": "state-visit",
        "name": "State visit",
        "kind": "state_visit",
        "date_precision": "month",
        "date_earliest": "2024-07-01",
        "date_latest": "2024-07-31",
        "date_text": "in July last year",
    }
    response = staff_client.post(reverse("gathering-list"), body, format="json")
    assert response.status_code == 201, response.json()


def test_it_rejects_a_second_tenure_of_unknown_start_in_the_same_office(staff_client):
    tenure = f.TenureFactory(start_precision="unknown", start_earliest=None, start_latest=None)
    body = {"person": tenure.person_id, "position": tenure.position_id, "status": "unknown"}
    response = staff_client.post(reverse("tenure-list"), body, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {
        "start_earliest": ["This person already has a tenure in this office with an unknown start."]
    }
