"""Importing readouts (`events.ingest.importer.import_readout`).

The key promise: importing the two seed readouts into a database that holds only the
reference data (people, offices, organisations, places, gatherings, topics) reproduces the
curated meetings of `fixtures/seed.json`: their participants, offices, and the kinds and
spans of their statements. Then: the same text is not stored twice, a second readout of a
meeting already recorded is attached to it, and a readout that cannot be read writes
nothing.
"""

import datetime
import json

import factories as f
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from readouts import (
    FIXTURE,
    ROOT,
    SEEDS,
    SYNTHETIC_SECOND_READOUT,
    counts,
    delete_seeded_meetings,
    read,
)

from events.ingest.directory import Directory
from events.ingest.draft import ReadoutError
from events.ingest.importer import find_publisher, import_readout
from events.models import Meeting, Organization, Person, Statement

pytestmark = pytest.mark.django_db


def snapshot(meeting: Meeting) -> dict:
    """What a curator sees of a meeting: everything the importer must reproduce."""
    return {
        "date": meeting.date,
        "date_qualifier": meeting.date_qualifier,
        "contact_type": meeting.contact_type,
        "plover_mode": meeting.plover_mode,
        "place": meeting.place.slug if meeting.place else None,
        "occasion": meeting.occasion.slug if meeting.occasion else None,
        "occasion_relation": meeting.occasion_relation,
        "participants": [
            {
                "name_as_written": p.name_as_written,
                "side": p.side_id,
                "side_organization": p.side_organization_id,
                "role": p.role,
                "title_as_written": p.title_as_written,
                "person": p.person.slug if p.person else None,
                "offices": {office.slug for office in p.offices.all()},
            }
            for p in meeting.participants.order_by("order", "pk")
        ],
        "statements": [
            {
                "start": s.start,
                "end": s.end,
                "kind": s.kind,
                "attribution": s.attribution,
                "speaker": s.speaker.name_as_written if s.speaker else None,
            }
            for s in meeting.statements.order_by("start", "pk").select_related("speaker")
        ],
    }


@pytest.fixture
def seeded():
    """The seed, loaded for one test only (not `conftest.py`'s, loaded once per module):
    the other tests of this module import into an empty database."""
    call_command("loaddata", "seed", verbosity=0)


