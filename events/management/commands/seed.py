"""Load the curated seed data once, without overwriting what curators changed since."""

import json

from django.conf import settings
from django.core.management import BaseCommand, call_command

from events.history import Channel, acting, write_scope
from events.models import Meeting, Organization

SEED_FIXTURE = "seed"
# International organisations (UN, EU, NATO, AU, WHO, ASEAN, ...): reference data a fresh
# database needs so that the readout parser gives their officials their organisation's side.
ORGANIZATIONS_FIXTURE = "international_organizations"


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
        self.load_organizations(reload=reload, verbosity=verbosity)
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

    def load_organizations(self, *, reload: bool, verbosity: int) -> None:
        """Load the international organisations unless some are there already (a curator's
        edits to them are kept; --reload restores them as the fixture has them)."""
        path = settings.BASE_DIR / "fixtures" / f"{ORGANIZATIONS_FIXTURE}.json"
        records = json.loads(path.read_text(encoding="utf-8"))
        slugs = {r["fields"]["slug"] for r in records if r["model"] == "events.organization"}
        present = Organization.objects.filter(slug__in=slugs).count()
        if present and not reload:
            return
        reason = f"Loaded from fixtures/{ORGANIZATIONS_FIXTURE}.json"
        with acting(channel=Channel.COMMAND), write_scope(reason=reason, record_loaded=True):
            call_command("loaddata", ORGANIZATIONS_FIXTURE, verbosity=verbosity)
