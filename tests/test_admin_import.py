"""The admin's "Import readout" page: preview a readout's draft meeting, then create it.

The seed readouts (`seeds/`) are imported after deleting the meetings and sources that
`fixtures/seed.json` curated from them, so their people, offices and places resolve but
the import is fresh; the curated statements say what the preview should show.
"""

import re
from html import unescape as html_unescape

import pytest
import readouts
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from readouts import delete_seeded_meetings

from events.admin.imports import highlight_statements
from events.ingest.draft import DraftStatement
from events.models import Meeting, Organization, Person, SourceDocument, Statement
from events.permissions import IMPORT_PERMISSIONS

# The seed readouts' texts.
TUNXI = readouts.read(readouts.TUNXI)
ALMATY = readouts.read(readouts.ALMATY)

IMPORT_URL = reverse("admin:events_sourcedocument_import")

# Nobody the database knows, in a city it does not know.
UNKNOWN_PEOPLE = (
    "On May 6, 2024, Foreign Minister Alinta Vexmoor of Australia met with "
    "Foreign Minister Tomasz Quillfeather of Poland in Warsaw.\n"
    "Alinta Vexmoor said that Australia is ready to work with Poland to deepen cooperation "
    "in trade and education.\n"
    "The two sides agreed to strengthen cooperation in multilateral institutions."
)


@pytest.fixture(autouse=True)
def admin_test_settings(settings):
    """Static files without `collectstatic`; a fast hasher for `admin_client`'s superuser."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def curated(seed) -> dict[str, list[tuple[int, int, str, str | None]]]:
    """The seed's statements of each readout (span, kind, speaker), then the seed's meetings
    and sources deleted (`delete_seeded_meetings`): people, offices, places and gatherings
    stay to resolve against."""
    statements = {}
    for source in SourceDocument.objects.all():
        statements[source.text] = [
            (s.start, s.end, s.kind, s.speaker.name_as_written if s.speaker else None)
            for s in source.statements.select_related("speaker").order_by("start")
        ]
    delete_seeded_meetings()
    return statements


def counts() -> dict[str, int]:
    """Rows of every model of the tracker, and the admin's log."""
    return readouts.counts(LogEntry)


def post(client, text, *, confirmed=False, **fields):
    data = {"text": text, **fields}
    if confirmed:
        data["confirmed"] = "Create draft meeting"
    else:
        data["_preview"] = "Preview"
    return client.post(IMPORT_URL, data)


def marks(response) -> list[str]:
    return re.findall(r"<mark\b[^>]*>", response.content.decode())


def mark_attribute(tag: str, name: str) -> str:
    return re.search(rf'{name}="([^"]*)"', tag).group(1)


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# The page.


def test_it_renders_the_form_in_the_admin_layout(admin_client):
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert "admin/events/sourcedocument/import_readout.html" in [
        template.name for template in response.templates
    ]
    assert "admin/base_site.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assert "<title>Import readout" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'href="{reverse("admin:events_sourcedocument_changelist")}"' in html  # breadcrumbs
    for name in ("text", "publisher", "country", "url", "published"):
        assert f'name="{name}"' in html
    assert 'name="confirmed"' not in html  # nothing to confirm before a preview
    assert response.context["preview"] is None


def test_the_changelist_and_the_index_link_to_it(admin_client):
    for page in (reverse("admin:events_sourcedocument_changelist"), reverse("admin:index")):
        response = admin_client.get(page)
        assert response.status_code == 200
        assert f'href="{IMPORT_URL}"' in response.content.decode(), page


# Who may import.


@pytest.fixture
def make_staff(django_user_model, client):
    def make(*codenames):
        user = django_user_model.objects.create_user("carol", is_staff=True)
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
        )
        client.force_login(user)
        return client

    return make


IMPORT_CODENAMES = [permission.removeprefix("events.") for permission in IMPORT_PERMISSIONS]


@pytest.mark.parametrize(
    "codenames",
    [
        ["view_sourcedocument"],
        ["add_sourcedocument", "view_sourcedocument"],
        ["add_meeting", "view_meeting"],
        *([name for name in IMPORT_CODENAMES if name != missing] for missing in IMPORT_CODENAMES),
    ],
    ids=lambda codenames: "+".join(codenames),
)
def test_staff_without_every_add_permission_are_refused(make_staff, codenames):
    client = make_staff(*codenames)
    assert client.get(IMPORT_URL).status_code == 403
    before = counts()
    assert post(client, TUNXI, confirmed=True).status_code == 403
    assert counts() == before


def test_staff_without_them_see_no_link(make_staff):
    client = make_staff("view_sourcedocument", *IMPORT_CODENAMES[:-1])
    for page in (reverse("admin:events_sourcedocument_changelist"), reverse("admin:index")):
        response = client.get(page)
        assert response.status_code == 200
        assert IMPORT_URL not in response.content.decode(), page


