"""The meeting page a curator works in (where confirming an import lands).

The readout with each statement highlighted beside the fields that edit it, participants in
narrow rows, proposed commitments with Accept and Reject, commitments with their chains;
a fixed number of queries and a bounded size however many rows; everything it saves goes
through the services. `benchmark` is the 41-statement meeting `measure_meeting_page`
measures (both seed readouts as one meeting, the seed's commitments made again).
"""

import re
from html import unescape

import pytest
from admin_pages import (  # noqa: F401  (admin_test_settings: an autouse fixture)
    admin_test_settings,
    form_errors,
    form_post_data,
    rendered_form_data,
    url,
)
from django import forms
from django.contrib.auth.models import Permission
from django.test import Client

from events.management.commands.measure_meeting_page import build_benchmark_meeting
from events.models import (
    Commitment,
    CommitmentProposal,
    Meeting,
    Position,
    SourceDocument,
    Statement,
    Topic,
)

ALMATY = "2025-04-25-wang-yi-sirojiddin-muhriddin"


@pytest.fixture
def benchmark(seed) -> Meeting:
    return build_benchmark_meeting()


def page_of(client, meeting):
    response = client.get(url(Meeting, "change", meeting.pk))
    assert response.status_code == 200
    return response


def statement_rows(response) -> dict[int, str]:
    """Each statement row's HTML, by the statement's id."""
    html = response.content.decode()
    rows = re.findall(r'<div class="statement-row[^"]*" id="statements-\d+">.*?</mark>', html, re.S)
    found = {}
    for row in rows:
        found[int(re.search(r'id="statement-(\d+)"', row).group(1))] = row
    return found


# What the page shows ------------------------------------------------------------------


def test_the_readout_reads_whole_with_every_statement_highlighted(admin_client, benchmark):
    response = page_of(admin_client, benchmark)
    html = response.content.decode()
    source = benchmark.sources.get()
    statements = list(benchmark.statements.select_related("speaker").order_by("start"))
    assert len(statements) == 41

    marks = re.findall(
        r'<mark class="readout-statement readout-kind-(\w+)" '
        r'data-label="([^"]*)"[^>]*id="statement-(\d+)">(.*?)</mark>',
        html,
        re.S,
    )
    assert [int(pk) for *_, pk, _ in marks] == [s.pk for s in statements]
    for (kind, label, _pk, text), statement in zip(marks, statements, strict=True):
        assert kind == statement.kind
        assert unescape(text) == statement.text
        said_by = statement.speaker.name_as_written if statement.speaker else "Both sides"
        assert unescape(label) == f"{statement.get_kind_display()} · {said_by}"
    # Nothing of the readout is lost: the greyed text between statements and the marks,
    # read in order, are the source's text.
    group = html[
        html.index('id="statements-group"') : html.index('id="commitment_proposals-group"')
    ]
    texts = re.findall(
        r'<(?:span class="readout-gap"|mark)[^>]*>(.*?)</(?:span|mark)>', group, re.S
    )
    assert "".join(unescape(text) for text in texts) == source.text


def test_each_statement_row_edits_its_kind_speaker_and_topics(admin_client, benchmark):
    response = page_of(admin_client, benchmark)
    statement = benchmark.statements.filter(speaker__isnull=False).order_by("start").first()
    row = statement_rows(response)[statement.pk]
    assert row  # the row holds the statement's mark, then its fields
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Statement
    )
    form = next(form for form in formset.forms if form.instance.pk == statement.pk)
    assert set(form.fields) == {"kind", "said_by", "topics", "id", "meeting", "DELETE"}
    assert form["said_by"].value() == f"speaker:{statement.speaker_id}"
    said_by = [label for _, label in form.fields["said_by"].choices]
    assert said_by == [
        "Wang Yi (CHN)",
        "Muzaffar Ashurion (TJK)",
        "Sirojiddin Muhriddin (TJK)",
        "China",
        "Tajikistan",
        "Both sides",
    ]


