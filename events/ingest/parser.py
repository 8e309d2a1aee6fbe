"""The readout parser: from a readout's text to a `Draft`, deterministically and offline.

Reading order:
1. Header lines above the body (short lines without a full stop): the headline becomes the
   title, a full date (a timestamp or a dateline) the publication date when none is given,
   a dateline's place the fallback place, a byline the name of an official the body calls
   only by title.
2. The meeting sentence: the first body sentence with a contact verb ("met with", "held
   talks with", "had a phone call with", "spoke with", "held a video call with").
3. From it: the date, the kind of contact, the participants (title and name on each side
   of the verb), the occasion ("who came to China to attend ...", "on the sidelines of
   ...") and the place ("in Tunxi, Anhui Province"; the country from the gazetteer).
4. Every later sentence, cut into clauses, with a kind and a speaker (`statements.py`).
"""

import datetime
import re
from dataclasses import dataclass

from events.models import Meeting, Participant, Statement

from . import statements as rules
from .dates import find_date, find_qualifier
from .directory import Directory, office_key
from .draft import (
    Draft,
    DraftOccasion,
    DraftOffice,
    DraftParticipant,
    DraftPlace,
    DraftStatement,
    ReadoutError,
)
from .gazetteer import DATA, find_city, find_region_country
from .text import Span, fold, paragraph_spans, sentence_spans, strip_span

__all__ = ["MAX_READOUT_CHARS", "check_text", "parse_readout"]

MAX_READOUT_CHARS = 200_000

ContactType = Meeting.ContactType

# (contact type, pattern); the first type whose pattern the meeting sentence matches wins.
CONTACT_RULES = [
    (
        ContactType.VIDEO_CALL,
        r"\bvideo(?:\s+|-)(?:call|conference|link|talks?|meeting|consultations?)\b|\bvideoconference\b|\bvirtual (?:meeting|talks)\b|\bvia video\b",
    ),
    (
        ContactType.PHONE_CALL,
        r"\b(?:tele)?phone (?:call|conversation|talks?)\b|\bby (?:tele)?phone\b|\b(?:over|on) the (?:tele)?phone\b|\bspoke (?:with|to)\b|\bspeaks (?:with|to)\b|\bcalled\b",
    ),
    (
        ContactType.TALKS,
        r"\b(?:held|hold|holds|holding|had)\s+(?:\w+\s+){0,3}(?:talks|consultations?)\b",
    ),
    (ContactType.EXCHANGE_OF_MESSAGES, r"\bexchanged (?:\w+ )?(?:messages|letters)\b"),
    (ContactType.OTHER, r"\battended (?:the |a )?[^,.;]*?\bheld by\b"),
    (
        ContactType.MEETING,
        r"\b(?:met|meets|meet)\b|\breceived\b|\breceives\b|\bheld (?:a )?meeting\b|\bsat down\b|\bcalled on\b",
    ),
]
CONTACT_RULES = [(kind, re.compile(pattern, re.I)) for kind, pattern in CONTACT_RULES]

