"""Is the service up, and what it answers while its database is not.

- `GET /healthz`: the process answers (no database involved): for a liveness probe.
- `GET /readyz`: the database answers and every migration is applied: for a readiness
  probe and load balancers. 503 with the failing check otherwise.

While the database is down, every request that needs it is answered 503 with `Retry-After`
(the API's problem details; a short plain page elsewhere), and the log says so once when the
outage starts and once when it ends, per server process, rather than once per request with a
traceback. Nothing needs restarting: Django reconnects on the next request
(`conn_health_checks`).
"""

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

__all__ = [
    "healthz",
    "is_database_unavailable",
    "outage",
    "readyz",
    "unavailable_problem",
    "watching_for_recovery",
]

logger = logging.getLogger(__name__)


class Outage:
    """This process's view of the database: when it stopped answering, how many requests
    were refused since. Shared by the threads of one process (runserver, gthread)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.since: float | None = None
        self.refused = 0

    def failed(self, error: BaseException) -> None:
        with self._lock:
            self.refused += 1
            if self.since is not None:
                return
            self.since = time.monotonic()
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        logger.error(
            "The database is unavailable (%s): answering 503 until it is back.",
            reason,
        )

    def answered(self) -> None:
        if self.since is None:  # the common case: no lock taken
            return
        with self._lock:
            if self.since is None:
                return
            lasted, refused = time.monotonic() - self.since, self.refused
            self.since, self.refused = None, 0
        logger.warning(
            "The database answers again after %.1f s; %d requests were answered 503 meanwhile.",
            lasted,
            refused,
        )


outage = Outage()


def is_database_unavailable(error: BaseException) -> bool:
    """A database error that says nothing about the request: the server is down or
    unreachable, the connection broke, or the database gave up (a statement timeout, a
    deadlock). The same request may well succeed in a moment."""
    return isinstance(error, OperationalError | InterfaceError)


def retry_after() -> int:
    return settings.DATABASE_RETRY_AFTER_SECONDS


def unavailable_problem(error: BaseException) -> tuple[int, str, str, dict]:
    """What to answer for `error` (status, detail, code, headers); logs the outage once."""
    outage.failed(error)
    seconds = retry_after()
    return (
        503,
        f"The database is unavailable; try again in {seconds} seconds.",
        "database_unavailable",
        {"Retry-After": str(seconds)},
    )


@contextlib.contextmanager
def watching_for_recovery():
    """While an outage is on, note the first query that succeeds: the database is back.
    (Costs nothing otherwise: the query wrapper is only installed during an outage.)"""
    if outage.since is None:
        yield
        return

    def note_success(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        outage.answered()
        return result

    with connections[DEFAULT_DB_ALIAS].execute_wrapper(note_success):
        yield


# The views -------------------------------------------------------------------------------

_migrations_applied = False  # once true in a process, it stays true: only the ping is redone


def _check_database() -> dict[str, str]:
    global _migrations_applied
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            return {"database": "ok", "migrations": f"{len(plan)} not applied"}
        _migrations_applied = True
    return {"database": "ok", "migrations": "ok"}


@never_cache
@require_safe
def healthz(request):
    """The process answers. Touches nothing else, so it stays 200 through an outage."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """The database answers and the code's migrations are all applied."""
    from events.api.exceptions import problem_response

    try:
        checks = _check_database()
    except (OperationalError, InterfaceError) as error:
        status, detail, code, headers = unavailable_problem(error)
        return problem_response(
            request,
            status,
            detail,
            code=code,
            headers=headers,
            checks={"database": "unavailable", "migrations": "unknown"},
        )
    outage.answered()
    if checks["migrations"] != "ok":
        return problem_response(
            request,
            503,
            f"The database's schema is behind the code: {checks['migrations']}.",
            code="migrations_pending",
            headers={"Retry-After": str(retry_after())},
            checks=checks,
        )
    return JsonResponse({"status": "ready", "checks": checks})
