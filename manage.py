#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    # manage.py is the developer's tool: development unless told otherwise. A deployment
    # serves through tracker.wsgi (DJANGO_DEBUG off by default there) and sets
    # DJANGO_DEBUG=0 for its own manage.py commands (docker-compose.yml, the Dockerfile).
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
