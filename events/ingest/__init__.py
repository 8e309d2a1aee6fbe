"""Readout ingestion: a deterministic parser that drafts a meeting from a readout's text,
and the importer that stores that draft for curators to review.

- `parser.parse_readout` reads text into a `draft.Draft` (no writes);
- `importer.import_readout` stores a draft: source, draft meeting, participants, statements.
"""
