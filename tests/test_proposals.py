"""What an import drafts beyond the meeting, and the curator's decisions on it.

- offices no curated position matches become new positions, flagged for review, in the
  organisation the draft names or the side's state (created for review when unknown);
- every commitment or agreement statement becomes a proposed commitment, with the earlier
  commitments it may reaffirm, for the curator to accept (a `Commitment`) or reject;
- every statement keeps the topics and mentions its draft found.
"""

import datetime

import factories as f
import pytest
import readouts
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from events.ingest.importer import draft_readout, import_readout
from events.models import (
    Commitment,
    CommitmentProposal,
    Meeting,
    Organization,
    Position,
    Statement,
)
from events.services import (
    DeleteBlocked,
    ProposalData,
    commitment_set_status,
    delete_record,
    meeting_save,
    proposal_accept,
    proposal_reject,
    proposal_reopen,
    proposals_create,
)

pytestmark = pytest.mark.django_db

# Synthetic test input, not a real readout: nobody and no office the database knows.
UNKNOWN_OFFICES = (
    "On May 6, 2024, Foreign Minister Alinta Vexmoor of Australia met with "
    "Foreign Minister Tomasz Quillfeather of Poland in Warsaw.\n"
    "Alinta Vexmoor said that Australia is ready to work with Poland to deepen cooperation "
    "in trade and education.\n"
    "The two sides agreed to strengthen cooperation in multilateral institutions.\n"
)


def proposals_of(meeting):
    return list(
        meeting.commitment_proposals.select_related("statement").prefetch_related(
            "sides", "topics", "suggested_reaffirms"
        )
    )


# Offices that did not resolve ------------------------------------------------------------


def test_an_office_no_position_matches_becomes_a_position_to_review(seed):
    result = import_readout(UNKNOWN_OFFICES, publisher_country=f.country("AUS"))

    participants = {
        p.name_as_written: p for p in result.meeting.participants.prefetch_related("offices")
    }
    for name, alpha3 in (("Alinta Vexmoor", "AUS"), ("Tomasz Quillfeather", "POL")):
        (office,) = participants[name].offices.all()
        assert (office.title, office.needs_review) == ("Foreign Minister", True)
        # Neither country has a state organisation yet: one is created for review.
        assert office.organization.country_id == alpha3
        assert office.organization.kind == Organization.Kind.STATE
        assert office.organization.needs_review
    assert {p.title for p in result.new_positions} == {"Foreign Minister"}
    assert len(result.new_positions) == 2
    assert sorted(o.name for o in result.new_organizations) == ["Australia", "Poland"]


def test_a_new_office_of_a_known_country_goes_to_its_state(seed):
    tajikistan = Organization.objects.get(slug="tajikistan")
    # Synthetic test input, not a real readout.
    text = (
        "On June 3, 2025, Foreign Minister Wang Yi met with Tajik Deputy Foreign Minister "
        "Daler Juma in Beijing.\n"
        "The two sides agreed to deepen cooperation in energy.\n"
    )
    before = Position.objects.count()

    result = import_readout(text, publisher_country=f.country("CHN"))

    (new,) = result.new_positions
    assert (new.title, new.organization, new.needs_review) == (
        "Deputy Foreign Minister",
        tajikistan,
        True,
    )
    assert result.new_organizations == ()
    assert Position.objects.count() == before + 1
    wang_yi = result.meeting.participants.get(name_as_written="Wang Yi")
    assert not wang_yi.offices.filter(needs_review=True).exists()  # resolved as curated


def test_an_office_created_once_is_reused_by_the_next_import(seed):
    import_readout(UNKNOWN_OFFICES, publisher_country=f.country("AUS"))
    # Synthetic test input, not a real readout: the same people a month later.
    later = UNKNOWN_OFFICES.replace("May 6", "June 6").replace("Warsaw", "Canberra")

    result = import_readout(later, publisher_country=f.country("AUS"))

    assert result.new_positions == () and result.new_organizations == ()
    assert Position.objects.filter(title="Foreign Minister", needs_review=True).count() == 2


# Topics and mentions ------------------------------------------------------------------------


