"""The readout parser: from a readout's text to a `Draft`, deterministically and offline.

A pipeline of stages, each a module with a typed result:

1. `header`: headline, dateline, byline, timestamp (`Header`).
2. `meeting`: the sentence that reports the contact, its kind, where its sides are
   written (`MeetingSentence`); the date from it (`dates`).
3. `people`: the participants, named there or in a delegation sentence after it.
4. `place`: the place and the occasion.
5. `statements`: every later sentence cut into clauses, with kind, speaker, topics and
   mentions; `proposals`: the commitments they propose.

Every fact about how readouts are written is in `lexicon`; what the database knows
(people, offices, organisations, places, topics, gatherings, commitments) comes through
the `Directory`. Each stage does work linear in the text's length (`make bench`).
"""

import dataclasses
import datetime
import re
from dataclasses import dataclass

from events.models import Meeting

from .dates import find_date, find_qualifier
from .directory import Directory
from .draft import Draft, DraftParticipant, DraftPlace, ReadoutError
from .gazetteer import find_region_country
from .header import Header, read_header
from .lexicon import LEXICON, Lexicon, Patterns, patterns
from .meeting import MeetingSentence, contact_mode, find_meeting, find_reported_frame
from .people import PeopleReader, Person, assign_roles, name_from_header, participant
from .place import (
    Occasion,
    find_forum_place,
    find_occasion,
    find_place,
    find_venue,
    find_visit_place,
)
from .proposals import propose_commitments
from .statements import read_statements
from .text import Span, fold, paragraph_spans, sentence_spans

__all__ = ["MAX_READOUT_CHARS", "check_text", "parse_readout"]

MAX_READOUT_CHARS = 200_000
# Sentences after the meeting sentence that may still name its people, date or place.
FOLLOWING_SENTENCES = 3

ContactType = Meeting.ContactType
REMOTE = (ContactType.PHONE_CALL, ContactType.VIDEO_CALL)


def check_text(text: str) -> None:
    """Refuse what is not a readout's text before parsing it."""
    if not isinstance(text, str) or not text.strip():
        raise ReadoutError("The text is empty.", code="empty")
    if len(text) > MAX_READOUT_CHARS:
        raise ReadoutError(
            f"The text has {len(text):,} characters; a readout has at most {MAX_READOUT_CHARS:,}.",
            code="too_long",
        )
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t")
    if "\x00" in text or "\ufffd" in text or controls > len(text) / 100:
        raise ReadoutError(
            "The text looks binary (control characters or undecodable bytes), not a readout.",
            code="binary",
        )


def parse_readout(
    text: str,
    *,
    publisher: str | None = None,
    publisher_country: str | None = None,
    url: str = "",
    published: datetime.date | None = None,
    directory: Directory | None = None,
    require_date: bool = True,
    lexicon: Lexicon = LEXICON,
) -> Draft:
    """Draft a meeting from a readout. Raises `ReadoutError` when the text cannot be read.

    With `require_date=False` (the corpus evaluation), a date that needs the missing
    publication date ("today", "November 17") is left empty with a warning instead.
    """
    check_text(text)
    directory = directory if directory is not None else Directory.from_db()
    warnings: list[str] = []
    header = read_header(text, paragraph_spans(text), directory, lexicon)
    published = published or header.published
    sentences = [
        (paragraph, sentence)
        for paragraph in header.body
        for sentence in sentence_spans(text, paragraph, lexicon.abbreviations)
    ]
    spans = [sentence for _p, sentence in sentences]
    context = _meeting_context(text, spans, header, lexicon)
    reader = PeopleReader(text, directory, lexicon)
    lead: list = []  # a news lead before the meeting sentence: read as statements
    try:
        occasion, dated, found = _meeting_facts(
            text, context, header, published, require_date, reader, directory, lexicon
        )
    except ReadoutError as error:
        later = (
            _after_lead(text, spans, context, lexicon) if error.code == "no_participants" else None
        )
        if later is None:
            raise
        lead = sentences[context.meeting.index : later.meeting.index]
        if lead and header.dateline is not None and lead[0][1].start < header.dateline.end:
            lead[0] = (lead[0][0], Span(header.dateline.end, lead[0][1].end))
        context = later
        occasion, dated, found = _meeting_facts(
            text, context, header, published, require_date, reader, directory, lexicon
        )
    meeting = context.meeting
    (date, _date_span, qualifier, date_warnings), (people, consumed, sources) = dated, found
    if meeting.index >= 0:
        # "X met Y, where they agreed to ...": the clause is a statement of both.
        clause = patterns(lexicon).meeting_clause.search(
            text, meeting.sentence.start, meeting.sentence.end
        )
        if clause is not None:
            paragraph = sentences[meeting.index][0]
            lead.append((paragraph, Span(clause.end(), meeting.sentence.end)))
    warnings += date_warnings
    place = _place(text, context, sources, people, occasion, header, directory, lexicon)
    participants = _participants(text, people, directory, lexicon, publisher, publisher_country)
    place = _venue_among_sides(place, participants)
    assign_roles(participants, place.country, meeting.contact_type in REMOTE)
    warnings += _side_warnings(participants)
    statements = read_statements(
        text,
        [pair for pair in lead + sentences[meeting.index + 1 :] if pair[1] not in consumed],
        participants,
        directory,
        lexicon,
        publisher_country,
    )
    return Draft(
        text=text,
        title=header.title.of(text) if header.title else _title(participants, meeting),
        date=date,
        date_qualifier=qualifier,
        contact_type=meeting.contact_type,
        plover_mode=_plover_mode(meeting.contact_type, place, participants),
        place=place,
        occasion=occasion.occasion if occasion else None,
        participants=participants,
        statements=statements,
        commitments=propose_commitments(statements, directory),
        publisher=publisher,
        publisher_country=publisher_country,
        url=url,
        published=published,
        warnings=warnings,
    )


