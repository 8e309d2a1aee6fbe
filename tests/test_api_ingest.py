"""Readouts through the API: `POST /api/v1/sources/parse/` reads one and saves nothing;
`POST /api/v1/sources/` with a text and no `meetings` imports it as a draft meeting.

Runs on `fixtures/seed.json` (people, offices, places, gatherings, and the curated meetings
of the two readouts in `seeds/`). Tests that import a seed readout first delete the
curated meetings, leaving the reference data, as `import_readout` expects.
"""

import json

import factories as f
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from problems import field_errors, fields_at_fault, problem
from readouts import ALMATY, SEEDS, SYNTHETIC_SECOND_READOUT, TUNXI, counts, read
from rest_framework.test import APIClient

from events.api.serializers import DraftSerializer
from events.models import Meeting, Organization, Person, SourceDocument, Statement

LIST = reverse("sourcedocument-list")
PARSE = reverse("sourcedocument-parse")

# Every test sees the seed (so none depends on which ran first).
pytestmark = pytest.mark.usefixtures("seed")

# SYNTHETIC TEST INPUT, NOT A REAL READOUT: Wang Yi meets someone no record names, whose
# side only the publisher's country can tell.
SYNTHETIC_NEW_PERSON = (
    "On May 5, 2024, Foreign Minister Wang Yi met with Foreign Minister Jane Example.\n"
)


@pytest.fixture
def mfa():
    return Organization.objects.get(slug="mfa-china")


def client_with(django_user_model, name, codenames):
    user = django_user_model.objects.create_user(name)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.force_login(user)
    return client


def assert_fields_as_documented(data: dict, serializer) -> None:
    """The JSON has exactly the documented fields, recursively, with valid values."""
    assert set(data) == set(serializer.fields), serializer.__class__.__name__
    for name, field in serializer.fields.items():
        child = getattr(field, "child", field)
        if hasattr(child, "fields"):
            for item in data[name] if hasattr(field, "child") else [data[name]]:
                assert_fields_as_documented(item, child)


# Parsing: the draft, nothing saved -----------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.stem)
def test_parse_answers_the_draft_of_each_seed_readout(staff_client, mfa, path):
    text = read(path)
    curated = SourceDocument.objects.get(content_hash=SourceDocument.hash_text(text))
    meeting = curated.meetings.get()
    response = staff_client.post(PARSE, {"text": text, "publisher": mfa.pk})
    assert response.status_code == 200, response.data
    draft = response.json()

    assert draft["date"] == meeting.date.isoformat()
    assert (draft["date_qualifier"], draft["contact_type"], draft["plover_mode"]) == (
        meeting.date_qualifier,
        meeting.contact_type,
        meeting.plover_mode,
    )
    assert draft["place"]["place_id"] == meeting.place_id
    assert draft["occasion_gathering_id"] == meeting.occasion_id
    assert draft["publisher"] == mfa.name
    assert draft["publisher_country"] == "CHN"
    participants = meeting.participants.order_by("order", "pk")
    assert [
        (
            p["name"],
            p["person_id"],
            p["country"],
            p["role"],
            {o["position_id"] for o in p["offices"]},
        )
        for p in draft["participants"]
    ] == [
        (p.name_as_written, p.person_id, p.side_id, p.role, {o.pk for o in p.offices.all()})
        for p in participants
    ]
    assert draft["unresolved_names"] == []
    for participant in draft["participants"]:
        assert text[participant["start"] : participant["end"]] == participant["name"]
    curated_statements = curated.statements.order_by("start").select_related("speaker")
    assert [
        (s["start"], s["end"], s["kind"], s["attribution"], s["speaker"])
        for s in draft["statements"]
    ] == [
        (s.start, s.end, s.kind, s.attribution, s.speaker.name_as_written if s.speaker else None)
        for s in curated_statements
    ]
    for statement in draft["statements"]:
        assert statement["text"] == text[statement["start"] : statement["end"]]


