"""The parser's output: a draft meeting, every value traced to the readout's text.

The JSON form (`Draft.as_json`) is what `import_readout --dry-run --json` prints and what
`POST /api/v1/sources/parse/` answers.
"""

import datetime
from dataclasses import asdict, dataclass, field

__all__ = [
    "Draft",
    "DraftOccasion",
    "DraftOffice",
    "DraftParticipant",
    "DraftPlace",
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
    title: str
    position_id: int | None = None


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
    side_from: str = ""  # how the side was read: title, person, publisher or organization
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
    publisher: str | None = None
    publisher_country: str | None = None
    url: str = ""
    published: datetime.date | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def unresolved_names(self) -> list[str]:
        return [p.name for p in self.participants if p.person_id is None]

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
        return data
