"""The readout parser (`events.ingest.parser.parse_readout`): what a curator sees in the
draft of a readout.

Two kinds of input: short synthetic texts, each marked as such (written for the test, not
real readouts), and real readouts from `tests/corpus/readouts/` or `seeds/` where a real
text shows the behaviour.
"""

import contextlib
import datetime
import json
import re
import sys
import time
from pathlib import Path

import factories as f
import pytest
from django.core.management import call_command
from readouts import ALMATY, ROOT, TUNXI, read

from events.ingest.directory import Directory
from events.ingest.draft import ReadoutError
from events.ingest.lexicon import LEXICON
from events.ingest.parser import MAX_READOUT_CHARS, parse_readout
from events.management.commands import benchmark_parser as bench
from events.models import Commitment, Organization, Person, Position, Topic

pytestmark = pytest.mark.django_db

CORPUS = ROOT / "tests" / "corpus" / "readouts"


def parse(text: str, **options):
    return parse_readout(text, directory=Directory.from_db(), **options)


def seed(path: Path, **options):
    """A seed readout (MFA of China), parsed as its publisher would import it."""
    options.setdefault("publisher_country", "CHN")
    return parse(read(path), **options)


def corpus_text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def corpus(name: str, **options):
    """A real readout of the corpus, parsed with its publisher's country from its metadata."""
    meta = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    options.setdefault("publisher_country", meta["publisher_country"])
    if meta["published"]:
        options.setdefault("published", datetime.date.fromisoformat(meta["published"]))
    return parse(corpus_text(name), **options)


def by_name(draft) -> dict:
    return {p.name: p for p in draft.participants}


# Dates ------------------------------------------------------------------------------------


def test_a_month_first_date_is_read():
    draft = seed(TUNXI)  # "On March 31, 2022, ..."
    assert (draft.date, draft.date_qualifier) == (datetime.date(2022, 3, 31), "")


def test_a_day_first_date_is_read():
    # Synthetic test input, not a real readout.
    draft = parse(
        "On 31 March 2022, Foreign Minister Wang Yi met with Tajik Justice Minister "
        "Muzaffar Ashurion.",
        publisher_country="CHN",
    )
    assert draft.date == datetime.date(2022, 3, 31)


def test_a_date_without_a_year_takes_the_year_of_publication():
    # Real: "On November 17 local time, Foreign Minister Wang Yi met at request with ..."
    draft = corpus("2015-11-17_wang-yi_blinken_manila", published=datetime.date(2015, 11, 18))
    assert (draft.date, draft.date_qualifier) == (datetime.date(2015, 11, 17), "local_time")


def test_a_december_meeting_published_in_january_is_of_the_year_before():
    # Synthetic test input, not a real readout.
    draft = parse(
        "On December 30, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin "
        "Muhriddin.",
        publisher_country="CHN",
        published=datetime.date(2025, 1, 2),
    )
    assert draft.date == datetime.date(2024, 12, 30)


def test_today_is_the_publication_date():
    # Real: "Secretary of State Antony J. Blinken met with ... Wang Yi today in Beijing."
    draft = corpus("2023-06-19_blinken_wang-yi_beijing", published=datetime.date(2023, 6, 19))
    assert draft.date == datetime.date(2023, 6, 19)
    # Real: "Today, the Secretary-General met with H.E. Mr. Sergey Lavrov, ..."
    assert corpus("2017-09-21_guterres_sergey-lavrov_new-york").date == datetime.date(2017, 9, 21)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("Yesterday", datetime.date(2024, 5, 7)),
        ("Today", datetime.date(2024, 5, 8)),
        ("On Monday", datetime.date(2024, 5, 6)),  # the last Monday before Wednesday 8 May
        ("On Wednesday", datetime.date(2024, 5, 8)),
    ],
)
def test_relative_dates_are_read_against_the_publication_date(when, expected):
    # Synthetic test input, not a real readout.
    text = f"{when}, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin Muhriddin."
    draft = parse(text, publisher_country="CHN", published=datetime.date(2024, 5, 8))
    assert draft.date == expected


def test_local_time_qualifies_the_date():
    draft = seed(ALMATY)  # "On April 25, 2025 local time, ..."
    assert (draft.date, draft.date_qualifier) == (datetime.date(2025, 4, 25), "local_time")


def test_a_headline_is_the_title_and_not_the_meeting_sentence():
    # Real: the headline "Wang Yi Meets with Foreign Minister Sergei Lavrov of Russia" has a
    # contact verb and no date; the body's first sentence is the meeting sentence.
    text = corpus_text("2014-11-09_wang-yi_lavrov_apec")
    draft = corpus("2014-11-09_wang-yi_lavrov_apec")
    assert draft.title == "Wang Yi Meets with Foreign Minister Sergei Lavrov of Russia"
    assert draft.date == datetime.date(2014, 11, 9)
    assert draft.occasion is not None
    assert "Asia-Pacific Economic Cooperation (APEC) Ministerial Meeting" in draft.occasion.name
    # No statement quotes the headline or the meeting sentence.
    body = text.index("Wang Yi said that")
    assert all(s.start >= body for s in draft.statements)


def test_a_synthetic_headline_is_the_title():
    # Synthetic test input, not a real readout.
    text = (
        "Wang Yi Meets with Tajik Foreign Minister\n"
        "On April 25, 2025, Foreign Minister Wang Yi met with Tajik Foreign Minister "
        "Sirojiddin Muhriddin in Almaty.\n"
        "The two sides agreed to deepen cooperation.\n"
    )
    draft = parse(text, publisher_country="CHN")
    assert draft.title == "Wang Yi Meets with Tajik Foreign Minister"
    assert [p.name for p in draft.participants] == ["Wang Yi", "Sirojiddin Muhriddin"]
    assert [s.text for s in draft.statements] == ["The two sides agreed to deepen cooperation."]


def test_a_timestamp_line_gives_the_publication_date():
    # Real: "2023-02-04 11:14" under the headline; the meeting was on February 3.
    draft = corpus("2023-02-03_wang-yi_blinken_phone", published=None)
    assert draft.published == datetime.date(2023, 2, 4)
    assert draft.date == datetime.date(2023, 2, 3)
    assert draft.title.startswith("Wang Yi Has a Phone Call with US Secretary of State")


def test_a_timestamp_line_lets_a_relative_date_be_read():
    # Synthetic test input, not a real readout.
    text = (
        "2024-05-08 10:30\n"
        "Yesterday, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin "
        "Muhriddin.\n"
    )
    draft = parse(text, publisher_country="CHN")
    assert (draft.published, draft.date) == (datetime.date(2024, 5, 8), datetime.date(2024, 5, 7))


# Kind of contact --------------------------------------------------------------------------


def test_met_with_is_a_meeting():
    assert seed(TUNXI).contact_type == "meeting"