def fixture_statements(source_name: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the curated statements quoting the seed file, from the fixture
    file itself (so the comparison does not depend on what the database kept)."""
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    text = read(ROOT / "seeds" / source_name)
    (content_hash,) = {
        r["fields"]["content_hash"]
        for r in records
        if r["model"] == "events.sourcedocument" and r["fields"]["text"] == text
    }
    return sorted(
        (r["fields"]["start"], r["fields"]["end"], r["fields"]["kind"])
        for r in records
        if r["model"] == "events.statement" and r["fields"]["source"] == [content_hash]
    )


# The key test: the seeds reproduce the curated fixture ----------------------------------


def test_importing_the_seeds_reproduces_the_curated_meetings(seeded):
    expected = {m.date: snapshot(m) for m in Meeting.objects.all()}
    assert len(expected) == 2 and all(e["statements"] for e in expected.values())
    delete_seeded_meetings()
    assert Meeting.objects.count() == 0
    assert Person.objects.filter(slug="wang-yi").exists()
    publisher = Organization.objects.get(slug="mfa-china")

    results = [import_readout(read(path), publisher=publisher) for path in SEEDS]

    assert [r.outcome for r in results] == ["created", "created"]
    for result in results:
        meeting = result.meeting
        assert meeting.status == Meeting.Status.DRAFT
        assert list(meeting.sources.all()) == [result.source]
        assert result.source.publisher == publisher
        actual = snapshot(meeting)
        wanted = expected[meeting.date]
        # Compared part by part first, so a failure names what differs.
        for key in ("date", "date_qualifier", "contact_type", "plover_mode", "place"):
            assert actual[key] == wanted[key], key
        assert (actual["occasion"], actual["occasion_relation"]) == (
            wanted["occasion"],
            wanted["occasion_relation"],
        )
        assert actual["participants"] == wanted["participants"]
        assert [(s["start"], s["end"]) for s in actual["statements"]] == [
            (s["start"], s["end"]) for s in wanted["statements"]
        ]
        assert actual["statements"] == wanted["statements"]
        assert actual == wanted
    # Nobody new: every name resolved to a curated person.
    assert not Person.objects.filter(needs_review=True).exists()


def test_a_seed_imported_into_an_empty_database_drafts_a_meeting_of_new_people():
    text = read(SEEDS[0])  # 2022-03-31, Wang Yi and Muzaffar Ashurion in Tunxi

    result = import_readout(text, publisher_country=f.country("CHN"))

    assert result.outcome == "created"
    meeting = result.meeting
    assert (meeting.status, meeting.date, meeting.contact_type) == (
        Meeting.Status.DRAFT,
        datetime.date(2022, 3, 31),
        Meeting.ContactType.MEETING,
    )
    participants = list(meeting.participants.order_by("order").select_related("person"))
    assert [(p.name_as_written, p.side_id) for p in participants] == [
        ("Wang Yi", "CHN"),
        ("Muzaffar Ashurion", "TJK"),
    ]
    for participant in participants:
        assert participant.person.needs_review
        assert participant.person.name == participant.name_as_written
    assert "Wang Yi" in meeting.notes and "Muzaffar Ashurion" in meeting.notes
    assert sorted(meeting.statements.values_list("start", "end", "kind")) == (
        fixture_statements(SEEDS[0].name)
    )
    for statement in meeting.statements.all():
        assert statement.text == text[statement.start : statement.end]


def test_both_seeds_in_an_empty_database_keep_the_fixtures_spans_and_kinds():
    for path in SEEDS:
        result = import_readout(read(path), publisher_country=f.country("CHN"))
        assert sorted(result.meeting.statements.values_list("start", "end", "kind")) == (
            fixture_statements(path.name)
        ), path.name
    # Wang Yi, created by the first import, is recognised by the second.
    assert Person.objects.filter(name="Wang Yi").count() == 1
    assert Person.objects.get(name="Wang Yi").participations.count() == 2


# The same text twice; a second readout of the same meeting -------------------------------


def test_the_same_text_twice_is_a_duplicate_and_writes_nothing():
    text = read(SEEDS[1])
    first = import_readout(text, publisher_country=f.country("CHN"))
    before = counts()

    second = import_readout(text, publisher_country=f.country("CHN"))

    assert second.outcome == "duplicate"
    assert second.source == first.source
    assert second.meeting == first.meeting
    assert counts() == before


def test_a_second_readout_of_the_same_meeting_is_attached_to_it():
    first = import_readout(read(SEEDS[0]), publisher_country=f.country("CHN"))
    tajik_mfa = f.OrganizationFactory(
        name="Ministry of Foreign Affairs of Tajikistan", country=f.country("TJK")
    )
    people = Person.objects.count()

    second = import_readout(SYNTHETIC_SECOND_READOUT, publisher=tajik_mfa)

    assert second.outcome == "attached"
    assert second.meeting == first.meeting
    assert Meeting.objects.count() == 1
    assert set(first.meeting.sources.all()) == {first.source, second.source}
    assert first.meeting.participants.count() == 2
    assert Person.objects.count() == people
    # Its statements belong to the meeting and quote the second source.
    agreement = Statement.objects.get(source=second.source)
    assert agreement.meeting == first.meeting
    assert agreement.kind == Statement.Kind.AGREEMENT
    assert (
        agreement.text == "The two sides agreed to strengthen cooperation in the field of justice."
    )


def test_a_second_readout_is_attached_to_a_curated_meeting(seeded):
    meeting = Meeting.objects.get(slug="2022-03-31-wang-yi-muzaffar-ashurion")

    result = import_readout(SYNTHETIC_SECOND_READOUT, publisher_country=f.country("TJK"))

    assert (result.outcome, result.meeting) == ("attached", meeting)
    assert meeting.sources.count() == 2
    assert meeting.participants.count() == 2
    assert meeting.status == Meeting.Status.PUBLISHED  # the curated meeting keeps its status


def test_a_readout_of_other_people_on_the_same_day_is_a_new_meeting(seeded):
    # Synthetic test input, not a real readout.
    text = (
        "On March 31, 2022, State Councilor and Foreign Minister Wang Yi met with "
        "Pakistani Foreign Minister Shah Mahmood Qureshi in Tunxi, Anhui Province.\n"
        "The two sides agreed to deepen cooperation.\n"
    )

    result = import_readout(text, publisher=find_publisher("mfa-china"))

    assert result.outcome == "created"
    assert Meeting.objects.count() == 3
    assert [p.side_id for p in result.meeting.participants.order_by("order")] == ["CHN", "PAK"]


# Failures write nothing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field", "code"),
    [
        ("", "text", "empty"),
        ("   \n\t  \n", "text", "empty"),
        ("On March 31, 2022\x00\x01\x02 met with", "text", "binary"),
        # Synthetic: a sentence about a meeting that says no one met anyone.
        (
            "The weather in Tunxi was fine on March 31, 2022.\nNothing else happened.",
            "text",
            "no_meeting",
        ),
        # Synthetic: a date that does not exist.
        (
            "On February 30, 2022, Foreign Minister Wang Yi met with Tajik Justice Minister "
            "Muzaffar Ashurion.",
            "text",
            "invalid_date",
        ),
    ],
)
def test_a_readout_that_cannot_be_read_writes_nothing(text, field, code):
    publisher = f.OrganizationFactory(name="Ministry of Foreign Affairs", country=f.country("CHN"))
    before = counts()

    with pytest.raises(ReadoutError) as error:
        import_readout(text, publisher=publisher)

    assert (error.value.field, error.value.code) == (field, code)
    assert error.value.message
    assert counts() == before


def test_a_failure_halfway_through_rolls_back_what_was_written():
    # Synthetic: the first official has a side (Chinese), so a new person and the source are
    # written; the second has none and no publisher's country is given, so the import fails.
    text = (
        "On March 3, 2024, Chinese Foreign Minister Li Lei met with Minister Baz Qux.\n"
        "The two sides agreed to meet again.\n"
    )
    before = counts()

    with pytest.raises(ReadoutError) as error:
        import_readout(text)

    assert error.value.field == "country"
    assert counts() == before


# Topics and mentions ----------------------------------------------------------------------


def test_statements_are_tagged_with_the_topics_whose_keywords_they_contain():
    glaciers = f.TopicFactory(name="Glaciers", keywords="glacier preservation\nice sheets")
    f.TopicFactory(name="Fisheries", keywords="fishing quotas")
    # Synthetic test input, not a real readout.
    text = (
        "On April 25, 2025, Foreign Minister Wang Yi met with Tajik Foreign Minister "
        "Sirojiddin Muhriddin in Almaty.\n"
        "Wang Yi said that China supports Tajikistan in hosting a conference on glacier "
        "preservation.\n"
        "The two sides agreed to deepen cooperation in trade.\n"
    )

    result = import_readout(text, publisher_country=f.country("CHN"))

    support, agreement = result.meeting.statements.order_by("start")
    assert list(support.topics.all()) == [glaciers]
    assert list(agreement.topics.all()) == []


def test_statements_record_the_countries_organisations_and_people_they_mention():
    sco = f.OrganizationFactory(
        name="Shanghai Cooperation Organization",
        abbreviation="SCO",
        country=None,
        kind=Organization.Kind.INTERNATIONAL,
    )
    xi = f.PersonFactory(name="Xi Jinping")
    # Synthetic test input, not a real readout.
    text = (
        "On April 25, 2025, Foreign Minister Wang Yi met with Tajik Foreign Minister "
        "Sirojiddin Muhriddin in Almaty.\n"
        "Wang Yi said that President Xi Jinping values the friendship with Tajikistan.\n"
        "The two sides agreed to support the SCO and to help Afghanistan.\n"
    )

    result = import_readout(text, publisher_country=f.country("CHN"))

    friendship, agreement = result.meeting.statements.order_by("start")
    assert list(friendship.mentioned_people.all()) == [xi]
    assert "TJK" in set(friendship.mentioned_countries.values_list("pk", flat=True))
    assert list(agreement.mentioned_organizations.all()) == [sco]
    assert "AFG" in set(agreement.mentioned_countries.values_list("pk", flat=True))


def test_curators_find_the_people_an_import_flagged_for_review(staff_client):
    f.PersonFactory(name="Someone Curated")
    import_readout(read(SEEDS[0]), publisher_country=f.country("CHN"))
    listed = staff_client.get("/api/v1/people/", {"needs_review": "true"}).json()["results"]
    assert sorted(person["name"] for person in listed) == ["Muzaffar Ashurion", "Wang Yi"]
    assert all(person["needs_review"] for person in listed)


def test_importing_a_seed_costs_a_fixed_number_of_queries(seeded, django_assert_num_queries):
    delete_seeded_meetings()
    publisher = find_publisher("mfa-china")
    directory = Directory.from_db()
    # The reads that resolve the draft, then per record written: the checks the model's
    # rules need (uniqueness, constraints, related rows exist), its insert and its links;
    # the 22 statements and their links in one insert each; the 11 commitments it
    # proposes and their links likewise (after reading their sides once); and the history,
    # one insert per table whatever the number of rows.
    with django_assert_num_queries(91):
        result = import_readout(read(SEEDS[1]), publisher=publisher, directory=directory)
    assert result.outcome == "created"
    assert result.meeting.statements.count() == 22


def synthetic_readout(sentences: int, day: int) -> str:
    # Synthetic test input, not a real readout: one meeting sentence and `sentences` more.
    body = [
        f"The two sides agreed to deepen cooperation in trade and investment ({number})."
        for number in range(sentences)
    ]
    opening = (
        f"On May {day}, 2024, Foreign Minister Wang Yi met with Tajik Foreign Minister "
        "Sirojiddin Muhriddin in Almaty."
    )
    return "\n".join([opening, *body]) + "\n"


def test_an_import_costs_as_many_queries_for_twenty_statements_as_for_two(
    seeded, django_assert_max_num_queries
):
    # No query per statement or per link (N+1): the statements and each kind of link are
    # written in one insert each.
    directory = Directory.from_db()
    with CaptureQueriesContext(connection) as short:
        import_readout(
            synthetic_readout(2, 5), publisher_country=f.country("CHN"), directory=directory
        )
    with django_assert_max_num_queries(len(short.captured_queries)):
        result = import_readout(
            synthetic_readout(20, 6), publisher_country=f.country("CHN"), directory=directory
        )
    assert result.outcome == "created"
    assert result.meeting.statements.count() == 20
    assert result.meeting.statements.filter(topics__isnull=False).distinct().count() == 20