def test_staff_with_the_add_permissions_may_import(make_staff, db):
    client = make_staff(*IMPORT_CODENAMES)
    assert client.get(IMPORT_URL).status_code == 200
    response = client.get(reverse("admin:index"))
    assert IMPORT_URL in response.content.decode()
    response = post(client, UNKNOWN_PEOPLE, confirmed=True)
    assert response.status_code == 302


def test_anonymous_and_non_staff_users_are_sent_to_log_in(client, django_user_model):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("dave"))
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Step 1: the preview.


def test_the_preview_shows_the_draft_and_writes_nothing(admin_client, curated):
    publisher = Organization.objects.get(slug="mfa-china")
    before = counts()
    with CaptureQueriesContext(connection) as queries:
        response = post(admin_client, TUNXI, publisher=publisher.pk)

    assert response.status_code == 200
    assert counts() == before
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    html = response.content.decode()
    preview = response.context["preview"]
    assert preview.draft is not None and preview.duplicate is None
    assert response.context["form"].errors == {}
    assert 'name="confirmed"' in html

    date = re.search(r'id="readout-date">([^<]*)<', html).group(1)
    assert date == "2022-03-31"
    assert ">Meeting<" in html
    place = re.search(r'id="readout-place">(.*?)</td>', html, re.S).group(1)
    assert "Tunxi" in place and "<a href=" in place  # resolved to the curated place
    occasion = re.search(r'id="readout-occasion">(.*?)</td>', html, re.S).group(1)
    assert "While attending" in occasion
    assert "Third Foreign Ministers&#x27; Meeting on the Afghan Issue" in occasion

    participants = re.search(r'id="readout-participants">(.*?)</table>', html, re.S).group(1)
    wang_yi = Person.objects.get(slug="wang-yi")
    assert "Wang Yi" in participants and "Muzaffar Ashurion" in participants
    assert "State Councilor and Foreign Minister" in participants
    assert "Tajik Justice Minister" in participants
    assert "China (CHN)" in participants and "Tajikistan (TJK)" in participants
    assert reverse("admin:events_person_change", args=[wang_yi.pk]) in participants
    assert "(resolved" in participants
    assert "new person, to review" not in participants
    assert 'id="readout-unresolved"' not in html

    # Every statement highlighted in place, with the curated kind and speaker.
    expected = curated[TUNXI]
    tags = marks(response)
    assert len(tags) == len(expected) == len(preview.draft.statements) == 19
    assert [mark_attribute(tag, "data-kind") for tag in tags] == [kind for *_, kind, _ in expected]
    for tag, (_start, _end, kind, speaker) in zip(tags, expected, strict=True):
        title = mark_attribute(tag, "title")
        assert str(Statement.Kind(kind).label) in title
        assert (speaker or "Both sides") in title
    text = re.search(r'id="readout-text">(.*?)</div>', html, re.S).group(1)
    first = re.search(r"<mark\b([^>]*)>(.*?)</mark>", text, re.S)
    assert 'data-label="Assessment · Wang Yi"' in first.group(1)
    assert first.group(2) == TUNXI[expected[0][0] : expected[0][1]]
    # Inside and outside the marks, the page shows the readout's own text.
    assert html_unescape(re.sub(r"<[^>]+>", "", text)) == TUNXI


def test_the_publisher_country_stands_in_for_an_empty_country(admin_client, curated):
    publisher = Organization.objects.get(slug="mfa-china")
    response = post(admin_client, ALMATY, publisher=publisher.pk)
    assert response.context["preview"].draft.publisher_country == "CHN"
    response = post(admin_client, ALMATY, publisher=publisher.pk, country="TJK")
    assert response.context["preview"].draft.publisher_country == "TJK"


def test_names_that_do_not_resolve_are_listed(admin_client, db):
    assert not Person.objects.filter(name__in=["Alinta Vexmoor", "Tomasz Quillfeather"])
    before = counts()
    response = post(admin_client, UNKNOWN_PEOPLE)

    assert response.status_code == 200
    assert counts() == before
    html = response.content.decode()
    assert response.context["preview"].draft.unresolved_names == [
        "Alinta Vexmoor",
        "Tomasz Quillfeather",
    ]
    unresolved = re.search(r'id="readout-unresolved">(.*?)</div>', html, re.S).group(1)
    for name in ("Alinta Vexmoor", "Tomasz Quillfeather"):
        assert f'<span class="readout-unresolved">{name}</span>' in unresolved
    participants = re.search(r'id="readout-participants">(.*?)</table>', html, re.S).group(1)
    assert participants.count("new person, to review") == 2
    assert "(not resolved)" in participants  # "Foreign Minister" is no known position
    assert len(marks(response)) == len(response.context["preview"].draft.statements) == 2