@pytest.mark.parametrize(
    ("verb", "contact_type", "plover_mode"),
    [
        ("met with", "meeting", "visit"),
        ("held talks with", "talks", "visit"),
        ("had a phone call with", "phone_call", "phone"),
        ("held a video call with", "video_call", "phone"),
    ],
)
def test_the_contact_verb_gives_the_kind_of_contact(verb, contact_type, plover_mode):
    # Synthetic test input, not a real readout.
    text = (
        f"On April 25, 2025, Foreign Minister Wang Yi {verb} Tajik Foreign Minister "
        "Sirojiddin Muhriddin in Beijing."
    )
    draft = parse(text, publisher_country="CHN")
    assert (draft.contact_type, draft.plover_mode) == (contact_type, plover_mode)
    assert [p.name for p in draft.participants] == ["Wang Yi", "Sirojiddin Muhriddin"]


def test_a_real_phone_call_is_a_phone_call_held_nowhere():
    # Real: "... Wang Yi had a phone call with US Secretary of State Antony Blinken at request."
    draft = corpus("2023-02-03_wang-yi_blinken_phone")
    assert (draft.contact_type, draft.plover_mode) == ("phone_call", "phone")
    assert (draft.place.city, draft.place.region, draft.place.country) == (None, None, None)
    assert [(p.name, p.country) for p in draft.participants] == [
        ("Wang Yi", "CHN"),
        ("Antony Blinken", "USA"),
    ]
    # Real: "Foreign Minister Wang Yi held telephone talks with Russian Foreign Minister ..."
    assert corpus("2014-03-03_wang-yi_lavrov_phone").contact_type == "phone_call"


def test_a_real_video_consultation_is_a_video_call():
    # Real: "Vice Foreign Minister Le Yucheng held video consultation with First Deputy
    # Foreign Minister Sedat Onal of Turkey."
    draft = corpus("2020-07-16_le-yucheng_sedat-onal_video")
    assert draft.contact_type == "video_call"


def test_a_real_telephone_conversation_spoken_to_someone_is_a_phone_call():
    # Real: "Jean-Yves Le Drian, ..., spoke on the telephone on 28 April to Mr Mukhtar
    # Tleuberdi, Deputy Prime Minister and Minister of Foreign Affairs of Kazakhstan."
    draft = corpus(
        "2021-04-28_le-drian_mukhtar-tleuberdi_phone", published=datetime.date(2021, 4, 28)
    )
    assert draft.contact_type == "phone_call"
    assert draft.date == datetime.date(2021, 4, 28)


# Place and occasion -----------------------------------------------------------------------


def test_a_place_with_city_region_and_country():
    # Synthetic test input, not a real readout.
    text = (
        "On March 31, 2022, Foreign Minister Wang Yi met with Tajik Justice Minister "
        "Muzaffar Ashurion in Tunxi, Anhui Province, China."
    )
    place = parse(text, publisher_country="CHN").place
    assert (place.city, place.region, place.country) == ("Tunxi", "Anhui", "CHN")


def test_a_place_without_a_country_gets_it_from_the_region():
    place = seed(TUNXI).place  # "in Tunxi, Anhui Province."
    assert (place.city, place.region, place.country) == ("Tunxi", "Anhui", "CHN")


def test_a_city_alone_gets_its_country_from_the_gazetteer():
    draft = seed(ALMATY)  # "... met with ... in Almaty."
    assert (draft.place.city, draft.place.country) == ("Almaty", "KAZ")
    # Neither side's country: a meeting in a third country.
    assert draft.plover_mode == "third-party"
    assert {p.role for p in draft.participants} == {"participant"}


def test_a_meeting_in_one_sides_country_has_a_host_and_a_guest():
    draft = seed(TUNXI)
    assert draft.plover_mode == "visit"
    assert [(p.name, p.role) for p in draft.participants] == [
        ("Wang Yi", "host"),
        ("Muzaffar Ashurion", "guest"),
    ]


def test_who_came_to_attend_names_the_occasion():
    occasion = seed(TUNXI).occasion
    assert (occasion.name, occasion.relation) == (
        "Third Foreign Ministers' Meeting on the Afghan Issue Among the Neighboring "
        "Countries of Afghanistan",
        "attending",
    )


def test_on_the_sidelines_of_names_the_occasion():
    # Synthetic test input, not a real readout.
    text = (
        "On May 21, 2024, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin "
        "Muhriddin on the sidelines of the SCO Council of Foreign Ministers in Astana."
    )
    draft = parse(text, publisher_country="CHN")
    assert (draft.occasion.name, draft.occasion.relation) == (
        "SCO Council of Foreign Ministers",
        "sidelines",
    )
    assert (draft.place.city, draft.place.country) == ("Astana", "KAZ")
    assert [p.name for p in draft.participants] == ["Wang Yi", "Sirojiddin Muhriddin"]


def test_a_known_gathering_and_place_are_resolved_to_the_curated_records():
    call_command("loaddata", "seed", verbosity=0)
    draft = seed(TUNXI)
    assert draft.occasion.gathering_id is not None
    assert draft.place.place_id is not None


# Participants -----------------------------------------------------------------------------


def test_sides_from_a_demonym_a_possessive_and_the_publisher():
    tunxi, almaty = seed(TUNXI), seed(ALMATY)
    # "Tajik Justice Minister Muzaffar Ashurion": the demonym.
    assert by_name(tunxi)["Muzaffar Ashurion"].country == "TJK"
    # "Tajikistan's Foreign Minister Sirojiddin Muhriddin": the possessive.
    assert by_name(almaty)["Sirojiddin Muhriddin"].country == "TJK"
    # "State Councilor and Foreign Minister Wang Yi": unmarked, the publisher's official.
    assert by_name(tunxi)["Wang Yi"].country == "CHN"


def test_without_a_publisher_country_an_unmarked_official_has_no_side():
    draft = seed(TUNXI, publisher_country=None)
    assert by_name(draft)["Wang Yi"].country is None
    assert any("Wang Yi" in warning for warning in draft.warnings)


def test_titles_as_written_and_their_offices():
    tunxi, almaty = seed(TUNXI), seed(ALMATY)
    wang_2022, ashurion = tunxi.participants
    wang_2025, muhriddin = almaty.participants
    assert wang_2022.title_as_written == "State Councilor and Foreign Minister"
    assert [o.title for o in wang_2022.offices] == ["State Councilor", "Foreign Minister"]
    assert wang_2025.title_as_written == (
        "Member of the Political Bureau of the CPC Central Committee and Foreign Minister"
    )
    assert [o.title for o in wang_2025.offices] == [
        "Member of the Political Bureau of the CPC Central Committee",
        "Foreign Minister",
    ]
    # The country qualifier is not part of the office.
    assert ashurion.title_as_written == "Tajik Justice Minister"
    assert [o.title for o in ashurion.offices] == ["Justice Minister"]
    assert muhriddin.title_as_written == "Tajikistan's Foreign Minister"
    assert [o.title for o in muhriddin.offices] == ["Foreign Minister"]


