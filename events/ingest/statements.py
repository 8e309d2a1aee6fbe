"""Statements: a readout's sentences cut into clauses, each with a kind and a speaker.

The rules, in the order the parser applies them:

1. **Clauses.** A sentence is cut before a coordinated predicate, so that each pledge or
   stance is one statement: before "and" or a comma followed by a verb that opens a new
   predicate ("..., and expand cooperation", "and resolutely opposes", "and is ready to",
   "and expressed his willingness") or by a country that is the subject of a new clause
   ("and Tajikistan is also a reliable partner"). The cut drops the comma and space; the
   clause starts at "and" when there is one.
2. **Kind** by the cue written first (`KIND_RULES`, whose order breaks ties); a clause that
   opens with a bare verb ("and help Tajikistan ...", ", deepen ...") continues its
   sentence's kind.
3. **Speaker**: "The two sides" / "Both sides" make a joint statement; a participant's
   name, surname or title before the reporting verb ("Wang Yi said", "Ashurion extended",
   "The Secretary underscored") names the speaker; "He"/"She" and unmarked sentences keep
   the current one; a sentence whose subject is a participant's country ("Tajikistan is
   ready ...") after a joint one goes to that country's participant.
"""

import re
from dataclasses import dataclass

from events.models import Statement

from .text import Span, strip_span

__all__ = ["KIND_RULES", "PLOVER_CODES", "Clause", "classify", "split_clauses"]

Kind = Statement.Kind

# Verbs that open a new predicate after "and" or a comma. Bare forms continue the pledge
# or stance before them; finite forms carry their own kind.
BARE_VERBS = [
    "help", "speed up", "strengthen", "enhance", "expand", "deepen", "work", "promote",
    "advance", "accelerate", "boost", "step up", "facilitate", "consolidate",
]  # fmt: skip
FINITE_VERBS = [
    r"(?:is|are|stands?|remains?) (?:also )?(?:ready|willing|committed|prepared)",
    r"expressed", r"(?:resolutely |firmly |strongly )?opposes", r"(?:firmly |fully )?supports",
    r"agreed", r"welcomes", r"welcomed", r"thanked", r"appreciates", r"appreciated",
    r"congratulated", r"will",
]  # fmt: skip
_BARE = "|".join(verb.replace(" ", r"\s+") for verb in BARE_VERBS)
_VERB = "|".join([_BARE, *FINITE_VERBS])
_CLAUSE_BREAK = re.compile(rf"(?:,\s+(?P<comma>and\s+)?|\s+(?P<plain>and\s+))(?=(?:{_VERB})\b)")
_BARE_START = re.compile(rf"^(?:and\s+)?(?:{_BARE})\b")

_PAST_MARKER = (
    r"\b(?:last (?:year|month|week)|earlier this year|ago|in (?:January|February|March|April"
    r"|May|June|July|August|September|October|November|December)\b|in (?:19|20)\d\d"
    r"|(?:had|held|paid|made) [^,.]{0,60}\bduring (?:the|his|her|their) (?:[A-Z0-9][\w.-]*\s+)+"
    r"(?:Summit|Meeting|Conference|Visit|Forum|Games)\b)"
)

