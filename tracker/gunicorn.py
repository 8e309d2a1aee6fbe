"""gunicorn's settings for the tracker: `gunicorn -c python:tracker.gunicorn tracker.wsgi`.

Each value can still be set on the command line or in GUNICORN_CMD_ARGS. What is set here:

- The errors gunicorn answers itself, before Django sees the request (a request line over
  `limit_request_line`: 414; malformed headers: 400; a worker killed at `timeout`: 500),
  are written as the API's problem details (RFC 9457) instead of gunicorn's HTML page.
  gunicorn offers no hook for that page but its `util.write_error`, replaced here.
- The worker timeout is well above the readout parse budget (READOUT_PARSE_SECONDS): the
  budget answers first, with its own 422.
- Each server process starts its readout parse worker as it starts (`post_worker_init`),
  so the first request that parses does not wait for it.
"""

import json
import os
from http import HTTPStatus

from gunicorn import util

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
accesslog = "-"
# The longest URL (request line) and header block gunicorn reads; beyond, a 414 or 431.
limit_request_line = 4094
limit_request_fields = 100


def post_worker_init(worker):
    from events.ingest.budget import start_worker  # Django is set up by now

    start_worker()


def write_problem(sock, status_int, reason, mesg):
    """gunicorn's own error page, as `application/problem+json`."""
    try:
        phrase = HTTPStatus(status_int).phrase
    except ValueError:
        phrase = reason
    detail = {
        414: f"The URL is too long: at most {limit_request_line} characters.",
        500: "The server could not answer in time, or failed.",
    }.get(status_int, mesg or phrase)
    body = json.dumps(
        {
            "type": "about:blank",
            "title": phrase,
            "status": status_int,
            "detail": detail,
            "code": phrase.lower().replace(" ", "_").replace("-", "_"),
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/problem+json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    util.write_nonblock(sock, head + body)


util.write_error = write_problem
