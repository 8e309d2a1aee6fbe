"""Storing a parsed readout: the source, a draft meeting (or the meeting it also reports),
its participants and statements, all in one transaction."""

import datetime
from dataclasses import dataclass
from typing import Literal

from django.utils.text import slugify

from events.history import Channel, acting, write_scope
from events.models import (
    Country,
    Gathering,
    Meeting,
    Organization,
    Participant,
    Person,
    Place,
    Position,
    SourceDocument,
)
from events.services import (
    ParticipantData,
    StatementData,
    meeting_create,
    participant_create,
    record_save,
    source_create,
    statements_create,
)

from .directory import Directory
from .draft import Draft, DraftParticipant, ReadoutError
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
    new_people: dict[str, Person] = {}  # by the name as written
    with acting(channel=Channel.IMPORT), write_scope(reason="Imported from a readout"):
        meeting = _meeting_reported(draft)
        if meeting is None:
            meeting = _create_meeting(draft, new_people)
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
        participants = _participants_by_draft(meeting, draft, new_people)
        _create_statements(meeting, source, draft, participants)
    # New people join the directory (shared by a run's files) only once their import is
    # committed: a failed file must leave no person there that the rollback removed.
    for person in new_people.values():
        directory.add_person(person.pk, [person.name], person.country_id)
    return ImportResult(outcome, source, meeting, draft, tuple(new_people.values()))


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


def _create_meeting(draft: Draft, new_people: dict[str, Person]) -> Meeting:
    participants = [_participant_data(p, new_people) for p in draft.participants]
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


def _participant_data(
    participant: DraftParticipant, new_people: dict[str, Person]
) -> ParticipantData:
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
    else:
        person = record_save(
            Person(
                slug=_unique_slug(Person, participant.name),
                name=participant.name,
                country=country,
                needs_review=True,
            )
        )
        new_people[participant.name] = person
    offices = Position.objects.filter(
        pk__in=[o.position_id for o in participant.offices if o.position_id]
    )
    return ParticipantData(
        name_as_written=participant.name,
        side=None if organization else country,
        side_organization=organization,
        person=person,
        role=participant.role,
        title_as_written=participant.title_as_written[:300],
        offices=list(offices),
    )


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
    meeting: Meeting, draft: Draft, new_people: dict[str, Person]
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
            data = _participant_data(participant, new_people)
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
) -> None:
    # Every speaker the draft names is one of its participants; related rows go by id.
    statements_create(
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


def _unique_slug(model, text: str) -> str:
    max_length = model._meta.get_field("slug").max_length
    base = (slugify(text) or "untitled")[: max_length - 4].strip("-")
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
