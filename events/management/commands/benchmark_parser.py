"""`manage.py benchmark_parser`: how long the readout parser takes (figures, not a test)."""

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from events.ingest.directory import Directory
from events.ingest.parser import MAX_READOUT_CHARS, parse_readout


def _median_seconds(function, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


class Command(BaseCommand):
    help = (
        "Time the readout parser on the seed readouts and on a readout as long as the "
        "API accepts (the seeds' bodies repeated), with the current database's directory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="Runs per figure (median).")

    def handle(self, *args, repeat, **options):
        directory = Directory.from_db()
        self.stdout.write(
            f"  directory from the database: {_median_seconds(Directory.from_db, repeat):.4f} s"
        )
        seeds = sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
        for path in seeds:
            text = path.read_text(encoding="utf-8")
            seconds = _median_seconds(
                lambda text=text: parse_readout(text, publisher_country="CHN", directory=directory),
                repeat,
            )
            self.stdout.write(f"  {path.name} ({len(text):,} chars): {seconds:.4f} s")
        text = seeds[-1].read_text(encoding="utf-8")
        opening, body = text.split("\n", 1)
        long_text = opening + "\n" + (body + "\n") * ((MAX_READOUT_CHARS - 10_000) // len(body))
        draft = parse_readout(long_text, publisher_country="CHN", directory=directory)
        seconds = _median_seconds(
            lambda: parse_readout(long_text, publisher_country="CHN", directory=directory),
            max(1, repeat // 2),
        )
        self.stdout.write(
            f"  {len(long_text):,} chars ({len(draft.statements):,} statements): {seconds:.2f} s"
        )