def test_parse_answers_the_documented_fields(staff_client, mfa):
    response = staff_client.post(PARSE, {"text": read(TUNXI), "publisher": mfa.pk})
    assert response.status_code == 200, response.data
    data = response.json()
    assert_fields_as_documented(data, DraftSerializer())
    # The values have the documented types and choices too.
    serializer = DraftSerializer(data=data)
    assert serializer.is_valid(), serializer.errors
    assert data["statements"][0]["mentions"]["people"]


def test_parse_writes_nothing(staff_client, mfa):
    before = counts()
    for text in (read(TUNXI), read(ALMATY), SYNTHETIC_SECOND_READOUT):
        response = staff_client.post(PARSE, {"text": text, "publisher": mfa.pk})
        assert response.status_code == 200, response.data
    response = staff_client.post(PARSE, {"text": SYNTHETIC_NEW_PERSON, "country": "TJK"})
    assert response.status_code == 200, response.data
    assert response.data["unresolved_names"] == ["Jane Example"]
    assert counts() == before
    assert not Person.objects.filter(name="Jane Example").exists()


def test_parse_keeps_the_text_exactly_as_given(staff_client, mfa):
    """Spans index the text as sent: leading blank lines and spaces are not trimmed."""
    text = read(TUNXI)
    prefix = "\n\n   "
    plain = staff_client.post(PARSE, {"text": text, "publisher": mfa.pk}).data
    padded = staff_client.post(PARSE, {"text": prefix + text, "publisher": mfa.pk}).data
    assert [(s["start"] - len(prefix), s["end"] - len(prefix)) for s in padded["statements"]] == [
        (s["start"], s["end"]) for s in plain["statements"]
    ]


def test_parse_reads_a_form_encoded_body(staff_client, mfa):
    response = staff_client.post(
        PARSE, {"text": read(ALMATY), "publisher": mfa.pk}, format="multipart"
    )
    assert response.status_code == 200, response.data
    assert response.data["date"] == "2025-04-25"


def test_the_publishers_country_is_the_default_side(staff_client):
    """A name no record knows takes its side from `country`, by default the publisher's."""
    tajik_mfa = Organization.objects.get(slug="tajikistan-mfa")

    def sides(**data):
        response = staff_client.post(PARSE, {"text": SYNTHETIC_NEW_PERSON, **data})
        assert response.status_code == 200, response.data
        return response.data["publisher_country"], [
            p["country"] for p in response.data["participants"]
        ]

    assert sides() == (None, ["CHN", None])
    assert sides(publisher=tajik_mfa.pk) == ("TJK", ["CHN", "TJK"])
    assert sides(country="KAZ") == ("KAZ", ["CHN", "KAZ"])
    assert sides(publisher=tajik_mfa.pk, country="kaz") == ("KAZ", ["CHN", "KAZ"])


