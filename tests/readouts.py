"""Plain helpers shared by the tests of importing readouts (parser, importer, command, API,
admin): where the seed readouts are, how to read them, the rows of every model, and the
seed's meetings deleted. Fixtures built on them are in `conftest.py`.

Imported as a top-level module (`import readouts`), like `factories`: pytest puts this
folder on `sys.path`.
"""

from pathlib import Path

from django.apps import apps

from events.models import (
    Commitment,
    CommitmentStatusChange,
    Meeting,
    Participant,
    RelationshipLevel,
    SourceDocument,
    Statement,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "seed.json"
# The seed readouts (real, verbatim), in date order; `fixtures/seed.json` curates both:
# Wang Yi meeting Muzaffar Ashurion in Tunxi (2022) and Sirojiddin Muhriddin in Almaty (2025).
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TUNXI = ROOT / "seeds" / "2022-03-31_wang-yi_muzaffar-ashurion_tunxi.txt"
ALMATY = ROOT / "seeds" / "2025-04-25_wang-yi_sirojiddin-muhriddin_almaty.txt"

# SYNTHETIC TEST INPUT, NOT A REAL READOUT: a short account of the 2022 Tunxi meeting (TUNXI)
# as the other side might have written it (same date, same two people, each side named), to
# test attaching a second source to a meeting already recorded. Its one statement:
# "The two sides agreed to strengthen cooperation in the field of justice."
SYNTHETIC_SECOND_READOUT = (
    "On March 31, 2022, Justice Minister of Tajikistan Muzaffar Ashurion met with Chinese "
    "Foreign Minister Wang Yi in Tunxi.\n"
    "The two sides agreed to strengthen cooperation in the field of justice.\n"
)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def counts(*others) -> dict[str, int]:
    """Rows of every model of the tracker (and of the people it may create), and of each
    model in `others` (e.g. the admin's `LogEntry`), by model name."""
    models = [*apps.get_app_config("events").get_models(), *others]
    return {model.__name__: model.objects.count() for model in models}


def delete_seeded_meetings() -> None:
    """Leave only the reference data: people, offices, organisations, places, gatherings,
    topics. Everything that PROTECTs a meeting (its statements and sources, the commitments
    and relationship levels that point to them) goes first."""
    Commitment.reaffirms.through.objects.all().delete()
    CommitmentStatusChange.objects.all().delete()
    Commitment.objects.all().delete()
    RelationshipLevel.objects.all().delete()
    Statement.objects.all().delete()
    Participant.objects.all().delete()
    Meeting.objects.all().delete()
    SourceDocument.objects.all().delete()
