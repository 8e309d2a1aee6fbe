"""Stage 3: the participants. Who is named where a meeting sentence (or a delegation
sentence) names its sides, with their titles as written, offices, and the side each
represents.

Reads "Title Name", "Name, Title", "Title, Name", "A and B", "Name of Country",
honorifics ("H.E. Mr."), a title standing for a person ("the Secretary-General"), a
surname alone ("Minister Pandor"). Every loop here looks at a bounded window around the
point it decides on, so the work stays linear in the text's length.
"""

import re
from dataclasses import dataclass

from events.models import Participant

from .directory import Directory, office_key
from .draft import DraftOffice, DraftParticipant
from .lexicon import MONTHS, WEEKDAYS, Lexicon, Patterns, patterns
from .text import Span, fold, strip_span

__all__ = ["PeopleReader", "Person", "offices_of", "participant"]

# How far back from a point a decision looks (characters): a name, a title's tail.
_WINDOW = 120
# Adverbials skipped before a subject ("At the invitation of X, ..."): at most this many.
_MAX_ADVERBIALS = 4
# People listed after a verb ("with A, B and C"): at most this many segments.
_MAX_PEOPLE = 8
_MORE_PEOPLE = re.compile(
    r"\.?,?\s+and\s+(?=(?:the\s+|his\s+|her\s+)?[A-Z])|,\s+(?=(?:the\s+)?[A-Z])"
)
_INITIAL = re.compile(r"[A-Z]\.")
_ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)$")
_TOKEN = re.compile(r"[^\s,]+|,")
_NEXT_WORD = re.compile(r" ([A-Z][\w'\u2019-]*)")


@dataclass
class Person:
    name: Span | None  # None for a title alone ("The Secretary-General"), named elsewhere
    title: Span | None
    after_name: str = ""  # "of Russia" in "Foreign Minister Sergei Lavrov of Russia"
    side_hint: str = ""  # "Turkmen" in "Y led the Turkmen delegation"

    def title_of(self, text: str) -> str:
        return self.title.of(text) if self.title else ""


