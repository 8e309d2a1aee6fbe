#!/usr/bin/env bash
# Fuzz the API against its own OpenAPI schema (schemathesis, pinned in pyproject.toml) on a
# served, seeded instance: once as a token-holding superuser, once as an anonymous reader.
# Checks: no 5xx, every status documented, every body valid against its schema. Any failure
# fails the script. Bounded: ST_MAX_EXAMPLES per operation and ST_MAX_TIME seconds per run.
# One worker: with two threads, hypothesis's `ast.parse` of its own lambdas can hit CPython
# 3.11.7's "AST constructor recursion depth mismatch" (python/cpython#106905, fixed in later
# releases), a runtime error of the fuzzer, not of the API.
#   .ci/schemathesis.sh <postgres-url-of-a-database-it-may-recreate>
set -uo pipefail
cd "$(dirname "$0")/.."
database_url=$1
port=${ST_PORT:-8731}
workdir=$(mktemp -d)
trap 'kill "$(cat "$workdir/gunicorn.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$workdir"' EXIT

name=${database_url##*/}
psql "${database_url%/*}/postgres" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" || exit 1
# The limits would answer 429 to a fuzzer's burst: lifted here (tests/test_limits.py has them).
API_THROTTLE_ANON=off API_THROTTLE_USER=off API_THROTTLE_READOUTS=off \
    .ci/serve.sh "$port" "$database_url" "$workdir" || exit 1

run() {
    local who=$1
    shift
    echo "--- schemathesis as $who"
    timeout $((${ST_MAX_TIME:-120} + 60)) .venv/bin/st run "http://127.0.0.1:$port/api/schema/?format=json" \
        --checks not_a_server_error,status_code_conformance,response_schema_conformance \
        --phases examples,coverage,fuzzing \
        --max-examples "${ST_MAX_EXAMPLES:-5}" --max-time "${ST_MAX_TIME:-120}" \
        --workers 1 --seed 20250425 --no-color --warnings off "$@" 2>&1 | tail -n 40
    return "${PIPESTATUS[0]}"
}

status=0
run "a superuser with a token" -H "Authorization: Token $(cat "$workdir/token")" || status=1
run "an anonymous reader" || status=1
if grep -q "Traceback" "$workdir/server.log"; then
    echo "The server logged a traceback:"
    grep -A 30 "Traceback" "$workdir/server.log" | head -60
    status=1
fi
exit $status
