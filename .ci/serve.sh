#!/usr/bin/env bash
# Serve the tracker as production does (gunicorn, DJANGO_DEBUG off, collected static files)
# on a fresh, seeded database, for the checks that need a live server.
#   .ci/serve.sh <port> <database-url> <workdir>
# Writes <workdir>/token (a superuser's API token) and <workdir>/gunicorn.pid; gunicorn's log
# goes to <workdir>/server.log. The caller stops it: kill "$(cat <workdir>/gunicorn.pid)".
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1 database_url=$2 workdir=$3
mkdir -p "$workdir"

export DATABASE_URL=$database_url
export DJANGO_DEBUG=0 DJANGO_HTTPS=0
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DJANGO_STATIC_ROOT=$workdir/static
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_CACHE_DIR=$workdir/cache

.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed -v0 >/dev/null
.venv/bin/python manage.py shell --no-imports -c "
from django.contrib.auth import get_user_model
User = get_user_model()
if not User.objects.filter(username='ci-root').exists():
    User.objects.create_superuser('ci-root', password=None)
"
.venv/bin/python manage.py create_token ci-root --days 1 2>/dev/null >"$workdir/token"

PORT=$port .venv/bin/gunicorn -c python:tracker.gunicorn tracker.wsgi \
    --bind "127.0.0.1:$port" --workers "${GUNICORN_WORKERS:-2}" \
    --pid "$workdir/gunicorn.pid" --daemon --log-file "$workdir/server.log" --capture-output \
    --access-logfile "$workdir/access.log"
for _ in $(seq 60); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
        exit 0
    fi
    sleep 0.5
done
echo "The server did not become ready; its log:" >&2
cat "$workdir/server.log" >&2
exit 1