class PeopleReader:
    """Reads people out of one text; `directory` knows people, countries, organisations."""

    def __init__(self, text: str, directory: Directory, lexicon: Lexicon):
        self.text = text
        self.directory = directory
        self.lexicon = lexicon
        self.patterns: Patterns = patterns(lexicon)

    # Words ------------------------------------------------------------------------------

    def is_name_token(self, token: str) -> bool:
        bare = token.strip(",")
        if not bare:
            return False
        lowered = bare.lower()
        if lowered in self.lexicon.name_particles or lowered.startswith("al-"):
            return True
        if _ROMAN.match(bare) or _INITIAL.fullmatch(bare):
            return True  # "II", "A." in "A. I. Denisov"
        folded = fold(bare).rstrip(".")
        if folded in WEEKDAYS or folded in MONTHS:  # "... counterpart Tuesday"
            return False
        return bare[0].isupper() and folded not in self.lexicon.title_words

    def is_country_word(self, token: str) -> bool:
        bare = token.strip(",.").removesuffix("'s").removesuffix("\u2019s")
        return (
            self.directory.country_names.get(bare) is not None
            or self.directory.demonyms.get(bare) is not None
        )

    def names_an_office(self, value: str) -> bool:
        """ "the Secretary-General", "Prime Minister": a title that stands for a person."""
        words = {fold(word).strip(",.") for word in re.split(r"[\s/-]+", value)}
        words |= {fold(word).strip(",.") for word in re.split(r"[\s/]+", value)}
        return bool(words & self.lexicon.office_heads)

    def looks_like_title(self, value: str) -> bool:
        """Starts with a title word ("Deputy Foreign Minister ...") or names an office."""
        words = [fold(word).strip(",.") for word in value.replace("-", " - ").split()]
        return bool(words) and (words[0] in self.lexicon.title_words or self.names_an_office(value))

    def is_clean_title(self, title: Span) -> bool:
        """Only title words, names and connectors ("Deputy Prime Minister of Ethiopia"),
        not a clause that ends before a name ("During the occasion ... briefed")."""
        for word in title.of(self.text).split():
            bare = word.strip(",.()")
            if bare[:1].islower() and fold(bare) not in self.lexicon.title_words:
                return False
        return True

    def _office_in(self, title: Span) -> bool:
        """Whether a title names an office other than "counterpart"."""
        words = {fold(word).strip(",.") for word in title.of(self.text).split()}
        return bool(words & (self.lexicon.office_heads - {"counterpart"}))

    def full_name_before(self, surname: Span, floor: int) -> Person | None:
        """ "Minister Pandor" after "... Dr Naledi Pandor is in Singapore": the full name
        written before (looked for in the 600 characters before)."""
        written = surname.of(self.text)
        window_start = max(floor, surname.start - 600)
        occurrences = list(
            re.finditer(
                rf"(?<![\w-]){re.escape(written)}(?![\w-])", self.text[window_start : surname.start]
            )
        )
        for occurrence in reversed(occurrences):
            end = window_start + occurrence.end()
            line_start = self.text.rfind("\n", window_start, end) + 1
            person = self.split_name_title(Span(max(window_start, line_start, end - 160), end))
            if person is not None and person.name is not None and " " in person.name.of(self.text):
                return person
        return None

    def full_name_after(self, surname: Span, sentences: list[Span]) -> Person | None:
        """ "Foreign Minister Schallenberg", then "... Foreign Minister Alexander
        Schallenberg in Berlin": the full name written in a later sentence."""
        written = surname.of(self.text)
        pattern = re.compile(rf"(?<![\w-]){re.escape(written)}(?![\w-])")
        for sentence in sentences:
            for occurrence in pattern.finditer(self.text, sentence.start, sentence.end):
                start = max(sentence.start, occurrence.start() - 80)
                # "Demeke" then "... Demeke Mekonnen": the name may go on after the word.
                end = self._name_end(occurrence.end(), sentence.end)
                person = self.split_name_title(Span(start, end))
                if (
                    person is not None
                    and person.name is not None
                    and " " in person.name.of(self.text)
                ):
                    return person
        return None

    def named_by_title(self, title: Span, sentences: list[Span]) -> Span | None:
        """ "the Prime Minister" named later as "Prime Minister Johnson": the title as
        written, then a name (looked for in a few later sentences)."""
        written = re.sub(r"^(?:the|The)\s+", "", title.of(self.text)).strip()
        if not written or not self.names_an_office(written):
            return None
        pattern = re.compile(rf"(?<![\w-]){re.escape(written)}\s+(?=[A-Z])")
        for sentence in sentences:
            for occurrence in pattern.finditer(self.text, sentence.start, sentence.end):
                end = self._name_end(occurrence.end() - 1, sentence.end)
                name = strip_span(self.text, occurrence.end(), end)
                if (
                    name.end > name.start
                    and self.is_name_token(name.of(self.text).split()[0])
                    and not self.directory.find_countries(self.text, name.start, name.end)
                ):
                    return name
        return None

    def _name_end(self, position: int, limit: int) -> int:
        """Where a name written up to `position` ends, taking the name words right after."""
        for _ in range(3):
            word = _NEXT_WORD.match(self.text, position, limit)
            if word is None or not self.is_name_token(word.group(1)):
                break
            if self.is_country_word(word.group(1)) or word.group(1).lower() in (
                self.lexicon.name_particles
            ):
                break
            position = word.end()
        return position

    def named_later(self, title: Span, sentences: list[Span]) -> Person | None:
        """ "his new Canadian counterpart", named in a later sentence ("... Canadian
        Foreign Minister Anita Anand, ..."): the country in the title is looked for."""
        marks = self.directory.find_demonyms(self.text, title.start, title.end)
        marks += self.directory.find_countries(self.text, title.start, title.end)
        words = {self.text[m.start : m.end] for m in marks}
        for sentence in sentences:
            for word in words:
                for occurrence in re.finditer(
                    rf"(?<![\w-]){re.escape(word)}(?![\w-])",
                    self.text[sentence.start : sentence.end],
                ):
                    start = sentence.start + occurrence.start()
                    end = min(sentence.end, start + 150)
                    found = self.segment(start, end, subject=False)
                    named = [person for person in found if person.name is not None]
                    if named and " " in named[0].name.of(self.text):
                        return named[0]
        return None

    def is_international(self, word: str) -> bool:
        return bool(self.directory.find_international(word.strip(",")))

    # Segments ---------------------------------------------------------------------------

    def segment(self, start: int, end: int, *, subject: bool) -> list[Person]:
        """The people named in text[start:end]: "Title Name", "Name, Title", "A and B"."""
        text = self.text
        offset = start
        for _ in range(_MAX_ADVERBIALS + 1):
            # A leading adverbial ("commencing at 5:00 p.m. for 40 minutes, ", "At the
            # invitation of X, ", "In Accra, ") ends at its first comma outside parentheses.
            comma = _comma_outside_parentheses(text, offset, min(end, offset + 300))
            if subject and comma != -1 and self.patterns.leading_adverbial.match(text, offset, end):
                offset = comma + 2
                continue
            lead = self.patterns.skipped_before_people.match(text, offset, end)
            offset = lead.end()
            comma = _comma_outside_parentheses(text, offset, min(end, offset + 300))
            if subject and comma != -1 and self.patterns.leading_adverbial.match(text, offset, end):
                offset = comma + 2
                continue
            break
        stop = end if subject else self.object_end(offset, end)
        span = strip_span(text, offset, stop)
        segment = span.of(text).rstrip(",;:")
        span = Span(span.start, span.start + len(segment))
        if not segment:
            return []
        if subject:
            appositive = self.name_then_title(span)
            if appositive is not None:
                return [appositive]
        people: list[Person] = []
        for round_number in range(_MAX_PEOPLE):
            found, consumed = self._people_at(span, end, subject=subject)
            if round_number and people and _given_names(found, people[-1], text):
                # "H.E. Mr. Lavrov, Sergey Viktorovich, Minister ...": surname, given names.
                last = people[-1]
                people[-1] = Person(
                    Span(last.name.start, found[0].name.end),
                    found[0].title,
                    found[0].after_name,
                )
                found = []
            elif round_number and people and not any(p.name for p in found):
                # "..., HE Mr X, Minister of Foreign Affairs, ...": a title of the last.
                last = people[-1]
                if found and (last.title is None or not self._office_in(last.title)):
                    people[-1] = Person(last.name, found[0].title, last.after_name, last.side_hint)
                found = []
            people.extend(found)
            # "with A, B, and C", "with Polish Foreign Minister, Zbigniew Rau, and ...".
            more = _MORE_PEOPLE.match(text, consumed, end)
            if subject or more is None or not people:
                break
            next_start = more.end()
            span = strip_span(text, next_start, self.object_end(next_start, end))
            segment = span.of(text).rstrip(",;:")
            span = Span(span.start, span.start + len(segment))
            if not segment:
                break
        return people

    def _people_at(self, span: Span, end: int, *, subject: bool) -> tuple[list[Person], int]:
        """The people of one segment, and where what they take of the text ends."""
        text = self.text
        people = [
            person
            for part in self.split_people(span)
            if (person := self.split_name_title(part)) is not None
        ]
        consumed = span.end
        if not people or span.end >= end:
            return people, consumed
        last = people[-1]
        if last.name is None:
            # "Uzbekistan's Minister of Foreign Affairs, Abdulaziz Kamilov", "her
            # counterpart, HE Mr Simeon Oyono Esono Angue": the name follows.
            named = re.compile(r",\s*(?=[A-Z])").match(text, span.end, end)
            if named:
                name_start = named.end()
                name_span = strip_span(text, name_start, self.object_end(name_start, end))
                if name_span.end > name_start:
                    # "the Minister for Defence, Saki Soloma and Minister for Police, Bryan
                    # Kramer": the name ends before the next person.
                    name_span = self.split_people(name_span)[0]
                person = self.split_name_title(name_span) if name_span.end > name_start else None
                if person is not None and person.name is not None:
                    title = (
                        last.title if person.title is None else _joined(last.title, person.title)
                    )
                    people[-1] = Person(person.name, title, person.after_name, last.side_hint)
                    consumed = name_span.end
        elif not subject and (last.title is None or self._given_name(last)):
            # "Name, Title of X" (the name first): the title follows the comma.
            appositive = self.patterns.appositive_title.match(text, span.end, end)
            if appositive:
                title_start = appositive.end()
                title = strip_span(text, title_start, self.object_end(title_start, end))
                if title.end > title.start and self.looks_like_title(title.of(text)):
                    name = _joined(last.title, last.name) if last.title else last.name
                    people[-1] = Person(name, title, last.after_name, last.side_hint)
                    consumed = title.end
        return people, consumed

    def _given_after_honorific(self, word: str, start: int) -> bool:
        """A title word that names no office right after an honorific ("H E Sultan ...",
        "Mr. Amir ..."): a given name."""
        before = self.text[max(0, start - 30) : start].rstrip()
        return (
            word[:1].isupper()
            and not self.names_an_office(word)
            and bool(self.patterns.honorific_at_end.search(before))
        )

    def _given_name(self, person: Person) -> bool:
        """ "Amir Ohana, the visiting Speaker ...": a one-word title that names no office
        before a one-word name, with the office given after it, is the given name."""
        title, name = person.title, person.name
        return (
            title is not None
            and name is not None
            and " " not in title.of(self.text).strip()
            and " " not in name.of(self.text).strip()
            and not self.text[title.end : name.start].strip()
            and not self.names_an_office(title.of(self.text))
        )

    def object_end(self, start: int, end: int) -> int:
        """Where the people after a verb end: at a comma, or at a lowercase word that is
        not part of a title ("... Muhriddin in Almaty", "... Blinken at request")."""
        text, lx = self.text, self.lexicon
        content_end = start
        previous = ""
        tokens = _TOKEN.finditer(text, start, end)
        token_match = next(tokens, None)
        while token_match is not None:
            following_match = next(tokens, None)
            token = token_match.group()
            if token == ",":
                break
            word = token.strip(".;:()")
            lowered = word.lower()
            if word and word[0].islower():
                following = following_match.group() if following_match else ""
                joins_names = lowered in lx.title_connectors and (
                    following[:1].isupper() or following in ("the", "his", "her")
                )
                # "Ambassador to China", "Minister for Europe": a title goes on; "Shmyhal
                # to NATO Headquarters", "X for talks": the people end.
                after_title = fold(previous) in lx.title_words or self.is_country_word(previous)
                if lowered == "and" and joins_names:
                    pass
                elif lowered in lx.people_stop_words and not (
                    lowered in lx.title_connectors and after_title and joins_names
                ):
                    break
                elif joins_names or lowered in lx.title_connectors:
                    pass
                elif lowered in lx.name_particles or lowered in lx.title_words:
                    content_end = token_match.end()
                else:
                    break
                previous = word
                token_match = following_match
                continue
            content_end = token_match.start() + len(token.rstrip(";:"))
            if token.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]?\.", token):
                content_end -= 1  # the sentence's full stop, not an initial ("J.", "St.")
            if token.endswith(")") and "(" not in token:
                content_end -= 1
            previous = word
            token_match = following_match
        return max(content_end, start)

    def split_people(self, span: Span) -> list[Span]:
        """Split "President X and Foreign Minister Y" into two; keep "State Councilor and
        Foreign Minister Wang Yi" whole (its first part names no one)."""
        parts = []
        start = span.start
        for match in re.finditer(r"\s+and\s+", self.text[span.start : span.end]):
            left = Span(start, span.start + match.start())
            if self.ends_with_name(left):
                parts.append(left)
                start = span.start + match.end()
        parts.append(Span(start, span.end))
        return parts

    def ends_with_name(self, span: Span) -> bool:
        window = Span(max(span.start, span.end - _WINDOW), span.end)
        known = self.directory.find_people(self.text, window.start, window.end)
        if any(m.end == span.end for m in known):
            return True
        window = self.without_country_suffix(window)
        tokens = window.of(self.text).split()
        return (
            bool(tokens) and self.is_name_token(tokens[-1]) and not self.is_country_word(tokens[-1])
        )

    def without_country_suffix(self, span: Span) -> Span:
        """ "Sergei Lavrov of Russia", "Erlan Idrissov of the Republic of Kazakhstan": the
        name ends before the "of" that opens a country's name (looked for near the end)."""
        window_start = max(span.start, span.end - _WINDOW)
        segment = self.text[window_start : span.end]
        for match in re.finditer(r"\s+of\s+(?:the\s+)?", segment):
            rest = segment[match.end() :].rstrip(".,")
            if self.directory.country_names.get(rest):
                return Span(span.start, window_start + match.start())
        return span

    def name_then_title(self, span: Span) -> Person | None:
        """ "Jean-Yves Le Drian, Minister for Europe and Foreign Affairs" (a subject)."""
        comma = self.text.find(", ", span.start, span.end)
        if comma == -1:
            return None
        name = self.split_name_title(Span(span.start, comma))
        title = strip_span(self.text, comma + 2, span.end)
        if name is None or name.name is None or name.title is not None:
            return None
        if not self.looks_like_title(title.of(self.text)):
            return None
        return Person(name.name, title)

    def split_name_title(self, span: Span) -> Person | None:
        text = self.text
        known = self.directory.find_people(text, span.start, span.end)
        if known:
            match = max(known, key=lambda m: (m.end, m.end - m.start))
            title = self.clean_title(Span(span.start, match.start))
            return Person(Span(match.start, match.end), title)
        core = self.without_country_suffix(span)
        for _ in range(3):  # "Datuk Seri Mohamad Hasan": courtesy words open no name
            honorific = self.patterns.honorific_word.match(text, core.start, core.end)
            if honorific is None:
                break
            core = Span(honorific.end(), core.end)
        window_start = max(core.start, core.end - _WINDOW)
        tokens = list(re.finditer(r"\S+", text[window_start : core.end]))
        name_tokens = []
        honorific_start = None
        for position, token in reversed(list(enumerate(tokens))):
            word = token.group()
            if self.patterns.honorific_word.fullmatch(word + " "):
                honorific_start = window_start + token.start()
                break
            if not self.is_name_token(word) or self.is_country_word(word):
                if name_tokens and self._given_after_honorific(word, window_start + token.start()):
                    name_tokens.append(token)  # "H E Sultan bin Saad Al Muraikhi"
                break
            if position and self.is_country_word(f"{tokens[position - 1].group()} {word}"):
                break  # "President of the United States Barack Obama"
            if self.is_international(word):
                break
            name_tokens.append(token)
        # Particles cannot open a name ("de Gaulle" is kept, a lone "of" is not).
        while name_tokens and name_tokens[-1].group() in self.lexicon.name_particles:
            name_tokens.pop()
        if not name_tokens:
            title = self.clean_title(span)
            if title and self.names_an_office(title.of(text)):
                return Person(None, title)
            return None
        name = Span(window_start + name_tokens[-1].start(), window_start + name_tokens[0].end())
        if honorific_start is not None:
            # "Datuk Seri Mohamad Hasan": an honorific of two words ends inside the name.
            whole = self.patterns.honorific_word.match(text, honorific_start, name.end)
            if whole is not None and name.start < whole.end() < name.end:
                name = Span(whole.end(), name.end)
        for _ in range(3):  # "H E Josep Borrell": an honorific of two capitals opens no name
            honorific = self.patterns.honorific_word.match(text, name.start, name.end)
            if honorific is None or honorific.end() >= name.end:
                break
            name = Span(honorific.end(), name.end)
        title = self.clean_title(Span(span.start, name.start))
        if core.end < span.end:
            # Keep "of Russia" with the title: it gives the side.
            return Person(name, title, text[core.end : span.end].strip())
        return Person(name, title)

    def clean_title(self, span: Span) -> Span | None:
        """The title before a name, without honorifics ("H.E. Mr.") and connecting commas."""
        start = max(span.start, span.end - 300)  # a title is never longer
        value = self.text[start : span.end]
        for _ in range(4):  # "H.E. Mr." at most a few honorifics deep
            trimmed = re.sub(r"[\s,]+$", "", value)
            honorific = self.patterns.honorific_at_end.search(trimmed)
            if honorific and trimmed:
                value = trimmed[: honorific.start()]
                continue
            value = trimmed
            break
        result = strip_span(self.text, start, start + len(value))
        leading = re.match(r"^(?:the|The)\s+", result.of(self.text))
        if leading:
            result = Span(result.start + leading.end(), result.end)
        return result if result.end > result.start else None

    # Delegation sentences ----------------------------------------------------------------

    def delegation_heads(self, sentence: Span) -> list[Person]:
        """ "The delegations were headed by X and Y", "A's delegation was headed by X,
        while Y led the Turkmen delegation", "... and the Israeli delegation by Y"."""
        text = self.text
        people: list[Person] = []
        for match in self.patterns.delegation_headed_by.finditer(
            text, sentence.start, sentence.end
        ):
            hint = _side_hint_before(text, match.start(), sentence.start)
            end = _next_clause(text, match.end(), sentence.end)
            found = self.segment(match.end(), end, subject=False)
            for person in found:
                if person.name is not None:
                    person.side_hint = person.side_hint or hint
                    people.append(person)
        for match in self.patterns.delegation_led.finditer(text, sentence.start, sentence.end):
            clause_start = max(
                text.rfind(",", sentence.start, match.start()) + 1,
                _clause_start(text, sentence.start, match.start()),
            )
            found = self.segment(clause_start, match.start(), subject=True)
            hint = match.group().split()[-2] if len(match.group().split()) > 2 else ""
            for person in found:
                if person.name is not None:
                    person.side_hint = hint
                    people.append(person)
        people.sort(key=lambda person: person.name.start)
        return people


