"""The parser's output: a draft meeting, every value traced to the readout's text.

The JSON form (`Draft.as_json`) is what `import_readout --dry-run --json` prints and what
`POST /api/v1/sources/parse/` answers.
"""

import datetime
from dataclasses import asdict, dataclass, field

__all__ = [
    "Draft",
    "DraftCommitment",
    "DraftOccasion",
    "DraftOffice",
    "DraftParticipant",
    "DraftPlace",
    "DraftReaffirmation",
    "DraftStatement",
    "ReadoutError",
]


class ReadoutError(ValueError):
    """The text cannot be read as a readout; `field` names the input at fault."""

    def __init__(self, message: str, *, field: str = "text", code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


@dataclass
class DraftPlace:
    city: str | None = None
    region: str | None = None
    country: str | None = None  # alpha-3; inferred from the gazetteer when the text omits it
    place_id: int | None = None  # a curated Place this resolved to


@dataclass
class DraftOccasion:
    name: str
    relation: str  # Meeting.OccasionRelation
    gathering_id: int | None = None


@dataclass
class DraftOffice:
    """An office a participant holds, as the title writes it. Resolved to a curated
    position (`position_id`), or else a new position to create, flagged for review."""

    title: str
    position_id: int | None = None
    organization: str | None = None  # the international organisation, when the side is one
    country: str | None = None  # alpha-3 of the side whose office it is
    needs_review: bool = False  # no curated position matched: a new one to review


@dataclass
class DraftParticipant:
    name: str
    country: str | None  # alpha-3 of the side represented
    organization: str | None  # or the international organisation represented
    organization_id: int | None
    title_as_written: str
    role: str
    person_id: int | None
    offices: list[DraftOffice] = field(default_factory=list)
    needs_review: bool = False  # no known person has this name
    side_from: str = ""  # how the side was read: title, person, publisher, organization, text
    start: int = 0  # where the name is written in the text
    end: int = 0


@dataclass
class DraftStatement:
    text: str
    start: int
    end: int
    kind: str
    plover_code: str
    attribution: str  # speaker | joint | side
    speaker: str | None  # the speaking participant's name, as written
    sides: list[str]
    topics: list[str]  # topic names
    topic_ids: list[int]
    mentions: dict[str, list]  # countries (alpha-3), organizations, people, gatherings (names)
    mention_ids: dict[str, list]


@dataclass
class DraftReaffirmation:
    """An earlier commitment the proposed one may reaffirm: same sides, a shared topic."""

    commitment_id: int
    description: str
    date: datetime.date | None  # the earlier commitment's meeting date


@dataclass
class DraftCommitment:
    """A commitment proposed from a commitment or agreement statement, for the curator to
    accept or reject: a pledge by the speaker's side or an agreement of both sides."""

    kind: str  # Commitment.Kind: pledge | agreement
    statement_index: int  # the statement it comes from (index into Draft.statements)
    description: str  # the statement's text, verbatim
    start: int  # the statement's span in the text
    end: int
    sides: list[str]  # alpha-3 codes
    topics: list[str]  # topic names
    topic_ids: list[int]
    reaffirms: DraftReaffirmation | None = None


@dataclass
class Draft:
    text: str
    title: str
    date: datetime.date | None  # None only when parsed with require_date=False
    date_qualifier: str
    contact_type: str
    plover_mode: str
    place: DraftPlace
    occasion: DraftOccasion | None
    participants: list[DraftParticipant]
    statements: list[DraftStatement]
    commitments: list[DraftCommitment] = field(default_factory=list)
    publisher: str | None = None
    publisher_country: str | None = None
    url: str = ""
    published: datetime.date | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def unresolved_names(self) -> list[str]:
        return [p.name for p in self.participants if p.person_id is None]

    @property
    def new_offices(self) -> list[DraftOffice]:
        """Offices no curated position matched: to be created, flagged for review."""
        return [o for p in self.participants for o in p.offices if o.position_id is None]

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("text")
        data["date"] = self.date.isoformat() if self.date else None
        data["published"] = self.published.isoformat() if self.published else None
        data["occasion"] = self.occasion.name if self.occasion else None
        data["occasion_relation"] = self.occasion.relation if self.occasion else ""
        data["occasion_gathering_id"] = self.occasion.gathering_id if self.occasion else None
        data["unresolved_names"] = self.unresolved_names
        for statement in data["statements"]:
            statement.pop("topic_ids")
            statement.pop("mention_ids")
        for commitment in data["commitments"]:
            if commitment["reaffirms"] and commitment["reaffirms"]["date"]:
                commitment["reaffirms"]["date"] = commitment["reaffirms"]["date"].isoformat()
        return data
