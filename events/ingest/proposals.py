"""The draft's proposed commitments: one for each commitment or agreement statement, with
its sides and topics, and the earlier commitment it may reaffirm.

A proposal is only a suggestion for the curator; nothing here writes. An earlier
commitment is suggested when it binds the same sides and shares a topic (a topic or one
above it in the tree), the latest such first.
"""

from events.models import Commitment, Statement

from .directory import Directory
from .draft import DraftCommitment, DraftReaffirmation, DraftStatement
from .lexicon import COMMITMENT_KINDS

__all__ = ["propose_commitments"]


def propose_commitments(
    statements: list[DraftStatement], directory: Directory
) -> list[DraftCommitment]:
    proposals = []
    for index, statement in enumerate(statements):
        if statement.kind not in COMMITMENT_KINDS or not statement.sides:
            continue
        both = statement.attribution == Statement.Attribution.JOINT or len(statement.sides) > 1
        kind = Commitment.Kind.AGREEMENT if both else Commitment.Kind.PLEDGE
        proposals.append(
            DraftCommitment(
                kind=kind,
                statement_index=index,
                description=statement.text,
                start=statement.start,
                end=statement.end,
                sides=list(statement.sides),
                topics=list(statement.topics),
                topic_ids=list(statement.topic_ids),
                reaffirms=_earlier(statement, directory),
            )
        )
    return proposals


def _earlier(statement: DraftStatement, directory: Directory) -> DraftReaffirmation | None:
    if not statement.topic_ids:
        return None
    sides = frozenset(statement.sides)
    lineages = [directory.topic_lineage(topic_id) for topic_id in statement.topic_ids]
    for entry in reversed(directory.commitments):  # the latest first
        if entry.sides != sides:
            continue
        # A same topic, or one above or below it in the tree.
        for entry_topic in entry.topic_ids:
            entry_lineage = directory.topic_lineage(entry_topic)
            if any(
                entry_topic in lineage or topic_id in entry_lineage
                for topic_id, lineage in zip(statement.topic_ids, lineages, strict=True)
            ):
                return DraftReaffirmation(entry.id, entry.description, entry.date)
    return None
