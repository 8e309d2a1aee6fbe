"""`manage.py seed` (what `make run` calls) loads the seed once and keeps curators' edits."""

import io

import pytest
from django.core.management import call_command

from events.models import Meeting, Statement

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