@pytest.mark.parametrize("path", readouts.SEEDS, ids=lambda path: path.name[:10])
def test_every_statement_keeps_the_topics_and_mentions_of_its_draft(no_meetings, path):
    text = readouts.read(path)
    china = f.country("CHN")
    draft = draft_readout(text, publisher_country=china)
    assert any(s.topic_ids for s in draft.statements)
    assert any(any(s.mention_ids.values()) for s in draft.statements)

    result = import_readout(text, publisher_country=china, draft=draft)

    stored = result.meeting.statements.order_by("start").prefetch_related(
        "topics",
        "mentioned_countries",
        "mentioned_organizations",
        "mentioned_people",
        "mentioned_gatherings",
    )
    assert len(stored) == len(draft.statements)
    for statement, drafted in zip(stored, draft.statements, strict=True):
        assert (statement.start, statement.end) == (drafted.start, drafted.end)
        assert {t.pk for t in statement.topics.all()} == set(drafted.topic_ids)
        assert {c.pk for c in statement.mentioned_countries.all()} == set(
            drafted.mention_ids["countries"]
        )
        for kind in ("organizations", "people", "gatherings"):
            linked = getattr(statement, f"mentioned_{kind}").all()
            assert {row.pk for row in linked} == set(drafted.mention_ids[kind]), kind


# Proposed commitments -----------------------------------------------------------------------


def test_each_commitment_or_agreement_statement_is_proposed(no_meetings):
    result = import_readout(readouts.read(readouts.ALMATY), publisher_country=f.country("CHN"))

    proposals = proposals_of(result.meeting)
    committing = result.meeting.statements.filter(kind__in=["commitment", "agreement"])
    assert len(proposals) == committing.count() == 11
    assert {p.statement for p in proposals} == set(committing)
    for proposal in proposals:
        statement = proposal.statement
        assert proposal.state == CommitmentProposal.State.PROPOSED
        assert proposal.description == statement.text
        assert set(proposal.topics.all()) == set(statement.topics.all())
        sides = sorted(side.pk for side in proposal.sides.all())
        if statement.attribution == Statement.Attribution.JOINT:
            assert (proposal.kind, sides) == ("agreement", ["CHN", "TJK"])
        else:
            assert (proposal.kind, sides) == ("pledge", [statement.speaker.side_id])
    assert result.proposals and len(result.proposals) == 11


def accept_all(meeting, user=None):
    for proposal in meeting.commitment_proposals.order_by("pk"):
        proposal_accept(proposal=proposal, user=user)


def test_a_later_meeting_suggests_the_earlier_commitments_it_may_reaffirm(no_meetings):
    china = f.country("CHN")
    first = import_readout(readouts.read(readouts.TUNXI), publisher_country=china)
    accept_all(first.meeting)

    later = import_readout(readouts.read(readouts.ALMATY), publisher_country=china)

    security = next(
        p
        for p in proposals_of(later.meeting)
        if "security" in p.description and p.kind == "agreement"
    )
    (suggested,) = security.suggested_reaffirms.all()
    assert suggested.meeting == first.meeting
    assert suggested.kind == "agreement"
    assert {side.pk for side in suggested.sides.all()} == {"CHN", "TJK"}
    # A shared topic: the same, or one above or below it in the tree.
    topics = set(security.topics.all())
    assert any(
        earlier in topics or earlier.parent in topics or earlier in {t.parent for t in topics}
        for earlier in suggested.topics.all()
    )


def test_accepting_records_the_commitment_and_who_decided(no_meetings, admin_user):
    china = f.country("CHN")
    first = import_readout(readouts.read(readouts.TUNXI), publisher_country=china)
    accept_all(first.meeting)
    later = import_readout(readouts.read(readouts.ALMATY), publisher_country=china)
    proposal = next(p for p in proposals_of(later.meeting) if p.suggested_reaffirms.exists())
    earlier = proposal.suggested_reaffirms.get()

    commitment = proposal_accept(proposal=proposal, user=admin_user)  # the suggestion kept

    proposal.refresh_from_db()
    assert (proposal.state, proposal.commitment, proposal.decided_by) == (
        "accepted",
        commitment,
        admin_user,
    )
    assert proposal.decided_at is not None
    assert commitment.meeting == later.meeting
    assert commitment.statement == proposal.statement
    assert commitment.kind == proposal.kind
    assert commitment.description == proposal.description
    assert set(commitment.sides.all()) == set(proposal.sides.all())
    assert set(commitment.topics.all()) == set(proposal.topics.all())
    assert list(commitment.reaffirms.all()) == [earlier]
    assert list(commitment.status_changes.values_list("status", "date")) == [
        ("pledged", later.meeting.date)
    ]
    assert commitment.history.count() == 1 and proposal.history.count() == 2