def _given_names(found: list[Person], last: Person, text: str) -> bool:
    """Whether `found` is the given names after a surname written first ("Lavrov, Sergey
    Viktorovich"): one untitled name after a one-word name."""
    return (
        len(found) == 1
        and found[0].name is not None
        and last.name is not None
        and last.title is None
        and " " not in last.name.of(text)
        and last.name.end < found[0].name.start
        and text[last.name.end : found[0].name.start].strip() == ","
    )


def _joined(first: Span | None, second: Span | None) -> Span | None:
    if first is None or second is None:
        return first or second
    return Span(min(first.start, second.start), max(first.end, second.end))


def _side_hint_before(text: str, position: int, floor: int) -> str:
    """The words just before "delegation was headed by" ("The Azerbaijani")."""
    words = text[max(floor, position - 60) : position].split()
    return " ".join(words[-4:])


def _next_clause(text: str, start: int, end: int) -> int:
    """Where the people after "headed by" end: ", and the ... delegation by", "while"."""
    found = re.compile(r",\s+(?:and|while)\b|\s+while\b").search(text, start, end)
    return found.start() if found else end


def _clause_start(text: str, floor: int, position: int) -> int:
    """Where the clause before `position` opens: after its last "while"."""
    matches = list(re.compile(r"\bwhile\s+").finditer(text, max(floor, position - 200), position))
    return matches[-1].end() if matches else floor


