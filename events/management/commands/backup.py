"""`manage.py backup PATH`: the whole curated database in one file, history included."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by `migrate` in any database (and their ids differ between databases): referred to
# by natural keys instead (`--natural-foreign`). Sessions are not curated data.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


class Command(BaseCommand):
    help = (
        "Write every record of the tracker (the curated data and its history, the users, "
        "their groups, permissions and tokens, the admin's log) to PATH as JSON, with the "
        "ids they have, so `manage.py restore PATH` rebuilds the same database in an empty "
        "one, SQLite or PostgreSQL. PATH ending in .gz, .bz2, .xz or .lzma is compressed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, e.g. backup-2026-11-30.json.gz.")

    def handle(self, *args, path: str, verbosity: int, **options):
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            output=path,
            indent=None,
            verbosity=0,
        )
        if verbosity:
            self.stdout.write(f"Wrote the tracker's records to {path}.")
