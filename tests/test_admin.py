"""The curation admin: every page opens, filters find the right rows, forms refuse bad data.

Runs on `fixtures/seed.json`, the readouts of `seeds/`: Wang Yi meeting Muzaffar Ashurion
in Tunxi (2022) and Sirojiddin Muhriddin in Almaty, Kazakhstan (2025). Tests ask for
`seed` (`conftest.py`): the fixture is loaded once for the module.
"""

import datetime
import re
from collections import defaultdict

import pytest
from admin_pages import (  # noqa: F401  (admin_test_settings: an autouse fixture)
    admin_test_settings,
    changelist_rows,
    form_errors,
    form_post_data,
    slugs,
    url,
)
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import (
    Commitment,
    CommitmentProposal,
    CommitmentStatusChange,
    Country,
    Meeting,
    Organization,
    Participant,
    Person,
    Place,
    Position,
    RelationshipLevel,
    SourceDocument,
    Statement,
    Tenure,
    Topic,
)
from events.services import ProposalData, proposals_create

TUNXI = "2022-03-31-wang-yi-muzaffar-ashurion"
ALMATY = "2025-04-25-wang-yi-sirojiddin-muhriddin"

EVENTS_ADMINS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "events"),
    key=lambda model: model._meta.model_name,
)


# Every page of every model.


def test_every_events_model_is_registered():
    concrete = {
        model
        for model in apps.get_app_config("events").get_models()
        if not model._meta.auto_created and not model.__name__.startswith("Historical")
    }
    assert concrete == set(EVENTS_ADMINS)


