"""`manage.py evaluate_parser [FOLDER]`: the parser's accuracy per field over a corpus."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.ingest.evaluation import FIELDS, evaluate_corpus


class Command(BaseCommand):
    help = (
        "Parse every readout of a corpus folder (<name>.txt with <name>.json holding the "
        "expected fields) and print the accuracy of each field."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            type=Path,
            default=Path(settings.BASE_DIR) / "tests" / "corpus" / "readouts",
        )
        parser.add_argument("--misses", action="store_true", help="List every wrong value.")
        parser.add_argument(
            "--organizations",
            type=Path,
            default=Path(settings.BASE_DIR) / "tests" / "corpus" / "organizations.json",
            help="International organisations the corpus names as sides, added to the "
            "directory in memory when the database lacks them (default: the corpus's own).",
        )

    def handle(self, *args, folder, misses, organizations, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder.")
        score, readouts = evaluate_corpus(folder, organizations=organizations)
        if not readouts:
            raise CommandError(f"{folder}: no <name>.json files with expected fields.")
        self.stdout.write(f"Parser accuracy over {readouts} readouts in {folder}:\n")
        self.stdout.write(f"  {'field':<20} {'correct':>7} {'total':>6} {'accuracy':>9}")
        for name in FIELDS:
            accuracy = score.accuracy(name)
            shown = "-" if accuracy is None else f"{accuracy:.1%}"
            line = f"  {name:<20} {score.correct[name]:>7} {score.total[name]:>6} {shown:>9}"
            self.stdout.write(line)
        if misses and score.misses:
            self.stdout.write("\nWrong values (file, field: expected / got):")
            for file, field, expected, got, where in score.misses:
                context = f"  [{where}]" if where else ""
                self.stdout.write(f"  {file}, {field}: {expected!r} / {got!r}{context}")
