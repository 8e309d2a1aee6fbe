"""Scoring the parser against readouts whose expected fields were written by reading them.

A corpus folder holds `<name>.txt` (the readout, verbatim) and `<name>.json` (its source URL,
publisher, publication date and `expected` fields). `make eval` prints the accuracy per field.
"""

import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from events.models import Organization

from .directory import Directory
from .draft import Draft, ReadoutError
from .parser import parse_readout
from .text import fold

__all__ = ["FIELDS", "Score", "evaluate_corpus", "with_reference_organizations"]

FIELDS = [
    "date",
    "date_qualifier",
    "contact_type",
    "city",
    "venue_country",
    "occasion",
    "participant_name",
    "participant_side",
    "statement_kind",
    "statement_speaker",
]


@dataclass
class Score:
    correct: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    # (file, field, expected, got, where)
    misses: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def add(self, name: str, field_name: str, expected, got, where: str = "") -> None:
        self.total[field_name] += 1
        if expected == got:
            self.correct[field_name] += 1
        else:
            self.misses.append((name, field_name, str(expected), str(got), where))

    def accuracy(self, field_name: str) -> float | None:
        total = self.total[field_name]
        return self.correct[field_name] / total if total else None


def _person_key(value: str) -> str:
    """A person's name whatever the order it is written in ("Lavrov, Sergey Viktorovich"
    is "Sergey Viktorovich Lavrov", "HAYASHI Yoshimasa" is "Yoshimasa Hayashi")."""
    return " ".join(sorted(re.findall(r"[\w'-]+", fold(value))))


def _name(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"^the\s+", "", fold(value))


def with_reference_organizations(directory: Directory, path: Path | None) -> Directory:
    """Add the international organisations a corpus names as sides (`organizations.json`
    beside its readouts) to the directory, in memory, unless the database has them."""
    if path is None or not path.exists():
        return directory
    data = json.loads(path.read_text(encoding="utf-8"))
    next_id = -1  # ids no database row has: these are not rows
    for entry in data["organizations"]:
        if directory.organizations.get(entry["name"]) is not None:
            continue
        directory.add_organization(
            next_id,
            entry["name"],
            entry.get("abbreviation", ""),
            kind=Organization.Kind.INTERNATIONAL,
            aliases=entry.get("aliases", ()),
        )
        next_id -= 1
    return directory


def evaluate_corpus(
    folder: Path, directory: Directory | None = None, organizations: Path | None = None
) -> tuple[Score, int]:
    """Parse every readout in `folder` and compare with its expected fields.
    `organizations` names a reference file of international organisations (see
    `with_reference_organizations`)."""
    directory = directory if directory is not None else Directory.from_db()
    directory = with_reference_organizations(directory, organizations)
    score = Score()
    files = sorted(folder.glob("*.json"))
    for meta_path in files:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        text = meta_path.with_suffix(".txt").read_text(encoding="utf-8")
        published = meta.get("published")
        try:
            draft = parse_readout(
                text,
                publisher=meta.get("publisher"),
                publisher_country=meta.get("publisher_country"),
                url=meta.get("url", ""),
                published=datetime.date.fromisoformat(published) if published else None,
                directory=directory,
                require_date=False,
            )
        except ReadoutError as error:
            draft = None
            score.misses.append((meta_path.stem, "parse", "a draft", error.message, ""))
        _compare(score, meta_path.stem, text, meta["expected"], draft)
    return score, len(files)


def _compare(score: Score, name: str, text: str, expected: dict, draft: Draft | None) -> None:
    if expected.get("date"):
        score.add(name, "date", expected["date"], draft and draft.date and draft.date.isoformat())
    qualifier = expected.get("date_qualifier", "")
    score.add(name, "date_qualifier", qualifier, draft and draft.date_qualifier)
    score.add(name, "contact_type", expected["contact_type"], draft and draft.contact_type)
    place = expected.get("place") or {}
    score.add(name, "city", _name(place.get("city")), draft and _name(draft.place.city))
    score.add(name, "venue_country", place.get("country"), draft and draft.place.country)
    occasion = draft.occasion.name if draft and draft.occasion else None
    score.add(name, "occasion", _name(expected.get("occasion")), draft and _name(occasion))

    drafted = {_person_key(p.name): p for p in draft.participants} if draft else {}
    matched = set()
    for participant in expected["participants"]:
        if not participant.get("name"):
            continue  # an unnamed delegation: nothing a name could be compared with
        key = _person_key(participant["name"])
        found = drafted.get(key)
        # The same name in another order ("Lavrov, Sergey Viktorovich") is the same person.
        got = participant["name"] if found else None
        score.add(name, "participant_name", participant["name"], got)
        side = None
        if found is not None:
            matched.add(key)
            side = found.country or found.organization
        score.add(name, "participant_side", participant["side"], side)
    for key, extra in drafted.items():
        if key not in matched:
            score.add(name, "participant_name", None, f"{extra.name} (not a participant)")

    statements = draft.statements if draft else []
    cursor = 0
    for statement in expected.get("statements", []):
        start = text.find(statement["text"], cursor)
        if start == -1:
            start = text.find(statement["text"])
        cursor = max(cursor, start)
        covering = next((s for s in statements if s.start <= start < s.end), None)
        got_kind = covering.kind if covering else None
        where = statement["text"][:60]
        score.add(name, "statement_kind", statement["kind"], got_kind and str(got_kind), where)
        want_speaker = statement.get("speaker")
        got_speaker = None
        if covering is not None:
            got_speaker = "joint" if covering.attribution == "joint" else covering.speaker
            if (
                got_speaker
                and want_speaker
                and _person_key(got_speaker) == _person_key(want_speaker)
            ):
                got_speaker = want_speaker
        if want_speaker is not None:
            score.add(name, "statement_speaker", want_speaker, got_speaker, where)