def test_a_commitment_that_breaks_a_rule_is_refused_and_the_proposal_stays(no_meetings):
    china = f.country("CHN")
    result = import_readout(readouts.read(readouts.TUNXI), publisher_country=china)
    proposal = result.meeting.commitment_proposals.order_by("pk").first()
    later = f.CommitmentFactory(meeting=f.MeetingFactory(date=datetime.date(2030, 1, 1)))
    commitments = Commitment.objects.count()

    with pytest.raises(ValidationError) as refused:
        proposal_accept(proposal=proposal, reaffirms=[later])

    assert "earlier meeting" in str(refused.value)
    assert Commitment.objects.count() == commitments
    proposal.refresh_from_db()
    assert (proposal.state, proposal.commitment) == ("proposed", None)


def test_accepting_without_the_suggestions_reaffirms_nothing(no_meetings):
    china = f.country("CHN")
    first = import_readout(readouts.read(readouts.TUNXI), publisher_country=china)
    accept_all(first.meeting)
    later = import_readout(readouts.read(readouts.ALMATY), publisher_country=china)
    proposal = next(p for p in proposals_of(later.meeting) if p.suggested_reaffirms.exists())

    commitment = proposal_accept(proposal=proposal, reaffirms=[])

    assert not commitment.reaffirms.exists()


def test_rejecting_records_no_commitment_and_a_decision_is_made_once(no_meetings, admin_user):
    result = import_readout(readouts.read(readouts.TUNXI), publisher_country=f.country("CHN"))
    proposal, other = result.meeting.commitment_proposals.order_by("pk")[:2]

    proposal_reject(proposal=proposal, user=admin_user)

    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by, proposal.commitment) == (
        "rejected",
        admin_user,
        None,
    )
    assert not Commitment.objects.exists()
    with pytest.raises(ValidationError, match="already rejected"):
        proposal_accept(proposal=proposal)
    proposal_accept(proposal=other)
    with pytest.raises(ValidationError, match="already accepted"):
        proposal_reject(proposal=other)


def test_reconsidering_an_acceptance_deletes_its_commitment_unless_referred_to(no_meetings):
    result = import_readout(readouts.read(readouts.TUNXI), publisher_country=f.country("CHN"))
    proposal, other = result.meeting.commitment_proposals.order_by("pk")[:2]
    commitment = proposal_accept(proposal=proposal)

    proposal_reopen(proposal=proposal)

    assert not Commitment.objects.filter(pk=commitment.pk).exists()
    proposal.refresh_from_db()
    assert (proposal.state, proposal.commitment, proposal.decided_at) == ("proposed", None, None)

    kept = proposal_accept(proposal=other)
    commitment_set_status(commitment=kept, status="in_progress", date=datetime.date(2023, 1, 1))
    with pytest.raises(DeleteBlocked):
        proposal_reopen(proposal=other)
    other.refresh_from_db()
    assert other.state == "accepted"


def test_an_accepted_commitment_cannot_be_deleted_while_its_proposal_names_it(no_meetings):
    result = import_readout(readouts.read(readouts.TUNXI), publisher_country=f.country("CHN"))
    commitment = proposal_accept(proposal=result.meeting.commitment_proposals.first())
    with pytest.raises(DeleteBlocked):
        delete_record(commitment)


def test_deleting_a_statement_takes_its_pending_proposal(no_meetings):
    result = import_readout(readouts.read(readouts.TUNXI), publisher_country=f.country("CHN"))
    proposal = result.meeting.commitment_proposals.order_by("pk").first()

    delete_record(proposal.statement)

    assert not CommitmentProposal.objects.filter(pk=proposal.pk).exists()
    assert not Statement.objects.filter(pk=proposal.statement_id).exists()


def test_proposals_are_never_public(no_meetings, reader_user):
    result = import_readout(readouts.read(readouts.TUNXI), publisher_country=f.country("CHN"))
    meeting = result.meeting
    meeting.status = Meeting.Status.PUBLISHED
    meeting_save(meeting)

    assert CommitmentProposal.objects.count() == (
        meeting.statements.filter(kind__in=["commitment", "agreement"]).count()
    )
    for user in (AnonymousUser(), reader_user):
        assert not CommitmentProposal.objects.visible_to(user).exists()


def test_proposals_refuse_sides_the_meeting_does_not_have():
    statement = f.StatementFactory()
    f.ParticipantFactory(meeting=statement.meeting, side=f.country("CHN"))
    with pytest.raises(ValidationError, match="Not a side of this meeting: USA"):
        proposals_create(
            meeting=statement.meeting,
            proposals=[
                ProposalData(statement=statement, kind="pledge", description="Help.", sides=["USA"])
            ],
        )
    assert not CommitmentProposal.objects.exists()
