"""The test suite's settings: the production settings (DJANGO_DEBUG off), with a throwaway
key, plain HTTP (the test client does not speak HTTPS) and limits no test reaches by
accident. Tests of the limits themselves set them lower."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "k3y" * 20)
os.environ.setdefault("DJANGO_HTTPS", "0")
for _scope in ("ANON", "USER", "READOUTS"):
    os.environ.setdefault(f"API_THROTTLE_{_scope}", "100000/minute")

from tracker.settings import *  # noqa: E402, F403
