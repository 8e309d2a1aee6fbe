"""The evaluation corpus and `make eval`: real readouts with their expected fields."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from events.ingest.evaluation import FIELDS
from events.models import Statement

CORPUS = Path(__file__).parent / "corpus" / "readouts"
METADATA = sorted(CORPUS.glob("*.json"))
KINDS = set(Statement.Kind.values)
CONTACT_TYPES = {"meeting", "talks", "phone_call", "video_call", "exchange_of_messages", "other"}


def test_the_corpus_has_at_least_fifteen_readouts_from_several_publishers():
    metadata = [json.loads(path.read_text(encoding="utf-8")) for path in METADATA]
    assert len(metadata) >= 15
    not_chinese = {m["publisher"] for m in metadata if m.get("publisher_country") != "CHN"}
    assert len(not_chinese) >= 3


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