# The verb phrase between the two sides of the meeting sentence; what follows it (up to
# "with") is skipped.
_VERB = re.compile(
    r"\b(?:met|meets|received|receives|held|holds|had|has|hold|spoke|speaks|talked|called on|"
    r"sat down|exchanged|conducted|attended)\b"
    r"(?:[^,.;]*?\bwith\b|(?:(?<=spoke)|(?<=talked))[^,.;]*?\bto\b|(?<=attended)[^,.;]*?\bheld by\b"
    r"|\s+(?=[A-Z]))?",
)
_HONORIFICS = re.compile(
    r"\b(?:H\.\s?E\.|His Excellency|Her Excellency|Excellency|Mr\.|Mrs\.|Ms\.|Dr\.|Prof\.|"
    r"Mr|Mrs|Ms|Dr|Professor|Madam|Madame|Sheikh|Sheikha|Dame|Sir|His Majesty|Her Majesty|"
    r"His Royal Highness|Her Royal Highness|His Highness|Her Highness)\s+"
)
# Words of titles, never of names ("Foreign Minister Wang Yi").
TITLE_WORDS = frozenset(
    line.strip()
    for line in (DATA / "title_words.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
NAME_PARTICLES = {
    "bin", "bint", "ibn", "al", "al-", "el", "de", "da", "das", "do", "dos", "du", "van",
    "von", "der", "den", "la", "le", "di", "y", "ben", "abu", "bte", "binti",
}  # fmt: skip
_ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)$")
# Officials of these represent the organisation, not a country.
INTERNATIONAL_ORGANIZATIONS = {
    "UN": "United Nations",
    "United Nations": "United Nations",
    "EU": "European Union",
    "European Union": "European Union",
    "European Commission": "European Union",
    "European Council": "European Union",
    "NATO": "North Atlantic Treaty Organization",
    "ASEAN": "Association of Southeast Asian Nations",
    "African Union": "African Union",
    "AU Commission": "African Union",
    "SCO": "Shanghai Cooperation Organization",
    "WHO": "World Health Organization",
    "World Health Organization": "World Health Organization",
    "IMF": "International Monetary Fund",
    "International Monetary Fund": "International Monetary Fund",
    "World Bank": "World Bank",
    "WTO": "World Trade Organization",
    "OSCE": "Organization for Security and Co-operation in Europe",
    "Arab League": "League of Arab States",
    "League of Arab States": "League of Arab States",
    "IAEA": "International Atomic Energy Agency",
    "CICA": "Conference on Interaction and Confidence Building Measures in Asia",
}
_INTERNATIONAL = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(k) for k in sorted(INTERNATIONAL_ORGANIZATIONS, key=len, reverse=True))
    + r")(?![\w-])"
)
_OCCASION_RULES = [
    (
        Meeting.OccasionRelation.SIDELINES,
        re.compile(r"\bon the (?:sidelines|margins?) of (?:the )?", re.I),
    ),
    (
        Meeting.OccasionRelation.ATTENDING,
        re.compile(
            r"\b(?:who (?:came|comes|is|was|went|travell?ed|is visiting|was visiting) (?:to |in )?(?:[A-Z][\w.'-]*\s*)*"
            r"(?:to|for) (?:attend|participate in|take part in|the)|while (?:attending|in "
            r"[A-Z]\w+ (?:to attend|for))|(?:here|there) (?:to attend|for)|to attend) (?:the )?",
        ),
    ),
    (Meeting.OccasionRelation.DURING, re.compile(r"\b(?:during|at) the (?=[A-Z0-9])")),
]
_EVENT_WORD = re.compile(
    r"\b(?:Summit|Meeting|Conference|Forum|Session|Dialogue|Assembly|Games|Expo|Week|"
    r"Talks|Consultations?|Council|Congress|Festival|Ceremony|Celebrations?)\b"
)
_PLACE = re.compile(
    r"\bin (?:the city of )?(?P<a>[A-Z][\w'.-]*(?:[ -][A-Z][\w'.-]*){0,3})"
    r"(?:,\s*(?P<b>[A-Z][\w'.-]*(?:[ -][A-Z][\w'.-]*){0,3}))?"
    r"(?:,\s*(?P<c>[A-Z][\w'.-]*(?:[ -][A-Z][\w'.-]*){0,3}))?"
)
_REGION_WORD = re.compile(r"\s+(?:Province|Region|Autonomous Region|Oblast|Prefecture|State)$")


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


@dataclass
class _Person:
    name: Span | None  # None for a title alone ("The Secretary-General"), named elsewhere
    title: Span | None
    after_name: str = ""  # "of Russia" in "Foreign Minister Sergei Lavrov of Russia"

    def title_of(self, text: str) -> str:
        return self.title.of(text) if self.title else ""


def parse_readout(
    text: str,
    *,
    publisher: str | None = None,
    publisher_country: str | None = None,
    url: str = "",
    published: datetime.date | None = None,
    directory: Directory | None = None,
    require_date: bool = True,
) -> Draft:
    """Draft a meeting from a readout. Raises `ReadoutError` when the text cannot be read.

    With `require_date=False` (the corpus evaluation), a date that needs the missing
    publication date ("today", "November 17") is left empty with a warning instead.
    """
    check_text(text)
    directory = directory if directory is not None else Directory.from_db()
    warnings: list[str] = []
    paragraphs = paragraph_spans(text)

    header: list[Span] = []
    for index, paragraph in enumerate(paragraphs):
        line = paragraph.of(text)
        is_last = index == len(paragraphs) - 1
        if is_last or not _is_header_line(line):
            break
        header.append(paragraph)
    body = paragraphs[len(header) :]
    if not body:
        body, header = header, []
    title_span, header_published, header_place = _read_header(text, header, directory)
    title = title_span.of(text) if title_span else ""
    published = published or header_published

    sentences = [(p, s) for p in body for s in sentence_spans(text, p)]
    found = None
    for number, (_paragraph, sentence) in enumerate(sentences):
        contact = _contact_type(sentence.of(text))
        verb = _VERB.search(text, sentence.start, sentence.end) if contact else None
        if verb is not None:
            found = (number, sentence, contact, verb)
            break
    if found is None:
        raise ReadoutError(
            'No sentence says who met whom ("X met with Y", "held talks with", "had a phone '
            'call with"): this does not read as a readout of a meeting.',
            code="no_meeting",
        )
    number, sentence, contact_type, verb = found

    meeting_date, date_span = None, None
    qualifier = find_qualifier(text, sentence.start, sentence.end)
    try:
        date = find_date(text, sentence.start, sentence.end, published)
    except ReadoutError as error:
        if require_date or error.code != "needs_published":
            raise
        warnings.append(error.message)
    else:
        if date is None and title_span is not None:
            date = find_date(text, title_span.start, title_span.end, published)
        if date is not None:
            meeting_date = date.date
            if date.start >= sentence.start:
                date_span = Span(date.start, date.end)
        elif published is not None:
            warnings.append("The text states no date; the publication date was taken.")
            meeting_date = published
        elif require_date:
            raise ReadoutError(
                "No date of the meeting could be read, and no publication date was given.",
                code="no_date",
            )

    occasion, occasion_span = _occasion(text, sentence, directory)
    subject_start = sentence.start
    if date_span is not None and date_span.end <= verb.start():
        subject_start = date_span.end
    subject_end = verb.start()
    if occasion_span is not None and subject_start < occasion_span.start < subject_end:
        subject_end = occasion_span.start  # "Mr. X, Prime Minister, who is visiting ..."
    subject = _segment_people(text, subject_start, subject_end, directory, subject=True)
    object_end = sentence.end
    if occasion_span is not None and occasion_span.start > verb.end():
        object_end = occasion_span.start
    objects = _segment_people(text, verb.end(), object_end, directory, subject=False)
    people = []
    for person in subject + objects:
        if person.name is None and person.title is not None:
            # Named in a byline, or else known by the title alone ("the Secretary-General").
            person.name = _name_from_header(text, header, person.title, directory) or person.title
        if person.name is not None:
            people.append(person)
    if not people:
        raise ReadoutError(
            "The meeting sentence names no one who took part.", code="no_participants"
        )
    if occasion is None:
        for span in header:
            occasion, _span = _occasion(text, span, directory)
            if occasion is not None:
                break

    excluded = [occasion_span] if occasion_span else []
    excluded += [p.title for p in people if p.title] + [p.name for p in people]
    place = _place(text, sentence, excluded, directory)
    if not place.country and contact_type not in (ContactType.PHONE_CALL, ContactType.VIDEO_CALL):
        visited = _visit_place(text, sentence, directory)
        if visited is not None:
            place = visited
        elif header_place is not None:
            place = header_place

    participants = [
        _participant(text, person, directory, publisher, publisher_country) for person in people
    ]
    _assign_roles(participants, place, contact_type)
    for participant in participants:
        if participant.country is None and participant.organization is None:
            warnings.append(f"No side could be read for {participant.name}.")
        elif participant.side_from == "publisher" and any(
            other is not participant and other.country == participant.country
            for other in participants
        ):
            warnings.append(
                f"The text states no side for {participant.name}; the publisher's country "
                f"({participant.country}) was assumed, the same side as another participant: "
                "check it."
            )

    statements = _statements(text, sentences[number + 1 :], participants, directory)
    return Draft(
        text=text,
        title=title or _title(participants, contact_type),
        date=meeting_date,
        date_qualifier=qualifier,
        contact_type=contact_type,
        plover_mode=_plover_mode(contact_type, place, participants),
        place=place,
        occasion=occasion,
        participants=participants,
        statements=statements,
        publisher=publisher,
        publisher_country=publisher_country,
        url=url,
        published=published,
        warnings=warnings,
    )