def test_commitments_show_the_chain_they_belong_to(admin_client, benchmark):
    html = page_of(admin_client, benchmark).content.decode()
    # The benchmark's 2025 pledge on Belt and Road reaffirms the seed's 2025 one, which
    # reaffirms the 2022 one: the row names the 2022 commitment as its chain's start.
    chains = re.findall(r'<ol class="commitment-chain">(.*?)</ol>', html, re.S)
    assert chains
    first_links = [re.findall(r">(\d{4}-\d{2}-\d{2}): ", chain) for chain in chains]
    assert ["2022-03-31"] in first_links


def test_the_page_has_no_horizontal_parts_and_nothing_inline_the_policy_refuses(
    admin_client, benchmark
):
    html = page_of(admin_client, benchmark).content.decode()
    assert " style=" not in html  # the Content-Security-Policy refuses inline styles
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # nor inline scripts
    assert "SourceDocument_meetings object" not in html
    assert "events/admin/curation.css" in html and "events/admin/curation.js" in html


def test_the_page_stays_under_150_kb_for_41_statements(admin_client, benchmark):
    size = len(page_of(admin_client, benchmark).content)
    assert size < 150_000, size


def test_the_page_costs_a_fixed_number_of_queries(
    admin_client, benchmark, django_assert_num_queries
):
    # The session and the user; the proposals decided (for the jump links); the meeting;
    # its participants (the statements' "said by"); the meeting's sides, once for the
    # commitments' side selects and once for the proposals'; the commitments, their sides,
    # topics and reaffirmed commitments; one query per step along their chains (two steps
    # back to 2022, one forward) and one for the commitments found; the participants and
    # their offices; the sources; the statements, their sources' texts and their topics;
    # the proposals still to decide, their sides, topics and suggested commitments; the
    # meeting's place.
    page_of(admin_client, benchmark)  # caches (content types) warmed, as in production
    with django_assert_num_queries(26):
        page_of(admin_client, benchmark)


def test_the_queries_do_not_grow_with_rows(admin_client, benchmark):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.services import commitment_create

    with CaptureQueriesContext(connection) as before:
        page_of(admin_client, benchmark)
    # Five more commitments, each reaffirming one of the seed's (chains no longer).
    for n, row in enumerate(benchmark.commitments.order_by("pk")[:5]):
        commitment_create(
            slug=f"more-{n}",
            meeting=benchmark,
            kind=row.kind,
            sides=list(row.sides.all()),
            description=f"More {n}",
            reaffirms=list(row.reaffirms.all()),
        )
    with CaptureQueriesContext(connection) as after:
        page_of(admin_client, benchmark)
    assert len(after) == len(before)
    assert benchmark.commitments.count() == 28


# What the page saves ----------------------------------------------------------------------


def test_correcting_a_statements_kind_speaker_and_topics_saves_them(admin_client, seed):
    meeting = Meeting.objects.get(slug=ALMATY)
    page = url(Meeting, "change", meeting.pk)
    response = admin_client.get(page)
    data = form_post_data(response)
    statement = meeting.statements.order_by("start").first()
    index = next(
        i
        for i in range(len(meeting.statements.all()))
        if data[f"statements-{i}-id"] == str(statement.pk)
    )
    glaciers = Topic.objects.get(slug="glaciers")
    data |= {
        f"statements-{index}-kind": "assessment",
        f"statements-{index}-said_by": "joint",
        f"statements-{index}-topics": [str(glaciers.pk)],
    }

    response = admin_client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    statement.refresh_from_db()
    assert (statement.kind, statement.attribution, statement.speaker, statement.side) == (
        "assessment",
        "joint",
        None,
        None,
    )
    assert list(statement.topics.all()) == [glaciers]
    latest = statement.history.order_by("-history_date").first()
    assert (latest.history_channel, latest.history_user.username) == ("admin", "admin")


def test_a_participants_offices_are_edited_in_its_row(admin_client, seed):
    meeting = Meeting.objects.get(slug=ALMATY)
    page = url(Meeting, "change", meeting.pk)
    data = form_post_data(admin_client.get(page))
    participant = meeting.participants.get(name_as_written="Sirojiddin Muhriddin")
    index = next(i for i in range(2) if data[f"participants-{i}-id"] == str(participant.pk))
    justice = Position.objects.get(slug="tajikistan-justice-minister")
    data[f"participants-{index}-offices"] = [str(justice.pk)]

    response = admin_client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    assert list(participant.offices.all()) == [justice]


