"""How readouts are written: every fact the parser reads them with, each stated once.

The stages (`header`, `meeting`, `people`, `place`, `statements`) hold no word lists of
their own: they compile their patterns from a `Lexicon` (`LEXICON` unless a caller passes
another). Teaching the parser a new way of writing is a one-line change here: a contact
verb ("telephoned") in `CONTACT_VERBS`, a title word in `TITLE_WORDS`, a reporting verb in
`REPORTING_VERBS`. Organisations, people, places, topics and gatherings are not facts of
writing: they come from the database through the `Directory`.

Entries are regular-expression fragments where they say so (a space matches any run of
spaces); everything else is plain lower-case text.
"""

import dataclasses
import functools
import re
from dataclasses import dataclass

from events.models import Meeting, Statement

__all__ = ["LEXICON", "Lexicon", "Patterns", "patterns"]

ContactType = Meeting.ContactType
Kind = Statement.Kind

# Verb phrases that report a contact, with the kind of contact each means. The counterpart
# follows the phrase, after "with", "to" or "from" when there is one ("met with", "spoke
# today with", "received a telephone call from", "telephoned").
CONTACT_VERBS: tuple[tuple[str, str], ...] = (
    ("met", ContactType.MEETING),
    ("meets", ContactType.MEETING),
    ("meet", ContactType.MEETING),
    ("has met", ContactType.MEETING),
    ("received", ContactType.MEETING),
    ("receives", ContactType.MEETING),
    ("called on", ContactType.MEETING),
    ("sat down", ContactType.MEETING),
    ("held a meeting", ContactType.MEETING),
    ("held a trilateral meeting", ContactType.MEETING),
    ("held a bilateral meeting", ContactType.MEETING),
    ("had a meeting", ContactType.MEETING),
    ("welcomed", ContactType.MEETING),
    ("conferred", ContactType.MEETING),
    ("engaged in discussion", ContactType.MEETING),
    ("engaged in discussions", ContactType.MEETING),
    ("held discussions", ContactType.MEETING),
    ("discussed", ContactType.MEETING),
    ("hosted a reception", ContactType.MEETING),
    ("held a reception", ContactType.MEETING),
    ("hosted a banquet", ContactType.MEETING),
    ("hosted a dinner", ContactType.MEETING),
    ("hosted a luncheon", ContactType.MEETING),
    ("hosted", ContactType.MEETING),
    ("held talks", ContactType.TALKS),
    ("holds talks", ContactType.TALKS),
    ("hold talks", ContactType.TALKS),
    ("had talks", ContactType.TALKS),
    ("held bilateral talks", ContactType.TALKS),
    ("conducted talks", ContactType.TALKS),
    ("held consultations", ContactType.TALKS),
    ("held political consultations", ContactType.TALKS),
    ("spoke", ContactType.PHONE_CALL),
    ("speaks", ContactType.PHONE_CALL),
    ("talked", ContactType.PHONE_CALL),
    ("telephoned", ContactType.PHONE_CALL),
    ("phoned", ContactType.PHONE_CALL),
    ("called", ContactType.PHONE_CALL),
    ("had a phone call", ContactType.PHONE_CALL),
    ("had a telephone call", ContactType.PHONE_CALL),
    ("held a phone call", ContactType.PHONE_CALL),
    ("held a telephone conversation", ContactType.PHONE_CALL),
    ("had a telephone conversation", ContactType.PHONE_CALL),
    ("had a phone conversation", ContactType.PHONE_CALL),
    ("received a telephone call", ContactType.PHONE_CALL),
    ("received a phone call", ContactType.PHONE_CALL),
    ("had talks by phone", ContactType.PHONE_CALL),
    ("held a video call", ContactType.VIDEO_CALL),
    ("had a video call", ContactType.VIDEO_CALL),
    ("held a video conference", ContactType.VIDEO_CALL),
    ("held a videoconference", ContactType.VIDEO_CALL),
    ("exchanged messages", ContactType.EXCHANGE_OF_MESSAGES),
    ("exchanged letters", ContactType.EXCHANGE_OF_MESSAGES),
    ("paid a courtesy call on", ContactType.MEETING),
    ("paid a call on", ContactType.MEETING),
    ("called upon", ContactType.MEETING),
    ("greeted", ContactType.MEETING),
    ("had an audience", ContactType.MEETING),
    ("had a call", ContactType.PHONE_CALL),
    ("held a call", ContactType.PHONE_CALL),
    ("received a call", ContactType.PHONE_CALL),
    ("receives a call", ContactType.PHONE_CALL),
    ("took a call", ContactType.PHONE_CALL),
    ("held a telephone call", ContactType.PHONE_CALL),
    ("held a phone conversation", ContactType.PHONE_CALL),
    ("holds a phone call", ContactType.PHONE_CALL),
    ("holds a telephone conversation", ContactType.PHONE_CALL),
    ("attended", ContactType.OTHER),
)
# Verbs that report a contact only with a contact noun after them ("held telephone talks
# with", "held a meeting over lunch with", "had a summit telephone talk with"): the noun
# gives the kind; "attended ... held by" is another kind of contact.
GENERAL_CONTACT_VERBS = (
    "held", "holds", "hold", "had", "has had", "have had", "conducted", "engaged in", "engages in",
)  # fmt: skip
# Nouns that name a contact in a passive or nominal opening ("a telephone conversation was
# held between X and Y", "Political consultations ... were held in Ashgabat", "talks
# between X and Y took place").
CONTACT_NOUNS: tuple[tuple[str, str], ...] = (
    ("telephone conversation", ContactType.PHONE_CALL),
    ("phone conversation", ContactType.PHONE_CALL),
    ("telephone call", ContactType.PHONE_CALL),
    ("phone call", ContactType.PHONE_CALL),
    ("phone talks", ContactType.PHONE_CALL),
    ("video call", ContactType.VIDEO_CALL),
    ("video conference", ContactType.VIDEO_CALL),
    ("videoconference", ContactType.VIDEO_CALL),
    ("talks", ContactType.TALKS),
    ("bilateral talks", ContactType.TALKS),
    ("consultations", ContactType.TALKS),
    ("consultation", ContactType.TALKS),
    ("political consultations", ContactType.TALKS),
    ("political consultation", ContactType.TALKS),
    ("dialogue", ContactType.TALKS),
    ("meeting", ContactType.MEETING),
    ("meetings", ContactType.MEETING),
    ("separate meetings", ContactType.MEETING),
    ("bilateral meeting", ContactType.MEETING),
    ("talk", ContactType.MEETING),
    ("discussion", ContactType.MEETING),
    ("discussions", ContactType.MEETING),
    ("lunch", ContactType.MEETING),
    ("working lunch", ContactType.MEETING),
    ("dinner", ContactType.MEETING),
    ("breakfast", ContactType.MEETING),
    ("courtesy call", ContactType.MEETING),
    ("telephonic conversation", ContactType.PHONE_CALL),
    ("telephonic talk", ContactType.PHONE_CALL),
    ("telephonic talks", ContactType.PHONE_CALL),
    ("telephonic call", ContactType.PHONE_CALL),
    ("conversation", ContactType.MEETING),
    ("courtesy visit", ContactType.MEETING),
    ("audience", ContactType.MEETING),
    ("call", ContactType.PHONE_CALL),
    ("telephone talks", ContactType.PHONE_CALL),
    ("telephone conversations", ContactType.PHONE_CALL),
    ("phone calls", ContactType.PHONE_CALL),
)
# Words between a contact verb and its counterpart ("spoke today with", "met separately
# with"); at most three of them.
CONTACT_ADVERBS = (
    "today", "yesterday", "separately", "jointly", "also", "again", "briefly", "virtually",
    "online", "by phone", "by telephone", "over the phone", "via video link", "in audience",
    "in an audience",
    "via videoconference", "at request", "at the request",
)  # fmt: skip
# What places a contact in a medium, whatever the verb ("met via video link"): the first
# that the meeting sentence writes wins over its verb's kind.
CONTACT_MODES: tuple[tuple[str, str], ...] = (
    (r"video(?:\s+|-)(?:call|conference|link|talks?|meeting|consultations?)", "video_call"),
    (r"videoconference|virtual (?:meeting|talks)|via video|online meeting", "video_call"),
    (r"(?:tele)?phon(?:e|ic) (?:call|conversation|talks?)|by (?:tele)?phone", "phone_call"),
    (r"(?:over|on) the (?:tele)?phone|telephone", "phone_call"),
)
# Contact verbs whose counterpart may follow "to" ("spoke to", "telephoned to").
TO_VERBS = ("spoke", "speaks", "talked", "called", "telephoned", "phoned")
# Contact verbs that, in a later sentence, report a topic rather than the meeting ("also
# discussed the situation in Syria"): such a sentence says nothing of the place or date.
TOPIC_VERBS = (
    "discussed", "held discussions", "engaged in discussion", "engaged in discussions",
    "conferred", "spoke", "speaks", "talked",
)  # fmt: skip
# Words that make the subject before a contact verb both sides ("X and Y met", "The two
# ministers held talks", "They met", "The parties met").
JOINT_SUBJECT_WORDS = (
    "and",
    "two",
    "both",
    "they",
    "parties",
    "sides",
    "ministers",
    "leaders",
    "delegations",
)
# Words that may stand between a contact verb and its counterpart's capital ("received the
# visiting", "hosted newly-appointed").
COUNTERPART_DETERMINERS = (
    "the",
    "his",
    "her",
    "their",
    "visiting",
    "newly-appointed",
    "newly",
    "new",
    "counterpart",
    "counterparts",
)
# Nouns for the meeting in a later sentence about it ("During the meeting in Abu Dhabi",
# "The talks, which took place on the sidelines of ...").
MEETING_NOUNS = (
    "meeting",
    "talks",
    "call",
    "conversation",
    "consultations",
    "dialogue",
    "discussion",
    "discussions",
)
# Adverbials before a speaker ("In his first talks with Y, X highlighted", "For his part,").
SPEAKER_ADVERBIALS = (
    "In", "At", "During", "After", "Following", "Upon", "Before", "Taking", "Noting",
    "Recognising", "Recognizing", "For", "On", "Meanwhile", "According", "Speaking",
    "Referring", "Turning", "Regarding", "As", "Furthermore", "Moreover", "Additionally",
    "Also", "Besides", "Further", "Later", "Earlier", "Finally", "Lastly", "Then", "Separately",
    "Touching", "With", "Within", "Commenting", "Addressing", "Under", "Amid", "Given",
)  # fmt: skip
# Openings that name the source, not the speaker, and give no kind ("As ARMENPRESS was
# informed from the press service of the ministry, ...", "According to the ministry, ...").
SOURCE_OPENINGS = (
    r"As [^,]{0,80}\b(?:was|were) (?:informed|told)\b[^,]{0,80},\s*",
    r"According to [^,]{0,100},\s*",
)
# Opening participles whose main clause gives a statement's kind ("Recognising the
# challenges ..., they agreed").
OPENING_PARTICIPLES = (
    "Recognising", "Recognizing", "Noting", "Taking", "Welcoming", "Stressing", "Considering",
    "Acknowledging", "Praising", "Highlighting",
)  # fmt: skip
# Words between a subject's name and its verb ("X, earlier today conferred", "X has
# received"); months, weekdays and day numbers too.
SUBJECT_TRAILING_WORDS = (
    "on", "in", "at", "earlier", "later", "today", "yesterday", "tonight", "this", "last",
    "morning", "afternoon", "evening", "local", "time", "has", "have", "had", "was", "were",
    "is", "also", "then", "the", "same", "day", "week", "month", "night", "weekend",
)  # fmt: skip
# Verbs that join a second person to the subject's side ("X joined President Y in his
# meeting with Z", "X accompanied Y in her talks with Z").
JOINING_VERBS = ("joined", "accompanied")
# Prepositions that introduce the counterpart after a contact verb.
COUNTERPART_PREPOSITIONS = ("with", "to", "from")
# Contact verbs whose counterpart may follow "by" ("was received by", "attended the press
# conference held by") or "for" ("hosted a reception in Hanoi for").
BY_VERBS = ("received", "welcomed", "hosted", "attended")
FOR_VERBS = (
    "hosted a reception", "held a reception", "hosted a banquet", "hosted a dinner",
    "hosted a luncheon",
)  # fmt: skip
# What opens the people of a passive or nominal opening ("was held between X and Y", "The
# meeting, held in Windhoek, brought together X and Y").
BETWEEN = ("between", "with the participation of", "brought together")
# What names the two sides' countries as a pair ("relations between South Africa and
# Equatorial Guinea", "The Foreign Ministers of Azerbaijan and Georgia X and Y").
PAIR_OPENERS = (
    "between", "ministers of", "foreign ministers of", "leaders of", "presidents of",
    "heads of state of", "delegations of",
)  # fmt: skip