def test_a_date_without_a_year_is_read_with_the_publication_date(staff_client):
    text = "On March 31, State Councilor and Foreign Minister Wang Yi met with Muzaffar Ashurion."
    response = staff_client.post(PARSE, {"text": text, "published_on": "2022-04-01"})
    assert response.status_code == 200, response.data
    assert (response.data["date"], response.data["published"]) == ("2022-03-31", "2022-04-01")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": ""}, "text", "The text is empty."),
        ({"text": " \n\t\n "}, "text", "The text is empty."),
        ({"text": "On March 31, 2022, Wang Yi met with Muzaffar Ashurion.\x00"}, "text", "Null"),
        ({"text": "\ufffd\ufffd\ufffd PNG \ufffd\ufffd"}, "text", "looks binary"),
        ({"text": "x" * 200_001}, "text", "200000"),
        ({"text": "The weather in Tunxi was fine.\n"}, "text", "who met whom"),
        (
            {"text": "On February 30, 2024, Wang Yi met with Muzaffar Ashurion."},
            "text",
            '"February 30, 2024" is not a date that exists.',
        ),
        (
            {"text": "On March 31, Wang Yi met with Muzaffar Ashurion."},
            "published_on",
            "give the publication date",
        ),
        ({"text": "On March 31, Wang Yi met with Muzaffar Ashurion."}, "published_on", "no year"),
        ({"text": read(TUNXI), "publisher": 999_999}, "publisher", "No record with id 999999."),
        ({"text": read(TUNXI), "publisher": "MFA"}, "publisher", "Expected a numeric id"),
        ({"text": read(TUNXI), "country": "XYZ"}, "country", "Unknown country code 'XYZ'"),
        ({"text": read(TUNXI), "country": "China"}, "country", "alpha-3"),
        ({"text": read(TUNXI), "published_on": "31/03/2022"}, "published_on", "Date has wrong"),
        ({"url": "https://example.org/readout"}, "text", "required"),
    ],
    ids=[
        "empty",
        "whitespace",
        "nul",
        "binary",
        "too-long",
        "no-meeting-sentence",
        "impossible-date",
        "no-year",
        "no-year-says-why",
        "unknown-publisher",
        "publisher-not-an-id",
        "unknown-country",
        "country-name",
        "bad-published-on",
        "no-text",
    ],
)
def test_parse_refuses_bad_input_on_the_field_at_fault(staff_client, data, field, message):
    before = counts()
    response = staff_client.post(PARSE, data, format="json")
    assert response.status_code == 400, response.data
    assert fields_at_fault(response) == [field]
    (reason,) = field_errors(response)[field]
    assert message in reason
    assert counts() == before


# Who may parse and import --------------------------------------------------------------


def test_anonymous_callers_can_neither_parse_nor_import(api_client):
    before = counts()
    for url in (PARSE, LIST):
        response = api_client.post(url, {"text": SYNTHETIC_SECOND_READOUT})
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    assert counts() == before


def test_readers_can_neither_parse_nor_import(reader_client, django_user_model):
    viewer = client_with(django_user_model, "vera", ["view_sourcedocument", "view_meeting"])
    before = counts()
    for client in (reader_client, viewer):
        for url in (PARSE, LIST):
            response = client.post(url, {"text": SYNTHETIC_SECOND_READOUT})
            assert response.status_code == 403
            assert problem(response, 403)["code"] == "permission_denied"
    assert counts() == before


def test_parsing_needs_the_permission_to_add_sources(django_user_model):
    client = client_with(django_user_model, "sam", ["add_sourcedocument"])
    response = client.post(PARSE, {"text": SYNTHETIC_SECOND_READOUT})
    assert response.status_code == 200, response.data


def test_importing_also_needs_the_permissions_to_add_meetings(django_user_model):
    """Storing a source linked to meetings needs only the right to add sources; importing
    one also writes a meeting, its participants and statements."""
    client = client_with(django_user_model, "sam", ["add_sourcedocument"])
    before = counts()
    response = client.post(LIST, {"text": SYNTHETIC_SECOND_READOUT})
    assert response.status_code == 403
    assert "permissions to add" in problem(response, 403)["detail"]
    assert counts() == before
    meeting = Meeting.objects.get(slug="2022-03-31-wang-yi-muzaffar-ashurion")
    response = client.post(
        LIST, {"text": SYNTHETIC_SECOND_READOUT, "meetings": [meeting.pk]}, format="json"
    )
    assert response.status_code == 201, response.data

    importer = client_with(
        django_user_model,
        "ines",
        ["add_sourcedocument", "add_meeting", "add_participant", "add_statement"],
    )
    response = importer.post(LIST, {"text": read(TUNXI) + "\n"})
    assert response.status_code == 201, response.data
    assert response.data["import_outcome"] == "attached"


# Importing: the source and its draft meeting --------------------------------------------


