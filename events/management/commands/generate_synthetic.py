"""`manage.py generate_synthetic --meetings N --seed S`: a synthetic archive for benchmarks."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.synthetic import generate
from events.synthetic.generator import ArchiveRefused


class Command(BaseCommand):
    help = (
        "Write a synthetic archive of N meetings (participants, sources, statements with exact "
        "spans, topics, mentions, commitments with reaffirmation chains and histories, 5%% "
        "drafts), the same for the same seed, in one transaction. Refuses a database that "
        "already holds meetings unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, required=True, help="How many meetings.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same archive.")
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add the archive beside the meetings already there (never twice one seed).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Meetings written per batch."
        )

    def handle(self, *args, meetings, seed, append, batch_size, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        with tqdm(total=meetings, unit="meeting", disable=verbosity < 1, file=self.stderr) as bar:
            try:
                summary = generate(
                    meetings=meetings,
                    seed=seed,
                    append=append,
                    batch_size=batch_size,
                    progress=bar.update,
                )
            except ArchiveRefused as error:
                raise CommandError(str(error)) from error
        rows = ", ".join(f"{table} {count:,}" for table, count in summary.rows.items() if count)
        self.stdout.write(
            f"Synthetic archive (seed {seed}): {meetings:,} meetings in {summary.seconds:.1f} s. "
            f"Rows: {rows}."
        )