_HEADER_END = re.compile(r"[.!?\"\u201d]$")


def _is_header_line(line: str) -> bool:
    """Headlines, datelines and bylines: short lines without a sentence's full stop."""
    return len(line) <= 300 and (line.endswith(":") or not _HEADER_END.search(line))


def _read_header(
    text: str, header: list[Span], directory: Directory
) -> tuple[Span | None, datetime.date | None, DraftPlace | None]:
    """The headline, the first full date (the publication's, or the dateline's) and a
    dateline's place ("New York", "The Hague, the Netherlands, 28 August 2013")."""
    title, published, place = None, None, None
    for span in header:
        line = span.of(text)
        try:
            found = find_date(text, span.start, span.end, None)
        except ReadoutError:
            found = None
        rest = line
        if found is not None:
            rest = text[span.start : found.start] + " " + text[found.end : span.end]
            if found.has_year and published is None:
                published = found.date
        rest = re.sub(r"\b(?:Updated|Published|Date)\b|\d{1,2}:\d{2}(?::\d{2})?|[:()]", " ", rest)
        parts = [part.strip() for part in rest.split(",") if part.strip()]
        if not parts:
            continue
        if place is None and len(" ".join(parts).split()) <= 5:
            place = _read_place(parts, directory)
            if place is not None:
                continue
        if title is None and len(line.split()) >= 4 and not line.endswith(":"):
            title = span
    return title, published, place


def _name_from_header(text: str, header: list[Span], title: Span, directory) -> Span | None:
    """The name of a participant the sentence calls only by title ("The Secretary-General
    met with ..."), from a byline ("Ban Ki-Moon, Former Secretary-General")."""
    wanted = office_key(title.of(text)) - {"former"}
    for span in header:
        line = span.of(text)
        parts = [m for m in re.finditer(r"[^,]+", line)]
        if len(parts) == 2:
            name, office = parts
            if office_key(office.group()) - {"former"} == wanted:
                return strip_span(text, span.start + name.start(), span.start + name.end())
        person = _split_name_title(text, span, directory)
        if (
            person
            and person.name
            and person.title
            and office_key(person.title.of(text)) - {"former"} == wanted
        ):
            return person.name
    return None


_VISIT = re.compile(
    r"\b(?:who (?:came|comes|is|was|went|travell?ed|arrived) (?:to|in)|who (?:is|was) visiting"
    r"|during (?:his|her|their) visit to|(?:is|was) in) (?P<place>[A-Z][\w'-]*(?: [A-Z][\w'-]*)*)"
)


