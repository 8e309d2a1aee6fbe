"""Stage 1: the header and the dateline.

Short lines above the body without a sentence's full stop are the header: the headline
becomes the title, a full date (a timestamp or a dateline) the publication date when none
is given, a dateline's place the fallback place, a byline the name of an official the body
calls only by title. An agency dateline glued to the first paragraph ("BAKU, Azerbaijan,
March 30. ...", "Seoul, February 16 (QNA) - ...") is read the same way and skipped.
"""

import datetime
import re
from dataclasses import dataclass

from .dates import find_date
from .directory import Directory
from .draft import DraftPlace, ReadoutError
from .lexicon import ABBREVIATIONS, MONTHS, Lexicon, patterns
from .place import read_place
from .text import Span

__all__ = ["Header", "read_header"]

_HEADER_END = re.compile(r"[.!?\"\u201d]$")
# At most this many words in a header line that ends with an abbreviation's full stop.
_SHORT_LINE_WORDS = 12
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_PLACE_WORDS = r"[A-Z][\w'.-]*+(?:[ -][A-Z][\w'.-]*+){0,3}"
# An agency's initials after the city, closed by a dash ("Damascus, SANA- ...").
_BARE_AGENCY = re.compile(
    rf"(?P<place>{_PLACE_WORDS}),\s*(?P<agency>[A-Z]{{2,10}})\s*[-\u2013\u2014]+\s*"
)
# A city and a colon, whatever the case of its later words ("Bandar seri begawan: ...").
_COLON_DATELINE = re.compile(r"(?P<place>[A-Z][\w'.-]*+(?: [\w'.-]++){0,3}):\s+")
# "BAKU, Azerbaijan, March 30.", "Seoul, February 16 (QNA) -", "NEW DELHI (Agency - 10th
# September, 2020)", "New York [USA], Sept 27 (ANI):", "Ulaanbaatar /MONTSAME/": place, date
# and agency, bounded.
_DATELINE = re.compile(
    rf"[^\w\s]{{0,2}}(?P<place>{_PLACE_WORDS}(?:,\s*{_PLACE_WORDS})?)(?:\s*\[[^\]\n]{{1,40}}\])?"
    rf"(?:,?\s+(?P<date>(?i:(?:{_MONTH})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTH}))(?:,?\s+\d{{4}})?))?"
    r"(?:,?\s*(?:\((?P<agency>[^)\n]{1,80})\)|/(?P<slashed>[A-Z][\w .-]{1,40})/))?"
    r"\s*(?P<separator>[-\u2013\u2014]+\s*:?\s+|:\s+|\.\s+|\s+(?=[A-Z]))"
)


@dataclass(frozen=True)
class Header:
    lines: tuple[Span, ...]  # header lines above the body
    body: tuple[Span, ...]  # the body's paragraphs
    title: Span | None
    published: datetime.date | None
    place: DraftPlace | None  # a dateline's place: the venue only when nothing else says
    dateline: Span | None = None  # an agency dateline glued to the first paragraph


def is_header_line(line: str, abbreviations=ABBREVIATIONS) -> bool:
    """Headlines, datelines and bylines: short lines without a sentence's full stop. A
    full stop that closes an abbreviation or a date ("... meet in U.S.", "08:38 | San
    Francisco (U.S.), Nov. 15.") ends a short line that is no sentence either."""
    if len(line) > 300:
        return False
    if line.endswith(":") or not _HEADER_END.search(line):
        return True
    words = line.split()
    if not line.endswith(".") or len(words) > _SHORT_LINE_WORDS:
        return False
    last = words[-1].rstrip(".").lower()
    before = words[-2].rstrip(".,").lower() if len(words) > 1 else ""
    return last in abbreviations or (last.isdigit() and len(last) <= 2 and before in MONTHS)


def read_header(
    text: str, paragraphs: list[Span], directory: Directory, lexicon: Lexicon
) -> Header:
    lines: list[Span] = []
    for index, paragraph in enumerate(paragraphs):
        if index == len(paragraphs) - 1 or not is_header_line(
            paragraph.of(text), lexicon.abbreviations
        ):
            break
        lines.append(paragraph)
    body = paragraphs[len(lines) :]
    if not body:
        body, lines = lines, []
    title, published, place = None, None, None
    for span in lines:
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
        rest = patterns(lexicon).header_labels.sub(" ", rest)
        parts = [part.strip() for part in rest.split(",") if part.strip()]
        if not parts:
            continue
        if place is None and len(" ".join(parts).split()) <= 5:
            place = read_place(parts, directory, lexicon)
            if place is not None:
                continue
        if title is None and len(line.split()) >= 4 and not line.endswith(":"):
            title = span
    dateline = None
    if body:
        dateline, dateline_place, dateline_date = _dateline(text, body[0], directory, lexicon)
        place = place or dateline_place
        published = published or dateline_date
    return Header(tuple(lines), tuple(body), title, published, place, dateline)


def _dateline(text: str, paragraph: Span, directory: Directory, lexicon: Lexicon):
    """An agency dateline at the start of the first paragraph, if there is one."""
    for pattern in (_BARE_AGENCY, _COLON_DATELINE):
        bare = pattern.match(text, paragraph.start, min(paragraph.end, paragraph.start + 80))
        place = read_place([bare.group("place")], directory, lexicon) if bare else None
        if place is not None:
            return Span(bare.start(), bare.end()), place, None
    match = _DATELINE.match(text, paragraph.start, min(paragraph.end, paragraph.start + 200))
    if match is None:
        return None, None, None
    separator = match.group("separator").strip()
    dashed = separator[:1] in "-\u2013\u2014"
    colon = separator == ":"
    agency = match.group("agency") or match.group("slashed")
    if not (match.group("date") or agency or dashed or colon):
        return None, None, None
    if separator == "" and not agency:
        return None, None, None
    parts = [part.strip() for part in match.group("place").split(",")]
    if parts[0].isupper() and len(parts[0]) > 2:
        parts[0] = parts[0].title()
    place = read_place(parts, directory, lexicon)
    if place is None and not agency:
        return None, None, None  # "On March 31, 2022 ..." is no dateline
    date = None
    if match.group("date"):
        try:
            found = find_date(text, match.start("date"), match.end("date"), None)
        except ReadoutError:
            found = None
        date = found.date if found is not None and found.has_year else None
    return Span(match.start(), match.end()), place, date