def test_offices_resolve_to_the_curated_positions():
    call_command("loaddata", "seed", verbosity=0)
    wang, ashurion = seed(TUNXI).participants
    slugs = {pk: slug for pk, slug in Position.objects.values_list("pk", "slug")}
    assert [slugs.get(o.position_id) for o in wang.offices] == [
        "prc-state-councilor",
        "prc-foreign-minister",
    ]
    assert [slugs.get(o.position_id) for o in ashurion.offices] == ["tajikistan-justice-minister"]
    assert wang.person_id == Person.objects.get(slug="wang-yi").pk
    assert not wang.needs_review


def test_unknown_people_need_review():
    draft = seed(TUNXI)  # an empty database: nobody is known
    assert draft.unresolved_names == ["Wang Yi", "Muzaffar Ashurion"]
    assert all(p.needs_review and p.person_id is None for p in draft.participants)


def test_honorifics_are_not_part_of_the_name_or_title():
    # Synthetic test input, not a real readout.
    text = (
        "On April 25, 2025, Foreign Minister Wang Yi met with H.E. Mr. Sirojiddin Muhriddin, "
        "Minister of Foreign Affairs of the Republic of Tajikistan, in Almaty."
    )
    draft = parse(text, publisher_country="CHN")
    muhriddin = draft.participants[1]
    assert muhriddin.name == "Sirojiddin Muhriddin"
    assert muhriddin.country == "TJK"
    assert "Mr" not in muhriddin.title_as_written and "H.E." not in muhriddin.title_as_written


def test_a_real_honorific_name_and_of_the_republic_of_side():
    # Real: "The Secretary-General met with H.E. Mr. Hakan Fidan, Minister for Foreign
    # Affairs of the Republic of Türkiye."
    draft = corpus("2023-09-23_guterres_hakan-fidan_new-york")
    fidan = by_name(draft)["Hakan Fidan"]
    assert fidan.country == "TUR"
    assert fidan.title_as_written == "Minister for Foreign Affairs of the Republic of Türkiye"


def test_a_real_name_followed_by_of_country_gets_that_side():
    # Real: "Foreign Minister Wang Yi met with Foreign Minister Sergei Lavrov of Russia, who
    # was in China for the ..."
    draft = corpus("2014-11-09_wang-yi_lavrov_apec")
    assert [(p.name, p.country, p.title_as_written) for p in draft.participants] == [
        ("Wang Yi", "CHN", "Foreign Minister"),
        ("Sergei Lavrov", "RUS", "Foreign Minister"),
    ]


def test_a_real_name_at_the_end_of_the_sentence_has_no_full_stop():
    # Real: "... Wang Yi held telephone talks with Russian Foreign Minister Sergei Lavrov."
    draft = corpus("2014-03-03_wang-yi_lavrov_phone")
    assert [(p.name, p.country) for p in draft.participants] == [
        ("Wang Yi", "CHN"),
        ("Sergei Lavrov", "RUS"),
    ]


def test_an_international_organisations_official_represents_it():
    # The organisation comes from the database (its abbreviation here), not a list in code.
    united_nations = Organization.objects.create(
        slug="un", name="United Nations", abbreviation="UN", kind=Organization.Kind.INTERNATIONAL
    )
    # Synthetic test input, not a real readout.
    text = (
        "On September 23, 2023, UN Secretary-General Antonio Guterres met with Chinese "
        "Vice President Han Zheng in New York."
    )
    draft = parse(text)
    guterres, han = draft.participants
    assert (guterres.name, guterres.organization, guterres.organization_id) == (
        "Antonio Guterres",
        "United Nations",
        united_nations.pk,
    )
    assert guterres.country is None
    assert (han.name, han.country) == ("Han Zheng", "CHN")
    assert (draft.place.city, draft.place.country) == ("New York", "USA")


def test_names_resolve_through_aliases_ignoring_case_and_accents():
    muhriddin = f.PersonFactory(name="Sirojiddin Muhriddin", country=f.country("TJK"))
    f.PersonAliasFactory(person=muhriddin, name="Sirojiddin Mukhriddin")
    # Synthetic test input, not a real readout: another spelling, in capitals, accented.
    text = (
        "On April 25, 2025, Foreign Minister Wang Yi met with Tajik Foreign Minister "
        "SIROJIDDIN MUKHRÍDDIN in Almaty."
    )
    draft = parse(text, publisher_country="CHN")
    participant = draft.participants[1]
    assert participant.person_id == muhriddin.pk
    assert not participant.needs_review
    assert participant.name == "SIROJIDDIN MUKHRÍDDIN"  # as written
    assert text[participant.start : participant.end] == participant.name
    assert draft.unresolved_names == ["Wang Yi"]


def test_a_known_persons_country_is_their_side_when_the_title_names_none():
    f.PersonFactory(name="Sirojiddin Muhriddin", country=f.country("TJK"))
    # Synthetic test input, not a real readout.
    text = "On April 25, 2025, Wang Yi met with Foreign Minister Sirojiddin Muhriddin in Almaty."
    draft = parse(text, publisher_country="CHN")
    assert [(p.name, p.country) for p in draft.participants] == [
        ("Wang Yi", "CHN"),
        ("Sirojiddin Muhriddin", "TJK"),
    ]


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "field", "code"),
    [
        ("", None, "text", "empty"),
        ("  \n\t \r\n ", None, "text", "empty"),
        ("On March 31, 2022\x00 Wang Yi met with\x00\x00 Ashurion.", None, "text", "binary"),
        ("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", None, "text", "binary"),
        ("x" * (MAX_READOUT_CHARS + 1), None, "text", "too_long"),
        # Synthetic: prose with a date, but no one meets anyone.
        (
            "On March 31, 2022, the weather in Tunxi was fine.\nThe spring came early.",
            None,
            "text",
            "no_meeting",
        ),
        # Synthetic: a date that does not exist.
        (
            "On February 30, 2022, Foreign Minister Wang Yi met with Tajik Foreign Minister "
            "Sirojiddin Muhriddin.",
            None,
            "text",
            "invalid_date",
        ),
        # Synthetic: "today", and no publication date to read it against.
        (
            "Today, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin Muhriddin.",
            None,
            "published",
            "needs_published",
        ),
        # Synthetic: a date without a year, and no publication date.
        (
            "On March 31, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin "
            "Muhriddin.",
            None,
            "published",
            "needs_published",
        ),
    ],
    ids=[
        "empty",
        "whitespace",
        "nul",
        "png-bytes",
        "too-long",
        "no-meeting",
        "impossible-date",
        "today-unpublished",
        "no-year-unpublished",
    ],
)
def test_bad_input_is_refused_with_the_field_at_fault(text, published, field, code):
    with pytest.raises(ReadoutError) as error:
        parse(text, publisher_country="CHN", published=published)
    assert (error.value.field, error.value.code) == (field, code)
    assert error.value.message