def _visit_place(text: str, sentence: Span, directory: Directory) -> DraftPlace | None:
    """ "..., who came to China to attend ...", "who is visiting New York": the place."""
    for match in _VISIT.finditer(text, sentence.start, sentence.end):
        place = _read_place([match.group("place")], directory)
        if place is not None:
            return place
    return None


def _contact_type(sentence: str) -> str | None:
    for contact_type, pattern in CONTACT_RULES:
        if pattern.search(sentence):
            return contact_type
    return None


def _title(participants: list[DraftParticipant], contact_type: str) -> str:
    names = [p.name for p in participants]
    verb = {
        ContactType.TALKS: "holds talks with",
        ContactType.PHONE_CALL: "has a phone call with",
        ContactType.VIDEO_CALL: "holds a video call with",
    }.get(contact_type, "meets")
    if len(names) == 1:
        return f"{names[0]} {verb.split(' with')[0]}"
    return f"{names[0]} {verb} {' and '.join(names[1:])}"


# Participants ---------------------------------------------------------------------------


def _is_name_token(token: str) -> bool:
    bare = token.strip(",")
    if not bare:
        return False
    if bare.lower() in NAME_PARTICLES or bare.lower().startswith("al-"):
        return True
    if _ROMAN.match(bare):
        return True
    return bare[0].isupper() and fold(bare) not in TITLE_WORDS


def _segment_people(
    text: str, start: int, end: int, directory: Directory, *, subject: bool
) -> list[_Person]:
    """The people named in text[start:end]: "Title Name", "Name, Title", "A and B"."""
    offset = start
    while True:
        head = text[offset:end]
        lead = re.match(
            r"^[\s,]*(?:(?:on|at|in|with|the|visiting|newly|appointed|local time|beijing time|"
            r"separately|jointly|also|respectively|today|yesterday)\b[\s,]*)*",
            head,
            re.I,
        )
        offset += lead.end()
        head = text[offset:end]
        # A leading adverbial ("commencing at 5:00 p.m. for 40 minutes, ", "At the
        # invitation of X, ") ends at its first comma outside parentheses.
        comma = _comma_outside_parentheses(head)
        adverbial = r"(?:[a-z(]|(?:At|Upon|On|In|During|After|Before|Today)\b)"
        if subject and comma != -1 and re.match(adverbial, head):
            offset += comma + 2
            continue
        break
    stop = end if subject else _object_end(text, offset, end)
    span = strip_span(text, offset, stop)
    segment = span.of(text).rstrip(",;:")
    span = Span(span.start, span.start + len(segment))
    if not segment:
        return []
    if subject:
        appositive = _name_then_title(text, span, directory)
        if appositive is not None:
            return [appositive]
    people = []
    for part in _split_people(text, span, directory):
        person = _split_name_title(text, part, directory)
        if person is not None:
            people.append(person)
    if not subject and people and span.end < end and people[-1].name is None:
        # "Uzbekistan's Minister of Foreign Affairs, Abdulaziz Kamilov": the name follows.
        rest = text[span.end : end]
        named = re.match(r"^,\s*(?=[A-Z])", rest)
        if named:
            name_start = span.end + named.end()
            name_span = strip_span(text, name_start, _object_end(text, name_start, end))
            person = (
                _split_name_title(text, name_span, directory)
                if name_span.end > name_start
                else None
            )
            if person is not None and person.name is not None and person.title is None:
                people[-1] = _Person(person.name, people[-1].title)
    elif not subject and people and span.end < end:
        # "Name, Title of X" (the name first): the title follows the comma.
        rest = text[span.end : end]
        appositive = re.match(r"^,\s*(?:the\s+)?(?=[A-Z])", rest)
        last = people[-1]
        if appositive and last.name is not None and last.title is None:
            title_start = span.end + appositive.end()
            title_end = _object_end(text, title_start, end)
            title = strip_span(text, title_start, title_end)
            if title.end > title.start and _looks_like_title(title.of(text)):
                people[-1] = _Person(last.name, title)
    return people


def _comma_outside_parentheses(value: str) -> int:
    depth = 0
    for index, char in enumerate(value):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0 and value[index + 1 : index + 2] == " ":
            return index
    return -1


def _name_then_title(text: str, span: Span, directory: Directory) -> _Person | None:
    """ "Jean-Yves Le Drian, Minister for Europe and Foreign Affairs" (a subject)."""
    segment = span.of(text)
    comma = segment.find(", ")
    if comma == -1:
        return None
    name = _split_name_title(text, Span(span.start, span.start + comma), directory)
    title = strip_span(text, span.start + comma + 2, span.end)
    if name is None or name.name is None or name.title is not None:
        return None
    if not _looks_like_title(title.of(text)):
        return None
    return _Person(name.name, title)


# Lowercase words that end the people after the verb ("... Muhriddin in Almaty").
_STOP_WORDS = {
    "in", "at", "on", "via", "by", "during", "who", "which", "where", "today", "yesterday",
    "tonight", "after", "before", "ahead", "when", "while", "from", "over", "upon", "last",
    "this", "separately", "respectively", "said", "and",
}  # fmt: skip
_CONNECTORS = {"of", "for", "and", "the", "to"}


