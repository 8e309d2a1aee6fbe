"""Storing a parsed readout: the source, a draft meeting (or the meeting it also reports),
its participants with their offices, its statements with their topics and mentions, and the
commitments it proposes, all in one transaction.

Whatever the draft names that the database does not know is created for review (flagged
`needs_review`) rather than dropped: a person, an office (in the organisation the draft
names, or the side's state, itself created for review when unknown), a place, a gathering.
Existing records are only linked to, never changed.
"""

import datetime
from dataclasses import dataclass, field
from typing import Literal

from django.utils.text import slugify

from events.history import Channel, acting, write_scope
from events.models import (
    Commitment,
    Country,
    Gathering,
    Meeting,
    Organization,
    Participant,
    Person,
    Place,
    Position,
    SourceDocument,
    Statement,
)
from events.services import (
    ParticipantData,
    ProposalData,
    StatementData,
    meeting_create,
    participant_create,
    proposals_create,
    record_save,
    source_create,
    statements_create,
)

from .directory import Directory
from .draft import Draft, DraftOffice, DraftParticipant, ReadoutError
from .parser import parse_readout
from .text import fold

__all__ = ["ImportResult", "draft_readout", "find_publisher", "import_readout"]

Outcome = Literal["created", "attached", "duplicate"]


@dataclass(frozen=True)
class ImportResult:
    outcome: Outcome
    source: SourceDocument
    meeting: Meeting | None
    draft: Draft | None = None
    new_people: tuple[Person, ...] = ()  # created for names no one had, flagged for review
    new_positions: tuple[Position, ...] = ()  # offices no curated position matched
    new_organizations: tuple[Organization, ...] = ()  # the sides those offices belong to
    proposals: tuple = ()  # CommitmentProposal: the commitments proposed for review


@dataclass
class _Created:
    """What an import creates for review, by the key it was looked up with, so that a name
    or office written twice in one readout is created once."""

    people: dict[str, Person] = field(default_factory=dict)  # by the name as written
    positions: dict[tuple[int, str], Position] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)


def find_publisher(name: str) -> Organization | None:
    """The organisation a curator names as publisher: by slug, name, abbreviation or alias."""
    key = fold(name)
    for organization in Organization.objects.prefetch_related("aliases"):
        forms = [organization.slug, organization.name, organization.abbreviation]
        forms += [alias.name for alias in organization.aliases.all()]
        if key in {fold(form) for form in forms if form}:
            return organization
    return None


def draft_readout(
    text: str,
    *,
    publisher: Organization | None = None,
    publisher_country: Country | None = None,
    url: str = "",
    published: datetime.date | None = None,
    directory: Directory | None = None,
) -> Draft:
    """Parse a readout as its publisher's: officials the text gives no side take the
    publisher's country (`publisher_country`, else the publisher's own). Writes nothing;
    raises `ReadoutError` when the text cannot be read."""
    country = publisher_country or (publisher.country if publisher else None)
    return parse_readout(
        text,
        publisher=publisher.name if publisher else None,
        publisher_country=country.pk if country else None,
        url=url,
        published=published,
        directory=directory,
    )


def import_readout(
    text: str,
    *,
    publisher: Organization | None = None,
    publisher_country: Country | None = None,
    url: str = "",
    published: datetime.date | None = None,
    title: str = "",
    language: str = "en",
    directory: Directory | None = None,
    draft: Draft | None = None,
) -> ImportResult:
    """Import one readout as a draft meeting.

    The same text twice is reported as a duplicate and not stored again. A readout of a
    meeting already recorded (same date, and every person it names resolved to a
    participant of that meeting) is attached to it as another source. `draft` is the
    text's draft when the caller has already parsed it (`draft_readout`, same arguments).
    Raises `ReadoutError` when the text cannot be read; nothing is written then.
    """
    existing = SourceDocument.objects.with_text(text).first()
    if existing is not None:
        return ImportResult("duplicate", existing, existing.meetings.order_by("pk").first())
    directory = directory if directory is not None else Directory.from_db()
    if draft is None:
        draft = draft_readout(
            text,
            publisher=publisher,
            publisher_country=publisher_country,
            url=url,
            published=published,
            directory=directory,
        )
    created = _Created()
    with acting(channel=Channel.IMPORT), write_scope(reason="Imported from a readout"):
        meeting = _meeting_reported(draft)
        if meeting is None:
            meeting = _create_meeting(draft, created)
            outcome: Outcome = "created"
        else:
            outcome = "attached"
        source = source_create(
            text=text,
            title=title or draft.title,
            url=url,
            publisher=publisher,
            language=language,
            published_on=draft.published,
            meetings=[meeting],
        )
        participants = _participants_by_draft(meeting, draft, created)
        statements = _create_statements(meeting, source, draft, participants)
        proposals = _create_proposals(meeting, draft, statements)
    # New people join the directory (shared by a run's files) only once their import is
    # committed: a failed file must leave no person there that the rollback removed.
    for person in created.people.values():
        directory.add_person(person.pk, [person.name], person.country_id)
    return ImportResult(
        outcome,
        source,
        meeting,
        draft,
        new_people=tuple(created.people.values()),
        new_positions=tuple(created.positions.values()),
        new_organizations=tuple(created.organizations.values()),
        proposals=tuple(proposals),
    )