@dataclass(frozen=True)
class MeetingContext:
    """The meeting sentence and the sentences around it that may say more of the meeting."""

    meeting: MeetingSentence
    following: list[Span]  # the next few: may name the people ("headed by ...")
    echoes: list[Span]  # later ones reporting the same contact ("... met in New York on ...")
    about: list[Span]  # later ones about it ("During the meeting in Abu Dhabi, ...")
    previous: list[Span]  # the ones just before ("X is in Singapore on a visit.")
    later: list[Span] = dataclasses.field(default_factory=list)  # the next several


def _meeting_facts(text, context, header, published, require_date, reader, directory, lexicon):
    """The occasion, the date (with its warnings) and the people of a meeting sentence. A
    sentence that names no one fails on that before any want of a date."""
    warnings: list[str] = []
    occasion = _occasion(text, context, header, directory, lexicon)
    date, date_span, qualifier = _date(text, context, header, published, False, warnings, lexicon)
    found = _people(text, context, date_span, occasion, header, reader)
    if date is None and require_date:
        _date(text, context, header, published, True, [], lexicon)  # raises why
    return occasion, (date, date_span, qualifier, warnings), found


def _after_lead(text: str, spans: list[Span], context: MeetingContext, lexicon: Lexicon):
    """A news report's lead names only the countries ("Namibia and Kenya have reaffirmed
    ..., following consultations between the two nations", "The Philippines and the United
    States have discussed ..."); a sentence just after it reports the contact with the
    people. The lead keeps the contact's kind when the later sentence says only "meeting"."""
    first = context.meeting.index + 1
    if first <= 0:
        return None
    meeting = find_meeting(text, spans[first : first + FOLLOWING_SENTENCES], lexicon)
    if meeting is None:
        return None
    meeting = dataclasses.replace(meeting, index=meeting.index + first)
    if meeting.contact_type == Meeting.ContactType.MEETING:
        meeting = dataclasses.replace(meeting, contact_type=context.meeting.contact_type)
    return _context_of(text, spans, meeting, lexicon)


def _meeting_context(text: str, spans: list[Span], header: Header, lexicon: Lexicon):
    meeting = find_meeting(text, spans, lexicon, skip=header.dateline)
    if meeting is None and header.title is not None:
        # "Deputy PM Demeke meets AU Deputy Commissioner": only the headline says who met
        # whom; every sentence of the body is then a statement or names the people.
        headline = find_meeting(text, [header.title], lexicon)
        if headline is not None:
            meeting = dataclasses.replace(headline, index=-1)
    if meeting is None:
        raise ReadoutError(
            'No sentence says who met whom ("X met with Y", "held talks with", "had a phone '
            'call with"): this does not read as a readout of a meeting.',
            code="no_meeting",
        )
    return _context_of(text, spans, meeting, lexicon)