def _object_end(text: str, start: int, end: int) -> int:
    """Where the people after the verb end: at a comma, or at a lowercase word that is
    not part of a title ("... Muhriddin in Almaty", "... Blinken at request")."""
    content_end = start
    tokens = list(re.finditer(r"[^\s,]+|,", text[start:end]))
    for index, match in enumerate(tokens):
        token = match.group()
        if token == ",":
            break
        word = token.strip(".;:()")
        lowered = word.lower()
        if word and word[0].islower():
            following = tokens[index + 1].group() if index + 1 < len(tokens) else ""
            joins_names = lowered in _CONNECTORS and following[:1].isupper()
            if lowered == "and" and joins_names:
                continue
            if lowered in _STOP_WORDS:
                break
            if joins_names or lowered in _CONNECTORS:
                continue
            if lowered in NAME_PARTICLES or lowered in TITLE_WORDS:
                content_end = start + match.end()
                continue
            break
        content_end = start + match.start() + len(token.rstrip(";:"))
        if token.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]?\.", token):
            content_end -= 1  # the sentence's full stop, not an initial ("J.", "St.")
    return max(content_end, start)


def _split_people(text: str, span: Span, directory: Directory) -> list[Span]:
    """Split "President X and Foreign Minister Y" into two; keep "State Councilor and
    Foreign Minister Wang Yi" whole (its first part names no one)."""
    parts = []
    start = span.start
    for match in re.finditer(r"\s+and\s+", text[span.start : span.end]):
        left = Span(start, span.start + match.start())
        if _ends_with_name(text, left, directory):
            parts.append(left)
            start = span.start + match.end()
    parts.append(Span(start, span.end))
    return parts


def _ends_with_name(text: str, span: Span, directory: Directory) -> bool:
    if any(m.end == span.end for m in directory.find_people(text, span.start, span.end)):
        return True
    span = _without_country_suffix(text, span, directory)
    tokens = span.of(text).split()
    return (
        bool(tokens) and _is_name_token(tokens[-1]) and not _is_country_word(tokens[-1], directory)
    )


def _is_country_word(token: str, directory: Directory) -> bool:
    bare = token.strip(",.").removesuffix("'s").removesuffix("\u2019s")
    return directory.country_names.get(bare) is not None or directory.demonyms.get(bare) is not None


_OFFICE_HEADS = {"minister", "president", "member", "councilor", "councillor", "secretary",
    "director", "chairman", "premier", "envoy", "representative", "ambassador",
    "chief", "head", "adviser", "advisor", "commissioner", "king", "prince",
    "chancellor", "governor", "leader", "deputy", "vice", "secretary-general",
    "director-general", "chair", "chairperson", "spokesperson"}  # fmt: skip


def _names_an_office(value: str) -> bool:
    """ "the Secretary-General", "Prime Minister": a title that stands for a person."""
    words = {fold(word).strip(",.") for word in value.replace("-", " ").split()}
    return bool(words & _OFFICE_HEADS)


def _looks_like_title(value: str) -> bool:
    """Starts with a title word ("Deputy Foreign Minister ...") or names an office."""
    words = [fold(word).strip(",.") for word in value.replace("-", " - ").split()]
    return bool(words) and (words[0] in TITLE_WORDS or bool(set(words) & _OFFICE_HEADS))


def _without_country_suffix(text: str, span: Span, directory: Directory) -> Span:
    """ "Sergei Lavrov of Russia", "Erlan Idrissov of the Republic of Kazakhstan": the name
    ends before the "of" that opens a country's name."""
    segment = span.of(text)
    for match in re.finditer(r"\s+of\s+(?:the\s+)?", segment):
        rest = segment[match.end() :].rstrip(".,")
        if directory.country_names.get(rest):
            return Span(span.start, span.start + match.start())
    return span


def _split_name_title(text: str, span: Span, directory: Directory) -> _Person | None:
    known = directory.find_people(text, span.start, span.end)
    if known:
        match = max(known, key=lambda m: (m.end, m.end - m.start))
        title = _clean_title(text, Span(span.start, match.start))
        return _Person(Span(match.start, match.end), title)
    core = _without_country_suffix(text, span, directory)
    segment = core.of(text)
    tokens = list(re.finditer(r"\S+", segment))
    name_tokens = []
    for token in reversed(tokens):
        word = token.group()
        if _HONORIFICS.fullmatch(word + " "):
            break
        if not _is_name_token(word) or _is_country_word(word, directory):
            break
        if _INTERNATIONAL.fullmatch(word.strip(",")):
            break
        name_tokens.append(token)
    # Particles cannot open a name ("de Gaulle" is kept, a lone "of" is not).
    while name_tokens and name_tokens[-1].group() in NAME_PARTICLES:
        name_tokens.pop()
    if not name_tokens:
        title = _clean_title(text, span)
        return _Person(None, title) if title and _names_an_office(title.of(text)) else None
    name = Span(core.start + name_tokens[-1].start(), core.start + name_tokens[0].end())
    title = _clean_title(text, Span(span.start, name.start))
    if core.end < span.end:
        # Keep "of Russia" with the title: it gives the side.
        return _Person(name, title, text[core.end : span.end].strip())
    return _Person(name, title)


