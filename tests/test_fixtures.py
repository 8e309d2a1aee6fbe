"""The seed fixture (`fixtures/seed.json`): it loads, loads again without duplicates, and
holds the two readouts in `seeds/` completely and verbatim."""

import datetime
import hashlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q

from events.models import (
    Commitment,
    Meeting,
    Participant,
    RelationshipLevel,
    SourceDocument,
    Statement,
    Tenure,
)

SEEDS = Path(settings.BASE_DIR) / "seeds"
SEED_FILES = {
    "2022-03-31-wang-yi-muzaffar-ashurion": "2022-03-31_wang-yi_muzaffar-ashurion_tunxi.txt",
    "2025-04-25-wang-yi-sirojiddin-muhriddin": (
        "2025-04-25_wang-yi_sirojiddin-muhriddin_almaty.txt"
    ),
}

# The counts the fixture is documented with; Country comes from migration 0002, not the fixture.
# Proposed commitments are the importer's suggestions to a curator, work in progress: the
# curated seed has none.
UNSEEDED = {"CommitmentProposal"}

EXPECTED_COUNTS = {
    "CommitmentProposal": 0,
    "Place": 3,
    "Organization": 14,
    "OrganizationAlias": 14,
    "Person": 5,
    "PersonAlias": 6,
    "Position": 7,
    "Tenure": 8,
    "Topic": 35,
    "Gathering": 4,
    "Meeting": 2,
    "Participant": 4,
    "SourceDocument": 2,
    "Statement": 41,
    "RelationshipLevel": 1,
    "Commitment": 23,
    "CommitmentStatusChange": 23,
}


def model_counts() -> dict[str, int]:
    """Rows of each domain model (the history's tables are loaded by the `seed` command, not
    by the fixture: see test_seed_command)."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("events").get_models()
        if not model.__name__.startswith("Historical")
    }


def seed_text(file_name: str) -> str:
    """A readout exactly as stored: bytes decoded, no newline translation."""
    return (SEEDS / file_name).read_bytes().decode("utf-8")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence: paragraphs are lines, sentences end in '.' + space."""
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        for sentence in re.finditer(r"\S.*?(?:\.(?=\s|$)|$)", paragraph.group()):
            spans.append((paragraph.start() + sentence.start(), paragraph.start() + sentence.end()))
    return spans


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed", verbosity=0)


@pytest.mark.django_db
def test_loads_into_an_empty_database_and_again_without_duplicates():
    before = model_counts()
    assert all(count == 0 for name, count in before.items() if name != "Country")

    call_command("loaddata", "seed", verbosity=0)
    first = model_counts()
    assert all(count > 0 for name, count in first.items() if name not in UNSEEDED), first
    assert first["Country"] == before["Country"] == 249

    call_command("loaddata", "seed", verbosity=0)
    assert model_counts() == first


def test_per_model_counts(seeded):
    counts = model_counts()
    assert counts.pop("Country") == 249
    assert counts == EXPECTED_COUNTS


def test_sources_are_the_seed_files_byte_for_byte(seeded):
    assert SourceDocument.objects.count() == len(SEED_FILES)
    for meeting_slug, file_name in SEED_FILES.items():
        raw = (SEEDS / file_name).read_bytes()
        source = SourceDocument.objects.get(content_hash=hashlib.sha256(raw).hexdigest())
        assert source.text.encode("utf-8") == raw
        assert source.content_hash == hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        assert source.content_hash == SourceDocument.hash_text(source.text)
        assert source.publisher.slug == "mfa-china"
        assert source.language == "en"
        assert list(source.meetings.values_list("slug", flat=True)) == [meeting_slug]


def test_every_statement_is_its_source_text_at_its_span(seeded):
    statements = Statement.objects.select_related("source", "meeting", "speaker")
    assert statements.exists()
    for statement in statements:
        assert statement.text == statement.source.text[statement.start : statement.end]
        assert statement.text == statement.text.strip()
        assert statement.source.meetings.filter(pk=statement.meeting_id).exists()
        if statement.speaker is not None:
            assert statement.speaker.meeting_id == statement.meeting_id


def test_every_sentence_after_the_opening_one_is_covered_by_statements(seeded):
    for file_name in SEED_FILES.values():
        text = seed_text(file_name)
        source = SourceDocument.objects.get(content_hash=SourceDocument.hash_text(text))
        covered = [False] * len(text)
        for start, end in source.statements.values_list("start", "end"):
            covered[start:end] = [True] * (end - start)

        opening, *rest = sentence_spans(text)
        assert text[opening[0] : opening[1]].startswith("On ")
        assert not any(covered[opening[0] : opening[1]]), "the opening sentence is the meeting"
        assert len(rest) >= 10
        for start, end in rest:
            missing = [i for i in range(start, end) if text[i].isalnum() and not covered[i]]
            assert not missing, f"not covered in {text[start:end]!r}: {text[missing[0] :]!r}"