def _comma_outside_parentheses(text: str, start: int, end: int) -> int:
    depth = 0
    for index in range(start, end):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0 and text[index + 1 : index + 2] == " ":
            return index
    return -1


# From people to participants -------------------------------------------------------------


def participant(
    text: str,
    person: Person,
    directory: Directory,
    lexicon: Lexicon,
    *,
    publisher: str | None,
    publisher_country: str | None,
) -> DraftParticipant:
    """A drafted participant: name and title as written, side, offices (resolved or new)."""
    name = person.name.of(text)
    title = person.title_of(text)
    person_id = directory.people.get(name)

    organization = organization_id = None
    # The side is read from the title, what follows the name ("... Lavrov of Russia"), and
    # the delegation it heads ("led the Turkmen delegation").
    described = f"{title} {person.after_name}".strip()
    country = _title_country(described, directory) or _title_country(person.side_hint, directory)
    international = directory.find_international(described)
    if not international and country is None and not publisher_country:
        # An organisation's own official, in its own readout ("The Secretary-General").
        international = directory.find_international(publisher or "")
    side_from = ""
    if international:
        country = None
        organization_id = international[0].value
        organization = directory.organization_names[organization_id]
        side_from = "organization"
    else:
        side_from = "title" if country else ""
        if country is None and person_id is not None:
            country = directory.person_country.get(person_id)
            side_from = "person" if country else ""
        if country is None and publisher_country:
            country, side_from = publisher_country, "publisher"
    offices = []
    for office in offices_of(title, directory, lexicon):
        position = directory.resolve_position(office, country, person_id)
        offices.append(
            DraftOffice(
                office,
                getattr(position, "id", None),
                organization=organization,
                country=country,
                needs_review=position is None,
            )
        )
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
    if not title:
        return None
    for match in directory.find_demonyms(title) + directory.find_countries(title):
        return match.value
    return None