def test_a_real_readout_without_a_year_needs_its_publication_date():
    # Real: "On November 17 local time, ..." (no year), imported without a date.
    with pytest.raises(ReadoutError) as error:
        corpus("2015-11-17_wang-yi_blinken_manila")
    assert (error.value.field, error.value.code) == ("published", "needs_published")


# Statements -------------------------------------------------------------------------------


def spans_index_the_text(draft) -> None:
    for statement in draft.statements:
        assert draft.text[statement.start : statement.end] == statement.text
        assert statement.text == statement.text.strip()
    for participant in draft.participants:
        assert draft.text[participant.start : participant.end] == participant.name


@pytest.mark.parametrize("path", [TUNXI, ALMATY], ids=lambda p: p.stem)
def test_every_span_of_a_seed_indexes_its_text(path):
    draft = seed(path)
    assert draft.statements
    spans_index_the_text(draft)
    # In order, without overlaps, none quoting the meeting sentence.
    first_line_end = draft.text.index("\n")
    ends = [0, *[s.end for s in draft.statements]]
    for statement, previous_end in zip(draft.statements, ends, strict=False):
        assert statement.start >= max(previous_end, first_line_end)


CORPUS_NAMES = sorted(p.stem for p in CORPUS.glob("*.txt"))


def corpus_with_date(name: str):
    """A corpus readout, its publication date the metadata's or, for readouts whose text
    gives no year and whose metadata no date, the meeting's own (the file name's)."""
    meta = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    published = meta["published"] or meta["expected"]["date"]
    if published is None and re.match(r"\d{4}-\d{2}-\d{2}", name):
        published = name[:10]
    if published is None:  # undated: neither the page nor the text says when
        return corpus(name, require_date=False)
    return corpus(name, published=datetime.date.fromisoformat(published))


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_every_corpus_readout_is_read(name):
    """Every real readout of the corpus reports a meeting: none is refused."""
    try:
        draft = corpus_with_date(name)
    except ReadoutError as error:
        pytest.fail(f"refused ({error.code}): {error.message}")
    assert len(draft.participants) >= 1
    meta = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    if meta["expected"]["statements"]:
        assert draft.statements


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_every_span_of_a_corpus_readout_indexes_its_text(name):
    try:
        draft = corpus_with_date(name)
    except ReadoutError:
        pytest.skip("not read at all: see test_every_corpus_readout_is_read")
    spans_index_the_text(draft)


def test_he_said_keeps_the_speaker_and_the_two_sides_speak_jointly():
    draft = seed(TUNXI)
    statements = {s.text[:40]: s for s in draft.statements}
    he_said = statements["He said that President Rahmon cherishes "]
    assert (he_said.attribution, he_said.speaker, he_said.sides) == (
        "speaker",
        "Muzaffar Ashurion",
        ["TJK"],
    )
    joint = statements["The two sides agreed to deepen cooperati"]
    assert (joint.attribution, joint.speaker, joint.sides, joint.kind) == (
        "joint",
        None,
        ["CHN", "TJK"],
        "agreement",
    )
    # A surname names the speaker too ("Ashurion extended congratulations ...").
    congratulation = statements["Ashurion extended congratulations on the"]
    assert (congratulation.speaker, congratulation.kind) == ("Muzaffar Ashurion", "congratulation")


def test_typical_sentences_get_their_kinds_and_speakers():
    # Synthetic test input, not a real readout.
    text = (
        "On May 21, 2024, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin "
        "Muhriddin in Beijing.\n"
        "Wang Yi said that China firmly supports Tajikistan in safeguarding its sovereignty. "
        "China is ready to expand trade with Tajikistan. "
        "China condemns unilateral bullying and protectionism.\n"
        "Sirojiddin Muhriddin thanked China for its support. "
        "He congratulated China on hosting the summit. "
        "Tajikistan welcomes Chinese companies to invest in the country.\n"
        "The two sides exchanged views on regional affairs. "
        "The two sides agreed to strengthen security cooperation.\n"
    )
    draft = parse(text, publisher_country="CHN")
    spans_index_the_text(draft)
    assert [(s.text, s.kind, s.speaker) for s in draft.statements] == [
        (
            "Wang Yi said that China firmly supports Tajikistan in safeguarding its sovereignty.",
            "stance",
            "Wang Yi",
        ),
        ("China is ready to expand trade with Tajikistan.", "commitment", "Wang Yi"),
        ("China condemns unilateral bullying and protectionism.", "criticism", "Wang Yi"),
        (
            "Sirojiddin Muhriddin thanked China for its support.",
            "gratitude",
            "Sirojiddin Muhriddin",
        ),
        ("He congratulated China on hosting the summit.", "congratulation", "Sirojiddin Muhriddin"),
        (
            "Tajikistan welcomes Chinese companies to invest in the country.",
            "welcome",
            "Sirojiddin Muhriddin",
        ),
        ("The two sides exchanged views on regional affairs.", "exchange_of_views", None),
        ("The two sides agreed to strengthen security cooperation.", "agreement", None),
    ]
    assert [s.plover_code for s in draft.statements][:3] == ["SUPPORT", "AGREE", "ACCUSE"]


def test_coordinated_pledges_are_separate_statements():
    # Real: "China is ready to strengthen cooperation with Tajikistan to fight against
    # COVID-19 and speed up the construction of a China-Tajikistan center for traditional
    # medicine." holds two pledges.
    draft = seed(TUNXI)
    texts = [s.text for s in draft.statements]
    assert (
        "China is ready to strengthen cooperation with Tajikistan to fight against COVID-19"
        in texts
    )
    pledge = next(s for s in draft.statements if s.text.startswith("and speed up the construction"))
    assert (pledge.kind, pledge.speaker) == ("commitment", "Wang Yi")


def test_a_real_counterpart_named_as_speaker_is_that_participant():
    # Real: "Antony Blinken said that the US also considers the Hangzhou meeting between the
    # two heads of state fruitful."
    draft = corpus("2016-10-29_wang-yi_blinken_beijing")
    said = next(s for s in draft.statements if s.text.startswith("Antony Blinken said"))
    assert (said.speaker, said.sides) == ("Antony Blinken", ["USA"])


