"""Outage behaviour, for real: a throwaway PostgreSQL cluster on a free port, the tracker
under gunicorn on it, requests running while the cluster is stopped and started again.

Checks: before, every answer is 200; while the database is down, every API answer is a 503
problem with Retry-After (and /healthz stays 200); after, the app answers 200 again without a
restart; the log says the database is unavailable at most once per gunicorn worker, says
when it is back, and holds no traceback. Prints the answers by phase and status.

    .venv/bin/python .ci/outage.py          (as root it runs PostgreSQL as `postgres`)

Never touches the shared server on 5432: the cluster lives in a temporary folder.
"""

import collections
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PATHS = ["/api/v1/meetings/", "/api/v1/meetings/1/", "/api/v1/countries/CHN/", "/readyz"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def pg_ctl(data: Path, *args, log: Path | None = None) -> None:
    command = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-t", "30", *args]
    if log is not None:
        command += ["-l", str(log)]
    subprocess.run(as_postgres(*command), check=True, capture_output=True)


def get(port: int, path: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        headers["_body"] = body.decode("utf-8", "replace")
        return response.status, headers
    except OSError as error:
        return 0, {"_body": str(error)}
    finally:
        connection.close()


class Load(threading.Thread):
    """Requests one after another until stopped, each noted with the phase it was sent in."""

    def __init__(self, port: int, phase: list[str], answers: list):
        super().__init__(daemon=True)
        self.port, self.phase, self.answers = port, phase, answers
        self.stopped = threading.Event()

    def run(self):
        index = 0
        while not self.stopped.is_set():
            path = PATHS[index % len(PATHS)]
            index += 1
            phase = self.phase[0]
            status, headers = get(self.port, path)
            self.answers.append((phase, path, status, headers))
            time.sleep(0.02)


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="tracker-outage-"))
    data, sockets = workdir / "data", workdir / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(sockets, "postgres")
    pg_port, app_port = free_port(), free_port()
    options = f"-p {pg_port} -k {sockets} -c listen_addresses=127.0.0.1"
    server = workdir / "app"
    failures: list[str] = []
    try:
        subprocess.run(
            as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
            check=True,
            capture_output=True,
        )
        pg_ctl(data, "-o", options, "start", log=workdir / "postgres.log")
        url = f"postgres://postgres@127.0.0.1:{pg_port}/tracker"
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(pg_port),
                "-U",
                "postgres",
                "tracker",
            ],
            check=True,
        )
        # No request limits: the load below is one client's burst, not what is measured.
        limits_off = {f"API_THROTTLE_{scope}": "off" for scope in ("ANON", "USER", "READOUTS")}
        subprocess.run(
            [str(ROOT / ".ci" / "serve.sh"), str(app_port), url, str(server)],
            check=True,
            env={**os.environ, **limits_off},
        )

        phase = ["before"]
        answers: list = []
        load = [Load(app_port, phase, answers) for _ in range(3)]
        for thread in load:
            thread.start()
        time.sleep(3)
        phase[0] = "stopping"
        time.sleep(0.5)  # requests sent "before" are answered before the server goes
        pg_ctl(data, "-m", "fast", "stop")
        phase[0] = "during"
        healthz_during = get(app_port, "/healthz")[0]
        time.sleep(6)
        phase[0] = "starting"
        pg_ctl(data, "-o", options, "start", log=workdir / "postgres.log")
        deadline = time.monotonic() + 30
        while get(app_port, "/readyz")[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)  # requests sent while "starting" are answered before "after" begins
        phase[0] = "after"
        time.sleep(4)
        for thread in load:
            thread.stopped.set()
        for thread in load:
            thread.join()

        by_phase: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for answer_phase, _, status, _ in answers:
            by_phase[answer_phase][status] += 1
        print("Answers by phase and status (API and /readyz requests from 3 clients):")
        for name in ("before", "stopping", "during", "starting", "after"):
            print(f"  {name:9} {dict(sorted(by_phase[name].items()))}")
        print(f"  /healthz while the database was down: {healthz_during}")

        if set(by_phase["before"]) != {200}:
            failures.append(f"before the outage: {dict(by_phase['before'])}")
        if set(by_phase["after"]) != {200}:
            failures.append(f"after the outage: {dict(by_phase['after'])}")
        if set(by_phase["during"]) != {503}:
            failures.append(f"during the outage: {dict(by_phase['during'])}")
        if healthz_during != 200:
            failures.append(f"/healthz during the outage answered {healthz_during}")
        for answer_phase, path, status, headers in answers:
            if status == 503:
                body = json.loads(headers["_body"])
                if not headers.get("retry-after") or body.get("code") != "database_unavailable":
                    failures.append(f"a 503 without Retry-After or its code: {path} {headers}")
                    break
                if headers.get("content-type") != "application/problem+json":
                    failures.append(f"a 503 that is not a problem: {headers.get('content-type')}")
                    break
            elif status != 200 and answer_phase in ("stopping", "starting"):
                failures.append(
                    f"{answer_phase}: {path} answered {status}: {headers['_body'][:200]}"
                )
                break

        log = (server / "server.log").read_text()
        workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
        down = log.count("The database is unavailable")
        back = log.count("The database answers again")
        print(
            f"Log: 'unavailable' said {down} time(s), 'answers again' {back} time(s) "
            f"({workers} gunicorn workers); {len(answers)} requests in all."
        )
        if not 1 <= down <= workers:
            failures.append(f"the outage was logged {down} times, not once per worker")
        if back < 1:
            failures.append("the log never says the database is back")
        if "Traceback" in log:
            failures.append("the log holds a traceback")
    finally:
        pid_file = server / "gunicorn.pid"
        if pid_file.exists():
            subprocess.run(["kill", pid_file.read_text().strip()], check=False)
        if (data / "postmaster.pid").exists():
            subprocess.run(
                as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
                capture_output=True,
                check=False,
            )
        time.sleep(1)
        shutil.rmtree(workdir, ignore_errors=True)
    for failure in failures:
        print("FAILED:", failure)
    print("outage: " + ("1 failed" if failures else "1 passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