def row_index(data, prefix: str, pk: int) -> int:
    """The index of the inline row that edits the record `pk`."""
    return next(
        i
        for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
        if data.get(f"{prefix}-{i}-id") == str(pk)
    )


def test_the_page_posts_back_what_its_rows_render(admin_client, benchmark):
    """The compact rows (participants, sources, proposals, commitments) and the statements'
    rows are written in Python: what a browser would post from the HTML is what the forms
    hold, field for field."""
    response = page_of(admin_client, benchmark)
    rendered = rendered_form_data(response, "meeting_form")
    expected = form_post_data(response)
    for prefix in ("participants", "SourceDocument_meetings", "statements"):
        assert f"{prefix}-TOTAL_FORMS" in rendered
    for prefix in ("commitment_proposals", "commitments"):
        assert int(rendered[f"{prefix}-TOTAL_FORMS"]) > 0

    # Each row's fields but the foreign key to the meeting, which the rows leave out (the
    # formset takes the page's meeting).
    def as_list(value):  # a field sent no value (an empty multiple select) is not sent
        return [] if value is None else value if isinstance(value, list) else [value]

    rows = {
        name: as_list(value)
        for name, value in expected.items()
        if name.count("-") == 2 and not name.endswith("-meeting")
    }
    assert len(rows) > 200
    assert {name: as_list(rendered.get(name)) for name in rows} == rows


def test_a_change_in_the_rendered_rows_is_saved(admin_client, benchmark):
    """Posting the page's own HTML form, with an edit in each kind of compact row."""
    page = url(Meeting, "change", benchmark.pk)
    data = rendered_form_data(page_of(admin_client, benchmark), "meeting_form")
    participant = benchmark.participants.order_by("pk").first()
    commitment = benchmark.commitments.order_by("pk").first()
    proposal = benchmark.commitment_proposals.filter(state="proposed").order_by("pk").first()
    p = row_index(data, "participants", participant.pk)
    c = row_index(data, "commitments", commitment.pk)
    q = row_index(data, "commitment_proposals", proposal.pk)
    glaciers = Topic.objects.get(slug="glaciers")
    data |= {
        f"participants-{p}-title_as_written": "Foreign Minister (as retyped)",
        f"commitments-{c}-description": "Edited in its row.",
        f"commitments-{c}-topics": [str(glaciers.pk)],
        f"commitment_proposals-{q}-description": "Proposal edited in its row.",
    }

    response = admin_client.post(page, data)

    assert response.status_code == 302, form_errors(response)
    participant.refresh_from_db()
    commitment.refresh_from_db()
    proposal.refresh_from_db()
    assert participant.title_as_written == "Foreign Minister (as retyped)"
    assert commitment.description == "Edited in its row."
    assert list(commitment.topics.all()) == [glaciers]
    assert (proposal.description, proposal.state) == ("Proposal edited in its row.", "proposed")


def test_a_rows_error_shows_in_its_row_and_the_corrected_page_saves(admin_client, benchmark):
    page = url(Meeting, "change", benchmark.pk)
    data = rendered_form_data(page_of(admin_client, benchmark), "meeting_form")
    commitment = benchmark.commitments.order_by("pk").first()
    c = row_index(data, "commitments", commitment.pk)
    data[f"commitments-{c}-description"] = ""

    response = admin_client.post(page, data)

    assert form_errors(response) == {f"commitments-{c}-description": ["This field is required."]}
    html = response.content.decode()
    row = re.search(rf'<tr class="form-row has_original" id="commitments-{c}">.*?</tr>', html, re.S)
    assert (
        '<div class="field-description errors"><ul class="errorlist" '
        f'id="id_commitments-{c}-description_error"><li>This field is required.</li></ul>'
    ) in row.group()
    # The re-rendered page, corrected, saves.
    data = rendered_form_data(response, "meeting_form")
    assert data[f"commitments-{c}-description"] == ""
    data[f"commitments-{c}-description"] = "Corrected."
    response = admin_client.post(page, data)
    assert response.status_code == 302, form_errors(response)
    commitment.refresh_from_db()
    assert commitment.description == "Corrected."