def _context_of(text: str, spans: list[Span], meeting: MeetingSentence, lexicon: Lexicon):
    found = patterns(lexicon)
    following = spans[meeting.index + 1 : meeting.index + 1 + FOLLOWING_SENTENCES]
    echoes = []
    for span in following:
        echo = find_meeting(text, [span], lexicon)
        if echo is not None and not echo.by_noun and _reports_a_contact(text, echo, found):
            echoes.append(span)
    about = [
        span
        for span in spans[meeting.index + 1 : meeting.index + 1 + ABOUT_SENTENCES]
        if found.about_the_meeting.match(text, span.start, span.end)
    ]
    previous = spans[max(0, meeting.index - 2) : max(0, meeting.index)]
    if meeting.contact_type == Meeting.ContactType.MEETING:
        # "X held discussions with Y ... X held a telephonic conversation with Y".
        for span in echoes:
            mode = contact_mode(text, span, lexicon)
            if mode in REMOTE:
                meeting = dataclasses.replace(meeting, contact_type=mode)
                break
    later = spans[meeting.index + 1 : meeting.index + 1 + ABOUT_SENTENCES]
    return MeetingContext(meeting, following, echoes, about, previous, later)


def _reports_a_contact(text: str, echo: MeetingSentence, found) -> bool:
    return echo.verb is None or not found.topic_verb.match(text, echo.verb.start, echo.verb.end)


def _occasion(text, context: MeetingContext, header: Header, directory, lexicon):
    """In the meeting sentence; else in a sentence about the meeting, just before it, or
    the header."""
    spans = [context.meeting.sentence, *context.about, *reversed(context.previous)]
    for span in [*spans, *header.lines]:
        occasion = find_occasion(text, span, directory, lexicon)
        if occasion is not None:
            return occasion
    for span in context.echoes:  # "The parties met on the sidelines of ..."
        sidelines = [Meeting.OccasionRelation.SIDELINES]
        occasion = find_occasion(text, span, directory, lexicon, relations=sidelines)
        if occasion is not None:
            return occasion
    return None


def _date(
    text, context: MeetingContext, header: Header, published, require_date, warnings, lexicon
):
    """The meeting's date: in its sentence, a later one reporting it, the headline, or a
    visit reported just before it; else the publication date, with a warning."""
    sentence, echoes = context.meeting.sentence, context.echoes
    qualifier = find_qualifier(text, sentence.start, sentence.end)
    # "X visited Ghana on 26 October 2022. In Accra, X met Y": the visit just before.
    visit = [
        span
        for span in context.previous[-1:]
        if patterns(lexicon).visit.search(text, span.start, span.end)
    ]
    try:
        found = None
        for span in [sentence, *echoes, *([header.title] if header.title else []), *visit]:
            found = find_date(text, span.start, span.end, published)
            if found is not None:
                break
    except ReadoutError as error:
        if require_date or error.code != "needs_published":
            raise
        warnings.append(error.message)
        return None, None, qualifier
    if found is not None:
        date_span = (
            Span(found.start, found.end) if sentence.start <= found.start < sentence.end else None
        )
        return found.date, date_span, qualifier
    if published is not None:
        warnings.append("The text states no date; the publication date was taken.")
        return published, None, qualifier
    if require_date:
        raise ReadoutError(
            "No date of the meeting could be read, and no publication date was given.",
            code="no_date",
        )
    return None, None, qualifier


