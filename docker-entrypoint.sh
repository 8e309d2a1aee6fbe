#!/bin/sh
# Apply migrations at start, then run the command (gunicorn by default).
set -e
python manage.py migrate --noinput
exec "$@"