def test_site_names_the_tracker(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert b"Diplomatic event tracker" in response.content


def add_proposals():
    """The seed has no proposals (curators' work in progress): two, as an import drafts
    them, on the 2025 meeting's first commitment statements."""
    meeting = Meeting.objects.get(slug=ALMATY)
    statements = meeting.statements.filter(kind="commitment").select_related("speaker")[:2]
    proposals_create(
        meeting=meeting,
        proposals=[
            ProposalData(
                statement=statement,
                kind="pledge",
                description=statement.text,
                sides=[statement.speaker.side_id],
            )
            for statement in statements
        ],
    )


@pytest.mark.parametrize("model", EVENTS_ADMINS, ids=lambda model: model._meta.model_name)
def test_it_opens_changelist_add_and_change_pages(admin_client, seed, model):
    if model is CommitmentProposal:
        add_proposals()
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no seeded {model._meta.verbose_name}"
    pages = [url(model, "changelist"), url(model, "change", obj.pk)]
    if admin.site._registry[model].has_add_permission(FakeRequest()):
        pages.append(url(model, "add"))
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page


class FakeRequest:
    """What `has_add_permission` reads: a superuser."""

    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(perm):
            return True


@pytest.mark.parametrize("model", EVENTS_ADMINS, ids=lambda model: model._meta.model_name)
def test_its_changelists_make_no_query_per_row(admin_client, seed, model):
    """A query repeated with only its parameters changed is a query per row.

    (The same query twice is not: unfiltered, the page count is the full count.)
    """
    if model is CommitmentProposal:
        add_proposals()
    if model is RelationshipLevel:  # the seed has one; one row cannot show a query per row
        RelationshipLevel.objects.create(
            country_a_id="CHN", country_b_id="KAZ", level="comprehensive strategic partnership"
        )
    assert model._default_manager.count() >= 2
    with CaptureQueriesContext(connection) as queries:
        changelist_rows(admin_client.get(url(model, "changelist")))
    by_shape = defaultdict(set)
    for query in queries:
        by_shape[re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"])].add(query["sql"])
    assert {shape: sqls for shape, sqls in by_shape.items() if len(sqls) > 1} == {}


# Meetings.


def add_meetings(count):
    """More meetings like the seeded ones, each with its two participants."""
    china, tajikistan = Country.objects.get(pk="CHN"), Country.objects.get(pk="TJK")
    for n in range(count):
        meeting = Meeting.objects.create(
            slug=f"extra-{n}",
            title=f"Extra meeting {n}",
            date=datetime.date(2024, 1, n + 1),
            contact_type="phone_call",
            place=Place.objects.get(slug="almaty"),
        )
        Participant.objects.create(meeting=meeting, name_as_written=f"Host {n}", side=china)
        Participant.objects.create(meeting=meeting, name_as_written=f"Guest {n}", side=tajikistan)


def test_meeting_changelist_query_count_does_not_grow_with_rows(admin_client, seed):
    with CaptureQueriesContext(connection) as two_meetings:
        assert len(changelist_rows(admin_client.get(url(Meeting, "changelist")))) == 2
    add_meetings(5)
    with CaptureQueriesContext(connection) as seven_meetings:
        assert len(changelist_rows(admin_client.get(url(Meeting, "changelist")))) == 7
    assert len(seven_meetings) == len(two_meetings)


def test_meeting_change_page_query_count_does_not_grow_with_commitments(admin_client, seed):
    """Each commitment row's sides, topic and statement are selects whose choices load once
    for the page, not a lookup per row (the 2022 page cost 48 queries for 11 rows)."""
    meeting = Meeting.objects.get(slug=TUNXI)
    page = url(Meeting, "change", meeting.pk)
    with CaptureQueriesContext(connection) as before:
        assert admin_client.get(page).status_code == 200
    topic = Topic.objects.get(slug="security")
    for n in range(5):
        commitment = Commitment.objects.create(
            slug=f"extra-{n}", meeting=meeting, kind="pledge", description="More"
        )
        commitment.sides.set(["CHN"])
        commitment.topics.set([topic])
    with CaptureQueriesContext(connection) as after:
        assert admin_client.get(page).status_code == 200
    assert len(after) == len(before)


def test_person_change_page_query_count_does_not_grow_with_tenures(admin_client, seed):
    person = Person.objects.get(slug="wang-yi")
    page = url(Person, "change", person.pk)
    with CaptureQueriesContext(connection) as before:
        assert admin_client.get(page).status_code == 200
    for position in Position.objects.exclude(tenures__person=person)[:3]:
        Tenure.objects.create(person=person, position=position)
    with CaptureQueriesContext(connection) as after:
        assert admin_client.get(page).status_code == 200
    assert len(after) == len(before)


def test_meeting_changelist_lists_participants_and_skips_the_full_count(admin_client, seed):
    response = admin_client.get(url(Meeting, "changelist"))
    assert b"Wang Yi, Muzaffar Ashurion" in response.content
    assert response.context["cl"].full_result_count is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "TJK"}, {TUNXI, ALMATY}),
        ({"country": "chn"}, {TUNXI, ALMATY}),
        ({"country": "KAZ"}, {ALMATY}),  # the place's country, a third country
        ({"country": "USA"}, set()),
        ({"status": "published"}, {TUNXI, ALMATY}),
        ({"status": "draft"}, set()),
        ({"contact_type": "meeting"}, {TUNXI, ALMATY}),
        ({"date__gte": "2025-01-01"}, {ALMATY}),
        ({"date__year": "2022"}, {TUNXI}),  # date hierarchy
        ({"q": "Ashurion"}, {TUNXI}),
        ({"q": "Mukhriddin"}, {ALMATY}),  # a person's alias
    ],
)
def test_meeting_changelist_filters_and_searches(admin_client, seed, query, expected):
    rows = changelist_rows(admin_client.get(url(Meeting, "changelist"), query))
    assert slugs(rows) == expected
    assert len(rows) == len(slugs(rows))  # no duplicates


def test_meeting_topic_filter_includes_topics_below(admin_client, seed):
    def meetings_about(slug):
        topic = Topic.objects.get(slug=slug)
        return slugs(
            changelist_rows(admin_client.get(url(Meeting, "changelist"), {"topic": topic.pk}))
        )

    assert meetings_about("health") == {TUNXI, ALMATY}  # 2022: COVID-19, traditional medicine
    assert meetings_about("covid-19") == {TUNXI}
    assert meetings_about("environment") == {ALMATY}  # through glaciers
    assert meetings_about("counter-terrorism") == {TUNXI, ALMATY}