# Where participants named after the meeting sentence are introduced: "The delegations
# were headed by X and Y", "Azerbaijan's delegation was headed by X, while Y led the
# Turkmen delegation".
DELEGATION_HEADED_BY = (r"(?:was|were) (?:headed|led|chaired) by", r"delegation by")
DELEGATION_LED = (r"led the \w+(?: \w+)? delegation", r"headed the \w+(?: \w+)? delegation")

# Words of officials' titles, never part of a name ("Foreign Minister Wang Yi").
TITLE_WORDS = frozenset(
    (
        "a", "acting", "administrator", "adviser", "advisor", "affairs", "agriculture",
        "ambassador", "ambassador-at-large", "amir", "an", "and", "assembly", "assistant", "at",
        "bureau", "cabinet", "central", "chair", "chairman", "chairperson", "chairwoman",
        "chancellor", "chief", "chief-executive", "co-chair", "commerce", "commission",
        "commissioner", "committee", "communist", "congress", "consul", "consul-general",
        "cooperation", "council", "councillor", "councilor", "counsellor", "counselor", "crown",
        "culture", "defence", "defense", "department", "deputy", "designate", "development",
        "director", "director-general", "economic", "education", "elect", "emir", "emirates",
        "energy", "envoy", "european", "excellency", "executive", "external", "federal",
        "federation", "finance", "first", "for", "foreign", "general", "general's",
        "government", "governor", "head", "health", "high", "highness", "home", "in",
        "industry", "interior", "international", "justice", "king", "kingdom", "leader",
        "majesty", "mayor", "member", "members", "minister", "ministers", "ministry",
        "national", "nations", "of", "office", "on", "organisation", "organization",
        "parliament", "party", "people's", "peoples", "permanent", "policy", "politburo", "political",
        "premier", "president", "prime", "prince", "princess", "queen", "relations",
        "representative", "republic", "secretary", "secretary-general", "security", "senior",
        "sheikh", "speaker", "special", "spokesperson", "standing", "state", "state's",
        "sultan", "the", "to", "trade", "under", "undersecretary", "union", "united", "vice",
        "vice-president", "with", "nominee", "without", "portfolio", "former", "europe", "asia",
        "africa", "americas", "pacific", "eurasia", "middle", "east", "west", "north", "south",
        "region", "regional", "session", "global", "delegation", "diaspora", "counterpart", "new", "incoming", "outgoing", "newly", "appointed",
        "newly-appointed", "new", "incoming", "outgoing", "colleague",
        "his", "her", "their", "pm", "fm", "dpm", "eam", "vp", "sg", "mfa", "cabinet",
        "defense", "tourism", "economy", "investment", "labour", "labor", "transport",
        "infrastructure", "environment", "science", "technology", "digital", "youth", "sports",
        "women", "agriculture", "water", "resources", "mines", "petroleum", "oil", "gas",
        "communications", "information", "planning", "treasury", "attorney", "chargé",
        "charge", "d'affaires", "emissary", "undersecretary-general", "under-secretary",
        "under-secretary-general", "high-level", "coordinator", "president-elect",
        "prime-minister", "vice-premier", "vice-chairman", "vice-chair", "co-chairman",
        "commander", "marshal", "lord", "baroness", "minister-counsellor", "attaché",
        "expatriates", "emigrants", "overseas", "nationals", "abroad", "integration",
        "francophonie", "commonwealth", "ambassadors", "ministers", "presidents", "secretaries",
        "envoys", "chancellors", "premiers", "delegates", "officials", "population",
        "population", "solidarity", "social", "welfare", "human", "rights", "planning",
        "international cooperation", "extraordinary", "plenipotentiary", "police", "fisheries",
        "immigration", "sisterly", "brotherly",
    )
)  # fmt: skip
# Title words that name an office by themselves ("the Secretary-General", "Prime
# Minister"): a title holding one of them stands for a person.
OFFICE_HEADS = frozenset(
    (
        "minister", "president", "member", "councilor", "councillor", "secretary", "director",
        "chairman", "premier", "envoy", "representative", "ambassador", "chief", "head",
        "adviser", "advisor", "commissioner", "king", "prince", "chancellor", "governor",
        "leader", "deputy", "vice", "secretary-general", "director-general", "chair",
        "chairperson", "spokesperson", "counterpart", "colleague", "pm", "fm", "dpm", "eam", "vp", "sg",
        "coordinator", "emissary", "president-elect", "vice-premier", "undersecretary",
        "under-secretary", "under-secretary-general", "undersecretary-general", "chargé",
        "vice-chairman", "vice-chair", "co-chair", "co-chairman", "vice-president", "attorney",
        "speaker",
    )
)  # fmt: skip
# Offices a readout refers back to by their first word ("the Secretary", "the Minister").
REFERRING_HEADS = frozenset({"secretary", "secretary-general", "minister", "president"})
# Courtesy words before a name, never part of it nor of the title (regex fragments).
HONORIFICS = (
    r"H\.\s?E\.", r"H\.\s?H\.", "His Excellency", "Her Excellency", "Excellency", r"Mr\.", r"Mrs\.",
    r"Ms\.", r"Dr\.", r"Prof\.", "HE", "Mr", "Mrs", "Ms", "Dr", "Professor", "Madam",
    "Madame", "Sheikh", "Sheikha", "Shaikh", "Shaikha", "Dame", "Sir", "His Majesty", "Her Majesty",
    "His Royal Highness", "Her Royal Highness", "His Highness", "Her Highness",
    "The Honourable", "the Honourable", "Honourable", "Datuk Seri", "Dato' Sri",
    r"Lt\. Gen\.", r"Col\. Gen\.", r"Gen\.", "Prince", "Princess", "Tan Sri", "Datuk", "Dato",
    "Dato'", "Dato’ Sri", "Datin", "Tun", "Shri", r"Smt\.", r"Hon\.", r"Rt\. Hon\.", "Senator",
    "H E", "HH", "HRH", "HM", "Sayyid", "Sayyida",
)  # fmt: skip
# Lower-case words that may stand inside a name ("Mohammed bin Salman", "Ursula von der
# Leyen").
NAME_PARTICLES = frozenset(
    (
        "bin", "bint", "ibn", "al", "al-", "el", "de", "da", "das", "do", "dos", "du", "van",
        "von", "der", "den", "la", "le", "di", "y", "ben", "abu", "bte", "binti"
    )
)  # fmt: skip
# Lower-case words that end the people after a contact verb ("... Muhriddin in Almaty").
PEOPLE_STOP_WORDS = frozenset(
    (
        "in", "at", "on", "via", "by", "during", "who", "which", "where", "today", "yesterday",
        "tonight", "after", "before", "ahead", "when", "while", "from", "over", "upon", "last",
        "this", "separately", "respectively", "said", "and", "to", "for"
    )
)  # fmt: skip
# Lower-case words that join the words of a title ("Minister of Foreign Affairs").
TITLE_CONNECTORS = frozenset({"of", "for", "and", "the", "to"})
# Words that open an adverbial before the subject ("At the invitation of X, ..."), and
# words skipped before a name ("with the visiting ...").
LEADING_ADVERBIALS = ("At", "Upon", "On", "In", "During", "After", "Before", "Today")
SKIPPED_BEFORE_PEOPLE = (
    "on", "at", "in", "with", "the", "visiting", "newly", "appointed", "local time",
    "beijing time", "separately", "jointly", "also", "respectively", "today", "yesterday",
)  # fmt: skip