# (kind, pattern, joint_only): the cue written first in a clause gives its kind; a rule
# listed earlier wins a tie (see `classify`).
KIND_RULES: list[tuple[str, re.Pattern, bool]] = [
    (Kind.OTHER, r"\bas follows\b|\bcondolences?\b", False),
    (
        Kind.EXCHANGE_OF_VIEWS,
        r"\bexchanged? (?:in-depth |candid |)(?:of )?views|\bexchange of views|\bdiscussed\b|\bexchanged (?:opinions|ideas)\b|\bbriefed\b|\bbriefing\b|\bshared (?:their )?views\b|\bconferred\b|\bfocused on\b|\btouched (?:on|upon)\b|\binformed\b|\bspoke about\b|\bexplained\b(?! that)|\baddressed (?:a|the)\b|\bcommunicated (?:on|about)\b|\breviewed\b",
        False,
    ),
    (
        Kind.AGREEMENT,
        r"\bagreed?\b|\bconsensus\b|\bwill\b|\bsigned\b|\bdecided\b|\bcommitted\b|\bready to\b|\bconcurred\b|\bmutual commitment\b|\bdesire\b|\bintention\b|\bconfirmed\b|\bshared the view\b",
        True,
    ),
    (Kind.CONGRATULATION, r"\bcongratulat", False),
    (Kind.GRATITUDE, r"\bthank|\bgratitude\b|\bgrateful\b", False),
    (
        Kind.CRITICISM,
        r"\bbullying\b|\bhegemon|\bcondemn|\bcountermeasures?\b|\bcriticiz|\bcriticis|\bdeplor|\bsmear|\bprovocation|\bunacceptable\b|\bviolat(?:ion|ions|es|ed)\b",
        False,
    ),
    (Kind.WELCOME, r"\bwelcome[sd]?\b|\binvit(?:e|es|ed|ation)\b", False),
    (
        Kind.APPRECIATION,
        r"\bappreciat|\bspoke highly\b|\bcommend|\bpraised?\b|\bhighly (?:values?|valued)\b|\bapplaud|\bexpressed (?:his|her|their) (?:respect|admiration)\b",
        False,
    ),
    (
        Kind.STANCE,
        r"\b(?:stressed|emphasi[sz]ed|underscored|underlined|reconfirmed|reaffirmed|highlighted|noted) the (?:\w+ )?importance\b|\battache?[sd]? (?:great |the utmost |high |particular )?importance\b",
        False,
    ),
    (Kind.RECOLLECTION, _PAST_MARKER, False),
    (
        Kind.PROPOSAL,
        r"\bpropos(?:ed|es|al)\b|\bsuggest|\bcalled (?:on|for)\b|\burged?\b|\bshould\b|\bhopes?\b(?! to\b)|\basked (?:for|that)\b|\brequested\b|\bsought\b",
        False,
    ),
    (
        Kind.COMMITMENT,
        r"\b(?:ready|willing|prepared) to\b|\bwillingness\b|\bcommitted to\b|\bwill(?! be\b)\b|\bstands ready\b|\bpledged?\b|\bpromised?\b|\blooks forward to\b|\bintention to\b|\bintends? to\b|\bhopes? to\b|\bwould (?:continue|support|work|cooperate|provide|strengthen|make|like to)\b",
        False,
    ),
    (
        Kind.STANCE,
        r"\bsupports?\b|\boppose[sd]?\b|\bfirmly\b|\bresolutely\b|\brespects?\b|\badheres?\b|\babid(?:e|es|ed)\b|\bupholds?\b|\bpartner\b|\bbelieved?\b|\binsists?\b|\brejects?\b|\bstands? (?:for|with|by)\b|\bposition\b|\bprinciple\b",
        False,
    ),
]
KIND_RULES = [(kind, re.compile(pattern, re.I), joint) for kind, pattern, joint in KIND_RULES]

PLOVER_CODES = {
    Kind.STANCE: "SUPPORT",
    Kind.COMMITMENT: "AGREE",
    Kind.AGREEMENT: "AGREE",
    Kind.APPRECIATION: "SUPPORT",
    Kind.CONGRATULATION: "SUPPORT",
    Kind.GRATITUDE: "SUPPORT",
    Kind.WELCOME: "SUPPORT",
    Kind.CRITICISM: "ACCUSE",
    Kind.EXCHANGE_OF_VIEWS: "CONSULT",
    Kind.PROPOSAL: "REQUEST",
}


@dataclass(frozen=True)
class Clause:
    span: Span
    continues: bool  # opens with a bare verb: same kind as the clause before


def split_clauses(text: str, sentence: Span, country_subjects: re.Pattern | None) -> list[Clause]:
    """Cut one sentence into clauses (rule 1 above)."""
    cuts: list[tuple[int, int]] = []  # (end of the clause before, start of the next)
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
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
        span = strip_span(text, start, clause_end)
        if span.end - span.start < 12:  # too short to stand alone: keep it with the next
            continue
        clauses.append(span)
        start = next_start
    clauses.append(strip_span(text, start, sentence.end))
    return [
        Clause(span, continues=index > 0 and bool(_BARE_START.match(span.of(text))))
        for index, span in enumerate(clauses)
    ]


def classify(clause_text: str, *, joint: bool) -> str:
    """The kind of one clause (rule 2): the cue written first wins ("Wang Yi noted that
    China welcomes ..." is a welcome, "He thanked China for its support" thanks), rules
    listed earlier breaking ties; a clause with no cue is an assessment."""
    best: tuple[int, int, str] | None = None
    for order, (kind, pattern, joint_only) in enumerate(KIND_RULES):
        if joint_only and not joint:
            continue
        match = pattern.search(clause_text)
        if match is not None and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, kind)
    return best[2] if best else Kind.ASSESSMENT