def _clean_title(text: str, span: Span) -> Span | None:
    """The title before a name, without honorifics ("H.E. Mr.") and connecting commas."""
    value = span.of(text)
    start = span.start
    while True:
        trimmed = re.sub(r"[\s,]+$", "", value)
        honorific = re.search(r"(?:^|\s)(" + _HONORIFICS.pattern + r")$", trimmed + " ")
        if honorific and trimmed:
            value = trimmed[: honorific.start(1)]
            continue
        value = trimmed
        break
    result = strip_span(text, start, start + len(value))
    leading = re.match(r"^(?:the|The)\s+", result.of(text))
    if leading:
        result = Span(result.start + leading.end(), result.end)
    return result if result.end > result.start else None


def _participant(
    text: str,
    person: _Person,
    directory: Directory,
    publisher: str | None,
    publisher_country: str | None,
) -> DraftParticipant:
    name = person.name.of(text)
    title = person.title_of(text)
    person_id = directory.people.get(name)

    organization = organization_id = None
    # The side is read from the title and what follows the name ("... Lavrov of Russia").
    described = f"{title} {person.after_name}".strip()
    country = _title_country(described, directory)
    international = _INTERNATIONAL.search(described)
    if international is None and country is None and not publisher_country:
        # An organisation's own official, in its own readout ("The Secretary-General").
        international = _INTERNATIONAL.search(publisher or "")
    side_from = ""
    if international:
        country = None
        organization = INTERNATIONAL_ORGANIZATIONS[international.group()]
        organization_id = directory.organizations.get(organization)
        side_from = "organization"
    else:
        side_from = "title" if country else ""
        if country is None and person_id is not None:
            country = directory.person_country.get(person_id)
            side_from = "person" if country else ""
        if country is None and publisher_country:
            country, side_from = publisher_country, "publisher"
    offices = [
        DraftOffice(
            office,
            getattr(directory.resolve_position(office, country, person_id), "id", None),
        )
        for office in _offices(title, directory)
    ]
    return DraftParticipant(
        name=name,
        country=country,
        organization=organization,
        organization_id=organization_id,
        title_as_written=title,
        role=Participant.Role.PARTICIPANT,
        person_id=person_id,
        offices=offices,
        needs_review=person_id is None,
        side_from=side_from,
        start=person.name.start,
        end=person.name.end,
    )


def _title_country(title: str, directory: Directory) -> str | None:
    """The country a title names: "Tajik", "Tajikistan's", "of (the Republic of) X"."""
    for match in directory.find_demonyms(title) + directory.find_countries(title):
        return match.value
    return None


def _offices(title: str, directory: Directory) -> list[str]:
    """ "State Councilor and Foreign Minister" holds two offices; the country qualifiers
    ("Tajik", "Tajikistan's", "of Kazakhstan") are not part of an office's name."""
    if not title:
        return []
    parts = [part for part in re.split(r"\s+and\s+|,\s+", title) if part]
    # "Minister of Foreign Affairs and Trade": a part without a title word of its own
    # belongs to the part before it.
    merged: list[str] = []
    for part in parts:
        words = {fold(word) for word in part.split()}
        if merged and not words & _OFFICE_HEADS:
            merged[-1] = f"{merged[-1]} and {part}"
        else:
            merged.append(part)
    offices = []
    for part in merged:
        cleaned = part
        for match in sorted(
            directory.find_demonyms(part) + directory.find_countries(part),
            key=lambda m: -m.start,
        ):
            before, after = cleaned[: match.start], cleaned[match.end :]
            after = re.sub(r"^(?:'s|\u2019s)\b", "", after)
            before = re.sub(r"\s*\bof(?: the)?(?: Republic of| Kingdom of)?\s*$", " ", before)
            cleaned = f"{before} {after}"
        cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,")
        cleaned = re.sub(r"^(?:the|The)\s+", "", cleaned)
        if cleaned:
            offices.append(cleaned)
    return offices


def _assign_roles(
    participants: list[DraftParticipant], place: DraftPlace, contact_type: str
) -> None:
    """Host and guest when the meeting is held in one participant's country."""
    if contact_type in (ContactType.PHONE_CALL, ContactType.VIDEO_CALL):
        return
    sides = {p.country for p in participants}
    if place.country and place.country in sides and len(sides) > 1:
        for participant in participants:
            is_host = participant.country == place.country
            participant.role = Participant.Role.HOST if is_host else Participant.Role.GUEST


def _plover_mode(contact_type, place: DraftPlace, participants) -> str:
    Mode = Meeting.PloverMode
    if contact_type in (ContactType.PHONE_CALL, ContactType.VIDEO_CALL):
        return Mode.PHONE
    if not place.country:
        return ""
    if place.country in {p.country for p in participants}:
        return Mode.VISIT
    return Mode.THIRD_PARTY


# Occasion and place -----------------------------------------------------------------------