# Suffixes a region's or a city's name carries that the gazetteer leaves out.
REGION_SUFFIXES = (
    "Province", "Region", "Autonomous Region", "Oblast", "Prefecture", "State",
    "Governorate",
)  # fmt: skip
CITY_SUFFIXES = ("City",)
# Nouns that introduce a place's name ("in the capital of", "in the southern island of
# Phuket", "in the resort city of Sochi"); up to two words (an adjective) before them.
PLACE_NOUNS = ("city", "capital", "capital city", "island", "town", "port", "port city", "resort")
# Venues a readout names instead of the city ("at the Great Hall of the People"): the city
# and country each stands in.
VENUES: tuple[tuple[str, str, str], ...] = (
    ("Great Hall of the People", "Beijing", "CHN"),
    ("Diaoyutai State Guesthouse", "Beijing", "CHN"),
    ("Zhongnanhai", "Beijing", "CHN"),
    ("White House", "Washington", "USA"),
    ("Kremlin", "Moscow", "RUS"),
    ("Downing Street", "London", "GBR"),
    ("Élysée Palace", "Paris", "FRA"),
    ("Elysee Palace", "Paris", "FRA"),
    ("Hyderabad House", "New Delhi", "IND"),
    ("Rashtrapati Bhavan", "New Delhi", "IND"),
    ("Blue House", "Seoul", "KOR"),
    ("Malacañang", "Manila", "PHL"),
    ("Malacanang", "Manila", "PHL"),
    ("Istana Merdeka", "Jakarta", "IDN"),
    ("Quirinal Palace", "Rome", "ITA"),
    ("Palazzo Chigi", "Rome", "ITA"),
    ("Bellevue Palace", "Berlin", "DEU"),
    ("Union Buildings", "Pretoria", "ZAF"),
    ("Akorda", "Astana", "KAZ"),
    ("Ak Orda", "Astana", "KAZ"),
    ("Iikura House", "Tokyo", "JPN"),
    ("Kantei", "Tokyo", "JPN"),
)
# Gatherings always held in one city: a meeting on their sidelines is there when nothing
# else in the text places it ("on the sidelines of the 74th session of the UN General
# Assembly": New York).
FORUMS: tuple[tuple[str, str, str], ...] = (
    ("United Nations General Assembly", "New York", "USA"),
    ("UN General Assembly", "New York", "USA"),
    ("UNGA", "New York", "USA"),
    ("Munich Security Conference", "Munich", "DEU"),
    ("Antalya Diplomacy Forum", "Antalya", "TUR"),
    ("Antalya Diplomatic Forum", "Antalya", "TUR"),
    ("Shangri-La Dialogue", "Singapore", "SGP"),
    ("Raisina Dialogue", "New Delhi", "IND"),
    ("Manama Dialogue", "Manama", "BHR"),
    ("Doha Forum", "Doha", "QAT"),
    ("St. Petersburg International Economic Forum", "Saint Petersburg", "RUS"),
    ("Eastern Economic Forum", "Vladivostok", "RUS"),
)
# Nouns after which "in X" names what is spoken of, not where the meeting is ("the crisis
# in Georgia", "the situation in Syria").
TOPIC_BEFORE_PLACE = (
    "situation", "crisis", "conflict", "war", "developments", "events", "peace", "stability",
    "security", "tensions", "escalation", "settlement", "ceasefire", "hostilities",
)  # fmt: skip

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Relative dates, and how many days before the publication date each means.
RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "earlier today": 0, "later that day": 0, "yesterday": 1, "last night": 1,
}  # fmt: skip
DATE_QUALIFIERS = (("local time", "local_time"), ("beijing time", "beijing_time"))

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    (
        "mr", "mrs", "ms", "dr", "prof", "st", "no", "gen", "lt", "col", "sen", "rep", "gov",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "e.g", "i.e", "u.s", "u.k", "u.n", "h.e", "jr", "sr", "vs", "etc", "approx", "inc"
    )
)  # fmt: skip

