"""A curator's day in a real browser: Debian's Chromium driven by Playwright against a served
tracker (pytest-django's `live_server`, this test's database).

Sign in, paste a readout into the import page, preview it, create the draft meeting,
correct a statement's kind and a participant's office, accept a proposed commitment,
publish, and read the published meeting from the API as an anonymous reader. What a person
sees is asserted (highlighted statements, messages, no horizontal scrolling at 1,400
pixels, the stylesheets applied under the Content-Security-Policy) and a screenshot of each
step is kept in `test-artifacts/browser/`.

Marked `browser`: skipped when Chromium is missing, unless `BROWSER_TESTS=required` (what
`make browser-test` and `.ci/run` set), where a missing browser fails the run.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import readouts
from admin_pages import admin_test_settings  # noqa: F401  (an autouse fixture)
from django.core.management import call_command

from events.ingest.importer import draft_readout
from events.models import Commitment, Country, Meeting, Position, Statement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = readouts.ROOT / "test-artifacts" / "browser"
WIDTH, HEIGHT = 1400, 900
PASSWORD = "a-curator-password-for-tests"


@pytest.fixture
def browser():
    """Chromium, headless, with a user-data folder of its own that is removed after."""
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; Django refuses
    # database queries there unless told this test knows what it does.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    profile = tempfile.mkdtemp(prefix="tracker-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                args=CHROMIUM_FLAGS,
                headless=True,
                viewport={"width": WIDTH, "height": HEIGHT},
            )
            context.set_default_timeout(15_000)
            yield playwright, context
            context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Steps:
    """The page, a screenshot per step, and what a person checks on every page."""

    def __init__(self, page, folder: Path):
        self.page = page
        self.folder = folder
        self.count = 0
        self.errors: list[str] = []  # script errors, and answers >= 400 (but the favicon)
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.text.startswith("Failed to load resource")
                and self.errors.append(message.text)
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and not response.url.endswith("/favicon.ico")
                and self.errors.append(f"{response.status} {response.url}")
            ),
        )

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def no_horizontal_scroll(self):
        widths = self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] == WIDTH, f"{self.page.url} scrolls sideways: {widths}"

    def messages(self) -> list[str]:
        return self.page.locator("ul.messagelist li").all_inner_texts()


def test_a_curator_imports_corrects_accepts_and_publishes_a_readout(
    browser, live_server, django_user_model
):
    playwright, context = browser
    call_command("loaddata", "seed", verbosity=0)
    readouts.delete_seeded_meetings()  # the seed's people and offices stay to resolve against
    django_user_model.objects.create_superuser("curator", password=PASSWORD)
    text = readouts.read(readouts.ALMATY)
    drafted = draft_readout(text, publisher_country=Country.objects.get(pk="CHN"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    page = context.new_page()
    steps = Steps(page, ARTIFACTS)

    # Sign in.
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#readout-import-module")
    steps.shot("signed-in", full_page=False)

    # Paste the readout, preview the draft: every statement highlighted, coloured by the
    # stylesheet (served as a file: the Content-Security-Policy refuses inline styles).
    page.click("#readout-import-module a")
    page.fill("textarea[name=text]", text)
    page.select_option("select[name=country]", "CHN")
    page.click("input[name=_preview]")
    marks = page.locator("#readout-text mark.readout-statement")
    marks.first.wait_for()
    assert marks.count() == len(drafted.statements) == 22
    background = marks.first.evaluate("mark => getComputedStyle(mark).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    label = marks.first.evaluate("mark => getComputedStyle(mark, '::before').content")
    assert label.strip('"') == marks.first.get_attribute("data-label")
    steps.no_horizontal_scroll()
    steps.shot("preview")

    # Create the draft meeting: its page, with the readout and the proposals.
    page.click("input[name=confirmed]")
    page.wait_for_selector("#statements-group")
    assert any(message.startswith("Draft meeting created") for message in steps.messages())
    meeting = Meeting.objects.get()
    assert page.url.endswith(f"/admin/events/meeting/{meeting.pk}/change/")
    rows = page.locator("#statements-group mark.readout-statement")
    assert rows.count() == 22
    proposals = page.locator("#commitment_proposals-group button.proposal-accept")
    assert proposals.count() == meeting.commitment_proposals.count() == 11
    steps.no_horizontal_scroll()
    steps.shot("meeting-page")

    # Correct a statement's kind: its highlight follows at once, the save keeps it.
    statement = meeting.statements.order_by("start").first()
    assert statement.kind != Statement.Kind.ASSESSMENT
    row = page.locator(".statement-row", has=page.locator(f"#statement-{statement.pk}"))
    kind = row.locator("select[name$='-kind']")
    kind.click()  # the row's options are filled in when it is first used
    kind.select_option(Statement.Kind.ASSESSMENT)
    assert (
        page.locator(f"#statement-{statement.pk}")
        .get_attribute("data-label")
        .startswith("Assessment · ")
    )

    # Correct a participant's office: add "Minister of Justice" through its autocomplete.
    justice = Position.objects.get(slug="tajikistan-justice-minister")
    participant = meeting.participants.get(name_as_written="Sirojiddin Muhriddin")
    participant_row = page.locator(
        "#participants-group tr.form-row",
        has=page.locator("input[value='Sirojiddin Muhriddin']"),
    )
    participant_row.locator(".field-offices .select2-search__field").click()
    page.keyboard.type("Justice")
    page.locator(".select2-results__option", has_text="Minister of Justice").click()
    steps.shot("corrections", full_page=False)
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist")
    assert any("was changed successfully" in message for message in steps.messages())
    statement.refresh_from_db()
    assert statement.kind == Statement.Kind.ASSESSMENT
    assert justice in participant.offices.all()

    # Accept a proposed commitment.
    first = page.locator("#commitment_proposals-group tr.form-row.has_original").first
    description = first.locator("textarea[name$='-description']").input_value()
    first.locator("button.proposal-accept").click()
    page.wait_for_selector("ul.messagelist")
    assert any(message.startswith("Commitment recorded") for message in steps.messages())
    commitment = Commitment.objects.get(meeting=meeting)
    assert commitment.description == description.strip()
    assert page.locator("#commitment_proposals-group button.proposal-accept").count() == 10
    steps.no_horizontal_scroll()
    steps.shot("accepted")

    # Publish.
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist")
    assert any("was changed successfully" in message for message in steps.messages())
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    steps.shot("published", full_page=False)

    # An anonymous reader of the API now sees the meeting, with the corrections.
    reader = playwright.request.new_context(base_url=live_server.url)
    response = reader.get(f"/api/v1/meetings/{meeting.pk}/")
    assert response.status == 200, response.text()
    published = json.loads(response.text())
    reader.dispose()
    assert published["status"] == "published"
    kinds = {item["id"]: item["kind"] for item in published["statements"]}
    assert kinds[statement.pk] == "assessment"
    offices = {
        item["name_as_written"]: {office["slug"] for office in item["offices"]}
        for item in published["participants"]
    }
    assert "tajikistan-justice-minister" in offices["Sirojiddin Muhriddin"]
    assert [item["description"] for item in published["commitments"]] == [description.strip()]

    assert steps.errors == []  # no script error, nothing refused by the server or the CSP
    assert sorted(path.name for path in ARTIFACTS.glob("*.png")) == [
        "01-signed-in.png",
        "02-preview.png",
        "03-meeting-page.png",
        "04-corrections.png",
        "05-accepted.png",
        "06-published.png",
    ]
