"""Stage 2: the meeting sentence (or sentences): which sentence reports the contact, of
what kind, and where it writes the two sides.

Three ways of writing it, tried on each sentence in turn, the first that fits wins:

1. A contact verb between the sides: "X met with Y", "X spoke today with Y", "X received a
   telephone call from Y", "X telephoned Y" (`Lexicon.contact_verbs`).
2. A passive or nominal opening: "a telephone conversation was held between X and Y",
   "Political consultations ... were held in Ashgabat" (`Lexicon.contact_nouns`); the
   people after "between".
3. Both sides as one subject of a contact noun: "X and his US counterpart Y agreed in
   bilateral talks in Munich".

A medium written anywhere in the sentence ("via video link", "by phone") wins over the
verb's kind. When the sentence names no one ("Foreign ministers of A and B have held
talks"), the next sentences give the people: "The delegations were headed by X and Y",
"In the talks ..., X and Y discussed ...".
"""

import re
from dataclasses import dataclass

from .lexicon import Lexicon, Patterns, patterns
from .text import Span

__all__ = ["MeetingSentence", "contact_mode", "find_meeting", "find_reported_frame"]

# "South Korea's foreign ministry said on Sunday that ...": what is reported follows.
_REPORTED_FRAME = re.compile(
    r"[^,.;]{0,80}?\b(?:said|says|reported|announced|informed)\b[^,.;]{0,40}?\bthat\s+"
)
# "... on Wednesday and discussed ...": a second predicate of the subject, not "X and Y met".
_COORDINATED_PREDICATE = re.compile(r"\band\s+$")
_NOUN_WITH = re.compile(r"\s+with\b")
# "The meeting of X with Y took place": the noun's "of" names one side, its "with" the other.
_NOUN_OF = re.compile(r"\s+of\s+")
_WITH = re.compile(r"\s+with\s+")
_PASSIVE = re.compile(
    r"\b(?:was|were|has been|have been|is|are)\s+(?:held|conducted|organi[sz]ed)\b"
    r"|\btook place\b|\btakes place\b|\bhave held\b|\bhas held\b|\bheld\b"
)


@dataclass(frozen=True)
class MeetingSentence:
    index: int  # of the sentence among the body's sentences
    sentence: Span
    contact_type: str
    how: str  # "verb", "between" or "joint"
    subject: Span | None  # where the first side is written (None: all in `counterpart`)
    counterpart: Span | None  # where the other side (or both, after "between") is written
    verb: Span | None = None
    by_noun: bool = False  # read from a contact noun ("talks were held"), not a verb


def find_meeting(
    text: str, sentences: list[Span], lexicon: Lexicon, skip: Span | None = None
) -> MeetingSentence | None:
    """The first sentence that reports a contact, and where its sides are written."""
    found = patterns(lexicon)
    for index, sentence in enumerate(sentences):
        start = sentence.start
        if skip is not None and skip.start <= start < skip.end:
            start = skip.end
        meeting = _read(text, index, Span(start, sentence.end), found)
        if meeting is not None:
            return meeting
    return None


def find_reported_frame(text: str, start: int, end: int) -> int:
    """Where what a "X said that ..." frame reports begins (or `start`)."""
    match = _REPORTED_FRAME.match(text, start, min(end, start + 160))
    return match.end() if match else start


