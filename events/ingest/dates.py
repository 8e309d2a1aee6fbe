"""Reading the meeting's date as readouts write it.

"On March 31, 2022", "31 March 2022", "On April 25 local time" (the year is the
publication's), "today", "yesterday", "On Monday" (the last Monday on or before the
publication date), "2023-02-03".
"""

import datetime
import re
from dataclasses import dataclass

from .draft import ReadoutError
from .lexicon import DATE_QUALIFIERS, MONTHS, RELATIVE_DAYS, WEEKDAYS

__all__ = ["FoundDate", "find_date", "find_qualifier"]

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_RELATIVE = "|".join(
    re.escape(word).replace(r"\ ", r"\s+") for word in sorted(RELATIVE_DAYS, key=len, reverse=True)
)
_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_YEAR}", re.IGNORECASE),  # March 31, 2022
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b{_YEAR}", re.IGNORECASE),  # 31 March 2022
    re.compile(r"\b(?P<iso_year>\d{4})-(?P<iso_month>\d{2})-(?P<iso_day>\d{2})\b"),
    re.compile(rf"\b(?P<relative>{_RELATIVE}|(?:on\s+)?(?:{'|'.join(WEEKDAYS)}))\b", re.IGNORECASE),
]
_QUALIFIERS = [(re.compile(rf"\b{words}\b", re.I), value) for words, value in DATE_QUALIFIERS]


@dataclass(frozen=True)
class FoundDate:
    date: datetime.date
    start: int
    end: int
    qualifier: str
    has_year: bool = True


def _resolve(match: re.Match, published: datetime.date | None) -> datetime.date:
    groups = match.groupdict()
    if groups.get("iso_year"):
        year, month, day = (int(groups[f"iso_{part}"]) for part in ("year", "month", "day"))
    elif groups.get("relative"):
        if published is None:
            raise ReadoutError(
                f'The date is written as "{match.group()}"; give the publication date to read it.',
                field="published",
                code="needs_published",
            )
        word = " ".join(groups["relative"].lower().removeprefix("on").split())
        if word in RELATIVE_DAYS:
            return published - datetime.timedelta(days=RELATIVE_DAYS[word])
        if word in WEEKDAYS:
            back = (published.weekday() - WEEKDAYS.index(word)) % 7
            return published - datetime.timedelta(days=back)
        raise AssertionError(word)  # every relative word is a day or a weekday
    else:
        month = MONTHS[groups["month"].lower()]
        day = int(groups["day"])
        if groups.get("year"):
            year = int(groups["year"])
        elif published is not None:
            # A readout published in early January may report a meeting of late December.
            year = published.year
            if (month, day) > (published.month, published.day + 1):
                year -= 1
        else:
            raise ReadoutError(
                f'The date "{match.group()}" has no year; give the publication date.',
                field="published",
                code="needs_published",
            )
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise ReadoutError(
            f'"{match.group()}" is not a date that exists.', code="invalid_date"
        ) from error


def find_date(text: str, start: int, end: int, published: datetime.date | None) -> FoundDate | None:
    """The first date written in text[start:end], or None when there is none."""
    matches = [m for pattern in _PATTERNS for m in pattern.finditer(text, start, end)]
    if not matches:
        return None
    # A calendar date wins over a weekday next to it ("On Thursday, September 27").
    calendar = [m for m in matches if not m.groupdict().get("relative")]
    match = min(calendar or matches, key=lambda m: (m.start(), -m.end()))
    qualifier = find_qualifier(text, start, end)
    groups = match.groupdict()
    has_year = bool(groups.get("year") or groups.get("iso_year"))
    if published is None and groups.get("month") and not has_year:
        published = _same_day_with_year(text, match)
    return FoundDate(_resolve(match, published), match.start(), match.end(), qualifier, has_year)


def _same_day_with_year(text: str, match: re.Match) -> datetime.date | None:
    """ "on March 6" with no publication date: the year of the same day written in full
    elsewhere in the text (an embedded post's "March 6, 2023", a photo caption)."""
    month, day = MONTHS[match.group("month").lower()], int(match.group("day"))
    for pattern in _PATTERNS[:2]:
        for other in pattern.finditer(text):
            if (
                other.group("year")
                and MONTHS[other.group("month").lower()] == month
                and int(other.group("day")) == day
            ):
                return datetime.date(int(other.group("year")), month, day)
    return None


def find_qualifier(text: str, start: int, end: int) -> str:
    """ "local time" or "Beijing time" after the date, else ""."""
    for pattern, value in _QUALIFIERS:
        if pattern.search(text, start, end):
            return value
    return ""
