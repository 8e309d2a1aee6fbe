"""The evaluation corpus and `make eval`: real readouts with their expected fields."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import transaction

from events.ingest.evaluation import FIELDS, evaluate_corpus
from events.models import Statement

load_countries = importlib.import_module("events.migrations.0002_load_countries").load_countries

CORPUS = Path(__file__).parent / "corpus" / "readouts"
ORGANIZATIONS = Path(__file__).parent / "corpus" / "organizations.json"
THRESHOLDS = json.loads((Path(__file__).parent / "corpus" / "thresholds.json").read_text())
METADATA = sorted(CORPUS.glob("*.json"))
KINDS = set(Statement.Kind.values)
CONTACT_TYPES = {"meeting", "talks", "phone_call", "video_call", "exchange_of_messages", "other"}


def test_the_corpus_has_at_least_seventy_readouts_from_twenty_publishers():
    metadata = [json.loads(path.read_text(encoding="utf-8")) for path in METADATA]
    assert len(metadata) >= 70
    assert len({m["publisher"] for m in metadata}) >= 20
    not_chinese = {m["publisher"] for m in metadata if m.get("publisher_country") != "CHN"}
    assert len(not_chinese) >= 15


@pytest.fixture(scope="module")
def corpus_score(django_db_setup, django_db_blocker):
    """The parser's score over the corpus, with the seeded database's directory (what
    `make eval` measures), in a transaction rolled back at once. The countries migration
    0002 loads are loaded again first if a transactional test flushed them."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_countries(django_apps, None)
        call_command("loaddata", "seed", verbosity=0)
        score, readouts = evaluate_corpus(CORPUS, organizations=ORGANIZATIONS)
        transaction.set_rollback(True)
    assert readouts == len(METADATA)
    return score


@pytest.mark.parametrize("field", FIELDS)
def test_no_field_reads_worse_than_its_committed_floor(corpus_score, field):
    """`tests/corpus/thresholds.json` holds the accuracy each field had when it was last
    raised: a change that makes the parser read any field worse fails here."""
    floor = THRESHOLDS["floors"][field]
    accuracy = corpus_score.accuracy(field)
    misses = [m for m in corpus_score.misses if m[1] == field][:10]
    assert accuracy >= floor, f"{field}: {accuracy:.1%} < {floor:.1%}; first misses: {misses}"


def test_the_floors_cover_every_field_and_are_real_figures():
    assert set(THRESHOLDS["floors"]) == set(FIELDS)
    assert all(0.5 <= floor <= 1 for floor in THRESHOLDS["floors"].values())


@pytest.mark.parametrize("path", METADATA, ids=lambda path: path.stem)
def test_each_readout_has_its_source_and_expected_fields_traced_to_its_text(path):
    meta = json.loads(path.read_text(encoding="utf-8"))
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert meta["url"].startswith("http")
    expected = meta["expected"]
    assert expected["contact_type"] in CONTACT_TYPES
    assert set(expected["place"]) >= {"city", "region", "country"}
    assert expected["participants"]
    cursor = 0
    for statement in expected["statements"]:
        # Quoted verbatim, in the order of the text.
        position = text.find(statement["text"], cursor)
        assert position >= 0, statement["text"]
        cursor = position
        assert statement["kind"] in KINDS


@pytest.mark.django_db
def test_evaluate_parser_prints_the_accuracy_of_every_field(capsys):
    call_command("evaluate_parser", str(CORPUS))
    output = capsys.readouterr().out
    assert f"over {len(METADATA)} readouts" in output
    for field in FIELDS:
        line = next(line for line in output.splitlines() if line.strip().startswith(field))
        correct, total, accuracy = line.split()[1:4]
        assert 0 <= int(correct) <= int(total)
        assert accuracy.endswith("%")


@pytest.mark.django_db
def test_evaluate_parser_lists_the_misses_when_asked(tmp_path, capsys):
    (tmp_path / "call.txt").write_text(
        # Synthetic test input, not a real readout.
        "On May 2, 2024, Foreign Minister Wang Yi had a phone call with Foreign Minister "
        "Sergey Lavrov of Russia. The two sides exchanged views on bilateral relations.\n",
        encoding="utf-8",
    )
    expected = {
        "date": "2024-05-03",  # deliberately wrong, to be listed as a miss
        "contact_type": "phone_call",
        "place": {"city": None, "region": None, "country": None},
        "occasion": None,
        "participants": [
            {"name": "Wang Yi", "side": "CHN"},
            {"name": "Sergey Lavrov", "side": "RUS"},
        ],
        "statements": [
            {
                "text": "The two sides exchanged views",
                "kind": "exchange_of_views",
                "speaker": "joint",
            }
        ],
    }
    meta = {"url": "https://example.org/", "publisher_country": "CHN", "expected": expected}
    (tmp_path / "call.json").write_text(json.dumps(meta), encoding="utf-8")
    call_command("evaluate_parser", str(tmp_path), "--misses")
    output = capsys.readouterr().out
    assert "call, date: '2024-05-03' / '2024-05-02'" in output
    rows = {line.split()[0]: line.split()[1:] for line in output.splitlines()[2:12]}
    assert rows["date"] == ["0", "1", "0.0%"]
    assert rows["participant_name"] == ["2", "2", "100.0%"]
    assert rows["participant_side"] == ["2", "2", "100.0%"]
    assert rows["statement_kind"] == ["1", "1", "100.0%"]


@pytest.mark.django_db
def test_evaluate_parser_refuses_a_folder_without_a_corpus(tmp_path):
    with pytest.raises(CommandError, match=r"no <name>\.json files"):
        call_command("evaluate_parser", str(tmp_path))
    with pytest.raises(CommandError, match="no such folder"):
        call_command("evaluate_parser", str(tmp_path / "missing"))