def _meeting_reported(draft: Draft) -> Meeting | None:
    """The recorded meeting this readout also reports: same date, same people."""
    people = {p.person_id for p in draft.participants}
    if None in people or len(people) < 2:
        return None
    candidates = Meeting.objects.filter(date=draft.date).prefetch_related("participants")
    for meeting in candidates:
        present = {p.person_id for p in meeting.participants.all()}
        if people <= present:
            return meeting
    return None


def _create_meeting(draft: Draft, created: _Created) -> Meeting:
    participants = [_participant_data(p, created) for p in draft.participants]
    slug = _unique_slug(
        Meeting, f"{draft.date.isoformat()}-{'-'.join(p.name for p in draft.participants[:2])}"
    )
    notes = ["Drafted by the readout importer; check every field before publishing."]
    notes += draft.warnings
    if draft.unresolved_names:
        notes.append(
            "New people to review (no known person matched): "
            + ", ".join(draft.unresolved_names)
            + "."
        )
    occasion = None
    if draft.occasion is not None:
        occasion = _gathering(draft.occasion.name, draft.occasion.gathering_id)
    return meeting_create(
        slug=slug,
        title=draft.title[:300],
        date=draft.date,
        date_qualifier=draft.date_qualifier,
        contact_type=draft.contact_type,
        plover_mode=draft.plover_mode,
        place=_place(draft),
        occasion=occasion,
        occasion_relation=draft.occasion.relation if occasion else "",
        status=Meeting.Status.DRAFT,
        notes="\n".join(notes),
        participants=participants,
    )


def _participant_data(participant: DraftParticipant, created: _Created) -> ParticipantData:
    country = (
        Country.objects.filter(pk=participant.country).first() if participant.country else None
    )
    organization = None
    if participant.organization:
        organization = _international_organization(participant)
    if country is None and organization is None:
        raise ReadoutError(
            f"No side could be read for {participant.name}; give the publisher's country.",
            field="country",
            code="no_side",
        )
    if participant.person_id is not None:
        person = Person.objects.get(pk=participant.person_id)
    elif participant.name in created.people:
        person = created.people[participant.name]
    else:
        person = record_save(
            Person(
                slug=_unique_slug(Person, participant.name),
                name=participant.name,
                country=country,
                needs_review=True,
            )
        )
        created.people[participant.name] = person
    resolved = Position.objects.in_bulk(
        [o.position_id for o in participant.offices if o.position_id]
    )
    offices = []
    for office in participant.offices:
        position = resolved.get(office.position_id) if office.position_id else None
        if position is None and office.position_id is None:
            position = _new_position(office, organization or _state_of(country, created), created)
        if position is not None and position not in offices:
            offices.append(position)
    return ParticipantData(
        name_as_written=participant.name,
        side=None if organization else country,
        side_organization=organization,
        person=person,
        role=participant.role,
        title_as_written=participant.title_as_written[:300],
        offices=offices,
    )


def _new_position(office: DraftOffice, organization: Organization, created: _Created) -> Position:
    """The office a title names that no curated position matched: created in the side's
    organisation, flagged for review (or the one of that title there already)."""
    title = office.title.strip()[:300]
    key = (organization.pk, fold(title))
    if key in created.positions:
        return created.positions[key]
    position = Position.objects.filter(organization=organization, title__iexact=title).first()
    if position is None:
        position = record_save(
            Position(
                slug=_unique_slug(Position, f"{organization.slug}-{title}"),
                title=title,
                kind=Position.Kind.OTHER,  # the curator says which, with the review
                organization=organization,
                needs_review=True,
            )
        )
        created.positions[key] = position
    return position


def _state_of(country: Country, created: _Created) -> Organization:
    """The organisation a country's new offices belong to until a curator moves them: its
    state (kind "state"), created for review when the database has none."""
    if country.pk in created.organizations:
        return created.organizations[country.pk]
    state = (
        Organization.objects.filter(country=country, kind=Organization.Kind.STATE)
        .order_by("pk")
        .first()
    )
    if state is None:
        state = record_save(
            Organization(
                slug=_unique_slug(Organization, country.name),
                name=country.name,
                kind=Organization.Kind.STATE,
                country=country,
                needs_review=True,
            )
        )
        created.organizations[country.pk] = state
    return state


def _international_organization(participant: DraftParticipant) -> Organization:
    if participant.organization_id is not None:
        return Organization.objects.get(pk=participant.organization_id)
    organization = Organization.objects.filter(name__iexact=participant.organization).first()
    if organization is None:
        organization = record_save(
            Organization(
                slug=_unique_slug(Organization, participant.organization),
                name=participant.organization,
                kind=Organization.Kind.INTERNATIONAL,
                needs_review=True,
            )
        )
    return organization