def _occasion(
    text: str, sentence: Span, directory: Directory
) -> tuple[DraftOccasion | None, Span | None]:
    for relation, pattern in _OCCASION_RULES:
        match = pattern.search(text, sentence.start, sentence.end)
        if match is None:
            continue
        name_start = match.end()
        rest = text[name_start : sentence.end]
        cut = re.search(r",|\.$|\s+(?:in|on)\s+(?=[A-Z][a-z]+(?:,|\.|$| on| in))", rest)
        name_end = name_start + (cut.start() if cut else len(rest))
        name = strip_span(text, name_start, name_end).of(text)
        if relation == Meeting.OccasionRelation.DURING and not _EVENT_WORD.search(name):
            continue
        if not name or (not name[0].isupper() and not name[0].isdigit()):
            continue
        clause_start = match.start()
        # The occasion clause runs from its opening comma ("..., who came to") to its end.
        comma = text.rfind(",", sentence.start, clause_start)
        if comma != -1 and not text[comma:clause_start].strip(", ").count(" ") > 6:
            clause_start = comma
        return (
            DraftOccasion(name, relation, directory.gatherings.get(name)),
            Span(clause_start, name_end),
        )
    return None, None


def _place(text: str, sentence: Span, excluded: list[Span], directory: Directory) -> DraftPlace:
    for match in _PLACE.finditer(text, sentence.start, sentence.end):
        if any(s.start <= match.start() < s.end for s in excluded):
            continue
        names = [match.group(g) for g in "abc" if match.group(g)]
        place = _read_place(names, directory)
        if place is not None:
            return place
    return DraftPlace()


def _read_place(names: list[str], directory: Directory) -> DraftPlace | None:
    names = [re.sub(r"[.]$", "", name) for name in names]
    first = names[0]
    country = directory.country_names.get(re.sub(r"^the ", "", first))
    if country:
        return DraftPlace(country=country)
    place = DraftPlace(city=first)
    for name in names[1:]:
        named = directory.country_names.get(name)
        if named:
            place.country = named
        elif place.region is None:
            place.region = _REGION_WORD.sub("", name)
            place.country = place.country or find_region_country(name)
    known = directory.places.get(first)
    if known is not None:
        _name, kind, country, parent = directory.place_details[known]
        place.place_id = known
        place.country = place.country or country
        if kind == "region":
            place.city, place.region = None, _REGION_WORD.sub("", first)
        elif parent and place.region is None:
            place.region = _REGION_WORD.sub("", parent)
        return place
    region_country = find_region_country(first) if _REGION_WORD.search(first) else None
    if region_country:
        return DraftPlace(region=_REGION_WORD.sub("", first), country=region_country)
    city = find_city(first, place.country)
    if city is None and place.country is None:
        return None
    place.country = place.country or city.country
    return place


# Statements -------------------------------------------------------------------------------


def _statements(
    text: str,
    sentences: list[tuple[Span, Span]],
    participants: list[DraftParticipant],
    directory: Directory,
) -> list[DraftStatement]:
    references = _references(participants)
    sides = sorted({p.country for p in participants if p.country})
    country_subjects = _country_subject_pattern(participants, directory)
    current: DraftParticipant | None = None
    joint = False
    results: list[DraftStatement] = []
    previous_paragraph = None
    for paragraph, sentence in sentences:
        # "1. At the outset, ...": the number is not part of who speaks.
        sentence_text = re.sub(r"^\s*(?:\d{1,2}[.)]|[-\u2022*])\s+", "", sentence.of(text))
        new_paragraph = paragraph != previous_paragraph
        previous_paragraph = paragraph
        speaker, is_joint = _speaker(sentence_text, references, participants, directory)
        if is_joint:
            joint = True
        elif speaker is not None:
            current, joint = speaker, False
        elif re.match(r"^(?:[^,]{0,40},\s*)?(?:He|She|His|Her)\b", sentence_text):
            joint = False
            current = current or participants[0]
        else:
            subject = _subject_participant(sentence_text, participants, directory)
            if subject is not None and (joint or current is None or new_paragraph):
                current, joint = subject, False
        kind = None
        for clause in rules.split_clauses(text, sentence, country_subjects):
            clause_text = clause.span.of(text)
            if not (clause.continues and kind is not None):
                kind = rules.classify(clause_text, joint=joint)
            results.append(_statement(text, clause.span, kind, joint, current, sides, directory))
    return results


def _statement(text, span, kind, joint, speaker, sides, directory) -> DraftStatement:
    clause_text = span.of(text)
    if joint or speaker is None:
        attribution = Statement.Attribution.JOINT
        statement_sides = sides
        speaker_name = None
    else:
        attribution = Statement.Attribution.SPEAKER
        statement_sides = [speaker.country] if speaker.country else []
        speaker_name = speaker.name
    topic_ids = directory.find_topics(clause_text)
    countries = sorted(
        {m.value for m in directory.find_countries(clause_text)}
        | {m.value for m in directory.find_demonyms(clause_text)}
    )
    organizations = directory.find_organizations(clause_text)
    people = directory.find_people(clause_text)
    gatherings = directory.find_gatherings(clause_text)
    return DraftStatement(
        text=clause_text,
        start=span.start,
        end=span.end,
        kind=kind,
        plover_code=rules.PLOVER_CODES.get(kind, ""),
        attribution=attribution,
        speaker=speaker_name,
        sides=statement_sides,
        topics=[directory.topic_names[pk] for pk in topic_ids],
        topic_ids=topic_ids,
        mentions={
            "countries": countries,
            "organizations": sorted({directory.organization_names[m.value] for m in organizations}),
            "people": sorted({clause_text[m.start : m.end] for m in people}),
            "gatherings": sorted({clause_text[m.start : m.end] for m in gatherings}),
        },
        mention_ids={
            "countries": countries,
            "organizations": sorted({m.value for m in organizations}),
            "people": sorted({m.value for m in people}),
            "gatherings": sorted({m.value for m in gatherings}),
        },
    )