def test_import_creates_the_source_and_its_draft_meeting(staff_client, mfa, no_meetings):
    text = read(TUNXI)
    response = staff_client.post(
        LIST,
        {"text": text, "publisher": mfa.pk, "url": "https://example.org/tunxi", "language": "en"},
    )
    assert response.status_code == 201, response.data
    assert response.data["import_outcome"] == "created"
    assert "country" not in response.data

    source = SourceDocument.objects.get()
    assert response.data["id"] == source.pk
    assert (source.text, source.publisher, source.url) == (text, mfa, "https://example.org/tunxi")
    meeting = Meeting.objects.get()
    assert response.data["meetings"] == [meeting.pk]
    assert list(meeting.sources.all()) == [source]
    assert meeting.status == Meeting.Status.DRAFT
    assert (meeting.date.isoformat(), meeting.contact_type) == ("2022-03-31", "meeting")
    assert meeting.place.slug == "tunxi"
    assert [
        (p.name_as_written, p.person.slug, p.side_id, p.role)
        for p in meeting.participants.order_by("order")
    ] == [
        ("Wang Yi", "wang-yi", "CHN", "host"),
        ("Muzaffar Ashurion", "muzaffar-ashurion", "TJK", "guest"),
    ]
    # The statements are those the parser drafts, all quoting this source.
    draft = staff_client.post(PARSE, {"text": text, "publisher": mfa.pk}).data
    statements = meeting.statements.order_by("start").select_related("speaker")
    assert [(s.start, s.end, s.kind, s.source_id) for s in statements] == [
        (s["start"], s["end"], s["kind"], source.pk) for s in draft["statements"]
    ]
    assert all(s.text == text[s.start : s.end] for s in statements)
    assert {s.speaker.name_as_written for s in statements if s.speaker} == {
        "Wang Yi",
        "Muzaffar Ashurion",
    }
    # Staff see the draft meeting with its source.
    page = staff_client.get(reverse("meeting-detail", args=[meeting.pk])).data
    assert [s["id"] for s in page["sources"]] == [source.pk]


def test_import_keeps_the_text_verbatim_and_the_given_metadata(staff_client, mfa, no_meetings):
    text = "\n  " + read(ALMATY).replace("\n", "\r\n")
    response = staff_client.post(
        LIST,
        {
            "text": text,
            "publisher": mfa.pk,
            "title": "Wang Yi meets Sirojiddin Muhriddin",
            "language": "en-GB",
            "published_on": "2025-04-26",
        },
    )
    assert response.status_code == 201, response.data
    source = SourceDocument.objects.get()
    assert source.text == text
    assert (source.title, source.language, source.published_on.isoformat()) == (
        "Wang Yi meets Sirojiddin Muhriddin",
        "en-GB",
        "2025-04-26",
    )
    assert response.data["content_hash"] == SourceDocument.hash_text(text)
    for statement in Statement.objects.all():
        assert statement.text == text[statement.start : statement.end]


def test_the_same_text_twice_is_refused_naming_the_stored_source(staff_client, mfa, no_meetings):
    text = read(TUNXI)
    first = staff_client.post(LIST, {"text": text, "publisher": mfa.pk})
    assert first.status_code == 201, first.data
    before = counts()
    again = staff_client.post(LIST, {"text": text, "publisher": mfa.pk})
    assert again.status_code == 400
    assert field_errors(again) == {
        "text": [f"A source with this text already exists (id {first.data['id']})."]
    }
    assert counts() == before
    assert SourceDocument.objects.count() == 1


def test_a_seed_readout_already_curated_is_a_duplicate(staff_client, mfa):
    curated = SourceDocument.objects.get(content_hash=SourceDocument.hash_text(read(ALMATY)))
    response = staff_client.post(LIST, {"text": read(ALMATY), "publisher": mfa.pk})
    assert response.status_code == 400
    assert field_errors(response) == {
        "text": [f"A source with this text already exists (id {curated.pk})."]
    }