def _read(text: str, index: int, sentence: Span, found: Patterns) -> MeetingSentence | None:
    start = find_reported_frame(text, sentence.start, sentence.end)
    mode = _mode(text, sentence, found)
    candidates = []  # (position, MeetingSentence): the earliest contact verb wins
    for pattern in (found.contact_verb_with, found.contact_verb_by):
        for verb in pattern.finditer(text, start, sentence.end):
            contact = _verb_contact(verb, found)
            if contact is None:
                continue
            groups = verb.groupdict()
            name = groups.get("verb") or groups.get("general") or groups.get("for_verb")
            if (
                groups.get("prep") or ""
            ).lower() == "to" and name.lower() not in found.lexicon.to_verbs:
                continue
            meeting = MeetingSentence(
                index,
                sentence,
                mode or contact,
                "verb",
                Span(start, verb.start()),
                Span(verb.end(), sentence.end),
                Span(verb.start(), verb.end()),
            )
            candidates.append((verb.start(), meeting))
            break
    for verb in found.contact_verb.finditer(text, start, sentence.end):
        if candidates and verb.start() >= min(position for position, _ in candidates):
            break
        contact = mode or found.contact_of_verb(verb.group("verb"))
        if found.counterpart_capital.match(text, verb.end(), sentence.end):
            meeting = MeetingSentence(
                index,
                sentence,
                contact,
                "verb",
                Span(start, verb.start()),
                Span(verb.end(), sentence.end),
                Span(verb.start(), verb.end()),
            )
            candidates.append((verb.start(), meeting))
            break
        if found.joint_subject_word.search(
            text, max(start, verb.start() - 300), verb.start()
        ) and not _COORDINATED_PREDICATE.search(text, max(start, verb.start() - 8), verb.start()):
            # "X and Y met in New York", "The two ministers held talks": one subject.
            meeting = MeetingSentence(
                index,
                sentence,
                contact,
                "joint",
                Span(start, verb.start()),
                None,
                Span(verb.start(), verb.end()),
            )
            candidates.append((verb.start(), meeting))
            break
    if candidates:
        return min(candidates, key=lambda candidate: candidate[0])[1]
    if mode is not None:
        # "X has thanked Y over the phone for ...": a reporting verb, a counterpart and a
        # medium report the call.
        for verb in found.reporting_verb.finditer(text, start, min(sentence.end, start + 200)):
            if found.counterpart_capital.match(text, verb.end(), sentence.end):
                return MeetingSentence(
                    index,
                    sentence,
                    mode,
                    "verb",
                    Span(start, verb.start()),
                    Span(verb.end(), sentence.end),
                    Span(verb.start(), verb.end()),
                )
            break
    noun = found.contact_noun.search(text, start, sentence.end)
    if noun is None:
        return None
    contact = mode or found.contact_of_noun(noun.group("noun"))
    general = found.general_contact_verb.search(text, max(start, noun.start() - 80), noun.start())
    if general is not None and found.joint_subject_word.search(
        text, max(start, general.start() - 300), general.start()
    ):
        # "Zhang Yesui and X of Cuba held the political consultation ...": one subject.
        return MeetingSentence(
            index, sentence, contact, "joint", Span(start, general.start()), None, by_noun=True
        )
    between = found.between.search(text, noun.end(), min(sentence.end, noun.end() + 80))
    if between is not None:
        return MeetingSentence(
            index,
            sentence,
            contact,
            "between",
            None,
            Span(between.end(), sentence.end),
            by_noun=True,
        )
    with_counterpart = _NOUN_WITH.match(text, noun.end(), sentence.end)
    if with_counterpart is not None and found.counterpart_capital.match(
        text, with_counterpart.end(), sentence.end
    ):
        # "PM phone call with Barack Obama", "A meeting with X was held": the noun's "with".
        return MeetingSentence(
            index,
            sentence,
            contact,
            "verb",
            Span(start, noun.start()),
            Span(with_counterpart.end(), sentence.end),
            by_noun=True,
        )
    of_side = _NOUN_OF.match(text, noun.end(), sentence.end)
    with_side = of_side and _WITH.search(
        text, of_side.end(), min(sentence.end, of_side.end() + 200)
    )
    if (
        with_side
        and found.counterpart_capital.match(text, of_side.end(), sentence.end)
        and found.counterpart_capital.match(text, with_side.end(), sentence.end)
        and _PASSIVE.search(text, with_side.end(), sentence.end)
    ):
        return MeetingSentence(
            index,
            sentence,
            contact,
            "verb",
            Span(of_side.end(), with_side.start()),
            Span(with_side.end(), sentence.end),
            by_noun=True,
        )
    if _PASSIVE.search(text, start, sentence.end) and not found.reporting_verb.search(
        text, start, noun.start()
    ):
        # "Political consultations ... were held in Ashgabat": the sides come later.
        return MeetingSentence(index, sentence, contact, "joint", None, None, by_noun=True)
    reporting = found.reporting_verb.search(text, start, noun.start())
    if reporting is not None and found.joint_subject_word.search(text, start, reporting.start()):
        # "X and his US counterpart Y agreed in bilateral talks in Munich".
        return MeetingSentence(
            index, sentence, contact, "joint", Span(start, reporting.start()), None
        )
    return None


def _verb_contact(verb: re.Match, found: Patterns) -> str | None:
    """The kind of contact a verb phrase reports: a general verb ("held") only with a
    contact noun in what follows it ("held telephone talks with")."""
    groups = verb.groupdict()
    middle = groups.get("middle") or groups.get("for_middle")
    noun = found.contact_noun.search(middle) if middle else None
    if groups.get("for_verb"):
        return found.contact_of_verb(groups["for_verb"])
    if groups.get("verb"):
        contact = found.contact_of_verb(verb.group("verb"))
        if noun is not None and contact == "meeting":
            return found.contact_of_noun(noun.group("noun"))
        return contact
    if noun is not None:
        return found.contact_of_noun(noun.group("noun"))
    return None


def contact_mode(text: str, sentence: Span, lexicon: Lexicon) -> str | None:
    """The medium a sentence writes ("via video link", "a telephonic conversation"), if any."""
    return _mode(text, sentence, patterns(lexicon))


def _mode(text: str, sentence: Span, found: Patterns) -> str | None:
    best = None
    for pattern, kind in found.contact_modes:
        match = pattern.search(text, sentence.start, sentence.end)
        if match is not None and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    return best[1] if best else None