def _gathering(name: str, gathering_id: int | None) -> Gathering:
    if gathering_id is not None:
        return Gathering.objects.get(pk=gathering_id)
    return record_save(
        Gathering(
            slug=_unique_slug(Gathering, name),
            name=name[:300],
            kind=Gathering.Kind.OTHER,
            needs_review=True,
        )
    )


def _place(draft: Draft) -> Place | None:
    place = draft.place
    if place.place_id is not None:
        return Place.objects.get(pk=place.place_id)
    if not place.country:
        return None
    country = Country.objects.get(pk=place.country)
    parent = None
    if place.region:
        parent = Place.objects.filter(
            kind=Place.Kind.REGION, country=country, name__istartswith=place.region
        ).first() or _new_place(
            slug=_unique_slug(Place, f"{place.region}-{country.pk}"),
            name=place.region,
            kind=Place.Kind.REGION,
            country=country,
        )
    if not place.city:
        return (
            parent
            or Place.objects.filter(kind=Place.Kind.COUNTRY, country=country).first()
            or _new_place(
                slug=_unique_slug(Place, country.name),
                name=country.name,
                kind=Place.Kind.COUNTRY,
                country=country,
            )
        )
    return Place.objects.filter(
        kind=Place.Kind.CITY, country=country, name__iexact=place.city
    ).first() or _new_place(
        slug=_unique_slug(Place, place.city),
        name=place.city,
        kind=Place.Kind.CITY,
        country=country,
        parent=parent,
    )


def _new_place(**fields) -> Place:
    """A place a draft needs that nobody has curated yet: flagged for review."""
    return record_save(Place(**fields, needs_review=True))


def _participants_by_draft(
    meeting: Meeting, draft: Draft, created: _Created
) -> dict[str, Participant]:
    """The meeting's participant for each name the draft uses; when attaching a second
    readout, people it names that the meeting lacks are added."""
    existing = list(meeting.participants.all())
    by_person = {p.person_id: p for p in existing if p.person_id}
    by_name = {fold(p.name_as_written): p for p in existing}
    found: dict[str, Participant] = {}
    for index, participant in enumerate(draft.participants):
        match = by_person.get(participant.person_id) or by_name.get(fold(participant.name))
        if match is None:
            data = _participant_data(participant, created)
            match = participant_create(
                meeting=meeting,
                name_as_written=data.name_as_written,
                side=data.side,
                side_organization=data.side_organization,
                person=data.person,
                role=data.role,
                title_as_written=data.title_as_written,
                offices=data.offices,
                order=len(existing) + index,
            )
        found[participant.name] = match
    return found


def _create_statements(
    meeting: Meeting, source: SourceDocument, draft: Draft, participants: dict[str, Participant]
) -> list[Statement]:
    """The draft's statements, with their topics and mentions, in the draft's order."""
    # Every speaker the draft names is one of its participants; related rows go by id.
    return statements_create(
        meeting=meeting,
        source=source,
        statements=[
            StatementData(
                attribution=statement.attribution,
                kind=statement.kind,
                plover_code=statement.plover_code,
                start=statement.start,
                end=statement.end,
                speaker=participants[statement.speaker] if statement.speaker else None,
                topics=statement.topic_ids,
                mentioned_countries=statement.mention_ids["countries"],
                mentioned_organizations=statement.mention_ids["organizations"],
                mentioned_people=statement.mention_ids["people"],
                mentioned_gatherings=statement.mention_ids["gatherings"],
            )
            for statement in draft.statements
        ],
    )


def _create_proposals(meeting: Meeting, draft: Draft, statements: list[Statement]):
    """The commitments the draft proposes, each from its statement, for the curator to
    accept or reject. A proposal whose sides the meeting does not have (or too few for an
    agreement) is left out, and so is a suggested commitment that is not earlier."""
    sides = set(meeting.participants.values_list("side", flat=True)) - {None}
    proposals = []
    for proposal in draft.commitments:
        own = [side for side in proposal.sides if side in sides]
        if len(own) != len(proposal.sides) or not own:
            continue
        if proposal.kind == Commitment.Kind.AGREEMENT and len(own) < 2:
            continue
        if proposal.kind == Commitment.Kind.PLEDGE and len(own) != 1:
            continue
        earlier = []
        if proposal.reaffirms is not None and (
            proposal.reaffirms.date is not None and proposal.reaffirms.date < meeting.date
        ):
            earlier.append(proposal.reaffirms.commitment_id)
        proposals.append(
            ProposalData(
                statement=statements[proposal.statement_index],
                kind=proposal.kind,
                description=proposal.description,
                sides=own,
                topics=proposal.topic_ids,
                suggested_reaffirms=earlier,
            )
        )
    return proposals_create(meeting=meeting, proposals=proposals)


def _unique_slug(model, text: str) -> str:
    max_length = model._meta.get_field("slug").max_length
    base = (slugify(text) or "untitled")[: max_length - 4].strip("-")
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
