"""Stage 5: the statements. A readout's later sentences cut into clauses, each with a
kind, a speaker, topics and mentions.

The rules, in the order they are applied:

1. **Clauses.** A sentence is cut before a coordinated predicate, so that each pledge or
   stance is one statement: before "and" or a comma followed by a verb that opens a new
   predicate ("..., and expand cooperation", "and resolutely opposes", "and is ready to")
   or by a country that is the subject of a new clause ("and Tajikistan is also a
   reliable partner"). The clause starts at "and" when there is one.
2. **Kind** by the cue written first (`Lexicon.kind_cues`, whose order breaks ties); a
   clause that opens with a bare verb ("and help Tajikistan ...") continues its
   sentence's kind.
3. **Speaker**: "The two sides", "Both", "They", or two participants joined by "and"
   ("He and Foreign Minister Y agreed", "X and Y discussed") make a joint statement; a
   participant's name, surname or title before the reporting verb ("Wang Yi said", "The
   Secretary underscored") names the speaker; "He"/"She" and unmarked sentences keep the
   current one; a sentence whose subject is a participant's country or side ("Tajikistan
   is ready ...", "the Turkmen side expressed") goes to that country's participant.
4. **Topics and mentions** from the directory: each topic's keywords, countries,
   organisations, people and gatherings named in the clause.
"""

import re
from dataclasses import dataclass

from events.models import Statement

from .directory import Directory
from .draft import DraftParticipant, DraftStatement
from .lexicon import PLOVER_CODES, Lexicon, Patterns, patterns
from .text import Span, fold, strip_span

__all__ = ["Clause", "classify", "read_statements", "split_clauses"]

# What joins a second participant to the first as one subject ("X and his counterpart",
# "X and Prime Minister Y", "Minister Pandor and Minister Angue").
_JOINT_AFTER = re.compile(r"\s+and\s+(?:his|her|their|the\s+[A-Z]|[A-Z])")
_BULLET = re.compile(r"\s*[\u2022\u25aa\u25cf\-*]\s+")
_NUMBERING = re.compile(r"\s*(?:\d{1,2}[.)]|[-\u2022*])\s+")
_QUOTED_OPENING = re.compile(r"[\"\u201c][^\"\u201c\u201d]{10,600}[\"\u201d],?\s*")
_THAT = re.compile(r"(?:\s+\w+ly)?\s+that\s+")
_QUOTES = '"\u201c'
_CLOSING_QUOTE = re.compile('["\u201d]')
_COUNTRY_PAIR = re.compile(
    r"^(?:[^,]{0,40},\s*)?(?:the\s+)?([A-Z][\w-]+(?: [A-Z][\w-]+)?)\s+and\s+"
    r"(?:the\s+)?([A-Z][\w-]+(?: [A-Z][\w-]+)?)\s+(?:\w+ly\s+|also\s+)?"
)
# What opens a reported clause after its verb ("said", "also mentioned that").
_REPORTED = re.compile(r"(?:\s+\w+ly)?(?:\s+that)?\s+")
_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?([A-Z][\w-]+(?: [A-Z][\w-]+)?)")
# A preposition just before a reference makes it an object, not the speaker.
_OBJECT_BEFORE = re.compile(r"\b(?:to|for|by|from|on|of|towards|upon)\s+$")
# How far into a sentence its subject is looked for (characters).
_SUBJECT_WINDOW = 200


@dataclass(frozen=True)
class Clause:
    span: Span
    continues: bool  # opens with a bare verb: same kind as the clause before