# Header lines: words of a timestamp line that are not a place.
HEADER_LABELS = ("Updated", "Published", "Date", "Written")

# Occasions: how a readout ties the meeting to a gathering (regex fragments).
OCCASION_SIDELINES = (r"(?:on|in|at|within) the (?:sidelines|margins?) of (?:the )?",)
OCCASION_ATTENDING = (
    r"who (?:came|comes|is|was|went|travell?ed|is visiting|was visiting) (?:to |in )?"
    r"(?:[A-Z][\w.'-]*+\s+)*(?:to|for) (?:attend|participate in|take part in|the) (?:the )?",
    r"while (?:attending|in [A-Z]\w+ (?:to attend|for)) (?:the )?",
    r"(?:here|there) (?:to attend|for) (?:the )?",
    r"to attend (?:the )?",
    r"for the (?=meeting of )",
    r"as part of the ",
)
_ORDINAL = r"(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) )?"
OCCASION_DURING = (
    rf"(?:during|at) the (?={_ORDINAL}[A-Z0-9])",
    r"within the framework of (?:(?:his|her|their) )?(?:participation in )?the (?=[A-Z0-9])",
)
# Words that make a name after "during" an event ("during the G20 Summit").
EVENT_WORDS = (
    "Summit", "Meeting", "Conference", "Forum", "Session", "Dialogue", "Assembly", "Games",
    "Expo", "Week", "Talks", "Consultations", "Consultation", "Council", "Congress",
    "Festival", "Ceremony", "Celebrations", "Celebration", "Meetings",
)  # fmt: skip
# Visits that place a meeting ("who came to China", "during his visit to Brazil").
VISIT_CUES = (
    r"who (?:came|comes|is|was|went|travell?ed|arrived) (?:to|in)",
    r"who (?:is|was) visiting",
    r"during (?:his|her|their) visit to",
    r"(?:is|was) in",
    r"on (?:an?|the) (?:official |working |state )?visit to",
    r"visited",
)

# Statements --------------------------------------------------------------------------------

# Verbs that report what a speaker said: a participant named before one is its speaker.
REPORTING_VERBS = (
    "said", "says", "noted", "stressed", "emphasized", "emphasised", "pointed out", "stated",
    "added", "expressed", "extended", "thanked", "welcomed", "reiterated", "underscored",
    "underlined", "highlighted", "conveyed", "briefed", "congratulated", "appreciated",
    "affirmed", "reaffirmed", "called", "urged", "hoped", "believed", "agreed", "recalled",
    "introduced", "spoke", "praised", "asked", "indicated", "mentioned", "outlined",
    "shared", "invited", "voiced", "told", "assured", "raised", "discussed", "commended",
    "condemned", "explained", "elaborated", "acknowledged", "lauded", "offered", "proposed",
    "suggested", "looked forward", "wished", "exchanged", "reviewed", "hailed", "confirmed",
    "focused", "focussed", "signed", "decided", "looks forward", "look forward", "updated",
    "informed", "congratulates", "thanks", "welcomes", "discusses", "emphasised", "voiced",
)  # fmt: skip
# Subjects that make a statement joint ("The two sides", "Both ministers", "They").
JOINT_SUBJECT_NOUNS = (
    "sides", "side", "leaders", "ministers", "parties", "countries", "delegations",
    "officials", "heads of state", "foreign ministers", "diplomats", "interlocutors",
    "heads of foreign ministries", "heads of the foreign ministries", "two", "men",
    "heads of delegations", "heads of delegation", "heads of the delegations",
    "counterparts", "presidents", "prime ministers", "premiers", "chancellors", "secretaries",
    "heads", "envoys", "chiefs", "chairmen", "representatives", "participants", "partners",
    "top diplomats", "two leaders", "two ministers", "two officials", "two sides", "pair",
)  # fmt: skip
JOINT_SUBJECT_OPENERS = ("the", "both", "the two", "both the", "all")
JOINT_PRONOUNS = ("They", "they", "Both", "The two")
# Openings with no speaker that report what both sides did: an agentless passive ("Views
# were exchanged on ...", "a memorandum of understanding was signed"), the talks as
# subject ("Talks also addressed ...", "The discussion also involved ..."), "We agreed"
# (regex fragments, after an optional opening adverbial).
JOINT_OPENINGS = (
    r"(?:views|opinions) (?:were|was) exchanged\b",
    r"(?:the |their )?(?:talks|discussions?|conversation) (?:also |further )?"
    r"(?:addressed|involved|outlined|covered|touched|dealt)\b",
    r"(?:an? |the )?(?:memorandum|memoranda|agreement|mou|protocol|declaration)\b[^,.;]{0,120}?"
    r"\b(?:was|were) signed\b",
    r"[\"“]?we (?:have )?(?:also )?agreed\b",
)
# Relative clauses of the meeting sentence that report what both sides did there ("...,
# where they agreed to ...", "..., during which the two ministers discussed ..."): read as
# a statement when a joint subject follows.
MEETING_CLAUSES = ("where", "during which", "at which", "in which")
# Pronouns that refer back to the current speaker.
SPEAKER_PRONOUNS = ("He", "She", "His", "Her")
# Words after which a joint subject is not a statement of both ("They should ...").
NOT_JOINT_AFTER = ("should", "must", "need")
# A side's own noun ("the Turkmen side", "the Chinese government").
SIDE_NOUNS = (
    "side", "government", "delegation", "minister", "foreign minister", "secretary of state",
    "secretary", "president", "prime minister", "foreign ministry", "ministry",
    "foreign secretary", "chancellor", "premier", "leader", "authorities", "counterpart",
    "envoy", "ambassador", "head", "chief", "diplomat", "top diplomat", "foreign office",
    "administration", "leadership", "state", "deputy", "vice president", "chairman",
)  # fmt: skip
# Verbs after a country that make it the subject of a new statement ("Tajikistan is ...").
COUNTRY_SUBJECT_VERBS = (
    "is", "are", "will", "stands", "supports", "firmly", "welcomes", "hopes", "has",
    "highly", "appreciates", "always", "remains", "would", "looks",
)  # fmt: skip