def test_the_text_is_escaped(admin_client, curated):
    hostile = TUNXI.replace(
        "China will be Tajikistan's trustable",
        "China will be <script>alert('x')</script> & <b>Tajikistan's</b> trustable",
    )
    response = post(admin_client, hostile)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<b>Tajikistan" not in html
    text = re.search(r'id="readout-text">(.*?)</div>', html, re.S).group(1)
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;Tajikistan"
    statement = re.search(r"<mark\b[^>]*>(?:(?!</mark>).)*&lt;script&gt;.*?</mark>", text, re.S)
    assert statement is not None and escaped in statement.group(0)
    assert len(marks(response)) == len(response.context["preview"].draft.statements)


# Bad input: the error on its field, nothing written.


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("", "text", "The text is empty."),
        ("   \n\n  ", "text", "The text is empty."),
        (
            "The weather in Beijing was fine today.\nMany people went to the park.",
            "text",
            "No sentence says who met whom",
        ),
        ("Wang Yi met with Muzaffar Ashurion in Tunxi.", "text", "No date of the meeting"),
        ("On May 1, 2024, Wang Yi met with \x01\x02\x03 Ashurion.", "text", "looks binary"),
        ("On May 1, 2024, Wang Yi met with \x00 Ashurion.", "text", "Null characters"),
    ],
    ids=["empty", "blank", "no-meeting", "no-date", "binary", "null"],
)
@pytest.mark.parametrize("confirmed", [False, True], ids=["preview", "create"])
def test_unreadable_text_is_a_form_error(admin_client, curated, text, field, message, confirmed):
    before = counts()
    response = post(admin_client, text, confirmed=confirmed)

    errors = form_errors(response)
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert counts() == before
    html = response.content.decode()
    assert 'class="errornote"' in html
    assert 'name="confirmed"' not in html
    assert marks(response) == []


def test_invalid_fields_are_form_errors(admin_client, db):
    before = counts()
    response = post(
        admin_client,
        UNKNOWN_PEOPLE,
        confirmed=True,
        url="not a url",
        published="31/31/2024",
        country="XXX",
        publisher="999999",
    )
    assert set(form_errors(response)) == {"url", "published", "country", "publisher"}
    assert response.context["preview"] is None
    assert counts() == before


def test_a_participant_without_a_side_is_an_error_on_the_country(admin_client, db):
    text = (
        "On May 6, 2024, Alinta Vexmoor met with Tomasz Quillfeather in Warsaw.\n"
        "The two sides agreed to strengthen cooperation."
    )
    response = post(admin_client, text)
    warnings = response.context["preview"].draft.warnings
    assert any("No side could be read for Alinta Vexmoor" in warning for warning in warnings)

    before = counts()
    response = post(admin_client, text, confirmed=True)
    errors = form_errors(response)
    assert list(errors) == ["country"]
    assert "give the publisher's country" in errors["country"][0]
    assert counts() == before
    assert response.context["preview"].draft is not None  # the warnings show why
    assert 'name="confirmed"' not in response.content.decode()


# Duplicates.


@pytest.mark.parametrize("confirmed", [False, True], ids=["preview", "create"])
def test_a_stored_text_is_reported_with_a_link(admin_client, seed, confirmed):
    source = SourceDocument.objects.get(content_hash=SourceDocument.hash_text(TUNXI))
    before = counts()
    response = post(admin_client, TUNXI, confirmed=confirmed)

    assert response.status_code == 200
    assert counts() == before
    assert response.context["preview"].duplicate == source
    html = response.content.decode()
    duplicate = re.search(r'id="readout-duplicate">(.*?)</ul>', html, re.S).group(1)
    assert f'href="{reverse("admin:events_sourcedocument_change", args=[source.pk])}"' in duplicate
    meeting = source.meetings.get()
    assert f'href="{reverse("admin:events_meeting_change", args=[meeting.pk])}"' in duplicate
    assert 'name="confirmed"' not in html


def test_the_same_text_with_browser_line_ends_is_a_duplicate(admin_client, seed):
    response = post(admin_client, TUNXI.replace("\n", "\r\n"))
    assert response.context["preview"].duplicate is not None


# Step 2: create.


