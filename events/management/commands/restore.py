"""`manage.py restore PATH`: rebuild the tracker from `manage.py backup` in an empty database."""

import bz2
import gzip
import json
import lzma
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from events.models import Meeting, Person, SourceDocument, Topic

OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".lzma": lzma.open}

# Any of these holding rows means the database is in use: a restore would mix two trackers.
CURATED = [Meeting, Person, SourceDocument, Topic]


def read_backup(path: Path) -> list[dict]:
    opener = OPENERS.get(path.suffix, open)
    with opener(path, "rt", encoding="utf-8") as file:
        return json.load(file)


class Command(BaseCommand):
    help = (
        "Load a file written by `manage.py backup` into this database (run `migrate` first), "
        "in one transaction, and check that every record arrived: the same number of rows "
        "of each kind as the file holds. Refuses a database that already holds curated "
        "records."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file written by `manage.py backup`.")

    def handle(self, *args, path: str, verbosity: int, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {path}")
        in_use = [model._meta.verbose_name_plural for model in CURATED if model.objects.exists()]
        if in_use:
            raise CommandError(
                f"This database already holds {', '.join(in_use)}: restore into an empty one "
                "(create it, run `manage.py migrate`, then restore)."
            )
        try:
            expected = Counter(record["model"] for record in read_backup(source))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{path} is not a backup of the tracker: {error}") from error
        with transaction.atomic():
            call_command("loaddata", str(source), verbosity=0)
            missing = {
                label: (count, found)
                for label, count in sorted(expected.items())
                if (found := apps.get_model(label).objects.count()) < count
            }
            if missing:
                raise CommandError(
                    "The restore is incomplete and was undone: "
                    + "; ".join(
                        f"{label}: {found} of {count}" for label, (count, found) in missing.items()
                    )
                )
        if verbosity:
            self.stdout.write(
                f"Restored {sum(expected.values()):,} records of {len(expected)} kinds from {path}."
            )
