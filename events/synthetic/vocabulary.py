"""The words a synthetic archive is made of, in the style of the seeded readouts.

Edit here to change what the archive says; `generator` decides how much of it there is.
"""

# Topics as the seed has them (slug, name, parent slug, phrases a statement may use). An
# existing topic with the slug (or name) is reused, so an archive beside the seed shares them.
TOPICS = [
    (
        "political-relations",
        "Political relations",
        None,
        ["bilateral relations", "strategic partnership"],
    ),
    (
        "political-mutual-trust",
        "Political mutual trust",
        "political-relations",
        ["strategic mutual trust", "friendship"],
    ),
    (
        "sovereignty-and-security",
        "Sovereignty and security",
        "political-relations",
        ["sovereignty", "territorial integrity", "independence"],
    ),
    (
        "security",
        "Security",
        None,
        ["security cooperation", "regional security", "law enforcement"],
    ),
    (
        "counter-terrorism",
        "Counter-terrorism",
        "security",
        ["counter-terrorism", "the fight against extremism"],
    ),
    ("border-control", "Border control", "security", ["border control", "border security"]),
    (
        "belt-and-road",
        "Belt and Road",
        None,
        ["Belt and Road cooperation", "the Belt and Road Initiative"],
    ),
    ("economy", "Economy", None, ["economic cooperation", "economy and trade"]),
    ("trade-and-tariffs", "Trade and tariffs", "economy", ["free trade", "trade", "tariff issues"]),
    ("investment", "Investment", "economy", ["investment", "mutual investment"]),
    ("energy", "Energy", "economy", ["energy", "renewable energy", "oil and gas"]),
    (
        "connectivity",
        "Connectivity",
        "economy",
        ["connectivity", "railway construction", "logistics"],
    ),
    (
        "agricultural-modernization",
        "Agricultural modernization",
        "economy",
        ["agriculture", "agricultural modernization"],
    ),
    (
        "green-transformation",
        "Green transformation",
        "economy",
        ["green development", "climate change"],
    ),
    ("health", "Health", None, ["public health", "healthcare", "medical cooperation"]),
    ("traditional-medicine", "Traditional medicine", "health", ["traditional medicine"]),
    (
        "education-and-youth",
        "Education and youth",
        None,
        ["education", "youth exchanges", "universities"],
    ),
    (
        "vocational-training",
        "Vocational training",
        "education-and-youth",
        ["vocational training", "Luban Workshop"],
    ),
    (
        "people-to-people-exchanges",
        "People-to-people exchanges",
        None,
        ["people-to-people exchanges", "tourism", "cultural exchanges"],
    ),
    (
        "multilateral-cooperation",
        "Multilateral cooperation",
        None,
        ["multilateralism", "multilateral institutions"],
    ),
    (
        "international-and-regional-affairs",
        "International and regional affairs",
        None,
        ["international and regional affairs", "regional hotspot issues"],
    ),
    ("environment", "Environment", None, ["environmental protection", "ecological conservation"]),
]

# International organisations and mechanisms statements mention (name, abbreviation).
INTERNATIONAL_ORGANIZATIONS = [
    ("United Nations", "UN"),
    ("Shanghai Cooperation Organization", "SCO"),
    ("Association of Southeast Asian Nations", "ASEAN"),
    ("African Union", "AU"),
    ("European Union", "EU"),
    ("BRICS", "BRICS"),
    ("Group of Twenty", "G20"),
    ("Conference on Interaction and Confidence-Building Measures in Asia", "CICA"),
    ("Asia-Pacific Economic Cooperation", "APEC"),
    ("Organization for Security and Co-operation in Europe", "OSCE"),
    ("World Health Organization", "WHO"),
    ("World Trade Organization", "WTO"),
]

GATHERING_PATTERNS = [
    ("{org} Summit", "summit"),
    ("{org} Foreign Ministers' Meeting", "multilateral_meeting"),
    ("{org} Council of Foreign Ministers", "multilateral_meeting"),
    ("High-Level Conference on {theme}", "conference"),
]
GATHERING_THEMES = [
    "Glaciers' Preservation",
    "Water for Sustainable Development",
    "Regional Connectivity",
    "Food Security",
    "Counter-Terrorism",
    "Global Health",
    "Digital Cooperation",
]

# The offices every country has, then more in proportion to the archive's size.
# (kind, title, organisation key)
BASE_OFFICES = [
    ("head_of_state", "President", "state"),
    ("head_of_government", "Prime Minister", "government"),
    ("minister", "Foreign Minister", "mfa"),
    ("deputy_minister", "Vice Foreign Minister", "mfa"),
]
DEPARTMENTS = [
    "Asian Affairs",
    "European Affairs",
    "African Affairs",
    "American Affairs",
    "Eurasian Affairs",
    "West Asian and North African Affairs",
    "International Economic Affairs",
    "Treaty and Law",
    "Arms Control",
    "Consular Affairs",
    "International Organizations and Conferences",
    "Policy Planning",
]
ORGANIZATIONS = {
    "state": ("state", "Office of the President of {country}"),
    "government": ("government", "Government of {country}"),
    "mfa": ("ministry", "Ministry of Foreign Affairs of {country}"),
}