def test_a_second_readout_of_the_same_meeting_is_attached(staff_client, mfa, no_meetings):
    first = staff_client.post(LIST, {"text": read(TUNXI), "publisher": mfa.pk})
    assert first.status_code == 201, first.data
    (meeting_id,) = first.data["meetings"]
    tajik_mfa = Organization.objects.get(slug="tajikistan-mfa")

    second = staff_client.post(LIST, {"text": SYNTHETIC_SECOND_READOUT, "publisher": tajik_mfa.pk})

    assert second.status_code == 201, second.data
    assert second.data["import_outcome"] == "attached"
    assert second.data["meetings"] == [meeting_id]
    meeting = Meeting.objects.get()
    assert meeting.sources.count() == 2
    assert meeting.participants.count() == 2  # the same two people, not added again
    # The second source's own statement quotes it, on the same meeting.
    (statement,) = Statement.objects.filter(source_id=second.data["id"])
    assert (statement.meeting_id, statement.kind) == (meeting_id, "agreement")
    assert (
        statement.text == "The two sides agreed to strengthen cooperation in the field of justice."
    )


def test_a_readout_of_a_curated_meeting_is_attached_to_it(staff_client):
    curated = Meeting.objects.get(slug="2022-03-31-wang-yi-muzaffar-ashurion")
    response = staff_client.post(LIST, {"text": SYNTHETIC_SECOND_READOUT})
    assert response.status_code == 201, response.data
    assert response.data["import_outcome"] == "attached"
    assert response.data["meetings"] == [curated.pk]
    curated.refresh_from_db()
    assert curated.status == Meeting.Status.PUBLISHED
    assert curated.sources.count() == 2


def test_the_country_given_is_the_side_of_people_the_text_does_not_place(staff_client):
    before = counts()
    response = staff_client.post(LIST, {"text": SYNTHETIC_NEW_PERSON})
    assert response.status_code == 400
    assert field_errors(response) == {
        "country": ["No side could be read for Jane Example; give the publisher's country."]
    }
    assert counts() == before

    response = staff_client.post(LIST, {"text": SYNTHETIC_NEW_PERSON, "country": "TJK"})
    assert response.status_code == 201, response.data
    assert response.data["import_outcome"] == "created"
    meeting = Meeting.objects.get(pk=response.data["meetings"][0])
    jane = meeting.participants.get(name_as_written="Jane Example")
    assert jane.side_id == "TJK"
    assert jane.person.needs_review


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": " \n "}, "text", "The text is empty"),
        ({"text": "\ufffd\ufffd\ufffd PNG \ufffd\ufffd"}, "text", "looks binary"),
        ({"text": "On March 31, 2022, Wang Yi met with X.\x00"}, "text", "Null"),
        ({"text": "The weather in Tunxi was fine.\n"}, "text", "who met whom"),
        (
            {"text": "On February 30, 2024, Wang Yi met with Muzaffar Ashurion."},
            "text",
            "is not a date that exists",
        ),
        (
            {"text": "On March 31, Wang Yi met with Muzaffar Ashurion."},
            "published_on",
            "no year; give the publication date",
        ),
        ({"text": SYNTHETIC_NEW_PERSON, "country": "XYZ"}, "country", "Unknown country code"),
        ({"text": SYNTHETIC_NEW_PERSON, "publisher": 999_999}, "publisher", "No record with id"),
    ],
    ids=[
        "whitespace",
        "binary",
        "nul",
        "no-meeting-sentence",
        "impossible-date",
        "no-year",
        "unknown-country",
        "unknown-publisher",
    ],
)
def test_import_refuses_what_it_cannot_read_and_writes_nothing(staff_client, data, field, message):
    before = counts()
    response = staff_client.post(LIST, data, format="json")
    assert response.status_code == 400, response.data
    assert fields_at_fault(response) == [field]
    (reason,) = field_errors(response)[field]
    assert message in reason
    assert counts() == before


