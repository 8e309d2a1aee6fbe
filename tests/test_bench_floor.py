"""The benchmark's floor (benchmarks/floor.py) answers exactly what the app answers, byte
for byte, by sending exactly the SQL the app sends: otherwise the app/floor ratio that
`make bench` prints would compare different work. PostgreSQL only, as the benchmark."""

from urllib import parse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks import floor
from events.models import Commitment, Meeting, Statement
from events.synthetic import generate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the benchmark runs on PostgreSQL"
    ),
]


@pytest.fixture
def archive():
    generate(meetings=200, seed=5)
    # A commitment that reaffirms one of a draft meeting: its link is hidden from readers.
    chained = Commitment.objects.filter(reaffirms__isnull=False).order_by("-id")
    Meeting.objects.filter(pk=chained[0].reaffirms.first().meeting_id).update(status="draft")
    connection.ensure_connection()
    db = floor.Database("")
    db.connection = connection.connection  # the test's transaction, where the archive is
    return db


def both(client, db, url):
    """The app's and the floor's answers to one anonymous GET, with the SQL each sent."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    path, _, query = url.partition("?")
    db.log = []
    status, payload = floor.answer(
        db, {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "testserver"}
    )
    sql = db.log
    db.log = None
    return (
        (response.status_code, response.content, [q["sql"] for q in captured]),
        (int(status.split()[0]), floor.render(payload), sql),
    )


def followed(client, url: str, steps: int, link: str = "next") -> list[str]:
    """The URLs of `steps` pages from `url` on, following the app's `next` (or `previous`)
    links: cursors as the app writes them."""
    found = []
    for _ in range(steps):
        url = client.get(url).json()[link]
        if url is None:
            break
        found.append(url.removeprefix("http://testserver"))
    return found


def urls(client) -> list[str]:
    published = Meeting.objects.published()
    with_everything = (
        published.filter(commitments__reaffirms__isnull=False, occasion__isnull=False)
        .values_list("id", flat=True)
        .first()
    )
    some = list(published.order_by("id").values_list("id", flat=True)[:5])
    deep_meetings = followed(client, "/api/v1/meetings/?page_size=10", 30)
    deep_statements = followed(client, "/api/v1/statements/", 3)
    deep_commitments = followed(client, "/api/v1/commitments/?page_size=20", 2)
    meeting_search = "/api/v1/meetings/?" + parse.urlencode({"q": "foreign minister"})
    statement_search = "/api/v1/statements/?" + parse.urlencode({"q": "security cooperation"})
    return [
        "/api/v1/meetings/",
        "/api/v1/meetings/?page_size=10",
        *deep_meetings[-2:],  # the last page, and the one before
        *followed(client, deep_meetings[-1], 2, "previous"),
        "/api/v1/meetings/?page_size=500",
        *[f"/api/v1/meetings/{pk}/" for pk in [*some, with_everything] if pk],
        "/api/v1/statements/",
        *deep_statements,
        *followed(client, deep_statements[-1], 1, "previous"),
        "/api/v1/commitments/",
        *deep_commitments,
        *followed(client, deep_commitments[-1], 1, "previous"),
        meeting_search,
        *followed(client, meeting_search, 2),
        statement_search,
        *followed(client, statement_search, 2),
        "/api/v1/statements/?" + parse.urlencode({"q": '"free trade" or tourism'}),
        "/api/v1/commitments/?" + parse.urlencode({"q": "cooperation -energy"}),
        *followed(client, "/api/v1/commitments/?q=cooperation+-energy", 1),
    ]


def test_the_floor_answers_byte_for_byte_what_the_app_answers(api_client, archive):
    for url in urls(api_client):
        app, bare = both(api_client, archive, url)
        assert app[0] == bare[0] == 200, url
        assert app[1] == bare[1], url


def test_the_floor_sends_the_same_sql(api_client, archive):
    for url in urls(api_client):
        app, bare = both(api_client, archive, url)
        assert app[2] == bare[2], url


def test_the_archive_exercises_what_the_floor_renders(archive):
    """Drafts hidden behind reaffirms, statements of every attribution, occasions."""
    assert Commitment.objects.filter(reaffirms__meeting__status="draft").exists()
    assert {"speaker", "side", "joint"} <= set(
        Statement.objects.values_list("attribution", flat=True)
    )
    assert Meeting.objects.published().filter(occasion__isnull=False).exists()


def test_cursors_that_cannot_be_read_are_a_404_on_both(api_client, archive):
    app, bare = both(api_client, archive, "/api/v1/meetings/?cursor=nonsense")
    assert app[0] == bare[0] == 404
    draft = Meeting.objects.filter(status="draft").values_list("id", flat=True).first()
    app, bare = both(api_client, archive, f"/api/v1/meetings/{draft}/")
    assert app[0] == bare[0] == 404