def split_clauses(
    text: str, sentence: Span, country_subjects: re.Pattern | None, found: Patterns
) -> list[Clause]:
    """Cut one sentence into clauses (rule 1 above)."""
    cuts: list[tuple[int, int]] = []  # (end of the clause before, start of the next)
    for match in found.clause_break.finditer(text, sentence.start, sentence.end):
        if (
            match.group("plain") is None
            and not found.bare_start.match(text, match.end())
            and not found.reporting_verb.search(
                text, max(sentence.start, match.start() - 300), match.start()
            )
        ):
            # ", strictly following the principles ..., expressed its readiness": the
            # subject's own verb, not a second predicate.
            continue
        next_start = match.start("comma") if match.group("comma") else match.end()
        if match.group("plain"):
            next_start = match.start("plain")
        cuts.append((match.start(), next_start))
    if country_subjects is not None:
        for match in country_subjects.finditer(text, sentence.start, sentence.end):
            before = text[max(sentence.start, match.start() - 40) : match.start()]
            if not re.search(r"\b(?:between|both)\s+\S+(?:\s+\S+)?$", before, re.I):
                cuts.append((match.start(), match.start("and")))
    cuts.sort()
    clauses = []
    start = sentence.start
    for clause_end, next_start in cuts:
        if clause_end < start:
            continue
        span = strip_span(text, start, clause_end)
        if span.end - span.start < 12:  # too short to stand alone: keep it with the next
            continue
        clauses.append(span)
        start = next_start
    clauses.append(strip_span(text, start, sentence.end))
    return [
        Clause(
            span, continues=index > 0 and bool(found.bare_start.match(text, span.start, span.end))
        )
        for index, span in enumerate(clauses)
    ]


def classify(clause_text: str, *, joint: bool, found: Patterns | None = None) -> str:
    """The kind of one clause (rule 2): the cue written first wins ("Wang Yi noted that
    China welcomes ..." is a welcome, "He thanked China for its support" thanks), rules
    listed earlier breaking ties; a clause with no cue is an assessment."""
    found = found or patterns()
    source = found.source_opening.match(clause_text)
    if source is not None:  # "As ARMENPRESS was informed ..., X was highlighted"
        clause_text = clause_text[source.end() :]
    opening = found.opening_participle.match(clause_text)
    if opening is not None:
        main = _first_cue(clause_text[opening.end() :], joint, found)
        if main is not None:
            return main
    return _first_cue(clause_text, joint, found) or Statement.Kind.ASSESSMENT


def _first_cue(clause_text: str, joint: bool, found: Patterns) -> str | None:
    best: tuple[int, int, str] | None = None
    for order, (kind, pattern, joint_only) in enumerate(found.kind_cues):
        if joint_only and not joint:
            continue
        match = pattern.search(clause_text)
        if match is not None and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, kind)
    return best[2] if best else None