@pytest.mark.parametrize("meetings", [None, []], ids=["absent", "empty"])
def test_a_text_without_meetings_is_imported(staff_client, meetings):
    data = {"text": SYNTHETIC_NEW_PERSON, "country": "TJK"}
    if meetings is not None:
        data["meetings"] = meetings
    response = staff_client.post(LIST, data, format="json")
    assert response.status_code == 201, response.data
    assert response.data["import_outcome"] == "created"
    assert len(response.data["meetings"]) == 1


def test_a_text_given_with_its_meetings_is_stored_as_it_is(staff_client):
    meeting = f.MeetingFactory()
    before = counts()
    response = staff_client.post(
        LIST, {"text": "Not a readout at all.", "meetings": [meeting.pk]}, format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["import_outcome"] is None
    assert response.data["meetings"] == [meeting.pk]
    after = counts()
    assert after["SourceDocument"] == before["SourceDocument"] + 1
    assert after["HistoricalSourceDocument"] == before["HistoricalSourceDocument"] + 1
    unchanged = {"SourceDocument", "HistoricalSourceDocument", "HistoricalSourceDocument_meetings"}
    assert {name: n for name, n in after.items() if name not in unchanged} == {
        name: n for name, n in before.items() if name not in unchanged
    }


# The schema ----------------------------------------------------------------------------


def test_the_schema_documents_parsing_and_importing(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    parse = schema["paths"]["/api/v1/sources/parse/"]["post"]
    assert list(schema["paths"]["/api/v1/sources/parse/"]) == ["post"]
    assert parse["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReadoutParseRequest"
    }
    assert parse["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Draft"
    }
    assert "400" in parse["responses"]
    assert set(components["ReadoutParseRequest"]["properties"]) == {
        "text",
        "publisher",
        "country",
        "url",
        "published_on",
    }
    assert set(components["Draft"]["properties"]) == set(DraftSerializer().fields)
    statement = components["DraftStatement"]["properties"]
    assert statement["kind"] == {"$ref": "#/components/schemas/StatementKindEnum"}

    create = schema["paths"]["/api/v1/sources/"]["post"]
    request_schema = create["requestBody"]["content"]["application/json"]["schema"]
    response_schema = create["responses"]["201"]["content"]["application/json"]["schema"]
    request = components[request_schema["$ref"].rsplit("/", 1)[1]]["properties"]
    answer = components[response_schema["$ref"].rsplit("/", 1)[1]]["properties"]
    assert "country" in request and "import_outcome" not in request
    assert "import_outcome" in answer and "country" not in answer
    assert "attached" in json.dumps(components["ImportOutcomeEnum"])


# Hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PARSE, LIST], ids=["parse", "import"])
@pytest.mark.parametrize("field", ["text", "publisher", "country", "url", "published_on"])
@pytest.mark.parametrize("value", [None, 10**30, [2**70], {"a": 1}, "\x00", True])
def test_no_hostile_value_makes_parsing_or_importing_fail_with_500(staff_client, url, field, value):
    data = {"text": SYNTHETIC_NEW_PERSON, "country": "TJK", field: value}
    response = staff_client.post(url, data, format="json")
    assert response.status_code in {200, 201, 400}, response.data


@pytest.mark.parametrize("url", [PARSE, LIST], ids=["parse", "import"])
@pytest.mark.parametrize(
    "body",
    [
        '{"text": "On May 5, 2024, Wang Yi met with Jane Example \\ud800."}',
        "[]",
        '"text"',
        '{"text": ',
    ],
    ids=["lone-surrogate", "list", "string", "truncated"],
)
def test_a_malformed_body_is_a_400(staff_client, url, body):
    before = counts()
    response = staff_client.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert counts() == before


def test_options_describe_what_parsing_takes(staff_client):
    fields = staff_client.options(PARSE).json()["actions"]["POST"]
    assert set(fields) == {"text", "publisher", "country", "url", "published_on"}
    fields = staff_client.options(LIST).json()["actions"]["POST"]
    assert {"country", "import_outcome", "meetings"} <= set(fields)
    assert fields["import_outcome"]["read_only"]
