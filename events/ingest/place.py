"""Stage 4: where the meeting was held and the gathering it was held at.

The place is read from "in <City>[, <Region>][, <Country>]" in the meeting sentences
(the country from the gazetteer when the text leaves it out), then from a visit that
places the meeting ("who came to China", "during his visit to Brazil"), then from a
dateline. The occasion from "on the sidelines of ...", "who came to attend ...",
"during the ... Summit".
"""

import re
from dataclasses import dataclass

from events.models import Meeting

from .directory import Directory
from .draft import DraftOccasion, DraftPlace
from .gazetteer import find_city, find_region_country
from .lexicon import Lexicon, patterns
from .text import Span, fold, strip_span

__all__ = [
    "Occasion",
    "find_forum_place",
    "find_occasion",
    "find_place",
    "find_venue",
    "find_visit_place",
    "read_place",
]

# Where an occasion's name ends: a comma that opens no list ("of Azerbaijan, Georgia, and
# Turkey", "multi-sectoral, technical and economic cooperation" go on), the sentence's
# end, "in <Place>", "here", "taking place", "held on May 12", a relative clause ("that
# will take place in").
_OCCASION_END = re.compile(
    r",(?!\s+(?:[\w-]+,?\s+){1,2}and\s|\s+and\s+[A-Z][\w-]*(?:\s+in\b|[.,]|$))|\.$"
    r"|\s+(?:in|on)\s+(?=[A-Z][a-z]+(?:,|\.|$| on| in))"
    r"|\s+(?:here|there|today|taking place|being held|held|that|which)\b"
)
# How an occasion's name opens: a capital or a number, after at most two lower-case words
# ("third Antalya Diplomatic Forum"), or "meeting of", "round of", "meeting between"
# ("tripartite meeting of the Foreign Ministers of ...", "joint ministerial meeting between
# the GCC and ...").
_OCCASION_NAME = re.compile(
    r"(?:[a-z][\w-]*\s+){0,2}?(?:[A-Z0-9]|(?:meeting|round|session) (?:of|between)\b)"
)


@dataclass(frozen=True)
class Occasion:
    occasion: DraftOccasion
    span: Span  # the occasion clause, excluded from the people and the place


def find_occasion(
    text: str, sentence: Span, directory: Directory, lexicon: Lexicon, relations=None
) -> Occasion | None:
    """The gathering a sentence ties the meeting to; `relations` limits the kinds read."""
    found = patterns(lexicon)
    for relation, pattern in found.occasions:
        if relations is not None and relation not in relations:
            continue
        # The first cue of each kind is read; a later one is another clause's.
        for match in [pattern.search(text, sentence.start, sentence.end)]:
            if match is None:
                continue
            name_start = match.end()
            cut = _OCCASION_END.search(text, name_start, min(sentence.end, name_start + 300))
            name_end = cut.start() if cut else min(sentence.end, name_start + 300)
            name_span = strip_span(text, name_start, name_end)
            name = name_span.of(text).rstrip(".")
            if relation == Meeting.OccasionRelation.DURING and not found.event_word.search(name):
                continue
            if not name or not _OCCASION_NAME.match(name):
                continue
            clause_start = match.start()
            # The occasion clause runs from its opening comma ("..., who came to") to its end.
            comma = text.rfind(",", max(sentence.start, clause_start - 80), clause_start)
            if comma != -1 and not text[comma:clause_start].strip(", ").count(" ") > 6:
                clause_start = comma
            occasion = DraftOccasion(name, relation, directory.gatherings.get(name))
            return Occasion(occasion, Span(clause_start, name_span.start + len(name)))
    return None


def find_place(
    text: str, sentence: Span, excluded: list[Span], directory: Directory, lexicon: Lexicon
) -> DraftPlace | None:
    found = patterns(lexicon)
    for match in found.place.finditer(text, sentence.start, sentence.end):
        if _inside(match.start(), excluded):
            continue
        if found.topic_before_place.search(text, max(0, match.start() - 30), match.start()):
            continue  # "the crisis in Georgia": what was spoken of
        names = []
        for group in ("named", "a", "b", "c"):
            name = match.group(group)
            if names and name and fold(name.split()[0]) in lexicon.title_words:
                break  # "In Accra, Minister X met": a title, not a region
            if name:
                names.append(name)
        place = read_place(names, directory, lexicon)
        if place is not None:
            return place
    return None


def _inside(position: int, spans: list[Span]) -> bool:
    return any(span.start <= position < span.end for span in spans)


def find_venue(text: str, sentence: Span, lexicon: Lexicon) -> DraftPlace | None:
    """ "at the Great Hall of the People": the city a known venue stands in."""
    match = patterns(lexicon).venue.search(text, sentence.start, sentence.end)
    return place_of(match, lexicon.venues)


def find_forum_place(name: str, lexicon: Lexicon) -> DraftPlace | None:
    """ "74th session of the United Nations General Assembly": the city a gathering that
    is always held in one place is held in."""
    return place_of(patterns(lexicon).forum.search(name), lexicon.forums)


def place_of(match, known: tuple[tuple[str, str, str], ...]) -> DraftPlace | None:
    """The city and country of the lexicon entry (name, city, country) a match found, its
    spacing aside."""
    if match is None:
        return None
    found = " ".join(match.group().split())
    for name, city, country in known:
        if " ".join(name.split()) == found:
            return DraftPlace(city=city, country=country)
    return None


def find_visit_place(
    text: str, sentence: Span, directory: Directory, lexicon: Lexicon
) -> DraftPlace | None:
    """ "..., who came to China to attend ...", "who is visiting New York": the place."""
    for match in patterns(lexicon).visit.finditer(text, sentence.start, sentence.end):
        place = read_place([match.group("place")], directory, lexicon)
        if place is not None:
            return place
    return None


def read_place(names: list[str], directory: Directory, lexicon: Lexicon) -> DraftPlace | None:
    """A place from its written parts ("Tunxi", "Anhui Province", "China")."""
    found = patterns(lexicon)
    names = [re.sub(r"[.]$", "", name) for name in names]
    written = names[0]
    # "Ho Chi Minh City": looked up without the suffix, kept as written.
    names = [found.city_suffix.sub("", name) or name for name in names]
    first = names[0]
    country = directory.country_names.get(re.sub(r"^the ", "", first))
    if country:
        # "in Singapore": a city-state is a city too.
        city = find_city(first, country)
        same = city is not None and fold(city.name) == fold(first) and len(names) == 1
        return DraftPlace(city=city.name if same else None, country=country)
    place = DraftPlace(city=written)
    for name in names[1:]:
        named = directory.country_names.get(re.sub(r"^the ", "", name))
        if named:
            place.country = named
        elif place.region is None:
            place.region = found.region_suffix.sub("", name)
            place.country = place.country or find_region_country(name)
    known = directory.places.get(first)
    if known is not None:
        _name, kind, country, parent = directory.place_details[known]
        place.place_id = known
        place.country = place.country or country
        if kind == "region":
            place.city, place.region = None, found.region_suffix.sub("", first)
        elif parent and place.region is None:
            place.region = found.region_suffix.sub("", parent)
        return place
    region_country = find_region_country(first) if found.region_suffix.search(first) else None
    if region_country:
        return DraftPlace(region=found.region_suffix.sub("", first), country=region_country)
    city = find_city(first, place.country)
    if city is None and place.country is None:
        return None
    place.country = place.country or city.country
    return place