def test_meetings_are_published_with_participants_sides_titles_and_offices(seeded):
    expected = {
        "2022-03-31-wang-yi-muzaffar-ashurion": {
            "date": datetime.date(2022, 3, 31),
            "date_qualifier": "",
            "plover_mode": "visit",
            "place": "tunxi",
            "occasion": "third-foreign-ministers-meeting-afghan-issue",
            "occasion_relation": "attending",
            "participants": [
                (
                    "Wang Yi",
                    "wang-yi",
                    "CHN",
                    "host",
                    "State Councilor and Foreign Minister",
                    {"prc-state-councilor", "prc-foreign-minister"},
                ),
                (
                    "Muzaffar Ashurion",
                    "muzaffar-ashurion",
                    "TJK",
                    "guest",
                    "Tajik Justice Minister",
                    {"tajikistan-justice-minister"},
                ),
            ],
        },
        "2025-04-25-wang-yi-sirojiddin-muhriddin": {
            "date": datetime.date(2025, 4, 25),
            "date_qualifier": "local_time",
            "plover_mode": "third-party",
            "place": "almaty",
            "occasion": None,
            "occasion_relation": "",
            "participants": [
                (
                    "Wang Yi",
                    "wang-yi",
                    "CHN",
                    "participant",
                    "Member of the Political Bureau of the CPC Central Committee and "
                    "Foreign Minister",
                    {"cpc-politburo-member", "prc-foreign-minister"},
                ),
                (
                    "Sirojiddin Muhriddin",
                    "sirojiddin-muhriddin",
                    "TJK",
                    "participant",
                    "Tajikistan's Foreign Minister",
                    {"tajikistan-foreign-minister"},
                ),
            ],
        },
    }
    assert set(Meeting.objects.values_list("slug", flat=True)) == set(expected)
    for slug, want in expected.items():
        meeting = Meeting.objects.get(slug=slug)
        assert meeting.status == Meeting.Status.PUBLISHED
        assert Meeting.objects.published().filter(pk=meeting.pk).exists()
        assert meeting.contact_type == Meeting.ContactType.MEETING
        assert meeting.date == want["date"]
        assert meeting.date_qualifier == want["date_qualifier"]
        assert meeting.plover_mode == want["plover_mode"]
        assert meeting.place.slug == want["place"]
        assert (meeting.occasion.slug if meeting.occasion else None) == want["occasion"]
        assert meeting.occasion_relation == want["occasion_relation"]

        opening = seed_text(SEED_FILES[slug]).split("\n", 1)[0]
        got = []
        for participant in meeting.participants.order_by("order"):
            assert participant.side_organization is None
            assert f"{participant.title_as_written} {participant.name_as_written}" in opening
            got.append(
                (
                    participant.name_as_written,
                    participant.person.slug,
                    participant.side_id,
                    participant.role,
                    participant.title_as_written,
                    set(participant.offices.values_list("slug", flat=True)),
                )
            )
        assert got == want["participants"]


def test_every_office_of_a_participant_is_held_on_the_day(seeded):
    participants = Participant.objects.select_related("meeting", "person")
    for participant in participants:
        day = participant.meeting.date
        for position in participant.offices.all():
            held = Tenure.objects.filter(
                Q(start_latest__lte=day) | Q(start_latest__isnull=True),
                Q(end_earliest__gte=day) | Q(end_earliest__isnull=True),
                person=participant.person,
                position=position,
            )
            assert held.exists(), f"{participant} as {position} on {day}"
            assert any(
                source["url"] == f"seeds/{SEED_FILES[participant.meeting.slug]}"
                for tenure in held
                for source in tenure.sources
            )


def test_wang_yi_changed_offices_between_the_meetings(seeded):
    def offices(slug):
        participant = Participant.objects.get(meeting__slug=slug, person__slug="wang-yi")
        return set(participant.offices.values_list("title", flat=True))

    assert offices("2022-03-31-wang-yi-muzaffar-ashurion") == {
        "State Councilor",
        "Minister of Foreign Affairs",
    }
    assert offices("2025-04-25-wang-yi-sirojiddin-muhriddin") == {
        "Member of the Political Bureau of the CPC Central Committee",
        "Minister of Foreign Affairs",
    }