# Verbs that open a new predicate after "and" or a comma. Bare forms continue the pledge
# or stance before them; finite forms carry their own kind.
BARE_VERBS = (
    "help", "speed up", "strengthen", "enhance", "expand", "deepen", "work", "promote",
    "advance", "accelerate", "boost", "step up", "facilitate", "consolidate",
)  # fmt: skip
FINITE_VERBS = (
    r"(?:is|are|stands?|remains?) (?:also )?(?:ready|willing|committed|prepared)",
    r"expressed", r"(?:resolutely |firmly |strongly )?opposes", r"(?:firmly |fully )?supports",
    r"agreed", r"welcomes", r"welcomed", r"thanked", r"appreciates", r"appreciated",
    r"congratulated", r"will", r"reiterated", r"reaffirmed", r"underscored", r"stressed",
)  # fmt: skip

_PAST_MARKER = (
    r"\b(?:last (?:year|month|week)|earlier this year|ago|anniversary|in (?:January|February|March|April"
    r"|May|June|July|August|September|October|November|December)\b|in (?:19|20)\d\d"
    r"|(?:had|held|paid|made) [^,.]{0,60}\bduring (?:the|his|her|their) (?:[A-Z0-9][\w.-]*\s+)+"
    r"(?:Summit|Meeting|Conference|Visit|Forum|Games)\b)"
)
# (kind, pattern, joint only): the cue written first in a clause gives its kind; a rule
# listed earlier wins a tie.
KIND_CUES: tuple[tuple[str, str, bool], ...] = (
    (
        Kind.OTHER,
        r"\bas follows\b|\bcondolences?\b|\btook place upon\b|\bat the initiative of\b"
        r"|\b(?:meeting|talks|call|conversation) (?:was|were) (?:organi[sz]ed|arranged)\b",
        False,
    ),
    (
        Kind.EXCHANGE_OF_VIEWS,
        r"\bexchanged? (?:in-depth |candid |)(?:of )?views|\bexchange of views|\bdiscussed\b"
        r"|\bexchanged (?:opinions|ideas|information)\b|\bbriefed\b|\bbriefing\b|\bshared (?:their |her |his )?views\b"
        r"|\bconferred\b|\bfocus(?:s)?ed on\b|\btouched (?:on|upon)\b|\binformed\b|\bspoke about\b"
        r"|\bexplained\b(?! that)|\baddressed\b(?! to\b)|\bdealt with\b|\bcommunicated (?:on|about)\b"
        r"|\breviewed\b|\bdiscussions? (?:focus|were held|on)\b|\bwere discussed\b"
        r"|\breferred to\b|\bspoke of\b|\bexchanged (?:of )?views\b|\bconsidered\b|\bdeliberat"
        r"|\btopped (?:the )?(?:discussions|agenda|talks)\b|\btook stock\b|\bupdated\b|\bdiscussions? (?:of|about|covered|touched)\b|\bcontinued (?:their|the) discussion"
        r"|\b(?:covered|centred on|centered on|went over|talked about)\b"
        r"|\b(?:issues?|matters?|questions?|topics?) of (?:mutual|common|bilateral) (?:interest|concern)\b"
        r"|\b(?:views|opinions) (?:were|was) exchanged\b|\bhad an? (?:\w+ )?discussions?\b"
        r"|\b(?:facilitated|allowed|enabled|provided) (?:an? )?(?:\w+ )?(?:discussions?|exchanges?)\b"
        r"|\bon the agenda\b"
        r"|\b(?:talks|discussions?) (?:also |further )?(?:addressed|involved|outlined)\b",
        False,
    ),
    (
        Kind.AGREEMENT,
        r"\bagreed?\b|\bconsensus\b|\bwill\b|\bsigned\b|\bdecided\b|\bcommitted\b|\bready to\b"
        r"|\bconcurred\b|\bmutual commitment\b|\bdesire\b|\bintention\b|\bconfirmed\b"
        r"|\bshared the view\b|\breached (?:an |a )?(?:agreement|consensus)\b"
        r"|\blaunched\b|\binaugurated\b",
        True,
    ),
    (Kind.CONGRATULATION, r"\bcongratulat", False),
    (Kind.GRATITUDE, r"\bthank|\bgratitude\b|\bgrateful\b", False),
    (
        Kind.CRITICISM,
        r"\bbullying\b|\bhegemon|\bcondemn|\bcountermeasures?\b|\bcriticiz|\bcriticis|\bdeplor"
        r"|\bsmear|\bprovocation|\bunacceptable\b|\bviolat(?:ion|ions|es|ed)\b|\bdisappoint"
        r"|\bdenunciation\b|\bdenounc|\billegitimate\b|\bunconstitutional\b"
        r"|\baggression\b|\bblockade\b",
        False,
    ),
    (
        Kind.WELCOME,
        r"\bwelcom(?:e[sd]?|ing)\b|\binvit(?:e|es|ed|ation)\b"
        r"|\bexpect(?:s|ed)? (?!to\b)[^.]{0,40}\bvisit\b",
        False,
    ),
    (
        Kind.APPRECIATION,
        r"\bappreciat|\bspoke highly\b|\bcommend|\bpraised?\b|\bhighly (?:values?|valued)\b"
        r"|\backnowledged (?:[\w’']+ ){0,4}(?:efforts|contributions?|role|work|leadership)\b|\bapplaud|\bexpressed (?:his|her|their) (?:respect|admiration)\b|\brecognising\b"
        r"|\brecognizing\b|\blaud|\bvalued? (?:the|its|their|our)\b|\bhighlighted (?!the\b)[\w’']+ (?:continued )?(?:efforts|contributions?|role)\b",
        False,
    ),
    (
        Kind.STANCE,
        r"\b(?:stressed|emphasi[sz]ed|underscored|underlined|reconfirmed|reaffirmed|highlighted"
        r"|noted|hailed|acknowledged|recogni[sz]ed|pointed out|reiterated|affirmed|expressed)"
        r" the (?:\w+ )?"
        r"(?:importance|significance|role|need|necessity)\b"
        r"|\b(?:solidarity|concerns?|concerned)\b"
        r"|\battache?[sd]? (?:great |the utmost |high |particular )?importance\b"
        r"|\b(?:stressed|emphasi[sz]ed|underscored|reaffirmed|reiterated|affirmed) (?:the|his|her|its|their)"
        r" (?:[\w’'.\"“-]+\s){0,3}[\"“]?(?:commitment|support)\b"
        # "reaffirmed their commitment to strengthening ...": a pledge to act, not a stance.
        rf"(?!\s+to\s+(?:[a-z]+ing|{'|'.join(BARE_VERBS)})\b)"
        r"|\bcannot (?:ignore|accept|allow|tolerate|agree)\b"
        r"|\b(?:was|were) (?:highlighted|stressed|emphasi[sz]ed|underlined|underscored)\b",
        False,
    ),
    (Kind.RECOLLECTION, _PAST_MARKER, False),
    (
        Kind.PROPOSAL,
        r"\bpropos(?:ed|es|al)\b|\bsuggest|\bcalled (?:on|for)\b|\burged?\b|\bshould\b"
        r"|\bhopes?\b(?! to\b)|\basked (?:for|that)\b|\brequested\b|\bsought\b|\bmust\b",
        False,
    ),
    (
        Kind.COMMITMENT,
        r"\b(?:ready|willing|prepared) to\b|\bwillingness\b|\breadiness\b|\bcommitted to\b"
        r"|\bwill(?! be\b)\b|\bstands ready\b|\bpledged?\b|\bpromised?\b|\blook(?:s|ed)? forward to\b"
        r"|\bintention to\b|\bintends? to\b|\bhopes? to\b|\bcommitment to\b|\bkeenness\b"
        r"|\beagerness\b|\b(?:re)?assured\b|\b(?:making|make|made) (?:all )?(?:the )?preparations\b|\b(?:dedication|determination|resolve|resolved) to\b|\bvowed?\b"
        r"|\b(?:aims?|plans?|seeks?|undertook|undertakes|expects?) to\b|\bshall\b"
        r"|\bwould (?:continue|support|work|cooperate|provide|strengthen|make|like to)\b",
        False,
    ),
    (
        Kind.ASSESSMENT,
        r"\bexpressed (?:confidence|satisfaction|hope)\b|\bnoted (?:the|with)\b|\bis (?:their|the) first\b"
        r"|\bunderlined (?:that|the)\b|\breaffirmed the (?:\w+ )*relations\b",
        False,
    ),
    (
        Kind.STANCE,
        r"\bsupports?\b|\boppose[sd]?\b|\bfirmly\b|\bresolutely\b|\brespects?\b|\badheres?\b"
        r"|\babid(?:e|es|ed)\b|\bupholds?\b|\bpartner\b|\bbelieved?\b|\binsists?\b|\brejects?\b"
        r"|\bstands? (?:for|with|by)\b|\bposition\b|\bprinciple\b",
        False,
    ),
)
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
# Kinds whose statements propose a commitment to track.
COMMITMENT_KINDS = (Kind.COMMITMENT, Kind.AGREEMENT)


