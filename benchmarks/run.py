"""`make bench`: the API under load on PostgreSQL, beside the floor of its stack.

1. The archive: the database `BENCH_DATABASE` (default `tracker_archive`) migrated and
   holding a synthetic archive of `BENCH_MEETINGS` meetings (default 10,000), built with
   `generate_synthetic --seed 1` when it is missing or of another size (the database is
   dropped and created again only if it holds nothing but a synthetic archive).
2. The app (`tracker.wsgi`) under gunicorn, DEBUG off, then the floor
   (`benchmarks.floor`: the same SQL through psycopg, orjson, no framework) under the same
   gunicorn settings: `BENCH_WORKERS` sync workers (default 5).
3. Each endpoint driven by wrk from a second process, `BENCH_CONNECTIONS` connections
   (default 8) for `BENCH_DURATION` seconds (default 10) after a 2-second warm-up, cycling
   through a set of request paths; the workers' memory sampled all along.
4. A table: requests per second, p50 and p99 for the app and the floor, their ratio, and
   the workers' peak memory. `BENCH_JSON=path` also writes the figures as JSON.

Needs wrk (Debian's package: installed with apt-get when missing and allowed) and a
PostgreSQL server at `BENCH_POSTGRES` (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import base64
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib import parse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SEED = 1
PAGE_SIZE = 50
DEEP_PAGE = 1000

MEETING_QUERIES = ["foreign minister", "president", "prime minister", "talks", "phone call"]
STATEMENT_QUERIES = [
    "security cooperation",
    "traditional medicine",
    '"free trade"',
    "belt and road",
    "counter-terrorism",
    "tourism or education",
    "green development",
    "sovereignty -independence",
]


def setting(name: str, default: str) -> str:
    return os.environ.get(name, "") or default


MEETINGS = int(setting("BENCH_MEETINGS", "10000"))
DATABASE = setting("BENCH_DATABASE", "tracker_archive")
SERVER = setting("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DURATION = int(setting("BENCH_DURATION", "10"))
CONNECTIONS = int(setting("BENCH_CONNECTIONS", "8"))
WORKERS = int(setting("BENCH_WORKERS", "5"))
WRK_THREADS = int(setting("BENCH_WRK_THREADS", "2"))
ONLY = setting("BENCH_ONLY", "")  # measure only the endpoints whose name contains this
PORT = int(setting("BENCH_PORT", "0"))  # 0: a free port, found when a server starts
DATABASE_URL = f"{SERVER}/{DATABASE}"


def say(message: str) -> None:
    print(message, flush=True)


# The archive --------------------------------------------------------------------------


def admin_connection():
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


# The app as deployed (DEBUG off), but over plain HTTP on the loopback and without the
# anonymous rate limit, which would answer the load with 429s after 120 requests a minute.
APP_ENVIRONMENT = {
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
    "DJANGO_HTTPS": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_LOG_LEVEL": "WARNING",
    "API_THROTTLE_ANON": "off",
    "API_THROTTLE_USER": "off",
    "PYTHONWARNINGS": "ignore",
}


def manage(*args: str) -> None:
    env = {**os.environ, **APP_ENVIRONMENT}
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def archive_state() -> tuple[int, int]:
    """(meetings, of which synthetic) in the archive database; (0, 0) before migrations."""
    with psycopg.connect(DATABASE_URL) as conn:
        try:
            [(total, synthetic)] = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE slug LIKE 'syn-%%') FROM events_meeting"
            ).fetchall()
        except psycopg.errors.UndefinedTable:
            return 0, 0
    return total, synthetic


def recreate_database() -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def ensure_archive() -> None:
    """The archive of `MEETINGS` meetings, migrated: reused, or built (again)."""
    with admin_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchall()
    if not exists:
        say(f"Creating the database {DATABASE}.")
        recreate_database()
    total, synthetic = archive_state()
    if total != synthetic:
        raise SystemExit(
            f"{DATABASE} holds {total - synthetic:,} meetings that are not synthetic: it is not "
            "a benchmark archive. Set BENCH_DATABASE to another database name."
        )
    try:
        manage("migrate", "--noinput", "-v0")
    except subprocess.CalledProcessError:
        if not total:
            raise
        # An archive built under another migration history (a branch's renumbered migration).
        say(f"The migrations do not apply to the archive in {DATABASE}: building it again.")
        total = -1
    if total == MEETINGS:
        say(f"Archive: {DATABASE} holds the synthetic archive of {MEETINGS:,} meetings.")
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            conn.execute("ANALYZE")  # the planner's statistics, whoever wrote the archive
        return
    if total:
        if total > 0:
            say(f"{DATABASE} holds {total:,} meetings, not {MEETINGS:,}: building it again.")
        recreate_database()
        manage("migrate", "--noinput", "-v0")
    say(f"Building a synthetic archive of {MEETINGS:,} meetings in {DATABASE}.")
    started = time.perf_counter()
    manage("generate_synthetic", "--meetings", str(MEETINGS), "--seed", str(SEED), "-v0")
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    say(f"  built and analysed in {time.perf_counter() - started:.0f} s.")


# What to ask ------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    paths: list[str]
    # Why the floor does not answer it (then the app alone is measured), or "".
    app_only: str = ""


# The relation summary is a dozen aggregations (meetings by year and kind, who met whom in
# which office, topics ranked, levels over time, commitments with their chains) whose SQL
# the ORM writes; the floor does not restate it, so it is measured on the app alone.
RELATION_APP_ONLY = "app only: the floor does not restate the summary's aggregations"
EXPORT_APP_ONLY = "app only: the floor does not write CSV"


def endpoints() -> list[Endpoint]:
    """The requests of each endpoint, drawn from the archive (the same for the same archive)."""
    rng = random.Random(SEED)
    with psycopg.connect(DATABASE_URL) as conn:
        published = [
            pk
            for (pk,) in conn.execute(
                "SELECT id FROM events_meeting WHERE status = 'published' ORDER BY id"
            ).fetchall()
        ]
    pages = max(1, math.ceil(len(published) / PAGE_SIZE))
    deep = min(DEEP_PAGE, pages)
    deep_url = deep_page(deep)
    pairs = busiest_pairs()

    def q(base: str, queries: list[str]) -> list[str]:
        return [f"{base}?{parse.urlencode({'q': query})}" for query in queries]

    return [
        Endpoint("meeting list, 50 a page", ["/api/v1/meetings/"]),
        Endpoint(f"meeting list, page {deep:,}", [deep_url]),
        Endpoint(
            "meeting detail",
            [f"/api/v1/meetings/{pk}/" for pk in rng.sample(published, min(100, len(published)))],
        ),
        Endpoint("statement list", ["/api/v1/statements/"]),
        Endpoint("commitment list", ["/api/v1/commitments/"]),
        Endpoint("meeting search q=", q("/api/v1/meetings/", MEETING_QUERIES)),
        Endpoint("statement search q=", q("/api/v1/statements/", STATEMENT_QUERIES)),
        Endpoint(
            "relation summary", [f"/api/v1/relations/{a}/{b}/" for a, b in pairs], RELATION_APP_ONLY
        ),
        # The whole list of the busiest pair's meetings, streamed (every row, not a page).
        Endpoint(
            "CSV export, the pair's meetings",
            [f"/api/v1/meetings/?between={a},{b}&format=csv" for a, b in pairs],
            EXPORT_APP_ONLY,
        ),
    ]


def busiest_pairs() -> list[tuple[str, str]]:
    """China and Russia when they met, else the two sides that met most (both published)."""
    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute(
            "SELECT a.side_id, b.side_id, count(DISTINCT a.meeting_id) FROM events_participant a "
            "JOIN events_participant b ON a.meeting_id = b.meeting_id AND a.side_id < b.side_id "
            "JOIN events_meeting m ON m.id = a.meeting_id AND m.status = 'published' "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
        ).fetchall()
    pairs = [(a, b) for a, b, _ in rows]
    if ("CHN", "RUS") in pairs:
        return [("CHN", "RUS")]
    return pairs[:1]


def deep_page(page: int) -> str:
    """The URL of the meeting list's page `page` (50 a page): the `next` link of the page
    before it, its cursor written as events/api/pagination.py writes it (the keys of the
    page's last row: date, id)."""
    if page <= 1:
        return "/api/v1/meetings/"
    with psycopg.connect(DATABASE_URL) as conn:
        [(date, pk)] = conn.execute(
            "SELECT date, id FROM events_meeting WHERE status = 'published' "
            "ORDER BY date DESC, id ASC OFFSET %s LIMIT 1",
            [(page - 1) * PAGE_SIZE - 1],
        ).fetchall()
    data = json.dumps({"p": [date.isoformat(), pk], "r": 0}, separators=(",", ":"))
    cursor = base64.urlsafe_b64encode(data.encode()).decode("ascii").rstrip("=")
    return f"/api/v1/meetings/?cursor={cursor}"


# Servers and load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving one WSGI app, with its workers' memory sampled while it runs."""

    def __init__(self, name: str, app: str):
        self.name, self.app = name, app
        self.peak_rss: dict[int, int] = {}
        self.peak_total = 0
        self._sampling = False

    def __enter__(self):
        global PORT
        if not int(os.environ.get("BENCH_PORT") or 0):
            PORT = free_port()
        env = {**os.environ, **APP_ENVIRONMENT}
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
                self.app,
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{PORT}/api/v1/meetings/", timeout=10
                ):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{self.name} did not start under gunicorn.") from None
                time.sleep(0.3)
        if self.process.poll() is not None:  # another server answered on that port
            raise SystemExit(f"{self.name} could not bind 127.0.0.1:{PORT}: set BENCH_PORT.")
        self._sampling = True
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        return self

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def _sample(self):
        while self._sampling:
            total = 0
            for pid in self.workers():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                kib = int(
                    next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[
                        1
                    ]
                )
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), kib)
                total += kib
            self.peak_total = max(self.peak_total, total)
            time.sleep(0.2)

    def __exit__(self, *exc):
        self._sampling = False
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class Figures:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int


