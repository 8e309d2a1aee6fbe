"""Character-exact text helpers: every span the parser reports indexes into the source."""

import re
import unicodedata
from dataclasses import dataclass

from .lexicon import ABBREVIATIONS

__all__ = ["Span", "fold", "paragraph_spans", "sentence_spans", "strip_span"]


def fold(value: str) -> str:
    """Case- and diacritics-insensitive form for matching names ("Muhriddin" = "MUHRIDDIN",
    "António" = "Antonio"); apostrophes and dashes are unified, spaces collapsed."""
    value = unicodedata.normalize("NFKD", value)
    value = "".join(char for char in value if not unicodedata.combining(char))
    value = value.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    value = value.replace("\u2014", "-").replace("\u2010", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", value).strip().casefold()


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def paragraph_spans(text: str) -> list[Span]:
    """Non-blank lines: readouts put one paragraph per line."""
    spans = []
    for match in re.finditer(r"[^\r\n]+", text):
        span = strip_span(text, match.start(), match.end())
        if span.end > span.start:
            spans.append(span)
    return spans


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*")
_LAST_WORD = re.compile(r"[\w.]{1,20}$")
_WORD_CHAR = re.compile(r"[\w.]")
_NUMBERED = re.compile(r"\s*\d{1,3}$")


def sentence_spans(text: str, paragraph: Span, abbreviations=ABBREVIATIONS) -> list[Span]:
    """Sentences of one paragraph, as spans without surrounding spaces.

    A full stop ends a sentence unless it closes a known abbreviation or an initial; a
    capital letter right after a full stop ("Asia.On April") also starts a new sentence.
    Each full stop looks back at most 20 characters, so the work stays linear however
    many abbreviations a sentence holds.
    """
    spans = []
    start = paragraph.start
    for match in _SENTENCE_END.finditer(text, paragraph.start, paragraph.end):
        end = match.end()
        following = text[end : end + 1]
        if end < paragraph.end and not (following.isspace() or following.isupper()):
            continue
        if match.group().startswith("."):
            word = _LAST_WORD.search(text, max(start, match.start() - 20), match.start())
            token = word.group().casefold() if word else ""
            if (
                word is not None
                and word.start() > start
                and _WORD_CHAR.match(text, word.start() - 1)
            ):
                token = ""  # a word longer than 20 characters: no abbreviation
            if token in abbreviations or (len(token) == 1 and token.isalpha()):
                continue
            if token.isdigit() and _NUMBERED.fullmatch(text, start, match.start()):
                continue  # "1. At the outset, ..." numbers a paragraph
            if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # U.S., U.K., D.C.
                continue
        span = strip_span(text, start, end)
        if span.end > span.start:
            spans.append(span)
        start = end
    span = strip_span(text, start, paragraph.end)
    if span.end > span.start:
        spans.append(span)
    return spans
