"""`manage.py generate_synthetic`: the benchmark archive is realistic in shape, exact in its
spans, the same for the same seed, and never mixed into real data unless asked."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from events.models import (
    Commitment,
    CommitmentStatusChange,
    Meeting,
    Participant,
    Person,
    SourceDocument,
    Statement,
    Tenure,
)
from events.synthetic import generate
from events.synthetic.generator import ArchiveRefused

pytestmark = pytest.mark.django_db

MEETINGS = 300


def snapshot() -> dict[str, list]:
    """What a reader of the archive sees, ids included (they are assigned, not drawn)."""
    return {
        "meetings": list(
            Meeting.objects.order_by("id").values_list(
                "id", "slug", "title", "date", "contact_type", "plover_mode", "place", "status"
            )
        ),
        "participants": list(
            Participant.objects.order_by("id").values_list(
                "id", "meeting", "person", "name_as_written", "side", "role", "title_as_written"
            )
        ),
        "sources": list(SourceDocument.objects.order_by("id").values_list("id", "content_hash")),
        "statements": list(
            Statement.objects.order_by("id").values_list(
                "id", "source", "speaker", "side", "kind", "plover_code", "text", "start", "end"
            )
        ),
        "commitments": list(
            Commitment.objects.order_by("id").values_list("id", "statement", "kind", "status")
        ),
        "commitment_links": list(
            Commitment.reaffirms.through.objects.order_by("id").values_list(
                "from_commitment", "to_commitment"
            )
        ),
        "commitment_topics": list(
            Commitment.topics.through.objects.order_by("id").values_list("commitment", "topic")
        ),
    }


def test_the_same_seed_writes_the_same_archive_and_another_seed_another():
    snapshots = []
    for seed in (5, 5, 6):
        with transaction.atomic():
            generate(meetings=40, seed=seed)
            snapshots.append(snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["statements"] != snapshots[2]["statements"]


@pytest.fixture
def archive():
    out = io.StringIO()
    call_command("generate_synthetic", meetings=MEETINGS, seed=3, verbosity=0, stdout=out)
    return out.getvalue()


def test_the_command_reports_what_it_wrote(archive):
    assert f"{MEETINGS} meetings in" in archive
    assert f"statement {Statement.objects.count():,}" in archive


def test_every_statement_is_its_source_text_at_its_span(archive):
    texts = dict(SourceDocument.objects.values_list("id", "text"))
    statements = list(Statement.objects.values_list("source", "start", "end", "text"))
    assert statements
    assert all(texts[source][start:end] == text for source, start, end, text in statements)
    # Every source reports its meeting and hashes its text.
    for source in SourceDocument.objects.all():
        assert source.content_hash == SourceDocument.hash_text(source.text)
        assert source.meetings.count() == 1


def test_counts_are_in_proportion(archive):
    assert Meeting.objects.count() == MEETINGS
    per_meeting = Meeting.objects.annotate(
        people=Count("participants", distinct=True), said=Count("statements", distinct=True)
    )
    assert {m.people for m in per_meeting} <= {2, 3, 4}
    assert min(m.said for m in per_meeting) >= 10
    assert max(m.said for m in per_meeting) <= 20
    drafts = Meeting.objects.filter(status=Meeting.Status.DRAFT).count()
    assert 0.02 * MEETINGS <= drafts <= 0.09 * MEETINGS
    # About 200 countries take part; a few of them in most meetings.
    sides = Participant.objects.values("side").distinct().count()
    assert 100 <= sides <= 200
    # Every participant holds, on the day, the office the meeting lists.
    for participant in Participant.objects.select_related("meeting")[:200]:
        office = participant.offices.get()
        assert Tenure.objects.filter(
            person=participant.person_id,
            position=office,
            start_earliest__lte=participant.meeting.date,
        ).exclude(end_latest__lt=participant.meeting.date)
    assert Person.objects.filter(aliases__isnull=False).exists()


def test_commitments_form_chains_with_histories(archive):
    commitments = Commitment.objects.select_related("meeting").prefetch_related(
        "reaffirms__meeting", "reaffirms__sides", "sides", "topics"
    )
    assert 0.5 * MEETINGS <= commitments.count() <= 3 * MEETINGS
    chained = [c for c in commitments if c.reaffirms.all()]
    assert chained
    for commitment in chained:
        for earlier in commitment.reaffirms.all():
            assert earlier.meeting.date < commitment.meeting.date
            assert set(commitment.sides.all()) == set(earlier.sides.all())
    assert all(commitment.topics.all() for commitment in commitments[:200])
    for commitment in commitments[:200]:
        history = list(commitment.status_changes.order_by("date"))
        assert history[0].status == "pledged"
        assert history[0].date == commitment.meeting.date
        assert history[-1].status == commitment.status
    assert CommitmentStatusChange.objects.exclude(status="pledged").exists()


def test_it_refuses_a_database_with_real_meetings_unless_appending(seed):
    real = set(Meeting.objects.values_list("slug", flat=True))
    with pytest.raises(CommandError, match="already holds 2 meetings"):
        call_command("generate_synthetic", meetings=5, seed=1, verbosity=0)
    assert set(Meeting.objects.values_list("slug", flat=True)) == real

    call_command("generate_synthetic", meetings=5, seed=1, append=True, verbosity=0)
    assert Meeting.objects.count() == 7
    assert real <= set(Meeting.objects.values_list("slug", flat=True))
    # The seed's topics are reused rather than duplicated.
    assert Statement.objects.filter(meeting__slug__startswith="syn-", topics__slug="security")

    with pytest.raises(ArchiveRefused, match="seed 1 is already here"):
        generate(meetings=5, seed=1, append=True)
    assert Meeting.objects.count() == 7


def test_it_refuses_nonsense():
    before = Meeting.objects.count()  # the seed, once a test of this module has loaded it
    with pytest.raises(CommandError, match="at least one meeting"):
        call_command("generate_synthetic", meetings=0, seed=1, verbosity=0)
    with pytest.raises(CommandError, match="batch-size"):
        call_command("generate_synthetic", meetings=3, seed=1, batch_size=0, verbosity=0)
    assert Meeting.objects.count() == before