def offices_of(title: str, directory: Directory, lexicon: Lexicon) -> list[str]:
    """ "State Councilor and Foreign Minister" holds two offices; the country qualifiers
    ("Tajik", "Tajikistan's", "of Kazakhstan") and "his"/"her" are not part of an office's
    name."""
    if not title:
        return []
    parts = [part for part in re.split(r"\s+and\s+|,\s+", title) if part]
    # "Minister of Foreign Affairs and Trade": a part without a title word of its own
    # belongs to the part before it.
    merged: list[str] = []
    for part in parts:
        words = {fold(word) for word in part.split()}
        if merged and not words & lexicon.office_heads:
            merged[-1] = f"{merged[-1]} and {part}"
        else:
            merged.append(part)
    offices = []
    for part in merged:
        cleaned = part
        for match in sorted(
            directory.find_demonyms(part)
            + directory.find_countries(part)
            + directory.find_international(part),
            key=lambda m: -m.start,
        ):
            before, after = cleaned[: match.start], cleaned[match.end :]
            after = re.sub(r"^(?:'s|\u2019s)\b", "", after)
            before = re.sub(r"\s*\bof(?: the)?(?: Republic of| Kingdom of)?\s*$", " ", before)
            cleaned = f"{before} {after}"
        cleaned = re.sub(r"\(\s*\)", " ", cleaned)
        cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,")
        cleaned = re.sub(r"^(?:the|The|his|His|her|Her|their|Their)\s+", "", cleaned)
        if cleaned and fold(cleaned) not in {"counterpart", "new counterpart"}:
            offices.append(cleaned)
    return offices


def assign_roles(participants: list[DraftParticipant], place_country: str | None, remote: bool):
    """Host and guest when the meeting is held in one participant's country."""
    if remote:
        return
    sides = {p.country for p in participants}
    if place_country and place_country in sides and len(sides) > 1:
        for drafted in participants:
            is_host = drafted.country == place_country
            drafted.role = Participant.Role.HOST if is_host else Participant.Role.GUEST


def name_from_header(
    text: str, header: list[Span], title: Span, reader: PeopleReader
) -> Span | None:
    """The name of a participant the sentence calls only by title ("The Secretary-General
    met with ..."), from a byline ("Ban Ki-Moon, Former Secretary-General")."""
    wanted = office_key(title.of(text)) - {"former"}
    for span in header:
        line = span.of(text)
        parts = list(re.finditer(r"[^,]+", line))
        if len(parts) == 2:
            name, office = parts
            if office_key(office.group()) - {"former"} == wanted:
                return strip_span(text, span.start + name.start(), span.start + name.end())
        person = reader.split_name_title(span)
        if (
            person
            and person.name
            and person.title
            and office_key(person.title.of(text)) - {"former"} == wanted
        ):
            return person.name
    return None