def _people(
    text: str,
    context: MeetingContext,
    date_span: Span | None,
    occasion: Occasion | None,
    header: Header,
    reader: PeopleReader,
) -> tuple[list[Person], list[Span], list[Span]]:
    """The people of the meeting; the later sentences consumed to find them (not
    statements); and the sentences they were found in."""
    meeting = context.meeting
    people = _people_of_meeting_sentence(text, meeting, date_span, occasion, reader)
    consumed: list[Span] = []
    sources = [meeting.sentence]
    if not any(person.name is not None for person in people):
        # Named in a later sentence: "The delegations were headed by ...", "In the talks
        # ..., X and Y discussed ...".
        for sentence in context.following:
            later = reader.delegation_heads(sentence)
            if later:
                people, consumed = later, [sentence]
            else:
                later = _joint_subject(text, sentence, reader)
                people = later if len(later) >= 2 else people
            if later and people is later:
                sources.append(sentence)
                break
    if not any(person.name is not None for person in people) or _pronoun_subject(text, meeting):
        # "X has congratulated Y. ... the two men spoke by phone", "X has updated ... . He
        # made the statement during his meeting with Y": the people of the sentence before.
        for sentence in reversed(context.previous[-1:]):
            before = _joint_subject(text, sentence, reader, objects=True)
            named = [p for p in people if p.name is not None]
            if len(before) >= 2 or (before and len(named) == 1):
                people = before[:1] + named if named else before
                sources.append(sentence)
    headline = _headline_people(text, header, context, reader)
    people = [_completed(text, person, context, header, reader, headline) for person in people]
    unique: dict[str, Person] = {}
    for person in people:
        if person.name is not None:
            unique.setdefault(fold(person.name.of(text)), person)
    if not unique:
        raise ReadoutError(
            "The meeting sentence names no one who took part.", code="no_participants"
        )
    return list(unique.values()), consumed, sources


def _people_of_meeting_sentence(text, meeting, date_span, occasion, reader) -> list[Person]:
    """Before the contact verb (the subject) and after it (the counterparts)."""
    people: list[Person] = []
    if meeting.subject is not None:
        start, end = meeting.subject.start, meeting.subject.end
        if (
            date_span is not None
            and start <= date_span.start < end
            and (
                _AFTER_OPENING_DATE.match(text, date_span.end, end)
                or _BEFORE_OPENING_DATE.fullmatch(text, start, date_span.start)
            )
        ):
            start = max(start, date_span.end)  # "On March 31, 2022, X met ...", "At noon on ..."
        start = find_reported_frame(text, start, end)
        if occasion is not None and start < occasion.span.start < end:
            end = occasion.span.start  # "Mr. X, Prime Minister, who is visiting ..."
        if (
            date_span is not None
            and start < date_span.start < end
            and not text[date_span.end : end].strip(" ,")
        ):
            end = date_span.start  # "X on November 25 hosted ..."
        trailing = reader.patterns.subject_trailing.search(text, max(start, end - 80), end)
        if trailing is not None:
            end = trailing.start()  # "X, earlier today conferred", "X has received"
        aside = _TRAILING_ASIDE.search(text, max(start, end - 50), end)
        if aside is not None:
            end = aside.start()  # "Enrique Manalo (left) meets with"
        joined = reader.patterns.joined_subject.search(text, start, end)
        if joined is not None:
            # "X joined President Y in his meeting with Z": X and Y are one side.
            people += reader.segment(start, joined.start(), subject=True)
            start, end = joined.start("second"), joined.end("second")
        people += reader.segment(start, end, subject=True)
    if meeting.counterpart is not None:
        end = meeting.counterpart.end
        if occasion is not None and occasion.span.start > meeting.counterpart.start:
            end = min(end, occasion.span.start)
        people += reader.segment(meeting.counterpart.start, end, subject=False)
    return people


def _headline_people(text, header: Header, context: MeetingContext, reader) -> list[Person]:
    """The people a headline names ("PM phone call with Barack Obama"), when it reports the
    contact and is not itself the meeting sentence."""
    if header.title is None or context.meeting.index < 0:
        return []
    headline = find_meeting(text, [header.title], reader.lexicon)
    if headline is None:
        return []
    people = []
    for span in (headline.subject, headline.counterpart):
        if span is not None and span.end > span.start:
            people += reader.segment(span.start, span.end, subject=span is headline.subject)
    return [person for person in people if person.name is not None]


