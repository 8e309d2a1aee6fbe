"""Load the curated seed data once, without overwriting what curators changed since."""

import json

from django.conf import settings
from django.core.management import BaseCommand, call_command

from events.history import Channel, acting, write_scope
from events.models import Meeting

SEED_FIXTURE = "seed"


def seeded_meeting_slugs() -> set[str]:
    path = settings.BASE_DIR / "fixtures" / f"{SEED_FIXTURE}.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    return {r["fields"]["slug"] for r in records if r["model"] == "events.meeting"}


class Command(BaseCommand):
    help = (
        "Load fixtures/seed.json into a tracker that does not hold the seeded meetings yet. "
        "With --reload, load it again: seeded records return to their curated state, "
        "overwriting edits made to them since."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Load the fixture even if the seeded meetings exist (overwrites their edits).",
        )

    def handle(self, *args, reload: bool, verbosity: int, **options):
        slugs = seeded_meeting_slugs()
        present = Meeting.objects.filter(slug__in=slugs).count()
        if present and not reload:
            self.stdout.write(
                f"Seed data already loaded ({present} of {len(slugs)} seeded meetings present); "
                "left as curated. Use 'manage.py seed --reload' to restore the seeded records."
            )
            return
        # Each seeded record's history starts here, attributed to this command.
        reason = "Reloaded from fixtures/seed.json" if present else "Loaded from fixtures/seed.json"
        with acting(channel=Channel.COMMAND), write_scope(reason=reason, record_loaded=True):
            call_command("loaddata", SEED_FIXTURE, verbosity=verbosity)
