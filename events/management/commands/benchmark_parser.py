"""`manage.py benchmark_parser`: how the readout parser's time grows with the text's length.

Figures, not a test: the time per 10,000 characters at 10,000, 50,000 and 200,000
characters, for ordinary readouts (the seeds' bodies repeated) and for texts crafted to
trip a parser that is not linear (a phrase repeated without end, deeply nested
parentheses, one sentence as long as the API accepts, thousands of titles). Linear
parsing keeps each row's figures about equal; a quadratic step makes them grow with the
length.
"""

import contextlib
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from events.ingest.directory import Directory
from events.ingest.draft import ReadoutError
from events.ingest.parser import MAX_READOUT_CHARS, parse_readout

LENGTHS = (10_000, 50_000, MAX_READOUT_CHARS)
OPENING = "On March 31, 2022, Foreign Minister Wang Yi met with Foreign Minister Sergey Lavrov. "


def _fill(opening: str, unit: str, length: int, closing: str = "") -> str:
    """`opening`, then `unit` repeated, then `closing`: `length` characters in all."""
    room = length - len(opening) - len(closing)
    body = (unit * (room // len(unit) + 1))[:room]
    return opening + body + closing


def _seeds_body() -> tuple[str, str]:
    seeds = sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
    text = seeds[-1].read_text(encoding="utf-8")
    opening, body = text.split("\n", 1)
    return opening + "\n", body + "\n"


def texts(length: int) -> dict[str, str]:
    """Every kind of text the benchmark times, `length` characters long."""
    opening, body = _seeds_body()
    depth = length // 2 - len(OPENING)
    return {
        "ordinary readout (seed repeated)": _fill(opening, body, length),
        'crafted: "A. " repeated': _fill(OPENING, "A. ", length),
        'crafted: "Mr. " repeated': _fill(OPENING, "Mr. ", length),
        'crafted: "Mr. Wang Yi met with " repeated': _fill(
            OPENING, "Mr. Wang Yi met with ", length
        ),
        "crafted: nested parentheses": OPENING + "(" * depth + ")" * depth,
        "crafted: one sentence, no full stop": _fill(
            OPENING, "the two sides agreed to deepen cooperation and ", length
        ),
        "crafted: thousands of titles": _fill(
            "On March 31, 2022, ",
            "Deputy Foreign Minister and ",
            length,
            "Wang Yi met with Lavrov.",
        ),
        "crafted: one name after another": _fill(
            "On March 31, 2022, Wang Yi met with ", "Sergey Lavrov and ", length, "Kim."
        ),
    }


def _median_seconds(function, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


class Command(BaseCommand):
    help = (
        "Time the readout parser per 10,000 characters at 10,000, 50,000 and 200,000 "
        "characters, on ordinary readouts and on texts crafted against it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="Runs per figure (median).")
        parser.add_argument(
            "--lengths",
            type=lambda value: [int(part) for part in value.split(",")],
            default=list(LENGTHS),
            help="Comma-separated lengths in characters (default: 10000,50000,200000).",
        )

    def handle(self, *args, repeat, lengths, **options):
        directory = Directory.from_db()
        self.stdout.write(
            f"directory from the database: {_median_seconds(Directory.from_db, repeat):.4f} s"
        )
        parse_readout(_seeds_body()[0] + _seeds_body()[1], directory=directory)  # warm caches
        columns = "".join(f"{length:>12,}" for length in lengths)
        self.stdout.write(f"\nseconds per 10,000 characters, at {columns} characters")
        by_length = {length: texts(length) for length in lengths}
        for name in by_length[lengths[0]]:
            figures = []
            for length in lengths:
                text = by_length[length][name]

                def parse(text=text):
                    # A crafted text may be refused; refusing it is timed too.
                    with contextlib.suppress(ReadoutError):
                        parse_readout(text, publisher_country="CHN", directory=directory)

                seconds = _median_seconds(parse, repeat if length <= 50_000 else 1)
                figures.append(seconds / (len(text) / 10_000))
            row = "".join(f"{figure:>12.4f}" for figure in figures)
            growth = figures[-1] / figures[0] if figures[0] else float("nan")
            self.stdout.write(f"  {name:<44}{row}   x{growth:.1f}")