@dataclass(frozen=True)
class Lexicon:
    """The facts above, as one value: pass a changed copy to `parse_readout` to try a new
    word (`dataclasses.replace(LEXICON, contact_verbs=(*LEXICON.contact_verbs, ...))`)."""

    contact_verbs: tuple[tuple[str, str], ...] = CONTACT_VERBS
    general_contact_verbs: tuple[str, ...] = GENERAL_CONTACT_VERBS
    contact_nouns: tuple[tuple[str, str], ...] = CONTACT_NOUNS
    contact_adverbs: tuple[str, ...] = CONTACT_ADVERBS
    contact_modes: tuple[tuple[str, str], ...] = CONTACT_MODES
    counterpart_prepositions: tuple[str, ...] = COUNTERPART_PREPOSITIONS
    to_verbs: tuple[str, ...] = TO_VERBS
    topic_verbs: tuple[str, ...] = TOPIC_VERBS
    joint_subject_words: tuple[str, ...] = JOINT_SUBJECT_WORDS
    counterpart_determiners: tuple[str, ...] = COUNTERPART_DETERMINERS
    meeting_nouns: tuple[str, ...] = MEETING_NOUNS
    speaker_adverbials: tuple[str, ...] = SPEAKER_ADVERBIALS
    opening_participles: tuple[str, ...] = OPENING_PARTICIPLES
    source_openings: tuple[str, ...] = SOURCE_OPENINGS
    subject_trailing_words: tuple[str, ...] = SUBJECT_TRAILING_WORDS
    joining_verbs: tuple[str, ...] = JOINING_VERBS
    by_verbs: tuple[str, ...] = BY_VERBS
    for_verbs: tuple[str, ...] = FOR_VERBS
    delegation_headed_by: tuple[str, ...] = DELEGATION_HEADED_BY
    pair_openers: tuple[str, ...] = PAIR_OPENERS
    delegation_led: tuple[str, ...] = DELEGATION_LED
    title_words: frozenset[str] = TITLE_WORDS
    office_heads: frozenset[str] = OFFICE_HEADS
    referring_heads: frozenset[str] = REFERRING_HEADS
    honorifics: tuple[str, ...] = HONORIFICS
    name_particles: frozenset[str] = NAME_PARTICLES
    people_stop_words: frozenset[str] = PEOPLE_STOP_WORDS
    title_connectors: frozenset[str] = TITLE_CONNECTORS
    leading_adverbials: tuple[str, ...] = LEADING_ADVERBIALS
    skipped_before_people: tuple[str, ...] = SKIPPED_BEFORE_PEOPLE
    region_suffixes: tuple[str, ...] = REGION_SUFFIXES
    city_suffixes: tuple[str, ...] = CITY_SUFFIXES
    place_nouns: tuple[str, ...] = PLACE_NOUNS
    venues: tuple[tuple[str, str, str], ...] = VENUES
    forums: tuple[tuple[str, str, str], ...] = FORUMS
    topic_before_place: tuple[str, ...] = TOPIC_BEFORE_PLACE
    abbreviations: frozenset[str] = ABBREVIATIONS
    header_labels: tuple[str, ...] = HEADER_LABELS
    occasion_sidelines: tuple[str, ...] = OCCASION_SIDELINES
    occasion_attending: tuple[str, ...] = OCCASION_ATTENDING
    occasion_during: tuple[str, ...] = OCCASION_DURING
    event_words: tuple[str, ...] = EVENT_WORDS
    visit_cues: tuple[str, ...] = VISIT_CUES
    reporting_verbs: tuple[str, ...] = REPORTING_VERBS
    joint_subject_nouns: tuple[str, ...] = JOINT_SUBJECT_NOUNS
    joint_subject_openers: tuple[str, ...] = JOINT_SUBJECT_OPENERS
    joint_pronouns: tuple[str, ...] = JOINT_PRONOUNS
    joint_openings: tuple[str, ...] = JOINT_OPENINGS
    meeting_clauses: tuple[str, ...] = MEETING_CLAUSES
    speaker_pronouns: tuple[str, ...] = SPEAKER_PRONOUNS
    not_joint_after: tuple[str, ...] = NOT_JOINT_AFTER
    side_nouns: tuple[str, ...] = SIDE_NOUNS
    country_subject_verbs: tuple[str, ...] = COUNTRY_SUBJECT_VERBS
    bare_verbs: tuple[str, ...] = BARE_VERBS
    finite_verbs: tuple[str, ...] = FINITE_VERBS
    kind_cues: tuple[tuple[str, str, bool], ...] = KIND_CUES

    def replace(self, **changes) -> "Lexicon":
        return dataclasses.replace(self, **changes)


