"""`manage.py import_readout PATH [PATH ...]`: readouts in, draft meetings out."""

import datetime
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.ingest.directory import Directory
from events.ingest.draft import ReadoutError
from events.ingest.importer import draft_readout, find_publisher, import_readout
from events.models import Country


def read_readout(path: Path) -> str:
    """The file's text; binary or non-UTF-8 files are refused with the reason."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise ReadoutError("The file is binary, not a text readout.", code="binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReadoutError(
            f"The file is not UTF-8 text (byte {error.start} cannot be read).", code="encoding"
        ) from error


class Command(BaseCommand):
    help = (
        "Import readouts (text files, or folders of .txt files) as draft meetings, one "
        "transaction per file. With --dry-run --json, print the draft of one file instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--publisher", help="The publishing organisation (name, alias or slug)."
        )
        parser.add_argument(
            "--country", help="Alpha-3 code of the publisher's country: its officials' side."
        )
        parser.add_argument("--url", default="", help="Where the readout was published.")
        parser.add_argument(
            "--published",
            type=_date,
            help="Publication date, YYYY-MM-DD: what 'today', 'yesterday' or a date without "
            "a year in the text is read against.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the draft as JSON.")

    def handle(self, *args, paths, publisher, country, url, published, dry_run, **options):
        as_json = options["json"]
        publisher_org = None
        if publisher:
            publisher_org = find_publisher(publisher)
            if publisher_org is None:
                raise CommandError(f'No organisation is named "{publisher}".')
        publisher_country = None
        if country:
            publisher_country = Country.objects.filter(pk=country.upper()).first()
            if publisher_country is None:
                raise CommandError(f'"{country}" is not an ISO 3166 alpha-3 country code.')
        files = _files(paths)
        if not files:
            raise CommandError("No readout files found at the given paths.")
        if as_json:
            if not dry_run or len(files) != 1:
                raise CommandError("--json prints one draft: use it with --dry-run and one file.")
            return self._print_draft(files[0], publisher_org, publisher_country, url, published)
        if dry_run:
            raise CommandError("--dry-run needs --json (it prints the draft of one file).")

        directory = Directory.from_db()
        counts = {"created": 0, "attached": 0, "duplicate": 0, "failed": 0}
        failures = []
        progress = tqdm(files, unit="file", file=sys.stderr, disable=len(files) < 2)
        for path in progress:
            progress.set_postfix_str(path.name, refresh=False)
            try:
                result = import_readout(
                    read_readout(path),
                    publisher=publisher_org,
                    publisher_country=publisher_country,
                    url=url,
                    published=published,
                    directory=directory,
                )
            except (ReadoutError, OSError) as error:
                counts["failed"] += 1
                failures.append((path, getattr(error, "message", str(error))))
                continue
            counts[result.outcome] += 1
            meeting = result.meeting
            self.stdout.write(
                f"{path}: {result.outcome}"
                + (f" -> meeting {meeting.pk} ({meeting.slug})" if meeting else "")
            )
        for path, reason in failures:
            self.stderr.write(f"{path}: failed: {reason}")
        self.stdout.write(
            "Created {created}, attached to an existing meeting {attached}, "
            "duplicates skipped {duplicate}, failed {failed}.".format(**counts)
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} file(s) failed.")

    def _print_draft(self, path, publisher, country, url, published):
        try:
            draft = draft_readout(
                read_readout(path),
                publisher=publisher,
                publisher_country=country,
                url=url,
                published=published,
            )
        except (ReadoutError, OSError) as error:
            raise CommandError(f"{path}: {getattr(error, 'message', error)}") from error
        self.stdout.write(json.dumps(draft.as_json(), indent=2, ensure_ascii=False))


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a date in YYYY-MM-DD form") from error


def _files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.txt")))
        elif path.exists():
            files.append(path)
        else:
            raise CommandError(f"{path}: no such file or folder.")
    return files