SYLLABLES = [
    "ba",
    "da",
    "fa",
    "ga",
    "ha",
    "ka",
    "la",
    "ma",
    "na",
    "ra",
    "sa",
    "ta",
    "va",
    "ya",
    "za",
    "be",
    "de",
    "fe",
    "ge",
    "he",
    "ke",
    "le",
    "me",
    "ne",
    "re",
    "se",
    "te",
    "ve",
    "ye",
    "ze",
    "bi",
    "di",
    "fi",
    "gi",
    "hi",
    "ki",
    "li",
    "mi",
    "ni",
    "ri",
    "si",
    "ti",
    "vi",
    "yi",
    "zi",
    "bo",
    "do",
    "fo",
    "go",
    "ho",
    "ko",
    "lo",
    "mo",
    "no",
    "ro",
    "so",
    "to",
    "vo",
    "yo",
    "zo",
    "bu",
    "du",
    "fu",
    "gu",
    "hu",
    "ku",
    "lu",
    "mu",
    "nu",
    "ru",
    "su",
    "tu",
    "vu",
    "yu",
    "zu",
    "an",
    "el",
    "in",
    "on",
    "ur",
    "ash",
    "kh",
    "mir",
    "dov",
    "zhan",
    "ling",
    "wei",
    "sen",
]
# Spelling variants that make a person's alias (Muhriddin / Mukhriddin).
ALIAS_SPELLINGS = [("kh", "h"), ("h", "kh"), ("u", "ou"), ("i", "y"), ("e", "ye"), ("v", "w")]

# Statement kinds: (kind, PLOVER code, weight, attribution, templates). Slots: {speaker}
# (a name, or "He"), {side} and {other} (country names), {topic} (a topic's phrase),
# {third} (a third country), {org} (an international organisation), {gathering}.
STATEMENT_KINDS = [
    (
        "stance",
        "SUPPORT",
        24,
        "speaker",
        [
            "{speaker} said that {side} firmly supports {other} in safeguarding its {topic}.",
            "{side} supports {other} in pursuing {topic} suited to its national conditions.",
            "{side} resolutely opposes any external forces interfering in {other}'s internal affairs, including on {topic}.",
        ],
    ),
    (
        "commitment",
        "AGREE",
        22,
        "speaker",
        [
            "{speaker} said, {side} is ready to work with {other} to jointly advance {topic} with high quality.",
            "{side} is ready to strengthen cooperation with {other} on {topic}.",
            "{side} will speed up the construction of a joint center for {topic} with {other}.",
            "{side} is committed to expanding cooperation with {other} in {topic}.",
        ],
    ),
    (
        "agreement",
        "AGREE",
        12,
        "joint",
        [
            "The two sides agreed to deepen cooperation in {topic}.",
            "The two sides agreed to strengthen coordination within the {org} and on {topic}.",
            "The two sides will also strengthen {topic} to safeguard regional peace and stability.",
        ],
    ),
    (
        "appreciation",
        "SUPPORT",
        7,
        "speaker",
        [
            "{speaker} spoke highly of the progress in {topic} between {side} and {other}.",
            "{side} appreciates {other}'s constructive role in the {org} on {topic}.",
        ],
    ),
    (
        "assessment",
        "",
        9,
        "speaker",
        [
            "{speaker} said that relations between {side} and {other} have maintained sound momentum, with {topic} as a highlight.",
            "Under the guidance of the two heads of state, cooperation on {topic} has yielded fruitful results.",
        ],
    ),
    (
        "recollection",
        "",
        5,
        "speaker",
        [
            "{speaker} recalled that at the {gathering}, the two sides reached important consensus on {topic}.",
            "{speaker} said that last year the leaders of {side} and {other} charted the course for {topic}.",
        ],
    ),
    (
        "congratulation",
        "SUPPORT",
        3,
        "speaker",
        [
            "{speaker} extended congratulations on the successful hosting of the {gathering}.",
        ],
    ),
    (
        "gratitude",
        "SUPPORT",
        3,
        "speaker",
        [
            "{speaker} thanked {other} for its strong support on {topic}.",
        ],
    ),
    (
        "criticism",
        "ACCUSE",
        3,
        "speaker",
        [
            "{speaker} stressed that {side} opposes unilateral bullying by {third} on {topic}.",
            "{side} criticised the sanctions imposed by {third}, which undermine {topic}.",
        ],
    ),
    (
        "welcome",
        "SUPPORT",
        4,
        "speaker",
        [
            "{side} welcomes more enterprises from {other} to take part in {topic}.",
            "{side} welcomes {other} in playing a greater role in the {org}.",
        ],
    ),
    (
        "exchange_of_views",
        "CONSULT",
        4,
        "joint",
        [
            "The two sides had an exchange of views on {topic}.",
            "The two sides also exchanged views on the situation in {third} and on {topic}.",
        ],
    ),
    (
        "proposal",
        "REQUEST",
        4,
        "speaker",
        [
            "{speaker} proposed that the two sides set up a working group on {topic}.",
        ],
    ),
]

CONTACT_TYPES = [
    ("meeting", 55),
    ("talks", 20),
    ("phone_call", 15),
    ("video_call", 8),
    ("other", 2),
]

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

RELATIONSHIP_LEVELS = [
    "friendly cooperative relationship",
    "strategic partnership",
    "comprehensive strategic partnership",
    "comprehensive strategic cooperative partnership in the new era",
]

CURATOR_NOTES = [
    "Date checked against the counterpart's readout.",
    "Titles as written in the English version of the readout.",
    "The counterpart's readout names an additional participant; not yet added.",
]
