"""A synthetic archive for benchmarks: realistic in shape, deterministic for a seed.

`generate(meetings=N, seed=S)` writes N meetings with everything that hangs on them
(participants holding offices of the day, sources whose text is built from their
statements so every span is exact, topics, mentions, commitments with reaffirmation
chains and status histories). `vocabulary` holds the words it is made of, `writer` the
bulk writer (COPY on PostgreSQL), `generator` the plan of the archive.
"""

from .generator import SYNTHETIC_SLUG_PREFIX, ArchiveSummary, generate, synthetic_prefix

__all__ = ["SYNTHETIC_SLUG_PREFIX", "ArchiveSummary", "generate", "synthetic_prefix"]