def proposals_page(client, meeting):
    response = client.get(url(Meeting, "change", meeting.pk))
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is CommitmentProposal
    )
    return response, formset


def test_accept_records_the_commitment_with_the_rows_edits_and_saves_the_page(
    admin_client, benchmark
):
    response, formset = proposals_page(admin_client, benchmark)
    assert formset.forms, "the benchmark has proposals still to decide"
    form = formset.forms[0]
    proposal = form.instance
    data = form_post_data(response)
    data[form.add_prefix("description")] = "Edited before accepting."
    data["notes"] = "Checked against the source."  # an edit elsewhere on the page
    data["_proposal"] = f"accept:{proposal.pk}"

    response = admin_client.post(url(Meeting, "change", benchmark.pk), data, follow=True)

    assert response.redirect_chain[-1][0].endswith("#commitment_proposals-group")
    messages = [str(message) for message in response.context["messages"]]
    assert any(m.startswith("Commitment recorded: “Edited before accepting.”") for m in messages)
    proposal.refresh_from_db()
    assert proposal.state == "accepted"
    assert proposal.decided_by.username == "admin"
    commitment = proposal.commitment
    assert (commitment.description, commitment.meeting, commitment.statement) == (
        "Edited before accepting.",
        benchmark,
        proposal.statement,
    )
    benchmark.refresh_from_db()
    assert benchmark.notes == "Checked against the source."
    # Decided, it leaves the rows still to decide.
    _, formset = proposals_page(admin_client, benchmark)
    assert proposal.pk not in {form.instance.pk for form in formset.forms}


def test_reject_records_no_commitment(admin_client, benchmark):
    response, formset = proposals_page(admin_client, benchmark)
    proposal = formset.forms[0].instance
    commitments = Commitment.objects.count()
    data = form_post_data(response) | {"_proposal": f"reject:{proposal.pk}"}

    response = admin_client.post(url(Meeting, "change", benchmark.pk), data, follow=True)

    assert any("Proposal rejected" in str(m) for m in response.context["messages"])
    proposal.refresh_from_db()
    assert proposal.state == "rejected"
    assert Commitment.objects.count() == commitments


def test_an_accept_that_would_break_a_rule_shows_on_the_row_and_saves_nothing(
    admin_client, benchmark
):
    response, formset = proposals_page(admin_client, benchmark)
    form = next(form for form in formset.forms if form.instance.kind == "pledge")
    proposal = form.instance
    data = form_post_data(response)
    data[form.add_prefix("sides")] = ["CHN", "TJK"]  # a pledge is made by one side
    data["notes"] = "Not saved: the page is refused as a whole."
    data["_proposal"] = f"accept:{proposal.pk}"
    commitments = Commitment.objects.count()

    errors = form_errors(admin_client.post(url(Meeting, "change", benchmark.pk), data))

    assert errors[form.add_prefix("sides")] == ["A pledge is made by one side."]
    assert Commitment.objects.count() == commitments
    proposal.refresh_from_db()
    assert proposal.state == "proposed"
    benchmark.refresh_from_db()
    assert benchmark.notes != "Not saved: the page is refused as a whole."


def test_deciding_needs_the_right_to_add_commitments(django_user_model, benchmark):
    editor = django_user_model.objects.create_user("kim", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="events",
            codename__in=[
                "view_meeting",
                "change_meeting",
                "change_statement",
                "change_participant",
                "view_commitmentproposal",
                "change_commitmentproposal",
                "view_commitment",
                "change_commitment",
            ],
        )
    )
    client = Client()
    client.force_login(editor)
    response, formset = proposals_page(client, benchmark)
    proposal = formset.forms[0].instance
    data = form_post_data(response) | {"_proposal": f"accept:{proposal.pk}"}

    errors = form_errors(client.post(url(Meeting, "change", benchmark.pk), data))

    assert "rights to add commitments" in str(errors)
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


# Other pages ----------------------------------------------------------------------------