def _completed(
    text, person: Person, context: MeetingContext, header, reader, headline=()
) -> Person:
    """A title alone named in a byline, a later sentence ("his Canadian counterpart" ...
    "Canadian Foreign Minister Anita Anand") or the headline, else known by the title ("the
    Secretary-General"); a surname alone completed from a full name written before."""
    if person.name is None and person.title is not None:
        named = name_from_header(text, list(header.lines), person.title, reader)
        later = None if named else reader.named_later(person.title, context.following)
        if later is not None:
            return Person(later.name, later.title or person.title, later.after_name)
        titled = None if named else reader.named_by_title(person.title, context.later)
        if titled is not None:
            return Person(titled, person.title, person.after_name, person.side_hint)
        if named is None:
            # "The Prime Minister spoke to the President ..." under "PM phone call with
            # Barack Obama": the one full name the headline gives that the body does not.
            body = context.meeting.sentence.of(text)
            unnamed = [
                p
                for p in headline
                if " " in p.name.of(text).strip() and p.name.of(text).split()[-1] not in body
            ]
            if len(unnamed) == 1:
                return Person(unnamed[0].name, person.title, person.after_name, person.side_hint)
        person.name = named or person.title
    elif person.name is not None and " " not in person.name.of(text).strip():
        floor = context.meeting.sentence.start - 600
        full = reader.full_name_before(person.name, max(0, floor))
        full = full or reader.full_name_after(person.name, context.following)
        if full is not None:
            person.name = full.name
            if (
                full.title is not None
                and reader.is_clean_title(full.title)
                and not _marks_side(text, person.title, reader)
            ):
                person.title = full.title
    return person


def _marks_side(text: str, title: Span | None, reader: PeopleReader) -> bool:
    """Whether a title names a country ("Tajik Justice Minister") or organisation."""
    if title is None:
        return False
    directory = reader.directory
    return bool(
        directory.find_demonyms(text, title.start, title.end)
        or directory.find_countries(text, title.start, title.end)
        or directory.find_international(title.of(text))
    )


def _joint_subject(
    text: str, sentence: Span, reader: PeopleReader, *, objects: bool = False
) -> list[Person]:
    """ "In the talks at ..., Foreign Minister Yun and Chinese Foreign Minister Wang Yi
    discussed ...": the people before the sentence's first reporting verb (and, with
    `objects`, the counterpart right after it: "X has congratulated U.S. President Y")."""
    verb = reader.patterns.reporting_verb.search(
        text, sentence.start, min(sentence.end, sentence.start + 300)
    )
    if verb is None:
        return []
    start = find_reported_frame(text, sentence.start, verb.start())
    start = reader.patterns.dateline_lead.match(text, start, verb.start()).end()
    end = verb.start()
    trailing = reader.patterns.subject_trailing.search(text, max(start, end - 80), end)
    found = reader.segment(start, trailing.start() if trailing else end, subject=True)
    if objects and reader.patterns.counterpart_capital.match(text, verb.end(), sentence.end):
        found += reader.segment(verb.end(), sentence.end, subject=False)
    return [person for person in found if person.name is not None]


def _pronoun_subject(text: str, meeting: MeetingSentence) -> bool:
    """ "He made the statement during his meeting with Y": the subject is someone before."""
    if meeting.subject is None or meeting.index <= 0:
        return False
    return bool(_PRONOUN_OPENING.match(text, meeting.subject.start, meeting.subject.end))


def _place(text, context, sources, people, occasion, header, directory, lexicon) -> DraftPlace:
    """In the meeting sentence or the later ones that report it; else (not for a call) a
    visit that places it, in it or just before it ("X is in Singapore on a visit. X
    called on ..."); else the dateline. Never in an occasion's name or a person's title."""
    meeting = context.meeting
    excluded = [occasion.span] if occasion else []
    excluded += [p.title for p in people if p.title] + [p.name for p in people]
    forum = find_forum_place(occasion.occasion.name, lexicon) if occasion else None
    for span in [meeting.sentence, *sources[1:], *context.echoes, *context.about]:
        place = find_place(text, span, excluded, directory, lexicon)
        if place is not None:
            if forum and not place.city and place.country == forum.country:
                return forum  # "during the Antalya Diplomatic Forum in Turkey"
            return place
    if meeting.contact_type in REMOTE:
        return DraftPlace()
    for span in [meeting.sentence, *sources[1:], *context.echoes]:
        venue = find_venue(text, span, lexicon)
        if venue is not None:
            return venue
    # "X is in Singapore on a visit. X called on ...", "X met Y. X was in the US on a visit".
    for span in [meeting.sentence, *reversed(context.previous), *context.following[:1]]:
        visited = find_visit_place(text, span, directory, lexicon)
        if visited is not None:
            return visited
    return forum or header.place or DraftPlace()