class _Speakers:
    """How a readout refers to each participant, and who speaks in a sentence."""

    def __init__(self, participants, directory: Directory, lexicon: Lexicon, publisher_country):
        self.participants = participants
        self.directory = directory
        self.lexicon = lexicon
        self.found = patterns(lexicon)
        self.references = _references(participants, lexicon, publisher_country, directory)

    def speaker(self, sentence: str) -> tuple[DraftParticipant | None, bool]:
        """(participant, joint) named as the sentence's speaker, if any."""
        if self.found.joint_subject.match(sentence):
            return None, True
        window = sentence[:_SUBJECT_WINDOW]
        pronoun_joint = re.match(
            rf"^(?:[^,]{{0,40}},\s*)?(?:{_alternation(self.lexicon.speaker_pronouns)})\s+and\s+",
            window,
        )
        if pronoun_joint:  # "He and Foreign Minister Y agreed ..."
            return None, True
        quoted = _QUOTED_OPENING.match(sentence)
        if quoted is not None:
            # '"We indeed discussed ...," Lavrov said': who speaks follows the quotation.
            after = self._references_in(
                sentence, quoted.end(), min(len(sentence), quoted.end() + 60)
            )
            if after:
                return min(after, key=lambda f: (f[0], f[1]))[2], False
        verb = self.found.reporting_verb.search(window)
        limit = verb.start() if verb else min(len(window), 80)
        # "In his first talks with Foreign Minister Y, X highlighted ...": the subject
        # follows the opening adverbial.
        opening = self.found.speaker_adverbial.match(window, 0, limit)
        found = self._references_in(window, opening.end() if opening else 0, limit)
        if opening and not found:
            found = self._references_in(window, 0, limit)
        if not found and verb is not None:
            # "He also noted that Secretary Blinken expressed ...": the reported clause's
            # own subject speaks.
            that = _THAT.match(window, verb.end())
            second = that and self.found.reporting_verb.search(window, that.end())
            if second is not None:
                # Its subject opens the clause: a name further on is someone spoken of.
                found = self._references_in(
                    window, that.end(), min(second.start(), that.end() + 40)
                )
                found = [entry for entry in found if entry[0] <= that.end() + 12]
        earliest: dict[int, tuple[int, int, DraftParticipant]] = {}
        for entry in sorted(found, key=lambda f: (f[0], f[1])):
            earliest.setdefault(id(entry[2]), entry)
        first = min(found, key=lambda f: (f[0], f[1])) if found else None
        if first is not None:
            first_end = first[0] - first[1]
            for start, negative_length, participant in sorted(found, key=lambda f: f[0]):
                # "Prime Minister Lee and ...": one mention, title and name.
                if participant is first[2] and first_end <= start <= first_end + 1:
                    first_end = max(first_end, start - negative_length)
            after_first = window[first_end:limit]
            joined = re.match(r"\s+and\s+", after_first)
            second_office = joined and any(
                entry[2] is first[2] and entry[0] == first_end + joined.end() for entry in found
            )  # "Prime Minister and Minister of Foreign Affairs": one person's two offices
            if (
                joined
                and not second_office
                and (len(earliest) > 1 or _JOINT_AFTER.match(after_first))
            ):
                # "The Secretary-General and the Foreign Minister focused on ...", "X and
                # his counterpart discussed", "X and Prime Minister Y": both.
                return None, True
            return self._of_country(window, first) or first[2], False
        pronoun_joint = re.match(
            rf"^(?:[^,]{{0,40}},\s*)?(?:{_alternation(self.lexicon.speaker_pronouns)})\s+and\s+",
            window,
        )
        if pronoun_joint:  # "He and Foreign Minister Y agreed ..."
            return None, True
        side = self.found.side_subject.match(window)
        if side:
            country = self._country_of(side.group(1))
            matching = [p for p in self.participants if country and p.country == country]
            if len(matching) == 1:
                return matching[0], False
        return None, False

    def joint_here(self, sentence: str) -> bool:
        """What both sides did, in a sentence that names neither as its subject: an
        agentless passive or the talks as subject (`Lexicon.joint_openings`), the two
        countries ("Mongolia and Russia agreed"), or both sides in a reported clause ("The
        ministry said the two sides had ...", "Lavrov also mentioned that the two sides
        exchanged views"). The speaker before goes on after it."""
        if self.found.joint_opening.match(sentence) or self.pair_of_sides(sentence):
            return True
        window = sentence[:_SUBJECT_WINDOW]
        verb = self.found.reporting_verb.search(window, 0, 80)
        reported = verb and _REPORTED.match(window, verb.end())
        return bool(reported and self.found.joint_subject.match(window[reported.end() :]))

    def quoted_speaker(self, text: str, start: int, end: int) -> DraftParticipant | None:
        """'"I am glad ... . I am satisfied ...," X told': a quotation that runs on past its
        first sentence is the speaker's named after it closes (looked for within 600
        characters)."""
        if text[start : start + 1] not in _QUOTES or _CLOSING_QUOTE.search(text, start + 1, end):
            return None
        close = _CLOSING_QUOTE.search(text, end, min(len(text), end + 600))
        if close is None:
            return None
        after = self._references_in(text, close.end(), min(len(text), close.end() + 60))
        return min(after, key=lambda f: (f[0], f[1]))[2] if after else None

    def pair_of_sides(self, sentence: str) -> bool:
        """ "Mongolia and Russia agreed ...": the two sides' countries, then a reporting verb."""
        pair = _COUNTRY_PAIR.match(sentence)
        if pair is None or not self.found.reporting_verb.match(sentence, pair.end()):
            return False
        countries = {self._country_of(pair.group(1)), self._country_of(pair.group(2))}
        sides = {p.country for p in self.participants if p.country}
        return len(countries) == 2 and countries <= sides

    def _country_of(self, words: str) -> str | None:
        """ "Turkmen", "Pakistan", "United States"; or the first of two words ("Pakistani
        Foreign")."""
        for candidate in (words, words.split()[0]):
            country = self.directory.demonyms.get(candidate) or self.directory.country_names.get(
                candidate
            )
            if country:
                return country
        return None

    def _of_country(self, window: str, reference) -> DraftParticipant | None:
        """ "The President of Russia": the participant of the country an office names."""
        end = reference[0] - reference[1]
        named = _OF_COUNTRY.match(window, end)
        if named is None:
            return None
        country = self._country_of(named.group(1))
        matching = [p for p in self.participants if country and p.country == country]
        return matching[0] if len(matching) == 1 else None

    def _references_in(self, window: str, start: int, limit: int):
        found = []
        for pattern, participant in self.references:
            for match in pattern.finditer(window, start, limit):
                if _OBJECT_BEFORE.search(window, max(0, match.start() - 12), match.start()):
                    continue  # "... support to the ambassador": not who speaks
                found.append((match.start(), -(match.end() - match.start()), participant))
                break
        return found

    def subject_participant(self, sentence: str) -> DraftParticipant | None:
        """The participant whose country opens the sentence ("Tajikistan is ready to ...")."""
        match = self.found.country_subject.match(sentence[:_SUBJECT_WINDOW])
        if match is None:
            return None
        country = self.directory.country_names.get(match.group(1))
        if country is None:
            return None
        matching = [p for p in self.participants if p.country == country]
        return matching[0] if len(matching) == 1 else None


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _references(
    participants, lexicon: Lexicon, publisher_country: str | None = None, directory=None
) -> list[tuple[re.Pattern, DraftParticipant]]:
    """How a readout refers back to each participant: the full name, each part of it
    ("Wang", "Ashurion"), and its offices ("the Secretary", "the Foreign Minister",
    "Deputy Secretary" for "Deputy Secretary of State"). A form two participants share
    ("Foreign Minister") refers to neither."""
    by_form: dict[str, set[int]] = {}
    forms_of: list[set[str]] = []
    for participant in participants:
        forms = {participant.name}
        parts = [
            p
            for p in re.split(r"[\s,]+", participant.name)
            if len(p) > 1 and p.lower() not in lexicon.name_particles and not p.endswith(".")
        ]
        # "Amir-Abdollahian" is also written "Abdollahian".
        parts += [p for part in parts if "-" in part for p in part.split("-") if len(p) > 3]
        forms.update(parts)
        forms.update(p.title() for p in parts if p.isupper() and len(p) > 2)  # "HAYASHI"
        for office in participant.offices:
            title = office.title
            short = re.split(r"\s+(?:of|for)\s+", title)[0]
            for written in {title, short}:
                if not written:
                    continue
                forms.update({f"the {written}", f"The {written}"})
                if written[:1].isupper() and " " in written:
                    forms.add(written)  # "Deputy Secretary and ..."
            words = re.findall(r"[A-Za-z]+", title)
            capitals = [w for w in words if w[0].isupper()]
            if len(capitals) >= 2 and len(capitals) == len(
                [w for w in words if w.lower() not in ("of", "for", "and", "the")]
            ):
                forms.add("".join(w[0] for w in capitals))  # "EAM", "FM", "PM"
            if len(words) == 1:
                forms.update({f"the {title.lower()}", f"The {title.lower()}"})
            head = title.split()[0] if title.split() else ""
            if head.lower() in lexicon.referring_heads:
                forms.update({f"the {head}", f"The {head}"})
                forms.update({f"the {head.lower()}", f"The {head.lower()}"})
                forms.add(f"{head} {participant.name.split()[-1]}")
            forms.update(_office_tails(short, lexicon))
        if participant.organization_id is not None and directory is not None:
            # "the UN chief", "the NATO Secretary General": the organisation's short name.
            for abbreviation in directory.abbreviations_of(participant.organization_id):
                for head in ("chief", "head", "leader", "Secretary-General", "Secretary General"):
                    forms.update({f"the {abbreviation} {head}", f"The {abbreviation} {head}"})
            if "foreign affairs" in title.lower():
                forms.update({"the Foreign Minister", "The Foreign Minister"})
        forms_of.append(forms)
        for form in forms:
            by_form.setdefault(form, set()).add(id(participant))
    own = [p for p in participants if publisher_country and p.country == publisher_country]
    references = []
    for participant, forms in zip(participants, forms_of, strict=True):
        for form in forms:
            if not form.strip():
                continue
            if len(by_form[form]) > 1 and not (len(own) == 1 and participant is own[0]):
                # "The Minister" in a readout by one side's ministry: its own minister.
                continue
            pattern = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")
            references.append((pattern, participant))
    return references