LEXICON = Lexicon()

_PLACE_NAME = r"[A-Z][\w'.-]*+(?:[ -][A-Z][\w'.-]*+){0,3}"


def _words(phrases, *, escape=True) -> str:
    """An alternation of phrases, longest first; a space matches any run of spaces."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    parts = [re.escape(p).replace(r"\ ", r"\s+") if escape else p for p in ordered]
    return "|".join(parts)


@dataclass(frozen=True)
class Patterns:
    """The lexicon's facts compiled once (see `patterns`)."""

    lexicon: Lexicon
    contact_verb: re.Pattern
    general_contact_verb: re.Pattern
    joint_subject_word: re.Pattern
    counterpart_capital: re.Pattern
    topic_verb: re.Pattern
    about_the_meeting: re.Pattern
    speaker_adverbial: re.Pattern
    opening_participle: re.Pattern
    source_opening: re.Pattern
    subject_trailing: re.Pattern
    joined_subject: re.Pattern
    contact_verb_with: re.Pattern
    contact_verb_by: re.Pattern
    contact_noun: re.Pattern
    contact_modes: tuple[tuple[re.Pattern, str], ...]
    between: re.Pattern
    pair_opener: re.Pattern
    delegation_headed_by: re.Pattern
    delegation_led: re.Pattern
    honorific_word: re.Pattern
    honorific_at_end: re.Pattern
    region_suffix: re.Pattern
    city_suffix: re.Pattern
    place: re.Pattern
    venue: re.Pattern
    forum: re.Pattern
    topic_before_place: re.Pattern
    reporting_verb: re.Pattern
    joint_subject: re.Pattern
    joint_opening: re.Pattern
    meeting_clause: re.Pattern
    clause_opener: re.Pattern
    appositive_title: re.Pattern
    speaker_pronoun: re.Pattern
    side_subject: re.Pattern
    country_subject: re.Pattern
    clause_break: re.Pattern
    bare_start: re.Pattern
    kind_cues: tuple[tuple[str, re.Pattern, bool], ...]
    occasions: tuple[tuple[str, re.Pattern], ...]
    event_word: re.Pattern
    visit: re.Pattern
    skipped_before_people: re.Pattern
    dateline_lead: re.Pattern
    leading_adverbial: re.Pattern
    header_labels: re.Pattern

    def contact_of_verb(self, verb: str) -> str:
        key = " ".join(verb.lower().split())
        return next(kind for v, kind in self.lexicon.contact_verbs if v == key)

    def contact_of_noun(self, noun: str) -> str:
        key = " ".join(noun.lower().split())
        return next(kind for n, kind in self.lexicon.contact_nouns if n == key)