def drive(endpoint: Endpoint, seconds: int) -> Figures:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(endpoint.paths) + "\n")
    try:
        result = subprocess.run(
            [
                "wrk",
                "--threads",
                str(min(WRK_THREADS, CONNECTIONS)),
                "--connections",
                str(CONNECTIONS),
                "--duration",
                f"{seconds}s",
                "--timeout",
                "30s",
                "--script",
                str(ROOT / "benchmarks" / "report.lua"),
                f"http://127.0.0.1:{PORT}",
                "--",
                listing.name,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 120,
        )
    finally:
        os.unlink(listing.name)
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH_RESULT "))
    data = json.loads(line.removeprefix("BENCH_RESULT "))
    return Figures(
        requests_per_second=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["errors"],
        non_2xx=data["non_2xx"],
    )


def failed(figures: Figures) -> bool:
    return bool(figures.errors or figures.non_2xx)


@dataclass
class Run:
    name: str
    figures: dict[str, Figures] = field(default_factory=dict)
    peak_worker_mib: float = 0.0
    peak_total_mib: float = 0.0


def measure(name: str, app: str, targets: list[Endpoint]) -> Run:
    run = Run(name)
    with Server(name, app) as server:
        for endpoint in targets:
            if endpoint.app_only and name == "floor":
                continue
            drive(endpoint, 2)  # warm-up: connections, caches, the workers' imports
            run.figures[endpoint.name] = figures = drive(endpoint, DURATION)
            say(
                f"  {name:5} {endpoint.name:28} {figures.requests_per_second:8.1f} req/s  "
                f"p50 {figures.p50_ms:7.1f} ms  p99 {figures.p99_ms:7.1f} ms"
                + (
                    f"  ERRORS {figures.errors + figures.non_2xx}"
                    if figures.errors or figures.non_2xx
                    else ""
                )
            )
        run.peak_worker_mib = max(server.peak_rss.values(), default=0) / 1024
        run.peak_total_mib = server.peak_total / 1024
    return run


# The table ------------------------------------------------------------------------------


def table(app: Run, floor: Run, targets: list[Endpoint]) -> str:
    lines = [
        f"{MEETINGS:,} meetings; {WORKERS} gunicorn workers, {CONNECTIONS} connections, "
        f"{DURATION} s per endpoint; {os.cpu_count()} cores.",
        "",
        "| endpoint | app req/s | floor req/s | app/floor | app p50 / p99 ms "
        "| floor p50 / p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for endpoint in targets:
        a = app.figures[endpoint.name]
        if not a.requests_per_second:
            lines.append(
                f"| {endpoint.name} | no answer within {DURATION} s | | | | "
                f"{endpoint.app_only or ''} |"
            )
            continue
        if endpoint.app_only:
            lines.append(
                f"| {endpoint.name}{' (errors)' if failed(a) else ''} | "
                f"{a.requests_per_second:,.1f} | - | - | {a.p50_ms:,.1f} / {a.p99_ms:,.1f} | "
                f"{endpoint.app_only} |"
            )
            continue
        f = floor.figures[endpoint.name]
        ratio = a.requests_per_second / f.requests_per_second if f.requests_per_second else 0
        flags = " (errors)" if failed(a) or failed(f) else ""
        lines.append(
            f"| {endpoint.name}{flags} | {a.requests_per_second:,.1f} | "
            f"{f.requests_per_second:,.1f} | {ratio:.2f} | {a.p50_ms:,.1f} / {a.p99_ms:,.1f} | "
            f"{f.p50_ms:,.1f} / {f.p99_ms:,.1f} |"
        )
    lines += [
        "",
        f"Workers' peak memory (RSS): app {app.peak_worker_mib:.0f} MiB per worker, "
        f"{app.peak_total_mib:.0f} MiB for all {WORKERS}; floor {floor.peak_worker_mib:.0f} MiB "
        f"per worker, {floor.peak_total_mib:.0f} MiB for all {WORKERS}.",
    ]
    return "\n".join(lines)


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        say("wrk is missing: installing Debian's package.")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return
    raise SystemExit("wrk is needed: install it (Debian: apt-get install wrk) and run again.")


def main() -> None:
    ensure_wrk()
    ensure_archive()
    manage("collectstatic", "--noinput", "-v0")  # the app refuses to start without them
    targets = [endpoint for endpoint in endpoints() if ONLY in endpoint.name]
    say("Driving the app, then the floor:")
    app = measure("app", "tracker.wsgi:application", targets)
    floor = measure("floor", "benchmarks.floor:application", targets)
    say("")
    say(table(app, floor, targets))
    path = os.environ.get("BENCH_JSON")
    if path:
        Path(path).write_text(
            json.dumps({"meetings": MEETINGS, "app": asdict(app), "floor": asdict(floor)}, indent=2)
        )


if __name__ == "__main__":
    main()