def _participants(text, people, directory, lexicon, publisher, publisher_country):
    """Each person as a drafted participant, with the side read for them."""
    participants = [
        participant(
            text,
            person,
            directory,
            lexicon,
            publisher=publisher,
            publisher_country=publisher_country,
        )
        for person in people
    ]
    _counterpart_side(text, participants, publisher_country, directory, patterns(lexicon))
    return participants


# A date that closes an opening adverbial: a comma follows it ("On March 31, 2022, X met").
_BEFORE_OPENING_DATE = re.compile(r"[\s,]*(?:on\s+)?", re.IGNORECASE)
_AFTER_OPENING_DATE = re.compile(r"\s*(?:\(?(?:local|Beijing) time\)?)?\s*,", re.IGNORECASE)
_PRONOUN_OPENING = re.compile(r"(?:He|She)\s+\w+")
# A parenthesis closing the subject ("X (left) meets with Y"): no part of the name.
_TRAILING_ASIDE = re.compile(r"\s*\([^()]{1,40}\)\s*$")
# How many sentences after the meeting sentence may still be about it.
ABOUT_SENTENCES = 8


def _counterpart_side(
    text, participants, publisher_country, directory: Directory, found: Patterns
) -> None:
    """A counterpart given the publisher's side for want of a better one, when the
    readout names the pair ("relations between South Africa and Equatorial Guinea", "The
    Foreign Ministers of Azerbaijan and Georgia"): the other country of the pair."""
    if not publisher_country:
        return
    assumed = [p for p in participants if p.side_from == "publisher"]
    own = [p for p in participants if p.country == publisher_country]
    if not assumed or len(own) < 2:
        return
    other = None
    for count, match in enumerate(found.pair_opener.finditer(text)):
        if count >= 20:
            break
        window = (match.end(), min(len(text), match.end() + 120))
        found = {m.value for m in directory.find_countries(text, *window)}
        found |= {m.value for m in directory.find_demonyms(text, *window)}
        if len(found) == 2 and publisher_country in found:
            other = (found - {publisher_country}).pop()
            break
    if other is None:
        return
    for drafted in own[1:]:
        if drafted.side_from == "publisher":
            drafted.country, drafted.side_from = other, "text"
            for office in drafted.offices:
                office.country = other


def _venue_among_sides(place: DraftPlace, participants) -> DraftPlace:
    """A name the gazetteer puts in a city abroad that also names a region of a participant's
    country ("Bali": a town in India, Indonesia's province) is the participant's."""
    if place.place_id is not None or not place.city:
        return place
    sides = [p.country for p in participants if p.country]
    if not sides or place.country in sides:
        return place
    region_country = find_region_country(place.city)
    if region_country in sides:
        return DraftPlace(city=place.city, region=None, country=region_country)
    return place


def _side_warnings(participants: list[DraftParticipant]) -> list[str]:
    warnings = []
    for drafted in participants:
        if drafted.country is None and drafted.organization is None:
            warnings.append(f"No side could be read for {drafted.name}.")
        elif drafted.side_from == "publisher" and any(
            other is not drafted and other.country == drafted.country for other in participants
        ):
            warnings.append(
                f"The text states no side for {drafted.name}; the publisher's country "
                f"({drafted.country}) was assumed, the same side as another participant: "
                "check it."
            )
    return warnings


def _title(participants: list[DraftParticipant], meeting: MeetingSentence) -> str:
    names = [p.name for p in participants]
    verb = {
        ContactType.TALKS: "holds talks with",
        ContactType.PHONE_CALL: "has a phone call with",
        ContactType.VIDEO_CALL: "holds a video call with",
    }.get(meeting.contact_type, "meets")
    if len(names) == 1:
        return f"{names[0]} {verb.split(' with')[0]}"
    return f"{names[0]} {verb} {' and '.join(names[1:])}"


def _plover_mode(contact_type, place: DraftPlace, participants) -> str:
    Mode = Meeting.PloverMode
    if contact_type in (ContactType.PHONE_CALL, ContactType.VIDEO_CALL):
        return Mode.PHONE
    if not place.country:
        return ""
    if place.country in {p.country for p in participants}:
        return Mode.VISIT
    return Mode.THIRD_PARTY
