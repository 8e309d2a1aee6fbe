"""`manage.py seed` (what `make run` calls) loads the seed once and keeps curators' edits."""

import io

import pytest
from django.core.management import call_command

from events.ingest.parser import parse_readout
from events.models import Meeting, Organization, Statement

pytestmark = pytest.mark.django_db

SLUG = "2022-03-31-wang-yi-muzaffar-ashurion"


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed", *args, stdout=out, verbosity=0)
    return out.getvalue()


def test_it_loads_the_seed_into_an_empty_tracker():
    seed()
    assert Meeting.objects.count() == 2
    assert Statement.objects.count() == 41


def test_it_leaves_a_curators_edit_alone_when_run_again():
    seed()
    Meeting.objects.filter(slug=SLUG).update(title="Corrected by a curator", status="reviewed")

    output = seed()

    meeting = Meeting.objects.get(slug=SLUG)
    assert (meeting.title, meeting.status) == ("Corrected by a curator", "reviewed")
    assert "already loaded" in output


def test_it_restores_the_seeded_records_on_reload():
    seed()
    Meeting.objects.filter(slug=SLUG).update(title="Corrected by a curator")

    seed("--reload")

    assert Meeting.objects.get(slug=SLUG).title == (
        "Wang Yi meets Tajik Justice Minister Muzaffar Ashurion"
    )
    assert Meeting.objects.count() == 2


def test_it_loads_the_international_organisations_with_their_abbreviations_and_aliases():
    seed()
    un = Organization.objects.get(slug="united-nations")
    assert (un.name, un.abbreviation, un.kind, un.country) == (
        "United Nations",
        "UN",
        "international",
        None,
    )
    assert set(
        Organization.objects.get(slug="african-union").aliases.values_list("name", flat=True)
    ) == {
        "AU Commission",
        "African Union Commission",
    }
    assert Organization.objects.filter(kind="international", country=None).count() >= 25


def test_the_parser_gives_an_official_of_a_seeded_organisation_its_side():
    seed()
    # Synthetic test input, not a real readout.
    draft = parse_readout(
        "On May 2, 2024, Foreign Minister Wang Yi met with NATO Secretary General Jens "
        "Stoltenberg in Brussels.",
        publisher_country="CHN",
    )
    official = next(p for p in draft.participants if p.name == "Jens Stoltenberg")
    assert (official.country, official.organization) == (None, "North Atlantic Treaty Organization")


def test_a_curators_edit_to_an_organisation_survives_a_second_seed():
    seed()
    Organization.objects.filter(slug="who").update(name="World Health Organization (edited)")
    seed()
    assert Organization.objects.get(slug="who").name == "World Health Organization (edited)"
