"""`manage.py import_readout PATH...`: files and folders of readouts in, draft meetings out;
a summary of what happened to each file, and a non-zero exit when one failed."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from readouts import ALMATY, SYNTHETIC_SECOND_READOUT, TUNXI, counts, read

from events.models import Meeting, Person, SourceDocument

pytestmark = pytest.mark.django_db

# Synthetic test input, not a real readout: no sentence says who met whom.
NOT_A_READOUT = "Spring came early to Tunxi this year.\nThe tea harvest was good.\n"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_readout", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> tuple[CommandError, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_readout", *[str(a) for a in args], stdout=out, stderr=err)
    return error.value, out.getvalue(), err.getvalue()


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "readouts"
    folder.mkdir()
    shutil.copy(TUNXI, folder / TUNXI.name)
    shutil.copy(ALMATY, folder / ALMATY.name)
    (folder / "notes.md").write_text("Not a readout, and not a .txt file.", encoding="utf-8")
    return folder


@pytest.fixture
def unstored_readout(tmp_path) -> Path:
    """The seed loaded, and a readout it does not hold yet (the Tunxi meeting as the other
    side told it, both sides named): imported, it would be attached to the seed's meeting, so
    a refusal that still wrote something shows in `counts()`."""
    call_command("loaddata", "seed", verbosity=0)
    path = tmp_path / "second.txt"
    path.write_text(SYNTHETIC_SECOND_READOUT, encoding="utf-8")
    return path


def test_a_folder_imports_every_text_file_in_it(seeds):
    out, err = run(seeds, "--country", "CHN")

    assert sorted(str(d) for d in Meeting.objects.values_list("date", flat=True)) == [
        "2022-03-31",
        "2025-04-25",
    ]
    assert set(Meeting.objects.values_list("status", flat=True)) == {"draft"}
    assert SourceDocument.objects.count() == 2
    assert f"{seeds / TUNXI.name}: created" in out
    assert f"{seeds / ALMATY.name}: created" in out
    assert "notes.md" not in out + err
    assert out.strip().splitlines()[-1] == (
        "Created 2, attached to an existing meeting 0, duplicates skipped 0, failed 0."
    )


def test_a_readout_already_in_the_database_is_skipped(seeds):
    call_command("loaddata", "seed", verbosity=0)
    before = counts()
    # The curated source has the same text: a duplicate.
    out, _ = run(seeds / TUNXI.name, "--publisher", "mfa-china")
    assert counts() == before
    assert out.strip().splitlines()[-1] == (
        "Created 0, attached to an existing meeting 0, duplicates skipped 1, failed 0."
    )


def test_the_summary_counts_duplicates_and_attached_readouts(tmp_path):
    first = tmp_path / "first.txt"
    shutil.copy(TUNXI, first)
    run(first, "--country", "CHN")
    # Synthetic test input, not a real readout: the same meeting, written by the other side.
    (tmp_path / "second.txt").write_text(SYNTHETIC_SECOND_READOUT, encoding="utf-8")

    out, _ = run(tmp_path, "--country", "TJK")

    assert f"{first}: duplicate" in out
    assert f"{tmp_path / 'second.txt'}: attached" in out
    assert out.strip().splitlines()[-1] == (
        "Created 0, attached to an existing meeting 1, duplicates skipped 1, failed 0."
    )
    meeting = Meeting.objects.get()
    assert meeting.sources.count() == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
        ("On March 31, 2022, Wang Yi met Muzaffar Ashurion.".encode("utf-16"), "binary"),
        ("Caf\xe9 diplomacy: Wang Yi met with Ashurion.".encode("latin-1"), "UTF-8"),
        (NOT_A_READOUT.encode(), "who met whom"),
    ],
    ids=["empty", "png", "utf-16", "latin-1", "no-meeting"],
)
def test_a_file_that_cannot_be_read_fails_and_the_others_are_imported(seeds, content, reason):
    bad = seeds / "bad.txt"
    bad.write_bytes(content)

    error, out, err = run_failing(seeds, "--country", "CHN")

    assert "1 of 3 file(s) failed" in str(error)
    assert f"{bad}: failed:" in err
    assert reason in err.split(f"{bad}: failed:")[1].splitlines()[0]
    assert out.strip().splitlines()[-1] == (
        "Created 2, attached to an existing meeting 0, duplicates skipped 0, failed 1."
    )
    assert Meeting.objects.count() == 2
    assert SourceDocument.objects.count() == 2


def test_a_failed_file_exits_non_zero(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(NOT_A_READOUT, encoding="utf-8")

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_readout", str(bad), "--country", "CHN"])

    assert exit_.value.code != 0
    captured = capsys.readouterr()
    assert f"{bad}: failed:" in captured.err
    assert "1 of 1 file(s) failed" in captured.err


def test_dry_run_json_prints_the_draft_and_writes_nothing(capsys):
    before = counts()
    out, _ = run(TUNXI, "--dry-run", "--json", "--country", "CHN")

    draft = json.loads(out)
    assert counts() == before
    assert {"date", "date_qualifier", "contact_type", "place", "occasion"} <= draft.keys()
    assert {"participants", "statements"} <= draft.keys()
    assert draft["date"] == "2022-03-31"
    assert draft["date_qualifier"] == ""
    assert draft["contact_type"] == "meeting"
    assert {"city": "Tunxi", "region": "Anhui", "country": "CHN"}.items() <= draft["place"].items()
    assert draft["occasion"].startswith("Third Foreign Ministers' Meeting on the Afghan Issue")
    participant_keys = {"name", "country", "title_as_written", "role", "person_id"}
    for participant in draft["participants"]:
        assert participant_keys <= participant.keys()
    assert [
        (p["name"], p["country"], p["role"], p["person_id"]) for p in draft["participants"]
    ] == [
        ("Wang Yi", "CHN", "host", None),
        ("Muzaffar Ashurion", "TJK", "guest", None),
    ]
    text = read(TUNXI)
    statement_keys = {"speaker", "sides", "kind", "text", "start", "end", "topics", "mentions"}
    for statement in draft["statements"]:
        assert statement_keys <= statement.keys()
        assert text[statement["start"] : statement["end"]] == statement["text"]
    assert draft["statements"][0]["speaker"] == "Wang Yi"


def test_dry_run_json_of_a_bad_file_is_refused_with_the_reason(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(NOT_A_READOUT, encoding="utf-8")
    error, _, _ = run_failing(bad, "--dry-run", "--json")
    assert str(bad) in str(error) and "who met whom" in str(error)


@pytest.mark.parametrize(
    "args",
    [
        ["--json"],
        ["--dry-run"],
    ],
    ids=["json-without-dry-run", "dry-run-without-json"],
)
def test_json_and_dry_run_go_together(args):
    before = counts()
    error, _, _ = run_failing(TUNXI, *args, "--country", "CHN")
    assert "--dry-run" in str(error)
    assert counts() == before


def test_dry_run_json_prints_one_file_only(seeds):
    error, _, _ = run_failing(seeds, "--dry-run", "--json")
    assert "one file" in str(error)


def test_a_readout_the_seed_does_not_hold_is_attached(unstored_readout):
    """What the refusals below would write if they let the readout through."""
    before = counts()
    out, _ = run(unstored_readout)
    assert f"{unstored_readout}: attached" in out
    after = counts()
    assert (after["SourceDocument"], after["Statement"]) == (
        before["SourceDocument"] + 1,
        before["Statement"] + 1,
    )


def test_an_unknown_publisher_is_refused(unstored_readout):
    before = counts()
    error, _, _ = run_failing(unstored_readout, "--publisher", "Ministry of Nowhere")
    assert "Ministry of Nowhere" in str(error)
    assert counts() == before


def test_a_known_publisher_by_slug_alias_or_abbreviation(tmp_path):
    call_command("loaddata", "seed", verbosity=0)
    # Synthetic test input, not a real readout.
    text = tmp_path / "readout.txt"
    text.write_text(
        "On May 21, 2024, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin "
        "Muhriddin in Astana.\nThe two sides agreed to deepen cooperation.\n",
        encoding="utf-8",
    )
    run(text, "--publisher", "MFA")
    source = SourceDocument.objects.get(text=read(text))
    assert source.publisher.slug == "mfa-china"
    wang = source.meetings.get().participants.get(name_as_written="Wang Yi")
    assert wang.side_id == "CHN"  # the publisher's country
    assert wang.person == Person.objects.get(slug="wang-yi")


@pytest.mark.parametrize("country", ["XYZ", "China", "cn"])
def test_a_bad_country_code_is_refused(unstored_readout, country):
    before = counts()
    error, _, _ = run_failing(unstored_readout, "--country", country)
    assert country in str(error)
    assert counts() == before


def test_a_missing_path_is_refused(tmp_path):
    error, _, _ = run_failing(tmp_path / "nowhere.txt")
    assert "nowhere.txt" in str(error)


def test_a_bad_published_date_is_refused(unstored_readout):
    before = counts()
    with pytest.raises(CommandError):
        run(unstored_readout, "--published", "31/03/2022")
    assert counts() == before


def test_published_reads_a_relative_date(tmp_path):
    # Synthetic test input, not a real readout.
    text = tmp_path / "readout.txt"
    text.write_text(
        "Yesterday, Foreign Minister Wang Yi met with Tajik Foreign Minister Sirojiddin "
        "Muhriddin in Beijing.\n",
        encoding="utf-8",
    )
    run(text, "--country", "CHN", "--published", "2024-05-08", "--url", "https://example.org/1")
    meeting = Meeting.objects.get()
    assert str(meeting.date) == "2024-05-07"
    source = meeting.sources.get()
    assert (str(source.published_on), source.url) == ("2024-05-08", "https://example.org/1")


def test_a_file_failing_halfway_does_not_spoil_the_next_one(tmp_path):
    # Synthetic test inputs, not real readouts. The first names a new Chinese official and
    # someone of no side (and no --country is given), so it fails after the official was
    # drafted as a new person; the second names the same official, who must be created anew.
    (tmp_path / "a.txt").write_text(
        "On March 3, 2024, Chinese Foreign Minister Li Lei met with Minister Baz Qux.\n"
        "The two sides agreed to meet again.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "On March 4, 2024, Chinese Foreign Minister Li Lei met with Tajik Foreign Minister "
        "Sirojiddin Muhriddin in Beijing.\nThe two sides agreed to meet again.\n",
        encoding="utf-8",
    )

    error, out, err = run_failing(tmp_path)

    assert "1 of 2 file(s) failed" in str(error)
    assert f"{tmp_path / 'a.txt'}: failed: No side could be read for Baz Qux" in err
    assert f"{tmp_path / 'b.txt'}: created" in out
    meeting = Meeting.objects.get()
    li_lei = meeting.participants.get(name_as_written="Li Lei").person
    assert li_lei.needs_review and li_lei.country_id == "CHN"
    assert Person.objects.filter(name="Li Lei").count() == 1