def test_meeting_filters_refuse_a_malformed_topic(admin_client, seed):
    response = admin_client.get(url(Meeting, "changelist"), {"topic": "security"})
    assert response.status_code == 302
    assert "e=1" in response.url


def test_it_saves_an_untouched_meeting_with_its_inlines(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    page = url(Meeting, "change", meeting.pk)
    response = admin_client.get(page)
    inline_names = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert inline_names == [
        "participants",
        "SourceDocument_meetings",
        "statements",
        "commitment_proposals",
        "commitments",
    ]
    before = (meeting.participants.count(), meeting.statements.count(), meeting.commitments.count())

    response = admin_client.post(page, form_post_data(response))

    assert response.status_code == 302, form_errors(response)
    assert (
        meeting.participants.count(),
        meeting.statements.count(),
        meeting.commitments.count(),
    ) == before
    assert meeting.sources.count() == 1


def test_it_adds_a_meeting_with_its_participants_and_source(admin_client, seed):
    page = url(Meeting, "add")
    response = admin_client.get(page)
    inline_names = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert inline_names == ["participants", "SourceDocument_meetings"]  # statements come after
    source = SourceDocument.objects.get(meetings__slug=ALMATY)
    data = form_post_data(response) | {
        "title": "Wang Yi holds a phone call with Sirojiddin Muhriddin",
        "slug": "2025-05-01-wang-yi-sirojiddin-muhriddin-call",
        "date": "2025-05-01",
        "contact_type": "phone_call",
        "status": "draft",
        "participants-0-name_as_written": "Wang Yi",
        "participants-0-side": "CHN",
        "participants-0-person": str(Person.objects.get(slug="wang-yi").pk),
        "participants-1-name_as_written": "Sirojiddin Muhriddin",
        "participants-1-side": "TJK",
        "participants-1-order": "1",
        "SourceDocument_meetings-TOTAL_FORMS": "1",
        "SourceDocument_meetings-0-sourcedocument": str(source.pk),
    }

    response = admin_client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    meeting = Meeting.objects.get(slug="2025-05-01-wang-yi-sirojiddin-muhriddin-call")
    assert [p.name_as_written for p in meeting.participants.all()] == [
        "Wang Yi",
        "Sirojiddin Muhriddin",
    ]
    assert list(meeting.sources.all()) == [source]


def test_it_refuses_a_participant_representing_a_country_and_an_organisation(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    page = url(Meeting, "change", meeting.pk)
    data = form_post_data(admin_client.get(page))
    data["participants-0-side_organization"] = str(Organization.objects.get(slug="sco").pk)

    errors = form_errors(admin_client.post(page, data))

    assert "either a country or an organisation" in str(errors)


def test_a_statement_added_from_the_meeting_page_gets_its_span_and_returns_there(
    admin_client, seed
):
    meeting = Meeting.objects.get(slug=ALMATY)
    source = meeting.sources.get()
    sentence = (
        "Tajikistan welcomes more Chinese enterprises to invest and do business in the country"
    )
    start = source.text.index(sentence)
    # The link the meeting page gives for words selected in its readout.
    page = (
        url(Statement, "add")
        + f"?meeting={meeting.pk}&source={source.pk}&start={start}&end={start + len(sentence)}"
    )
    form = admin_client.get(page).context["adminform"].form
    assert [form[name].value() for name in ("meeting", "source", "start", "end")] == [
        str(meeting.pk),
        str(source.pk),
        str(start),
        str(start + len(sentence)),
    ]
    data = statement_data(meeting, start=start, end=start + len(sentence), text="") | {
        "kind": "welcome",
        "attribution": "speaker",
        "speaker": meeting.participants.get(name_as_written="Sirojiddin Muhriddin").pk,
    }

    response = admin_client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    statement = meeting.statements.get(start=start, end=start + len(sentence))
    assert statement.text == sentence
    assert response.url == url(Meeting, "change", meeting.pk) + f"#statement-{statement.pk}"


def test_it_refuses_a_speaker_from_another_meeting_in_a_statement_row(admin_client, seed):
    meeting = Meeting.objects.get(slug=ALMATY)
    page = url(Meeting, "change", meeting.pk)
    data = form_post_data(admin_client.get(page))
    outsider = Participant.objects.get(name_as_written="Muzaffar Ashurion")
    data["statements-0-said_by"] = f"speaker:{outsider.pk}"

    errors = form_errors(admin_client.post(page, data))

    assert "statements-0-said_by" in errors
    assert "not one of the available choices" in str(errors["statements-0-said_by"])


def test_it_refuses_to_delete_a_statement_a_commitment_points_to(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    page = url(Meeting, "change", meeting.pk)
    response = admin_client.get(page)
    statements = response.context["inline_admin_formsets"][2].formset
    index = next(i for i, form in enumerate(statements.forms) if form.instance.commitments.exists())
    data = form_post_data(response) | {f"statements-{index}-DELETE": "on"}

    errors = form_errors(admin_client.post(page, data))

    assert "protected related objects: commitment" in str(errors["statements"])
    assert meeting.statements.count() == len(statements.forms)


@pytest.mark.parametrize(
    ("model", "slug", "field", "message"),
    [
        (Commitment, "2022-security-cooperation", "reaffirms", "cannot reaffirm itself"),
        (Topic, "security", "parent", "cannot be its own parent"),
        (Organization, "sco", "parent", "cannot be its own parent"),
    ],
)
def test_it_refuses_a_record_pointing_to_itself(admin_client, seed, model, slug, field, message):
    obj = model.objects.get(slug=slug)
    page = url(model, "change", obj.pk)
    data = form_post_data(admin_client.get(page)) | {field: str(obj.pk)}

    assert message in str(form_errors(admin_client.post(page, data)))


# The API refuses the same (tests/test_api_errors.py): the rule is the model's `clean()`.
@pytest.mark.parametrize(
    ("model", "slug", "new_parent", "message"),
    [
        (Topic, "health", "covid-19", "A topic cannot sit below itself."),
        (Organization, "prc", "mfa-china", "An organisation cannot sit below itself."),
        (Place, "anhui", "tunxi", "A place cannot sit inside itself."),
    ],
)
def test_it_refuses_a_parent_below_the_record(admin_client, seed, model, slug, new_parent, message):
    obj = model.objects.get(slug=slug)
    page = url(model, "change", obj.pk)
    parent = model.objects.get(slug=new_parent)
    data = form_post_data(admin_client.get(page)) | {"parent": str(parent.pk)}

    assert form_errors(admin_client.post(page, data)) == {"parent": [message]}
    obj.refresh_from_db()
    assert obj.parent_id is None


def test_it_refuses_a_tenure_replacing_one_in_another_office(admin_client, seed):
    tenure = Tenure.objects.get(person__slug="wang-yi", position__slug="prc-state-councilor")
    elsewhere = Tenure.objects.get(position__slug="prc-president")
    page = url(Tenure, "change", tenure.pk)
    data = form_post_data(admin_client.get(page)) | {"replaces": str(elsewhere.pk)}

    errors = form_errors(admin_client.post(page, data))

    assert errors == {"replaces": ["The predecessor's tenure must be in the same office."]}


def test_it_refuses_a_tenure_replacing_another_office_in_the_person_inline(admin_client, seed):
    person = Person.objects.get(slug="wang-yi")
    page = url(Person, "change", person.pk)
    response = admin_client.get(page)
    data = form_post_data(response)
    tenures = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Tenure
    )
    row = next(
        form for form in tenures.forms if form.instance.position.slug == "prc-state-councilor"
    )
    elsewhere = Tenure.objects.get(position__slug="prc-president")
    data[row.add_prefix("replaces")] = str(elsewhere.pk)

    errors = form_errors(admin_client.post(page, data))

    assert errors == {
        row.add_prefix("replaces"): ["The predecessor's tenure must be in the same office."]
    }


def test_it_refuses_a_constraint_violation_as_a_form_error(admin_client, seed):
    meeting = Meeting.objects.get(slug=ALMATY)
    page = url(Meeting, "change", meeting.pk)
    data = form_post_data(admin_client.get(page)) | {"occasion_relation": "sidelines"}

    errors = form_errors(admin_client.post(page, data))

    assert "An occasion relation needs an occasion." in str(errors)


def test_it_marks_meetings_reviewed_and_published(admin_client, seed):
    Meeting.objects.update(status="draft")
    tunxi = Meeting.objects.get(slug=TUNXI)
    changelist = url(Meeting, "changelist")

    response = admin_client.post(
        changelist, {"action": "mark_reviewed", "_selected_action": [tunxi.pk]}
    )
    assert response.status_code == 302
    assert dict(Meeting.objects.values_list("slug", "status")) == {
        TUNXI: "reviewed",
        ALMATY: "draft",
    }

    all_ids = list(Meeting.objects.values_list("pk", flat=True))
    admin_client.post(changelist, {"action": "mark_published", "_selected_action": all_ids})
    assert set(Meeting.objects.values_list("status", flat=True)) == {"published"}
    assert LogEntry.objects.filter(object_id=str(tunxi.pk)).count() == 2


def test_it_keeps_a_quoted_source_linked_to_the_meeting(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    page = url(Meeting, "change", meeting.pk)
    data = form_post_data(admin_client.get(page)) | {"SourceDocument_meetings-0-DELETE": "on"}

    errors = form_errors(admin_client.post(page, data))

    assert "quote" in str(errors["SourceDocument_meetings"])
    assert meeting.sources.count() == 1


def test_source_link_inline_autocompletes_sources(admin_client, seed):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "events",
            "model_name": "sourcedocument_meetings",
            "field_name": "sourcedocument",
            "term": "Muhriddin",
        },
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [
        str(Meeting.objects.get(slug=ALMATY).sources.get().pk)
    ]


# Statements.


def statement_data(meeting, **overrides):
    source = meeting.sources.get()
    sentence = "Wang Yi said"
    start = source.text.index(sentence)
    return {
        "meeting": meeting.pk,
        "source": source.pk,
        "attribution": "joint",
        "kind": "other",
        "start": start,
        "end": start + len(sentence),
        "text": sentence,
    } | overrides


def test_it_adds_a_statement_whose_text_is_the_span(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    response = admin_client.post(url(Statement, "add"), statement_data(meeting))
    assert response.status_code == 302, form_errors(response)


def test_it_refuses_a_statement_text_that_is_not_the_span(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    count = Statement.objects.count()

    response = admin_client.post(
        url(Statement, "add"), statement_data(meeting, text="Wang Yi says")
    )

    errors = form_errors(response)
    assert "not the source's text" in str(errors["text"])
    assert Statement.objects.count() == count


def test_it_points_to_where_a_misplaced_text_is(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    data = statement_data(meeting)
    data |= {"start": data["start"] + 1, "end": data["end"] + 1}

    errors = form_errors(admin_client.post(url(Statement, "add"), data))

    assert f"at [{data['start'] - 1}, {data['end'] - 1})" in str(errors["text"])


def test_it_refuses_a_span_past_the_end_of_the_source(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    length = len(meeting.sources.get().text)
    data = statement_data(meeting, start=length - 2, end=length + 5, text="")

    errors = form_errors(admin_client.post(url(Statement, "add"), data))

    assert "end" in errors


def test_it_fills_an_empty_statement_text_from_the_span(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    response = admin_client.post(url(Statement, "add"), statement_data(meeting, text=""))
    assert response.status_code == 302, form_errors(response)
    assert Statement.objects.filter(meeting=meeting, text="Wang Yi said").exists()


def test_it_refuses_a_speaker_who_did_not_take_part(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    outsider = Participant.objects.get(name_as_written="Sirojiddin Muhriddin")
    data = statement_data(meeting, attribution="speaker", speaker=outsider.pk)

    errors = form_errors(admin_client.post(url(Statement, "add"), data))

    assert list(errors) == ["speaker"]


def test_it_refuses_a_source_that_does_not_report_the_meeting(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    other_source = Meeting.objects.get(slug=ALMATY).sources.get()
    data = statement_data(meeting, source=other_source.pk, text="")

    errors = form_errors(admin_client.post(url(Statement, "add"), data))

    assert "source" in errors


def test_it_refuses_an_inconsistent_attribution(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    data = statement_data(meeting, attribution="side")  # a side's statement names the side

    errors = form_errors(admin_client.post(url(Statement, "add"), data))

    assert "names the side" in str(errors)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Luban"}, {"text__contains": "Luban"}),
        ({"kind": "agreement"}, {"kind": "agreement"}),
        ({"attribution": "joint"}, {"attribution": "joint"}),
        ({"meeting__date__year": "2025"}, {"meeting__slug": ALMATY}),
    ],
)
def test_statement_changelist_filters_and_searches(admin_client, seed, query, expected):
    rows = changelist_rows(admin_client.get(url(Statement, "changelist"), query))
    assert rows
    assert set(rows) == set(Statement.objects.filter(**expected))


def test_statement_topic_filter_includes_topics_below(admin_client, seed):
    security = Topic.objects.get(slug="security")
    rows = changelist_rows(admin_client.get(url(Statement, "changelist"), {"topic": security.pk}))
    assert {row.meeting.slug for row in rows} == {TUNXI, ALMATY}
    assert len(rows) == 2


# Sources.


def test_it_computes_a_new_source_hash_from_its_text(admin_client, seed):
    text = "On April 1, 2025, a readout.\r\nSecond paragraph."
    response = admin_client.post(
        url(SourceDocument, "add"), {"title": "Another readout", "language": "en", "text": text}
    )
    assert response.status_code == 302, form_errors(response)
    source = SourceDocument.objects.get(title="Another readout")
    assert source.text == "On April 1, 2025, a readout.\nSecond paragraph."
    assert source.content_hash == SourceDocument.hash_text(source.text)


def test_it_refuses_a_source_with_a_duplicate_text(admin_client, seed):
    existing = SourceDocument.objects.get(meetings__slug=TUNXI)
    response = admin_client.post(
        url(SourceDocument, "add"),
        {"title": "The same readout again", "language": "en", "text": existing.text},
    )
    errors = form_errors(response)
    assert "already has exactly this text" in str(errors["text"])
    assert SourceDocument.objects.count() == 2


def test_it_keeps_the_text_of_a_source_with_statements(admin_client, seed):
    source = SourceDocument.objects.get(meetings__slug=TUNXI)
    page = url(SourceDocument, "change", source.pk)
    response = admin_client.get(page)
    assert "text" not in response.context["adminform"].form.fields

    data = form_post_data(response) | {"text": "Rewritten.", "title": "Retitled"}
    response = admin_client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    source.refresh_from_db()
    assert (source.title, source.content_hash) == (
        "Retitled",
        SourceDocument.hash_text(source.text),
    )
    assert source.text.startswith("On March 31, 2022")


def test_it_keeps_a_source_linked_to_the_meetings_that_quote_it(admin_client, seed):
    source = SourceDocument.objects.get(meetings__slug=TUNXI)
    page = url(SourceDocument, "change", source.pk)
    data = form_post_data(admin_client.get(page)) | {"meetings": []}

    errors = form_errors(admin_client.post(page, data))

    assert "quote this source" in str(errors["meetings"])


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("in Almaty (MFA", {ALMATY}),  # the title
        ("three evil forces", {TUNXI}),  # the text
        ("Wang Yi", {TUNXI, ALMATY}),
    ],
)
def test_source_changelist_searches_title_and_text(admin_client, seed, term, expected):
    rows = changelist_rows(admin_client.get(url(SourceDocument, "changelist"), {"q": term}))
    assert {meeting.slug for row in rows for meeting in row.meetings.all()} == expected


# Commitments.


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "fulfilled"}, set()),
        (
            {"kind": "agreement"},
            {
                "2022-security-cooperation",
                "2022-sco-cica-coordination",
                "2025-sco-china-central-asia-support",
                "2025-border-control-counter-terrorism",
            },
        ),
        ({"q": "Luban"}, {"2022-chn-luban-workshop"}),
        (
            {"sides__alpha3__exact": "CHN", "meeting__date__year": "2025", "kind": "pledge"},
            {
                "2025-chn-central-conference-neighboring-countries",
                "2025-chn-mutual-trust-synergy-exchanges",
                "2025-chn-development-synergy",
                "2025-chn-friendly-exchanges",
                "2025-chn-free-trade",
            },
        ),
    ],
)
def test_commitment_changelist_filters_and_searches(admin_client, seed, query, expected):
    assert (
        slugs(changelist_rows(admin_client.get(url(Commitment, "changelist"), query))) == expected
    )


def test_commitment_topic_filter_includes_topics_below(admin_client, seed):
    security = Topic.objects.get(slug="security")
    rows = changelist_rows(admin_client.get(url(Commitment, "changelist"), {"topic": security.pk}))
    assert slugs(rows) == {"2022-security-cooperation", "2025-border-control-counter-terrorism"}


def test_a_status_change_inline_becomes_the_commitment_status(admin_client, seed):
    commitment = Commitment.objects.get(slug="2022-security-cooperation")
    page = url(Commitment, "change", commitment.pk)
    data = form_post_data(admin_client.get(page))
    new = f"status_changes-{data['status_changes-INITIAL_FORMS']}"
    data |= {f"{new}-date": "2026-01-01", f"{new}-status": "fulfilled"}

    response = admin_client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"
    assert commitment.status_changes.count() == 2


def test_a_commitment_added_in_the_admin_starts_pledged_on_the_meeting_date(admin_client, seed):
    meeting = Meeting.objects.get(slug=ALMATY)
    response = admin_client.post(
        url(Commitment, "add"),
        {
            "slug": "2025-chn-glaciers-conference-support",
            "meeting": meeting.pk,
            "kind": "pledge",
            "sides": ["CHN"],
            "description": "China supports Tajikistan hosting the glaciers conference.",
            "topic": Topic.objects.get(slug="glaciers").pk,
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, form_errors(response)
    commitment = Commitment.objects.get(slug="2025-chn-glaciers-conference-support")
    assert list(commitment.status_changes.values_list("status", "date")) == [
        ("pledged", meeting.date)
    ]
    assert commitment.status == "pledged"


def test_it_refuses_a_commitment_statement_from_another_meeting(admin_client, seed):
    commitment = Commitment.objects.get(slug="2025-border-control-counter-terrorism")
    page = url(Commitment, "change", commitment.pk)
    data = form_post_data(admin_client.get(page))
    data["statement"] = str(Statement.objects.filter(meeting__slug=TUNXI).first().pk)

    errors = form_errors(admin_client.post(page, data))

    assert list(errors) == ["statement"]


# The API refuses the same commitments (tests/test_api_commitments.py): sides are
# `services.validate_commitment_sides`, the statement and `reaffirms` `Commitment.clean()`.
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sides": ["USA"]}, "Not a side of this meeting: USA."),
        ({"sides": ["CHN", "TJK"]}, "A pledge is made by one side."),
        ({"kind": "agreement"}, "An agreement is made by at least two sides."),
    ],
)
def test_it_refuses_commitment_sides_that_do_not_fit(admin_client, seed, changes, message):
    commitment = Commitment.objects.get(slug="2022-chn-luban-workshop")
    page = url(Commitment, "change", commitment.pk)
    data = form_post_data(admin_client.get(page)) | changes

    assert form_errors(admin_client.post(page, data)) == {"sides": [message]}
    assert list(commitment.sides.values_list("alpha3", flat=True)) == ["CHN"]


def test_it_refuses_a_pledge_by_a_country_not_at_the_meeting_inline(admin_client, seed):
    meeting = Meeting.objects.get(slug=TUNXI)
    page = url(Meeting, "change", meeting.pk)
    response = admin_client.get(page)
    data = form_post_data(response)
    commitments = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Commitment
    )
    row = next(form for form in commitments.forms if form.instance.kind == "pledge")
    data[row.add_prefix("sides")] = ["USA"]

    errors = form_errors(admin_client.post(page, data))

    # The row offers only the meeting's sides; the form refuses any other.
    assert list(errors) == [row.add_prefix("sides")]
    assert "USA is not one of the available choices" in str(errors)


def test_it_refuses_reaffirming_a_later_commitment(admin_client, seed):
    commitment = Commitment.objects.get(slug="2022-chn-luban-workshop")
    later = Commitment.objects.get(slug="2025-chn-free-trade")
    page = url(Commitment, "change", commitment.pk)
    data = form_post_data(admin_client.get(page)) | {"reaffirms": str(later.pk)}

    errors = form_errors(admin_client.post(page, data))

    assert errors == {"reaffirms": ["A commitment reaffirms one made at an earlier meeting."]}


def test_it_refuses_two_commitments_of_the_same_day_reaffirming_each_other(admin_client, seed):
    commitment = Commitment.objects.get(slug="2022-security-cooperation")
    tunxi = commitment.meeting
    same_day = Meeting.objects.create(
        slug="same-day", title="Same day", date=tunxi.date, contact_type="phone_call"
    )
    Participant.objects.create(meeting=same_day, name_as_written="Host", side_id="CHN")
    repeat = Commitment.objects.create(
        slug="same-day-repeat", meeting=same_day, kind="pledge", description="Repeat"
    )
    repeat.reaffirms.set([commitment])
    page = url(Commitment, "change", commitment.pk)
    data = form_post_data(admin_client.get(page)) | {"reaffirms": str(repeat.pk)}

    errors = form_errors(admin_client.post(page, data))

    assert errors == {"reaffirms": ["A commitment cannot reaffirm one that reaffirms it."]}


def test_status_changes_edited_in_the_admin_keep_the_status_the_latest(admin_client, seed):
    commitment = Commitment.objects.get(slug="2022-security-cooperation")
    change = commitment.status_changes.get()
    later = CommitmentStatusChange.objects.create(
        commitment=commitment, status="fulfilled", date=datetime.date(2026, 1, 1)
    )
    page = url(CommitmentStatusChange, "change", change.pk)
    data = form_post_data(admin_client.get(page)) | {"date": "2026-06-01"}

    assert admin_client.post(page, data).status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == change.status  # the pledge, moved later, is now the latest
    assert later.pk != change.pk

    admin_client.post(url(CommitmentStatusChange, "delete", change.pk), {"post": "yes"})
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"


# People and organisations.


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        (Person, "Mukhriddin", ["Sirojiddin Muhriddin"]),  # an alias
        (Person, "Wang", ["Wang Yi"]),
        (Person, "Ashuriyon", ["Muzaffar Ashurion"]),
        (Organization, "SCO", ["Shanghai Cooperation Organization (SCO)"]),
        (
            Organization,
            "Chinese Foreign Ministry",  # an alias
            ["Ministry of Foreign Affairs of the People's Republic of China (MFA)"],
        ),
        (Country, "TJ", ["Tajikistan"]),
        (Country, "kaz", ["Kazakhstan"]),
        (Country, "Tajik", ["Tajikistan"]),
        (Place, "Tunxi", ["Tunxi, CHN"]),
    ],
)
def test_changelists_search_names_and_aliases(admin_client, seed, model, term, expected):
    rows = changelist_rows(admin_client.get(url(model, "changelist"), {"q": term}))
    assert [str(row) for row in rows] == expected


def test_country_codes_are_read_only_and_countries_are_not_deleted(admin_client, seed):
    response = admin_client.get(url(Country, "change", "TJK"))
    assert set(response.context["adminform"].form.fields) == {
        "name",
        "official_name",
        "opened_version",
    }
    assert admin_client.get(url(Country, "delete", "TJK")).status_code == 403


def test_it_refuses_a_status_change_dated_before_the_commitment(admin_client, seed):
    commitment = Commitment.objects.get(slug="2022-security-cooperation")
    page = url(CommitmentStatusChange, "change", commitment.status_changes.get().pk)
    data = form_post_data(admin_client.get(page)) | {"date": "2021-01-01"}

    errors = form_errors(admin_client.post(page, data))

    assert errors == {"date": ["This is before the commitment was made (2022-03-31)."]}