def test_confirming_creates_a_draft_meeting(admin_client, curated):
    publisher = Organization.objects.get(slug="mfa-china")
    before = counts()
    response = post(
        admin_client,
        # As a browser posts a textarea; stored with the readout's own line ends.
        TUNXI.replace("\n", "\r\n"),
        confirmed=True,
        publisher=publisher.pk,
        url="www.fmprc.gov.cn/eng/wjbzhd/202204/t20220401.html",
        published="2022-04-01",
    )

    source = SourceDocument.objects.get()
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:events_meeting_change", args=[meeting.pk])
    assert source.text == TUNXI
    assert source.content_hash == SourceDocument.hash_text(TUNXI)
    assert source.publisher == publisher
    assert source.url == "https://www.fmprc.gov.cn/eng/wjbzhd/202204/t20220401.html"
    assert str(source.published_on) == "2022-04-01"
    assert list(source.meetings.all()) == [meeting]
    assert meeting.status == Meeting.Status.DRAFT
    assert str(meeting.date) == "2022-03-31"
    assert meeting.place.name == "Tunxi"
    assert [p.name_as_written for p in meeting.participants.all()] == [
        "Wang Yi",
        "Muzaffar Ashurion",
    ]
    assert [
        (s.start, s.end, s.kind, s.speaker.name_as_written if s.speaker else None)
        for s in meeting.statements.select_related("speaker").order_by("start")
    ] == curated[TUNXI]
    after = counts()
    assert after["Person"] == before["Person"]  # both resolved
    assert after["LogEntry"] == before["LogEntry"] + 2  # the source's and the meeting's

    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    proposed = meeting.commitment_proposals.count()
    assert proposed == meeting.statements.filter(kind__in=["commitment", "agreement"]).count()
    assert [str(message) for message in page.context["messages"]] == [
        "Draft meeting created: “Wang Yi meets Muzaffar Ashurion”, with 2 participants "
        "and 19 statements. Check every field before publishing.",
        f"{proposed} commitments proposed from the readout: accept or reject them below.",
    ]


def test_new_people_are_created_for_review(admin_client, db):
    response = post(admin_client, UNKNOWN_PEOPLE, confirmed=True)
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=response["Location"].split("/")[-3])
    people = Person.objects.filter(participations__meeting=meeting).order_by("name")
    assert [(p.name, p.needs_review) for p in people] == [
        ("Alinta Vexmoor", True),
        ("Tomasz Quillfeather", True),
    ]
    page = admin_client.get(response["Location"])
    assert [str(message) for message in page.context["messages"]][1] == (
        "New people to review (no known person matched): Alinta Vexmoor, Tomasz Quillfeather."
    )


def test_a_second_readout_of_the_meeting_is_attached_to_it(admin_client, curated):
    assert post(admin_client, TUNXI, confirmed=True).status_code == 302
    meeting = Meeting.objects.get()
    second = "Wang Yi meets Tajik Justice Minister\n" + TUNXI.split("\n", 1)[0]
    second += "\nThe two sides agreed to deepen cooperation in the security field."

    response = post(admin_client, second, confirmed=True)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:events_meeting_change", args=[meeting.pk])
    assert Meeting.objects.count() == 1
    assert meeting.sources.count() == 2
    assert meeting.statements.count() == 19 + 1
    page = admin_client.get(response["Location"])
    messages = [str(message) for message in page.context["messages"]]
    attached = [m for m in messages if m.startswith("Readout attached to an existing meeting")]
    assert len(attached) == 1


# The highlighting itself.


def statement(start, end, kind="stance", *, speaker=None, attribution="joint", sides=()):
    return DraftStatement(
        text="",
        start=start,
        end=end,
        kind=kind,
        plover_code="",
        attribution=attribution,
        speaker=speaker,
        sides=list(sides),
        topics=[],
        topic_ids=[],
        mentions={},
        mention_ids={},
    )


def test_highlighting_escapes_everything_and_never_nests_marks():
    text = 'A <b>&</b> B. C said "x". D\'s.'
    html = highlight_statements(
        text,
        [
            statement(14, 25, "criticism", speaker="C <i>", attribution="speaker"),
            statement(0, 13, 'odd"><script>', attribution="side", sides=["CHN"]),
            statement(20, 28),  # overlaps the statement before: starts where it ends
            statement(26, 40),  # runs past the text
        ],
    )
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    tags = re.findall(r"<mark\b[^>]*>", html)
    assert len(tags) == 4
    assert [mark_attribute(tag, "class").split()[-1] for tag in tags] == [
        "readout-kind-other",
        "readout-kind-criticism",
        "readout-kind-stance",
        "readout-kind-stance",
    ]
    assert 'data-label="odd&quot;&gt;&lt;script&gt; · CHN"' in tags[0]
    assert 'data-label="Criticism · C &lt;i&gt;"' in tags[1]
    assert html_unescape(re.sub(r"<[^>]+>", "", html)) == text
    assert re.findall(r"<mark\b[^>]*>(.*?)</mark>", html) == [
        "A &lt;b&gt;&amp;&lt;/b&gt; B.",
        "C said &quot;x&quot;.",
        " D&#x27;",  # clipped to start where the statement before ends
        "s.",  # clipped to the text's end
    ]