@functools.cache
def patterns(lexicon: Lexicon = LEXICON) -> Patterns:
    """Compile a lexicon's patterns (once per lexicon)."""
    lx = lexicon
    adverbs = _words(lx.contact_adverbs)
    general = _words(lx.general_contact_verbs)
    prepositions = _words(lx.counterpart_prepositions)
    # The verb, up to three adverbs, then the counterpart's preposition when there is one.
    # Every part is a fixed word list: no nested open-ended repetition to backtrack over.
    contact_verb = re.compile(
        rf"(?<![\w-])(?P<verb>{_words(v for v, _ in lx.contact_verbs)})(?![\w-])"
        rf"(?:\s+(?:{adverbs})(?![\w-])){{0,3}}"
        rf"(?:\s+(?P<prep>{prepositions})(?![\w-]))?",
        re.IGNORECASE,
    )
    # The verb, then at most six words ("met today in The Hague with", "held a meeting over
    # lunch with", "spoke on the telephone on 28 April to"), then the preposition.
    specific = _words(v for v, _ in lx.contact_verbs)
    # The counterpart opens with a capital ("with Foreign Minister", "with his new Canadian
    # counterpart", "with an Egyptian delegation"): "spoke by phone" is no counterpart.
    counterpart_opens = r"(?=\s+(?:[a-z\u2019'-]+\s+|H\.\s?E\.\s+){0,3}(?-i:[A-Z]))"
    contact_verb_with = re.compile(
        rf"(?<![\w-])(?:(?P<verb>{specific})|(?P<general>{general}))(?![\w-])"
        rf"(?P<middle>(?:,?\s+[^\s,.;:]+){{0,6}}?),?\s+(?P<prep>{prepositions})(?![\w-])"
        + counterpart_opens,
        re.IGNORECASE,
    )
    # "was received by X", "attended the press conference held by X": "by" only after
    # the verbs that take it.
    contact_verb_by = re.compile(
        rf"(?<![\w-])(?:(?P<verb>{_words(lx.by_verbs)})(?![\w-])"
        rf"(?P<middle>(?:,?\s+[^\s,.;:]+){{0,6}}?),?\s+(?P<prep>by)"
        rf"|(?P<for_verb>{_words(lx.for_verbs)})(?![\w-])"
        rf"(?P<for_middle>(?:\s+[^\s,.;:]+){{0,6}}?)\s+(?P<for_prep>for))(?![\w-])"
        + counterpart_opens,
        re.IGNORECASE,
    )
    contact_noun = re.compile(
        rf"(?<![\w-])(?P<noun>{_words(n for n, _ in lx.contact_nouns)})(?![\w-])", re.IGNORECASE
    )
    honorific = _words(lx.honorifics, escape=False)
    joint_openers = _words(lx.joint_subject_openers)
    joint_nouns = _words(lx.joint_subject_nouns)
    joint_pronouns = _words(lx.joint_pronouns)
    not_joint = _words(lx.not_joint_after)
    occasions = tuple(
        (relation, re.compile(rf"\b(?:{_words(cues, escape=False)})", flags))
        for relation, cues, flags in (
            (Meeting.OccasionRelation.SIDELINES, lx.occasion_sidelines, re.IGNORECASE),
            (Meeting.OccasionRelation.ATTENDING, lx.occasion_attending, 0),
            (Meeting.OccasionRelation.DURING, lx.occasion_during, 0),
        )
    )
    bare = _words(lx.bare_verbs)
    verbs = "|".join([bare, *lx.finite_verbs])
    return Patterns(
        lexicon=lexicon,
        contact_verb=contact_verb,
        general_contact_verb=re.compile(rf"\b(?:{general})\b", re.IGNORECASE),
        joint_subject_word=re.compile(rf"\b(?:{_words(lx.joint_subject_words)})\b", re.IGNORECASE),
        counterpart_capital=re.compile(
            rf"\s*(?:(?:{_words(lx.counterpart_determiners)})\s+){{0,3}}[A-Z]"
        ),
        topic_verb=re.compile(rf"(?:{_words(lx.topic_verbs)})\b", re.IGNORECASE),
        about_the_meeting=re.compile(
            rf"(?:[^,]{{0,40}},\s*)?(?:During|At|In the course of)\s+(?:the|their)\s+"
            rf"(?:{_words(lx.meeting_nouns)})\b"
            rf"|(?:The|Their)\s+(?:{_words(lx.meeting_nouns)})(?:,\s*which)?\s+"
            r"(?:took place|was held|were held)\b"
        ),
        speaker_adverbial=re.compile(rf"(?:{_words(lx.speaker_adverbials)})\b[^,]{{0,150}},\s*"),
        opening_participle=re.compile(rf"(?:{_words(lx.opening_participles)})\b[^,]{{0,200}},\s*"),
        source_opening=re.compile(_words(lx.source_openings, escape=False)),
        subject_trailing=re.compile(
            rf"(?:[\s,]+(?:{_words(lx.subject_trailing_words)}|\d{{1,2}}(?:st|nd|rd|th)?"
            rf"|{_words(MONTHS)}|{_words(WEEKDAYS)}))+[\s,]*$",
            re.IGNORECASE,
        ),
        joined_subject=re.compile(
            rf"\s+(?:{_words(lx.joining_verbs)})\s+(?P<second>.+?)\s+in\s+(?:his|her|their)\s*$"
        ),
        contact_verb_with=contact_verb_with,
        contact_verb_by=contact_verb_by,
        contact_noun=contact_noun,
        contact_modes=tuple(
            (re.compile(rf"\b(?:{p})\b", re.I), kind) for p, kind in lx.contact_modes
        ),
        between=re.compile(rf"\b(?:{_words(BETWEEN)})\s+", re.IGNORECASE),
        pair_opener=re.compile(rf"\b(?:{_words(lx.pair_openers)})\s+", re.IGNORECASE),
        delegation_headed_by=re.compile(
            rf"\b(?:{_words(lx.delegation_headed_by, escape=False)})\s+", re.IGNORECASE
        ),
        delegation_led=re.compile(
            rf"\s+(?:{_words(lx.delegation_led, escape=False)})\b", re.IGNORECASE
        ),
        honorific_word=re.compile(rf"\b(?:{honorific})\s+"),
        honorific_at_end=re.compile(rf"(?:^|\s)(?:{honorific})$"),
        region_suffix=re.compile(rf"\s+(?:{_words(lx.region_suffixes)})$"),
        city_suffix=re.compile(rf"\s+(?:{_words(lx.city_suffixes)})$"),
        # "in Tunxi, Anhui Province, China", "in the city of X", "in the Tbilisi meeting".
        place=re.compile(
            # "In Accra, X met": a capital "In" only before a place and a comma, not a month.
            rf"(?:\bin|\bIn(?!\s+(?i:{_words(MONTHS)})\b)(?=\s+{_PLACE_NAME},))"
            rf" (?:the (?:[\w-]+ ){{0,2}}?(?:{_words(lx.place_nouns)}) of )?"
            rf"(?P<a>{_PLACE_NAME})(?:,\s*(?P<b>{_PLACE_NAME}))?(?:,\s*(?P<c>{_PLACE_NAME}))?"
            rf"|\bin the (?P<named>{_PLACE_NAME}) (?:{_words(lx.meeting_nouns)})\b"
        ),
        venue=re.compile(rf"\b(?:{_words(v for v, _c, _k in lx.venues)})\b"),
        forum=re.compile(rf"\b(?:{_words(f for f, _c, _k in lx.forums)})\b"),
        topic_before_place=re.compile(rf"\b(?:{_words(lx.topic_before_place)})\s+$", re.I),
        reporting_verb=re.compile(rf"\b(?:{_words(lx.reporting_verbs)})\b"),
        joint_subject=re.compile(
            rf"^[\"\u201c]?(?:[^,]{{0,120}},\s*)?(?:(?i:{joint_openers})\s+(?:[a-z]+\s+){{0,2}}?(?i:{joint_nouns})\b"
            rf"|(?:Foreign )?(?:Ministers|Leaders|Delegations|Heads of State) of\b"
            rf"|(?:{joint_pronouns})\b)(?!\s+(?:{not_joint})\b)"
        ),
        # ", the visiting Speaker of ...": a title after a name, its determiners kept.
        meeting_clause=re.compile(
            rf",\s+(?=(?:{_words(lx.meeting_clauses)})\s+(?:{joint_pronouns}|they|the two)\b)"
        ),
        clause_opener=re.compile(rf"(?:{_words(lx.meeting_clauses)})\s+"),
        appositive_title=re.compile(
            rf",\s*(?:the\s+)?(?:(?:{_words(lx.counterpart_determiners)})\s+)?(?=[A-Z])"
        ),
        joint_opening=re.compile(
            rf"^(?:[^,]{{0,80}},\s*)?(?:{_words(lx.joint_openings, escape=False)})", re.I
        ),
        speaker_pronoun=re.compile(rf"^(?:[^,]{{0,40}},\s*)?(?:{_words(lx.speaker_pronouns)})\b"),
        # "The Turkmen side", "Pakistan's Foreign Minister", "the Vietnamese Government":
        # a side's own noun after its country, a few title words between.
        side_subject=re.compile(
            rf"^(?:[^,]{{0,40}},\s*)?(?:(?:{honorific})\s+)?(?:[Tt]he\s+)?([A-Z][\w-]+(?: [A-Z][\w-]+)?)(?:'s|\u2019s)?"
            rf"\s+(?:[A-Za-z-]+\s+){{0,3}}?(?i:{_words(lx.side_nouns)})\b"
        ),
        country_subject=re.compile(
            rf"^(?:[^,]{{0,40}},\s*)?(?:the\s+)?([A-Z][\w' -]{{1,40}}?)\s+"
            rf"(?:{_words(lx.country_subject_verbs)})\b"
        ),
        clause_break=re.compile(
            rf"(?:,\s+(?P<comma>and\s+)?|\s+(?P<plain>and\s+))(?=(?:{verbs})\b)"
        ),
        bare_start=re.compile(rf"(?:and\s+)?(?:{bare})\b"),
        kind_cues=tuple((kind, re.compile(p, re.I), joint) for kind, p, joint in lx.kind_cues),
        occasions=occasions,
        event_word=re.compile(rf"\b(?:{_words(lx.event_words)})\b"),
        visit=re.compile(
            rf"\b(?:{_words(lx.visit_cues, escape=False)}) (?:the )?"
            r"(?P<place>[A-Z][\w'-]*+(?: [A-Z][\w'-]*+)*+)"
        ),
        dateline_lead=re.compile(r"(?:[A-Z][A-Z .]{1,30}\s*[\u2013\u2014-]+\s+)?"),
        skipped_before_people=re.compile(
            rf"[\s,]*(?:(?:{_words(lx.skipped_before_people)})\b[\s,]*)*", re.IGNORECASE
        ),
        leading_adverbial=re.compile(rf"(?:[a-z(]|(?:{_words(lx.leading_adverbials)})\b)"),
        header_labels=re.compile(
            rf"\b(?:{_words(lx.header_labels)})\b|\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*[AP]\.?M\.?)?"
            rf"(?:\s+[A-Z]{{2,5}}\b)?|[:()]"
        ),
    )