def test_topics_and_mentions_come_from_the_directory():
    f.TopicFactory(name="Traditional medicine", keywords="traditional medicine")
    f.PersonFactory(name="Emomali Rahmon", country=f.country("TJK"))
    f.OrganizationFactory(name="Shanghai Cooperation Organization", abbreviation="SCO")
    draft = seed(TUNXI)
    by_start = {s.text[:30]: s for s in draft.statements}
    medicine = by_start["and speed up the construction "]
    assert medicine.topics == ["Traditional medicine"]
    heads = by_start["Wang Yi said, President Xi Jin"]
    assert heads.mentions["people"] == ["Emomali Rahmon"]  # as written, not case-folded
    multilateral = by_start["The two sides agreed to streng"]
    assert multilateral.mentions["organizations"] == ["Shanghai Cooperation Organization"]
    congratulation = by_start["Ashurion extended congratulati"]
    assert congratulation.mentions["countries"] == ["AFG"]


def test_an_unmarked_counterpart_is_given_the_publishers_side_with_a_warning():
    # Synthetic test input, not a real readout.
    draft = parse(
        "On May 5, 2024, Minister Jane Example met with Minister John Sample.",
        publisher_country="TJK",
    )
    assert [(p.name, p.country, p.side_from) for p in draft.participants] == [
        ("Jane Example", "TJK", "publisher"),
        ("John Sample", "TJK", "publisher"),
    ]
    assert any("John Sample" in warning and "check it" in warning for warning in draft.warnings)


def test_a_side_read_from_the_title_says_so():
    draft = seed(TUNXI)
    assert [(p.name, p.side_from) for p in draft.participants] == [
        ("Wang Yi", "publisher"),
        ("Muzaffar Ashurion", "title"),
    ]
    assert draft.warnings == []


# The lexicon: one line teaches the parser a new way of writing ---------------------------


def test_a_new_contact_verb_is_one_line_in_the_lexicon():
    # Synthetic test input, not a real readout.
    text = (
        "On May 2, 2024, Foreign Minister Wang Yi rang Foreign Minister Sergey Lavrov of "
        "Russia. The two sides exchanged views on bilateral relations."
    )
    with pytest.raises(ReadoutError) as refused:
        parse(text, publisher_country="CHN")
    assert refused.value.code == "no_meeting"
    lexicon = LEXICON.replace(contact_verbs=(*LEXICON.contact_verbs, ("rang", "phone_call")))
    draft = parse(text, publisher_country="CHN", lexicon=lexicon)
    assert draft.contact_type == "phone_call"
    assert [(p.name, p.country) for p in draft.participants] == [
        ("Wang Yi", "CHN"),
        ("Sergey Lavrov", "RUS"),
    ]


def test_a_new_title_word_is_one_line_in_the_lexicon():
    # Synthetic test input, not a real readout.
    text = "On May 2, 2024, Foreign Minister Wang Yi met with Burgomaster Anna Smith."
    assert [p.name for p in parse(text, publisher_country="CHN").participants] == [
        "Wang Yi",
        "Burgomaster Anna Smith",
    ]
    lexicon = LEXICON.replace(title_words=LEXICON.title_words | {"burgomaster"})
    draft = parse(text, publisher_country="CHN", lexicon=lexicon)
    smith = draft.participants[1]
    assert (smith.name, smith.title_as_written) == ("Anna Smith", "Burgomaster")


# Linear time --------------------------------------------------------------------------------