def test_2025_commitments_reaffirm_every_2022_one_they_echo(seeded):
    links = Commitment.reaffirms.through.objects.values_list(
        "from_commitment__slug", "to_commitment__slug"
    )
    reaffirms: dict[str, set[str]] = {}
    for later, earlier in links:
        reaffirms.setdefault(later, set()).add(earlier)
    assert reaffirms == {
        "2025-tjk-belt-and-road-initiative": {"2022-tjk-belt-and-road"},
        "2025-sco-china-central-asia-support": {"2022-sco-cica-coordination"},
        "2025-border-control-counter-terrorism": {"2022-security-cooperation"},
        # Economy and trade, investment, production capacity, healthcare and pharmaceuticals:
        # three 2022 pledges of Tajikistan's come back in one.
        "2025-tjk-economic-cooperation": {
            "2022-tjk-investment-energy-production-capacity",
            "2022-tjk-traditional-medicine",
            "2022-tjk-all-round-cooperation",
        },
        "2025-chn-friendly-exchanges": {"2022-chn-youth-exchanges"},
    }
    for commitment in Commitment.objects.filter(reaffirms__isnull=False).distinct():
        for earlier in commitment.reaffirms.all():
            assert commitment.meeting.date > earlier.meeting.date
            assert commitment.kind == earlier.kind
            assert set(commitment.sides.all()) == set(earlier.sides.all())
    healthcare = Commitment.objects.get(slug="2025-tjk-economic-cooperation")
    assert {"health", "pharmaceuticals", "economy"} <= set(
        healthcare.topics.values_list("slug", flat=True)
    )


def test_every_commitment_is_pledged_at_its_meeting_by_its_statement(seeded):
    for commitment in Commitment.objects.select_related("meeting", "statement"):
        statement = commitment.statement
        assert statement.meeting_id == commitment.meeting_id
        sides = set(commitment.sides.values_list("alpha3", flat=True))
        if commitment.kind == Commitment.Kind.AGREEMENT:
            assert statement.kind == Statement.Kind.AGREEMENT
            assert statement.attribution == Statement.Attribution.JOINT
            assert sides == {"CHN", "TJK"}
        else:
            assert statement.kind == Statement.Kind.COMMITMENT
            assert sides == {statement.speaker.side_id}
        assert statement.plover_code == Statement.PloverCode.AGREE
        assert commitment.status == Commitment.Status.PLEDGED
        changes = list(commitment.status_changes.all())
        assert [(c.status, c.date, c.statement_id) for c in changes] == [
            (Commitment.Status.PLEDGED, commitment.meeting.date, statement.pk)
        ]
    # Every commitment or agreement statement is tracked as a commitment.
    assert not Statement.objects.filter(
        kind__in=[Statement.Kind.COMMITMENT, Statement.Kind.AGREEMENT], commitments__isnull=True
    ).exists()


def test_statements_are_attributed_and_coded(seeded):
    for statement in Statement.objects.select_related("speaker"):
        if statement.attribution == Statement.Attribution.JOINT:
            assert statement.speaker is None and statement.side is None
        else:
            assert statement.attribution == Statement.Attribution.SPEAKER
            assert statement.speaker is not None
    criticism = Statement.objects.get(kind=Statement.Kind.CRITICISM)
    assert "unilateral bullying by the United States" in criticism.text
    assert criticism.plover_code == Statement.PloverCode.ACCUSE
    assert criticism.speaker.person.slug == "wang-yi"
    assert set(criticism.mentioned_countries.values_list("alpha3", flat=True)) >= {"USA"}
    assert set(
        Statement.objects.filter(kind=Statement.Kind.EXCHANGE_OF_VIEWS).values_list(
            "plover_code", flat=True
        )
    ) == {"CONSULT"}
    congratulation = Statement.objects.get(kind=Statement.Kind.CONGRATULATION)
    assert congratulation.speaker.name_as_written == "Muzaffar Ashurion"
    assert list(congratulation.mentioned_gatherings.values_list("slug", flat=True)) == [
        "third-foreign-ministers-meeting-afghan-issue"
    ]
    mentioned_orgs = set(
        Statement.objects.values_list("mentioned_organizations__slug", flat=True).distinct()
    )
    assert {"sco", "cica", "china-central-asia-mechanism"} <= mentioned_orgs
    mentioned_gatherings = set(
        Statement.objects.values_list("mentioned_gatherings__slug", flat=True).distinct()
    )
    assert {
        "xi-jinping-state-visit-tajikistan-2024",
        "central-conference-neighboring-countries-work",
        "high-level-conference-glaciers-preservation",
    } <= mentioned_gatherings


def test_relationship_level_elevated_during_the_2024_state_visit(seeded):
    level = RelationshipLevel.objects.get()
    assert (level.country_a_id, level.country_b_id) == ("CHN", "TJK")
    assert level.level == "comprehensive strategic cooperative partnership in the new era"
    assert level.level in level.statement.text
    assert level.announced_at.slug == "xi-jinping-state-visit-tajikistan-2024"
    assert (level.date_precision, level.date_text) == ("month", "in July last year")
    assert (level.date_earliest, level.date_latest) == (
        datetime.date(2024, 7, 1),
        datetime.date(2024, 7, 31),
    )


def test_every_seeded_record_passes_the_validation_curators_get(seeded):
    """The fixture is held to the same rules as the admin and the API (clean and constraints)."""
    for model in apps.get_app_config("events").get_models():
        if model.__name__.startswith("Historical"):
            continue
        for record in model.objects.all():
            record.full_clean()