def test_a_sources_page_shows_its_text_with_the_statements_highlighted(admin_client, seed):
    source = SourceDocument.objects.get(meetings__slug=ALMATY)
    html = admin_client.get(url(SourceDocument, "change", source.pk)).content.decode()
    marks = re.findall(r"<mark\b[^>]*>", html)
    assert len(marks) == source.statements.count() == 22
    first = source.statements.order_by("start").first()
    assert f'href="{url(Statement, "change", first.pk)}"' in html


def test_review_flags_read_as_words(admin_client, seed):
    from events.models import Person

    Person.objects.filter(slug="wang-yi").update(needs_review=True)
    response = admin_client.get(url(Person, "changelist"))
    html = response.content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Wang Yi.*?</tr>", html, re.S).group()
    assert "Needs review" in row and "icon-yes" not in row
    reviewed = admin_client.get(url(Person, "changelist"), {"review": "done"})
    assert "Wang Yi" not in {person.name for person in reviewed.context["cl"].result_list}


def test_commitment_and_statement_lists_show_the_meeting_and_what_is_reaffirmed(admin_client, seed):
    html = admin_client.get(url(Commitment, "changelist")).content.decode()
    assert "2025-04-25: " in html  # the meeting by date and title
    assert "SourceDocument_meetings" not in html
    reaffirming = admin_client.get(url(Commitment, "changelist"), {"reaffirmation": "reaffirms"})
    rows = list(reaffirming.context["cl"].result_list)
    assert rows and all(row.reaffirms.exists() for row in rows)
    html = reaffirming.content.decode()
    for row in rows:
        for earlier in row.reaffirms.all():
            assert f'href="{url(Commitment, "change", earlier.pk)}"' in html
    statements = admin_client.get(url(Statement, "changelist")).content.decode()
    assert "2022-03-31: " in statements


# The rows' renderer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.TextInput(attrs={"class": "vTextField", "maxlength": 200}), 'Wang "Yi" <b>'),
        (forms.NumberInput(attrs={"class": "compact-integer", "min": 0}), 3),
        (forms.HiddenInput(), 45),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.Textarea(attrs={"rows": 3, "cols": 40}), "China & Tajikistan <agree>"),
        (forms.Textarea(), None),
        (forms.Select(choices=[("", "---"), ("a", "A & B"), ("b", '"B"')]), "a"),
        (forms.SelectMultiple(choices=[("CHN", "China"), ("TJK", "Tajikistan")]), ["TJK"]),
        (
            forms.Select(choices=[("Asia", [("CHN", "China")]), ("KAZ", "Kazakhstan")]),
            "CHN",
        ),
    ],
)
def test_the_rows_renderer_writes_what_djangos_templates_write(widget, value):
    from django.forms.renderers import DjangoTemplates

    from events.admin.rendering import ROW_RENDERER

    def normalized(html):
        return re.sub(r">\s+<", "><", str(html)).strip()

    expected = widget.render("row-0-field", value, {"id": "id_row-0-field"}, DjangoTemplates())
    rendered = widget.render("row-0-field", value, {"id": "id_row-0-field"}, ROW_RENDERER)
    assert normalized(rendered) == normalized(expected)


@pytest.mark.parametrize(
    ("errors", "options"),
    [
        ([], {}),
        (["This field is required."], {"field_id": "id_row-0-description"}),
        (["A pledge is made by <one> side.", "And “another”."], {}),
        (["Row & page refused."], {"error_class": "nonfield"}),
    ],
)
def test_the_rows_renderer_writes_error_lists_as_djangos_templates(errors, options):
    from django.forms.renderers import DjangoTemplates
    from django.forms.utils import ErrorList

    from events.admin.rendering import ROW_RENDERER

    def render(renderer):
        error_list = ErrorList(errors, renderer=renderer, **options)
        return str(error_list), error_list.as_ul()

    assert render(ROW_RENDERER) == render(DjangoTemplates())


def test_measure_meeting_page_prints_the_figures_and_on_request_a_profile(seed):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("measure_meeting_page", "--repeat", "1", "--profile", "5", stdout=out)

    printed = out.getvalue()
    assert "41 statements, 3 participants, 23 commitments" in printed
    assert "queries: 26" in printed  # counted before the profiled requests
    assert "Ordered by: cumulative time" in printed
    assert not Meeting.objects.filter(slug="benchmark-meeting-page").exists()  # rolled back
