"""What the database already knows, indexed for the parser: people, offices, organisations,
topics, gatherings, places and country names. Built in a few queries per import run."""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from events.models import (
    Commitment,
    Country,
    Gathering,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    Place,
    Position,
    Tenure,
    Topic,
)

from .gazetteer import country_forms
from .text import fold

__all__ = ["Directory", "Match", "office_key"]

# Words that do not tell one office from another ("Minister of Foreign Affairs" is the
# "Foreign Minister").
_OFFICE_FILLER = {"of", "the", "and", "for", "affairs", "s", "'s"}


def office_key(title: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", fold(title).replace("-", " "))
    return frozenset(word for word in words if word not in _OFFICE_FILLER)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    value: object


@dataclass
class _Table:
    """Written forms to values, matched on word boundaries, longest form first."""

    case_sensitive: bool = False
    forms: dict[str, object] = field(default_factory=dict)
    _pattern: re.Pattern | None = None

    def add(self, form: str, value) -> None:
        form = form.strip()
        if len(form) < 2:
            return
        key = form if self.case_sensitive else fold(form)
        self.forms.setdefault(key, value)
        self._pattern = None

    def get(self, form: str):
        return self.forms.get(form if self.case_sensitive else fold(form))

    def pattern(self) -> re.Pattern | None:
        if self._pattern is None and self.forms:
            alternatives = sorted(self.forms, key=len, reverse=True)
            body = "|".join(re.escape(form).replace(r"\ ", r"\s+") for form in alternatives)
            flags = 0 if self.case_sensitive else re.IGNORECASE
            self._pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)
        return self._pattern

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        pattern = self.pattern()
        if pattern is None:
            return []
        end = len(text) if end is None else end
        matches = []
        for found in pattern.finditer(text, start, end):
            value = self.get(found.group())
            if value is None:
                value = self.get(re.sub(r"\s+", " ", found.group()))
            if value is not None:
                matches.append(Match(found.start(), found.end(), value))
        return matches


@functools.lru_cache(maxsize=4096)
def _folded_char(char: str) -> str:
    return fold(char)[:1] or char


@functools.lru_cache(maxsize=16)
def _folded_text(text: str) -> str:
    """Diacritics removed character by character, so offsets stay those of `text`."""
    if text.isascii():
        return text.lower()
    return "".join(char.lower() if char < "\x80" else _folded_char(char) for char in text)


@dataclass
class PositionEntry:
    id: int
    key: frozenset[str]  # `office_key` of the title
    country: str | None  # of the position's organisation


@dataclass(frozen=True)
class CommitmentEntry:
    """An earlier commitment a new one may reaffirm (read only)."""

    id: int
    sides: frozenset[str]  # alpha-3 codes
    topic_ids: frozenset[int]
    date: object  # the meeting's date
    description: str