_JOINT = re.compile(
    r"^(?:[^,]{0,120},\s*)?(?:(?:The|the|Both|both)\s+(?:two\s+)?(?i:sides?|leaders|ministers|"
    r"parties|countries|delegations|officials|heads of state|foreign ministers)\b|[Tt]hey\b)"
    r"(?!\s+(?:should|must|need)\b)"
)
_REPORTING = re.compile(
    r"\b(?:said|says|noted|stressed|emphasi[sz]ed|pointed out|stated|added|expressed|extended|"
    r"thanked|welcomed|reiterated|underscored|underlined|highlighted|conveyed|briefed|"
    r"congratulated|appreciated|affirmed|reaffirmed|called|urged|hoped|believed|agreed|"
    r"recalled|introduced|spoke|praised|asked|indicated|mentioned|outlined|shared|invited|"
    r"voiced|told|assured|raised|discussed|commended|condemned|explained|elaborated|"
    r"acknowledged|lauded|offered|proposed|suggested|looked forward|wished)\b"
)


def _references(participants) -> list[tuple[re.Pattern, DraftParticipant]]:
    """How a readout refers back to each participant: the full name, each part of it
    ("Wang", "Ashurion"), and the first office ("the Secretary", "the Foreign Minister")."""
    references = []
    for participant in participants:
        forms = {participant.name}
        parts = [
            p for p in participant.name.split() if len(p) > 1 and p.lower() not in NAME_PARTICLES
        ]
        forms.update(parts)
        forms.update(p.title() for p in parts if p.isupper() and len(p) > 2)  # "HAYASHI"
        for office in participant.offices:
            forms.add(f"the {office.title}")
            forms.add(f"The {office.title}")
            head = office.title.split()[0]
            if head.lower() in {"secretary", "secretary-general", "minister", "president"}:
                forms.update({f"the {head}", f"The {head}"})
                forms.update({f"the {head.lower()}", f"The {head.lower()}"})
                forms.add(f"{head} {participant.name.split()[-1]}")
            if "foreign affairs" in office.title.lower():
                forms.update({"the Foreign Minister", "The Foreign Minister"})
        for form in forms:
            pattern = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")
            references.append((pattern, participant))
    return references


def _speaker(sentence_text, references, participants, directory):
    """(participant, joint) named as the sentence's speaker, if any."""
    if _JOINT.match(sentence_text):
        return None, True
    verb = _REPORTING.search(sentence_text)
    limit = verb.start() if verb else min(len(sentence_text), 80)
    found = []
    for pattern, participant in references:
        match = pattern.search(sentence_text, 0, limit)
        if match is not None:
            found.append((match.start(), -(match.end() - match.start()), participant))
    earliest: dict[int, tuple[int, int, DraftParticipant]] = {}
    for entry in sorted(found, key=lambda f: (f[0], f[1])):
        earliest.setdefault(id(entry[2]), entry)
    if len(earliest) > 1:
        # "The Secretary-General and the Foreign Minister focused on ...": both.
        first = min(earliest.values(), key=lambda f: f[0])
        if re.match(r"\s+and\s+", sentence_text[first[0] - first[1] :]):
            return None, True
    if found:
        return min(found, key=lambda f: (f[0], f[1]))[2], False
    side = re.match(
        r"^(?:[^,]{0,40},\s*)?[Tt]he (\w+) (?:side|government|delegation)\b", sentence_text
    )
    if side:
        country = directory.demonyms.get(side.group(1)) or directory.country_names.get(
            side.group(1)
        )
        for participant in participants:
            if country and participant.country == country:
                return participant, False
    return None, False


def _subject_participant(sentence_text, participants, directory) -> DraftParticipant | None:
    """The participant whose country opens the sentence ("Tajikistan is ready to ...")."""
    match = re.match(
        r"^(?:[^,]{0,40},\s*)?(?:the\s+)?([A-Z][\w' -]{1,40}?)\s+(?:is|are|will|"
        r"stands|supports|firmly|welcomes|hopes|has|highly|appreciates|always|"
        r"remains|would|looks)\b",
        sentence_text,
    )
    if match is None:
        return None
    country = directory.country_names.get(match.group(1))
    if country is None:
        return None
    matching = [p for p in participants if p.country == country]
    return matching[0] if len(matching) == 1 else None


def _country_subject_pattern(participants, directory) -> re.Pattern | None:
    names = [
        form
        for form, alpha3 in directory.country_names.forms.items()
        if alpha3 in {p.country for p in participants}
    ]
    if not names:
        return None
    body = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"\s+(?P<and>and\s+)(?:{body})\s+(?:is|are|will|stands|supports|remains)\b")
