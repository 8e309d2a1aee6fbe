"""Reading a readout within a time budget, for requests: whatever the text, a request that
parses is answered in about `settings.READOUT_PARSE_SECONDS` at most.

The parse runs in a worker process (a pebble process pool of one per server process, started
with the server process under gunicorn, else on first use, and kept warm). Past the budget
the worker is killed and replaced, and `ParseTimeout` is raised; the server process itself
never runs the parser, so no regular expression or loop, however slow on some text, can
hold it. The worker has no database: the
directory (what the database knows, a few queries) is read here and sent along, so the parse
also happens before, and outside, any transaction.

The command line (`manage.py import_readout`) parses in its own process, without a budget.
"""

import atexit
import datetime
import multiprocessing
import threading
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeoutError

from django.conf import settings
from pebble import ProcessExpired, ProcessPool

from events.models import Country, Organization

from . import worker
from .directory import Directory
from .draft import Draft, ReadoutError
from .importer import draft_readout

__all__ = ["ParseTimeout", "draft_readout_within_budget", "start_worker"]

# How long a request may wait for the worker beyond the budget itself: a worker being
# (re)started, or, under a threaded development server, another request's parse.
QUEUE_MARGIN_SECONDS = 20


class ParseTimeout(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"Reading the text took longer than {seconds:g} seconds.")
        self.seconds = seconds


_pool: ProcessPool | None = None
_pool_lock = threading.Lock()


def _get_pool() -> ProcessPool:
    global _pool
    with _pool_lock:
        if _pool is None or not _pool.active:
            _pool = ProcessPool(
                max_workers=1,
                # A fresh interpreter: a fork would share the server's database connections.
                context=multiprocessing.get_context("spawn"),
                initializer=worker.started,
            )
        return _pool


def start_worker() -> None:
    """Start the parse worker now (gunicorn does, as each server process starts): a fresh
    interpreter loading Django and the parser takes seconds, which would otherwise fall on
    the first request that parses. Pebble starts its process with the first task: a no-op,
    not waited for."""
    _get_pool().schedule(worker.ready)


@atexit.register
def _stop_pool() -> None:
    if _pool is not None:
        _pool.stop()
        _pool.join(timeout=5)


def draft_readout_within_budget(
    text: str,
    *,
    publisher: Organization | None = None,
    publisher_country: Country | None = None,
    url: str = "",
    published: datetime.date | None = None,
    directory: Directory | None = None,
    seconds: float | None = None,
) -> Draft:
    """`draft_readout`, in the worker, given at most `seconds` (the setting by default).

    Raises `ReadoutError` as `draft_readout` does, and `ParseTimeout` past the budget.
    """
    seconds = settings.READOUT_PARSE_SECONDS if seconds is None else seconds
    directory = directory if directory is not None else Directory.from_db()
    if publisher is not None:
        publisher.country  # noqa: B018  (loaded here: the worker has no database to ask)
    options = {
        "publisher": publisher,
        "publisher_country": publisher_country,
        "url": url,
        "published": published,
        "directory": directory,
    }
    if seconds <= 0:  # no budget: parse here
        return draft_readout(text, **options)
    future = _get_pool().schedule(worker.parse, args=(text, options), timeout=seconds)
    try:
        kind, value = future.result(timeout=seconds + QUEUE_MARGIN_SECONDS)
    except (FutureTimeoutError, CancelledError):
        future.cancel()  # kills the worker if it is still at it; the pool starts another
        raise ParseTimeout(seconds) from None
    except ProcessExpired as error:  # the worker died (out of memory, killed)
        raise ParseTimeout(seconds) from error
    if kind == "error":
        message, field, code = value
        raise ReadoutError(message, field=field, code=code)
    return value