def _office_tails(title: str, lexicon: Lexicon) -> set[str]:
    """ "the Deputy Prime Minister", "the Prime Minister", "the ambassador": an office
    referred to by its last words, from the word that names it ("Deputy Commissioner" is
    "the Deputy Commissioner" and "the Commissioner")."""
    words = title.split()
    forms: set[str] = set()
    for index, word in enumerate(words):
        tail = " ".join(words[index:])
        if fold(word).strip(",.") not in lexicon.title_words or not word[:1].isupper():
            continue
        if not {fold(w).strip(",.") for w in words[index:]} & lexicon.office_heads:
            break
        for written in (tail, tail.lower()):
            forms.update({f"the {written}", f"The {written}"})
    return forms


def _country_subject_pattern(participants, directory: Directory, found: Patterns):
    names = [
        form
        for form, alpha3 in directory.country_names.forms.items()
        if alpha3 in {p.country for p in participants}
    ]
    if not names:
        return None
    body = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    verbs = _alternation(("is", "are", "will", "stands", "supports", "remains"))
    return re.compile(rf"\s+(?P<and>and\s+)(?:{body})\s+(?:{verbs})\b")


def read_statements(
    text: str,
    sentences: list[tuple[Span, Span]],
    participants: list[DraftParticipant],
    directory: Directory,
    lexicon: Lexicon,
    publisher_country: str | None = None,
) -> list[DraftStatement]:
    """Every clause of `sentences` ((paragraph, sentence) pairs) as a drafted statement."""
    found = patterns(lexicon)
    speakers = _Speakers(participants, directory, lexicon, publisher_country)
    sides = sorted({p.country for p in participants if p.country})
    country_subjects = _country_subject_pattern(participants, directory, found)
    current: DraftParticipant | None = None
    joint = False
    results: list[DraftStatement] = []
    previous_paragraph = None
    listed_kind = listed_joint = listed_speaker = None  # a list opened by "... agreed to:"
    for paragraph, sentence in sentences:
        # "1. At the outset, ...", "where they agreed" (a clause of the meeting sentence):
        # the number or the relative word is not part of who speaks.
        numbering = _NUMBERING.match(text, sentence.start, sentence.end)
        numbering = numbering or found.clause_opener.match(text, sentence.start, sentence.end)
        head_start = numbering.end() if numbering else sentence.start
        sentence_text = text[head_start : min(sentence.end, head_start + _SUBJECT_WINDOW)]
        new_paragraph = paragraph != previous_paragraph
        previous_paragraph = paragraph
        joint_here = speakers.joint_here(sentence_text)
        speaker, is_joint = (None, False) if joint_here else speakers.speaker(sentence_text)
        if speaker is None and not is_joint and not joint_here:
            speaker = speakers.quoted_speaker(text, head_start, sentence.end)
        if joint_here:
            pass  # this sentence only: the speaker before goes on after it
        elif is_joint:
            joint = True
        elif speaker is not None:
            current, joint = speaker, False
        elif found.speaker_pronoun.match(sentence_text):
            joint = False
            current = current or (participants[0] if participants else None)
        else:
            subject = speakers.subject_participant(sentence_text)
            if subject is not None and (joint or current is None or new_paragraph):
                current, joint = subject, False
        kind = None
        if listed_kind is not None and _BULLET.match(text, sentence.start, sentence.end):
            # "... agreed to:" then "• continue the support ...": each item is agreed.
            results.append(
                _statement(
                    text, sentence, listed_kind, listed_joint, listed_speaker, sides, directory
                )
            )
            continue
        for clause in split_clauses(text, sentence, country_subjects, found):
            clause_text = clause.span.of(text)
            if not (clause.continues and kind is not None):
                kind = classify(clause_text, joint=joint or joint_here, found=found)
            results.append(
                _statement(text, clause.span, kind, joint or joint_here, current, sides, directory)
            )
        listed_kind = None
        if text[sentence.end - 1] == ":" and kind is not None:
            listed_kind, listed_joint, listed_speaker = kind, joint or joint_here, current
    return results


def _statement(text, span, kind, joint, speaker, sides, directory: Directory) -> DraftStatement:
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
        plover_code=PLOVER_CODES.get(kind, ""),
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