def _calls_to_parse(text: str, directory) -> int:
    """Python function calls made while parsing `text`: an operation count that does not
    depend on the machine's load."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        with contextlib.suppress(ReadoutError):
            parse_readout(text, publisher_country="CHN", directory=directory)
    finally:
        sys.setprofile(None)
    return calls


def _seconds_to_parse(text: str, directory) -> float:
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        with contextlib.suppress(ReadoutError):
            parse_readout(text, publisher_country="CHN", directory=directory)
        timings.append(time.perf_counter() - started)
    return min(timings)


@pytest.mark.parametrize("kind", sorted(bench.texts(10_000)))
def test_parsing_grows_linearly_with_the_texts_length(kind):
    """Four times the text costs about four times the work, for ordinary readouts and for
    texts crafted against the parser (see `make bench` for the figures): counted in
    operations, and in time with a generous margin (never an absolute limit)."""
    directory = Directory.from_db()
    short, long = bench.texts(20_000)[kind], bench.texts(80_000)[kind]
    _seconds_to_parse(short[:2000], directory)  # warm the caches up
    calls = _calls_to_parse(long, directory) / _calls_to_parse(short, directory)
    assert calls < 4 * 1.5, f"{calls:.1f} times the operations for 4 times the text"
    seconds = _seconds_to_parse(long, directory) / _seconds_to_parse(short, directory)
    assert seconds < 4 * 3, f"{seconds:.1f} times the time for 4 times the text"


# The fuller draft: topics, mentions, offices to create, proposed commitments ---------------


def test_every_statement_gets_its_topics_and_mentions():
    call_command("loaddata", "seed", verbosity=0)
    draft = seed(ALMATY)
    with_topics = [s for s in draft.statements if s.topics]
    assert len(with_topics) >= len(draft.statements) // 2
    belt_and_road = next(s for s in draft.statements if "Belt and Road" in s.text)
    assert "Belt and Road Initiative" in belt_and_road.topics
    assert set(belt_and_road.mentions) == {"countries", "organizations", "people", "gatherings"}


def test_an_office_that_does_not_resolve_is_kept_as_a_new_office_to_review():
    call_command("loaddata", "seed", verbosity=0)
    # Synthetic test input, not a real readout.
    text = (
        "On May 2, 2024, Foreign Minister Wang Yi met with Tajik Minister of Culture "
        "Matlubakhon Satoriyon."
    )
    draft = parse(text, publisher_country="CHN")
    satoriyon = by_name(draft)["Matlubakhon Satoriyon"]
    [office] = satoriyon.offices
    assert (office.title, office.position_id, office.country, office.needs_review) == (
        "Minister of Culture",
        None,
        "TJK",
        True,
    )
    assert office in draft.new_offices
    wang = by_name(draft)["Wang Yi"]
    assert [(o.title, o.needs_review) for o in wang.offices] == [("Foreign Minister", False)]
    assert draft.as_json()["participants"][1]["offices"][0]["needs_review"] is True


def test_commitment_and_agreement_statements_propose_commitments_with_their_sides():
    call_command("loaddata", "seed", verbosity=0)
    draft = seed(ALMATY)
    assert draft.commitments
    for proposal in draft.commitments:
        statement = draft.statements[proposal.statement_index]
        assert statement.kind in ("commitment", "agreement")
        assert (proposal.description, proposal.start, proposal.end) == (
            statement.text,
            statement.start,
            statement.end,
        )
        assert proposal.sides == statement.sides
        assert proposal.kind == ("agreement" if statement.attribution == "joint" else "pledge")
    kinds = {p.kind for p in draft.commitments}
    assert kinds == {"pledge", "agreement"}


def test_a_proposed_commitment_suggests_the_earlier_one_it_may_reaffirm():
    call_command("loaddata", "seed", verbosity=0)
    # The seed holds the 2022 Tunxi meeting's commitments (China and Tajikistan).
    earlier = {c.pk: c for c in Commitment.objects.prefetch_related("sides")}
    draft = seed(ALMATY)
    suggested = [p for p in draft.commitments if p.reaffirms is not None]
    assert suggested
    for proposal in suggested:
        commitment = earlier[proposal.reaffirms.commitment_id]
        assert sorted(c.pk for c in commitment.sides.all()) == sorted(proposal.sides)
        # A same topic, or one above or below it in the tree.
        own = list(commitment.topics.all())
        related = {topic.pk for topic in own} | {topic.parent_id for topic in own}
        related |= set(Topic.objects.filter(parent__in=own).values_list("pk", flat=True))
        parents = set(
            Topic.objects.filter(pk__in=proposal.topic_ids).values_list("parent", flat=True)
        )
        assert related & (set(proposal.topic_ids) | parents)
        assert own
    as_json = draft.as_json()["commitments"]
    assert as_json[0].keys() == {
        "kind", "statement_index", "description", "start", "end", "sides", "topics",
        "topic_ids", "reaffirms",
    }  # fmt: skip


def test_no_earlier_commitment_is_suggested_for_other_sides():
    call_command("loaddata", "seed", verbosity=0)
    Commitment.sides.through.objects.all().delete()  # no commitment binds anyone any more
    draft = seed(ALMATY)
    assert draft.commitments
    assert all(p.reaffirms is None for p in draft.commitments)


# Styles first seen in held-out batch 6 ------------------------------------------------------
# Each input below is a synthetic test input, not a real readout.


def test_an_agency_dateline_between_slashes_places_the_meeting():
    draft = parse(
        "Ulaanbaatar /MONTSAME/ On May 15, 2020, Foreign Minister Bold Baatar met with "
        "Ambassador of China to Mongolia Chai Wenrui.",
        publisher_country="MNG",
    )
    assert (draft.place.city, draft.place.country) == ("Ulaanbaatar", "MNG")
    assert "MONTSAME" not in draft.participants[0].offices[0].title


@pytest.mark.parametrize(
    "where",
    ["in the southern island of Phuket", "in the resort city of Phuket", "in the Phuket meeting"],
)
def test_a_place_introduced_by_a_noun_or_naming_the_meeting_is_read(where):
    draft = parse(
        f"On July 15, 2023, Foreign Minister Don Pramudwinai met Russian Foreign Minister "
        f"Sergei Lavrov {where}.",
        publisher_country="THA",
    )
    assert (draft.place.city, draft.place.country) == ("Phuket", "THA")


def test_a_forum_always_held_in_one_city_places_a_meeting_on_its_sidelines():
    draft = parse(
        "On September 25, 2019, Russian Foreign Minister Sergey Lavrov met with his Georgian "
        "counterpart Davit Zalkaliani on the sidelines of the 74th session of the United "
        "Nations General Assembly.",
        publisher_country="RUS",
    )
    assert (draft.place.city, draft.place.country) == ("New York", "USA")


def test_a_gathering_not_known_to_be_held_in_one_city_places_nothing():
    draft = parse(
        "On September 25, 2019, Russian Foreign Minister Sergey Lavrov met with his Georgian "
        "counterpart Davit Zalkaliani on the sidelines of the Regional Security Forum.",
        publisher_country="RUS",
    )
    assert (draft.place.city, draft.place.country) == (None, None)


def test_the_place_a_topic_is_in_does_not_place_a_call():
    draft = parse(
        "On December 23, 2022, Foreign Minister Ararat Mirzoyan had a phone conversation "
        "with Toivo Klaar, the EU Special Representative for the crisis in Georgia.",
        publisher_country="ARM",
    )
    assert (draft.place.city, draft.place.country) == (None, None)


def test_a_visit_in_the_next_sentence_places_the_meeting():
    draft = parse(
        "On February 12, 2024, Thai Foreign Minister Parnpree Bahiddha-nukara met US "
        "Secretary of State Antony Blinken.\n"
        "Parnpree was in the US since Saturday on a three-day visit.",
        publisher_country="THA",
    )
    assert (draft.place.city, draft.place.country) == (None, "USA")


def test_a_colleague_is_a_title_and_shaikh_an_honorific():
    draft = parse(
        "On May 26, 2022, Foreign Minister Dmytro Kuleba had a phone call with the new French "
        "colleague Catherine Colonna.",
        publisher_country="UKR",
    )
    assert [p.name for p in draft.participants] == ["Dmytro Kuleba", "Catherine Colonna"]
    draft = parse(
        "On May 26, 2019, the Minister of Foreign Affairs, Shaikh Khalid bin Ahmed Al Khalifa, "
        "met with the Minister of Foreign Affairs of Mongolia, Mr. Damdin Tsogtbaatar.",
        publisher_country="BHR",
    )
    assert draft.participants[0].name == "Khalid bin Ahmed Al Khalifa"


BATCH6_OPENING = (
    "On April 12, 2023, Foreign Minister Ararat Mirzoyan had a telephone conversation with "
    "US Assistant Secretary of State Derek Hogan.\n"
    "Ararat Mirzoyan thanked the US for its support.\n"
)


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("Views were exchanged on the humanitarian situation.", "exchange_of_views"),
        ("Talks also addressed pressing regional issues.", "exchange_of_views"),
        ("The discussion also involved prospects for cooperation.", "exchange_of_views"),
        ("During the call, a memorandum of understanding was signed.", "agreement"),
        ('"We agreed on the need to ramp up sanctions," Mirzoyan stated.', "agreement"),
    ],
)
def test_passive_and_nominal_reports_of_the_talks_are_joint(sentence, kind):
    draft = parse(BATCH6_OPENING + sentence, publisher_country="ARM")
    last = draft.statements[-1]
    assert (last.kind, last.attribution) == (kind, "joint")


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("The two sides had a fruitful discussion on trade.", "exchange_of_views"),
        ("The foreign ministers also launched a joint commission.", "agreement"),
        ('Looking forward to welcoming him in Armenia," Mirzoyan stated.', "welcome"),
        ("He added that he expects Derek Hogan's first visit to Armenia.", "welcome"),
        ("He added that he expects to visit the United States soon.", "commitment"),
        ("Mirzoyan presented the consequences of the aggression against Armenia.", "criticism"),
        ("Mirzoyan said that the meeting was organized with the help of a third country.", "other"),
    ],
)
def test_batch6_kind_cues(sentence, kind):
    draft = parse(BATCH6_OPENING + sentence, publisher_country="ARM")
    assert draft.statements[-1].kind == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry said the two sides had a fruitful discussion on trade.",
        "Mirzoyan also mentioned that the two sides exchanged views on regional issues.",
        "Armenia and the United States agreed to deepen their cooperation, Mirzoyan said.",
    ],
)
def test_both_sides_reported_or_named_by_their_countries_speak_jointly(sentence):
    draft = parse(BATCH6_OPENING + sentence, publisher_country="ARM")
    assert draft.statements[-1].attribution == "joint"


def test_a_joint_sentence_without_a_joint_subject_leaves_the_speaker_before():
    draft = parse(
        BATCH6_OPENING + "Views were exchanged on regional issues. "
        "Relations have returned to their earlier level, according to the minister.",
        publisher_country="ARM",
    )
    assert [s.speaker for s in draft.statements] == ["Ararat Mirzoyan", None, "Ararat Mirzoyan"]


def test_a_quotation_running_over_two_sentences_is_its_named_speakers():
    draft = parse(
        BATCH6_OPENING + '"I am glad that our relations are growing. I am satisfied with '
        'the talks," Hogan told a press conference.',
        publisher_country="ARM",
    )
    assert [s.speaker for s in draft.statements[-2:]] == ["Derek Hogan", "Derek Hogan"]


def test_a_source_opening_gives_no_kind_and_a_passive_stress_is_a_stance():
    draft = parse(
        BATCH6_OPENING + "As the agency was informed from the press service of the ministry, "
        "the peaceful resolution of the conflict was highlighted.",
        publisher_country="ARM",
    )
    assert draft.statements[-1].kind == "stance"


def test_highlighting_the_role_of_something_is_a_stance_and_a_sides_efforts_appreciation():
    draft = parse(
        BATCH6_OPENING + "Mirzoyan highlighted the role of allied relations in the region. "
        "Hogan highlighted Armenia's continued efforts to promote peace.",
        publisher_country="ARM",
    )
    assert [s.kind for s in draft.statements[-2:]] == ["stance", "appreciation"]


def test_a_title_word_before_a_name_with_its_office_after_is_a_given_name():
    draft = parse(
        "On May 8, 2023, Georgian Foreign Minister Ilia Darchiashvili met with Amir Ohana, "
        "the visiting Speaker of the Israeli Parliament.",
        publisher_country="GEO",
    )
    ohana = by_name(draft)["Amir Ohana"]
    assert ohana.country == "ISR"


def test_a_title_word_after_an_honorific_is_a_given_name_and_the_honorific_no_part_of_it():
    draft = parse(
        "On May 8, 2024, Minister of State for Foreign Affairs H E Sultan bin Saad Al Muraikhi "
        "met Spanish Foreign Minister H E Josep Borrell in Brussels.",
        publisher_country="QAT",
    )
    assert [p.name for p in draft.participants] == ["Sultan bin Saad Al Muraikhi", "Josep Borrell"]


def test_a_pair_of_countries_in_a_shared_title_gives_the_counterpart_the_other_side():
    draft = parse(
        "On May 8, 2019, the Foreign Ministers of Azerbaijan and Georgia Elmar Mammadyarov "
        "and David Zalkaliani have met in Tbilisi.",
        publisher_country="AZE",
    )
    assert [(p.name, p.country) for p in draft.participants] == [
        ("Elmar Mammadyarov", "AZE"),
        ("David Zalkaliani", "GEO"),
    ]


@pytest.mark.parametrize(
    "written, occasion",
    [
        (
            "have met as part of the tripartite meeting of the Foreign Ministers of Azerbaijan, "
            "Georgia, and Turkey in Tbilisi",
            "tripartite meeting of the Foreign Ministers of Azerbaijan, Georgia, and Turkey",
        ),
        ("met during the third Antalya Diplomatic Forum", "third Antalya Diplomatic Forum"),
        (
            "met within the framework of participation in the Antalya Diplomacy Forum",
            "Antalya Diplomacy Forum",
        ),
    ],
)
def test_occasions_with_a_lower_case_opening_or_a_list_in_their_name(written, occasion):
    draft = parse(
        f"On March 2, 2024, Foreign Minister Elmar Mammadyarov and Foreign Minister David "
        f"Zalkaliani {written}.",
        publisher_country="AZE",
    )
    assert draft.occasion.name == occasion


@pytest.mark.parametrize(
    "sentence",
    [
        "During the call, both ministers also addressed preparations for the summit.",
        "The two dealt with the accession process.",
    ],
)
def test_addressing_or_dealing_with_a_topic_is_an_exchange_of_views(sentence):
    draft = parse(BATCH6_OPENING + sentence, publisher_country="ARM")
    assert draft.statements[-1].kind == "exchange_of_views"


def test_a_quotation_opening_with_both_sides_is_joint():
    draft = parse(
        BATCH6_OPENING + '"The two leaders discussed bilateral matters," it said.',
        publisher_country="ARM",
    )
    assert draft.statements[-1].attribution == "joint"


# Styles first seen in held-out batch 7 ------------------------------------------------------
# Each input below is a synthetic test input, not a real readout.


def test_a_headline_and_a_timestamp_ending_in_an_abbreviation_are_header_lines():
    draft = parse(
        "Ministers of Peru and Chile meet in U.S.\n\n08:38 | Lima, Nov. 15.\n\n"
        "Foreign Minister Ana Torres held a meeting with Chilean counterpart Luis Vera on "
        "Tuesday.\n\nBoth officials highlighted the excellent state of relations.",
        publisher_country="PER",
        published=datetime.date(2023, 11, 15),
    )
    assert draft.title == "Ministers of Peru and Chile meet in U.S."
    assert draft.date == datetime.date(2023, 11, 14)
    assert {p.name for p in draft.participants} == {"Ana Torres", "Luis Vera"}


def test_the_meeting_of_x_with_y_took_place():
    draft = parse(
        "The meeting of the Deputy Foreign Minister Karim Nazarov with the Ambassador "
        "Extraordinary and Plenipotentiary of Iran to Tajikistan Ali Rezaei took place in "
        "Dushanbe on May 31, 2016.",
        publisher_country="TJK",
    )
    assert draft.contact_type == "meeting"
    assert {p.name for p in draft.participants} == {"Karim Nazarov", "Ali Rezaei"}
    assert draft.place.city == "Dushanbe"


def test_a_news_lead_naming_only_the_countries_yields_to_the_meeting_sentence_after_it():
    draft = parse(
        "Namibia and Kenya have reaffirmed their commitment to strengthening bilateral "
        "relations, following political consultations between the two nations. The meeting, "
        "held in Windhoek on September 10, 2024, brought together Minister of International "
        "Relations Peter Nambala and Cabinet Secretary for Foreign Affairs John Otieno.",
        publisher_country="NAM",
    )
    assert draft.contact_type == "talks"  # the lead's kind: "consultations"
    assert {p.name for p in draft.participants} == {"Peter Nambala", "John Otieno"}
    assert draft.date == datetime.date(2024, 9, 10)
    assert (draft.place.city, draft.place.country) == ("Windhoek", "NAM")
    lead = draft.statements[0]
    assert draft.text[lead.start : lead.end].startswith("Namibia and Kenya have reaffirmed")
    assert (lead.kind, lead.attribution) == ("commitment", "joint")


@pytest.mark.parametrize("honorific", ["Sayyid", "H.E."])
def test_honorifics_are_not_part_of_the_name(honorific):
    draft = parse(
        f"On July 30, 2022, Oman's Foreign Minister {honorific} Badr Albusaidi received a "
        "phone call from Anthony Blinken, Secretary of State of the United States.",
        publisher_country="OMN",
    )
    assert "Badr Albusaidi" in by_name(draft)


def test_a_time_word_after_the_subject_is_not_part_of_the_name():
    draft = parse(
        "Fiji's Minister for Foreign Affairs Tevita Naulu last week held bilateral meetings "
        "with his Papua New Guinea counterpart, Patrick Kila, the Minister for Defence, Saki "
        "Moro and Minister for Police, Bryan Tau in Port Moresby on December 12, 2019.",
        publisher_country="FJI",
    )
    assert set(by_name(draft)) == {"Tevita Naulu", "Patrick Kila", "Saki Moro", "Bryan Tau"}
    assert by_name(draft)["Bryan Tau"].offices[0].title == "Minister for Police"


def test_a_leading_city_is_the_place_not_a_person_and_a_visit_before_dates_the_meeting():
    draft = parse(
        "Foreign Minister Kemal Aksoy visited Ghana on 26 October 2022.\n\n"
        "In Accra, Minister Aksoy met Foreign Minister Ama Mensah of Ghana.",
        publisher_country="TUR",
    )
    assert set(by_name(draft)) == {"Kemal Aksoy", "Ama Mensah"}
    assert (draft.place.city, draft.place.region, draft.place.country) == ("Accra", None, "GHA")
    assert draft.date == datetime.date(2022, 10, 26)


def test_an_agency_after_the_datelines_city_is_no_person():
    draft = parse(
        "Damascus, SANA- Foreign Minister Fayez Haddad received a phone call from the "
        "Minister of Foreign Affairs of Ghana, Ama Mensah, on May 5, 2023.",
        publisher_country="SYR",
    )
    assert set(by_name(draft)) == {"Fayez Haddad", "Ama Mensah"}


def test_x_joined_president_y_in_his_meeting_names_both_on_one_side():
    draft = parse(
        "On December 11, 2019, Foreign Minister Felipe Rojas joined President Alberto Pérez in "
        "his meeting with US Acting Assistant Secretary Michael Grant, where they agreed to "
        "create a permanent consultation system.",
        publisher_country="ARG",
    )
    assert set(by_name(draft)) == {"Felipe Rojas", "Alberto Pérez", "Michael Grant"}
    clause = draft.statements[0]
    assert draft.text[clause.start : clause.end].startswith("where they agreed")
    assert (clause.kind, clause.attribution) == ("agreement", "joint")


def test_a_day_without_a_year_takes_the_year_of_the_same_day_written_in_full():
    draft = parse(
        "Ambassador Victoria Lane paid a courtesy call on Secretary Enrique Santos on March 6.\n"
        "Had a good meeting today with Victoria Lane.\n— Enrique Santos, March 6, 2023",
        publisher_country="PHL",
    )
    assert draft.date == datetime.date(2023, 3, 6)


@pytest.mark.parametrize(
    ("written", "occasion"),
    [
        ("within the margins of the 9th ACS Summit held on May 12", "9th ACS Summit"),
        (
            "on the sidelines of the joint ministerial meeting between the GCC and Russia",
            "joint ministerial meeting between the GCC and Russia",
        ),
        (
            "within the framework of the APEC Leaders' Meeting that will take place this week",
            "APEC Leaders' Meeting",
        ),
    ],
)
def test_occasions_written_in_batch_7_styles(written, occasion):
    draft = parse(
        f"On May 12, 2025, Foreign Minister Kamala Reid met Vice Minister Elena Ruiz {written}.",
        publisher_country="JAM",
    )
    assert draft.occasion.name == occasion


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The two sides reaffirmed their commitment to strengthening ties.", "commitment"),
        ("The two sides reaffirmed their commitment to the rule of law.", "stance"),
        ("Ama Mensah expressed the importance of strengthening ties.", "stance"),
        ("The meetings facilitated discussions in areas of collaboration.", "exchange_of_views"),
        ("High on the agenda was the recent summit.", "exchange_of_views"),
    ],
)
def test_statement_kinds_written_in_batch_7_styles(sentence, kind):
    draft = parse(
        "On May 5, 2023, Foreign Minister Fayez Haddad met Foreign Minister Ama Mensah of Ghana "
        "in Accra.\n" + sentence,
        publisher_country="SYR",
    )
    assert draft.statements[-1].kind == kind


def test_a_city_written_in_any_case_before_a_colon_is_a_dateline():
    draft = parse(
        "Bandar seri begawan: Foreign Minister Erywan Yusof on November 10, 2024 received "
        "Minister of State for Foreign Affairs of Qatar Soltan Saad.",
        publisher_country="BRN",
    )
    assert (draft.place.city, draft.place.country) == ("Bandar seri begawan", "BRN")
    assert set(by_name(draft)) == {"Erywan Yusof", "Soltan Saad"}


def test_an_honorific_of_two_words_is_not_part_of_the_name():
    draft = parse(
        "Malaysia's Foreign Minister, Datuk Seri Mohamad Hasan, met his Australian counterpart, "
        "Penny Wong, on February 13, 2024.",
        publisher_country="MYS",
    )
    assert set(by_name(draft)) == {"Mohamad Hasan", "Penny Wong"}


def test_a_sisterly_or_brotherly_country_is_part_of_the_title():
    draft = parse(
        "Doha: Foreign Minister HE Sheikh Khalid bin Ali met on March 3, 2024 with the "
        "Minister of Foreign Affairs of the brotherly Kingdom of Bahrain HE Abdullatif Zayani.",
        publisher_country="QAT",
    )
    assert by_name(draft)["Abdullatif Zayani"].country == "BHR"


def test_a_leading_month_is_no_place():
    draft = parse(
        "In March, Foreign Minister Ana Torres met Foreign Minister Luis Vera of Chile in Paris "
        "on March 3, 2024.",
        publisher_country="PER",
    )
    assert (draft.place.city, draft.place.country) == ("Paris", "FRA")
    assert set(by_name(draft)) == {"Ana Torres", "Luis Vera"}