@dataclass
class Directory:
    country_names: _Table = field(default_factory=lambda: _Table(case_sensitive=True))
    demonyms: _Table = field(default_factory=lambda: _Table(case_sensitive=True))
    people: _Table = field(default_factory=_Table)
    person_country: dict[int, str | None] = field(default_factory=dict)
    organizations: _Table = field(default_factory=_Table)
    organization_abbreviations: _Table = field(default_factory=lambda: _Table(case_sensitive=True))
    organization_names: dict[int, str] = field(default_factory=dict)
    # International organisations (kind "international", no country): an official of one
    # represents it rather than a country ("UN Secretary-General", "NATO").
    international: _Table = field(default_factory=_Table)
    international_abbreviations: _Table = field(default_factory=lambda: _Table(case_sensitive=True))
    positions: list[PositionEntry] = field(default_factory=list)
    held_positions: dict[int, set[int]] = field(default_factory=dict)
    topics: list[tuple[int, _Table]] = field(default_factory=list)
    topic_names: dict[int, str] = field(default_factory=dict)
    topic_parents: dict[int, int | None] = field(default_factory=dict)
    commitments: list[CommitmentEntry] = field(default_factory=list)
    gatherings: _Table = field(default_factory=_Table)
    places: _Table = field(default_factory=_Table)
    place_details: dict[int, tuple[str, str, str, str | None]] = field(default_factory=dict)

    @classmethod
    def from_db(cls) -> "Directory":
        directory = cls()
        for alpha3, name, official in Country.objects.values_list(
            "alpha3", "name", "official_name"
        ):
            for form in (name, official):
                if form and "," not in form:
                    directory.country_names.add(form, alpha3)
        for form, alpha3 in country_forms().get("name", ()):
            directory.country_names.add(form, alpha3)
        for form, alpha3 in country_forms().get("demonym", ()):
            directory.demonyms.add(form, alpha3)

        for pk, name, country in Person.objects.values_list("pk", "name", "country_id"):
            directory.add_person(pk, [name], country)
        for person_id, name in PersonAlias.objects.values_list("person_id", "name"):
            directory.people.add(name, person_id)

        aliases: dict[int, list[str]] = {}
        for organization_id, name in OrganizationAlias.objects.values_list(
            "organization_id", "name"
        ):
            aliases.setdefault(organization_id, []).append(name)
        organizations = Organization.objects.values_list(
            "pk", "name", "abbreviation", "kind", "country_id"
        )
        for pk, name, abbreviation, kind, country in organizations:
            directory.add_organization(
                pk, name, abbreviation, kind=kind, country=country, aliases=aliases.get(pk, ())
            )

        positions = Position.objects.values_list("pk", "title", "organization__country_id")
        for pk, title, country in positions:
            directory.positions.append(PositionEntry(pk, office_key(title), country))
        for person_id, position_id in Tenure.objects.values_list("person_id", "position_id"):
            directory.held_positions.setdefault(person_id, set()).add(position_id)

        topics = Topic.objects.values_list("pk", "name", "keywords", "parent_id")
        for pk, name, keywords, parent in topics:
            directory.topic_parents[pk] = parent
            table = _Table()
            for keyword in [name, *keywords.splitlines()]:
                table.add(keyword, pk)
            directory.topics.append((pk, table))
            directory.topic_names[pk] = name

        for pk, name in Gathering.objects.values_list("pk", "name"):
            directory.gatherings.add(name, pk)
            directory.gatherings.add(re.sub(r"^the\s+", "", name, flags=re.I), pk)

        places = Place.objects.values_list("pk", "name", "kind", "country_id", "parent__name")
        for pk, name, kind, country, parent in places:
            directory.places.add(name, pk)
            bare = re.sub(r"\s+(Province|Region|Oblast|State|Prefecture)$", "", name)
            directory.places.add(bare, pk)
            directory.place_details[pk] = (name, kind, country, parent)

        sides: dict[int, set[str]] = {}
        for commitment_id, alpha3 in Commitment.sides.through.objects.values_list(
            "commitment_id", "country_id"
        ):
            sides.setdefault(commitment_id, set()).add(alpha3)
        topics: dict[int, set[int]] = {}
        for commitment_id, topic_id in Commitment.topics.through.objects.values_list(
            "commitment_id", "topic_id"
        ):
            topics.setdefault(commitment_id, set()).add(topic_id)
        commitments = Commitment.objects.values_list("pk", "meeting__date", "description").order_by(
            "meeting__date", "pk"
        )
        for pk, date, description in commitments:
            directory.commitments.append(
                CommitmentEntry(
                    pk,
                    frozenset(sides.get(pk, ())),
                    frozenset(topics.get(pk, ())),
                    date,
                    description,
                )
            )
        return directory

    def add_organization(
        self,
        pk: int,
        name: str,
        abbreviation: str = "",
        *,
        kind: str = "",
        country: str | None = None,
        aliases: Iterable[str] = (),
    ) -> None:
        """Index an organisation by its name, abbreviation and aliases."""
        self.organization_names[pk] = name
        for form in (name, *aliases):
            self.organizations.add(form, pk)
        if abbreviation:
            self.organization_abbreviations.add(abbreviation, pk)
        if kind == Organization.Kind.INTERNATIONAL and not country:
            for form in (name, *aliases):
                self.international.add(form, pk)
            if abbreviation:
                self.international_abbreviations.add(abbreviation, pk)

    def add_person(self, pk: int, names: Iterable[str], country: str | None) -> None:
        for name in names:
            self.people.add(name, pk)
        self.person_country[pk] = country

    # Lookups -----------------------------------------------------------------------------

    def find_people(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        return self.people.find(_folded_text(text), start, end)

    def find_countries(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Countries named ("Tajikistan", "the Republic of Tajikistan", "US")."""
        return self.country_names.find(text, start, end)

    def find_demonyms(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        return self.demonyms.find(text, start, end)

    def find_organizations(self, text: str, start: int = 0, end: int | None = None):
        found = self.organizations.find(_folded_text(text), start, end)
        found += self.organization_abbreviations.find(text, start, end)
        return _without_overlaps(found)

    def find_international(self, text: str, start: int = 0, end: int | None = None):
        """International organisations named ("United Nations", "NATO", "the UN")."""
        found = self.international.find(_folded_text(text), start, end)
        found += self.international_abbreviations.find(text, start, end)
        return _without_overlaps(found)

    def topic_lineage(self, topic_id: int) -> set[int]:
        """A topic and the topics above it (the tree is small)."""
        lineage: set[int] = set()
        while topic_id is not None and topic_id not in lineage:
            lineage.add(topic_id)
            topic_id = self.topic_parents.get(topic_id)
        return lineage

    def find_gatherings(self, text: str, start: int = 0, end: int | None = None):
        return self.gatherings.find(_folded_text(text), start, end)

    def find_topics(self, text: str) -> list[int]:
        folded = _folded_text(text)
        return [pk for pk, table in self.topics if table.find(folded)]

    def resolve_position(
        self, office: str, country: str | None, person_id: int | None
    ) -> PositionEntry | None:
        """The office of that title in the side's country; a person's own offices first."""
        key = office_key(office)
        if not key:
            return None
        candidates = [p for p in self.positions if p.key == key]
        if person_id is not None:
            held = self.held_positions.get(person_id, set())
            own = [p for p in candidates if p.id in held]
            if own:
                return own[0]
        same_country = [p for p in candidates if country is not None and p.country == country]
        return same_country[0] if len(same_country) == 1 else None


def _without_overlaps(matches: list[Match]) -> list[Match]:
    kept: list[Match] = []
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept
