#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/test_browser.py), from the distribution's
# packages: Playwright drives it with `executable_path`, and no browser is downloaded.
# Needs root (CI and the project's machines run as root); does nothing when it is there.
set -euo pipefail
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium is missing at $CHROMIUM and apt-get is not here to install it." >&2
    exit 1
fi
echo "Installing Chromium from Debian's packages."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
test -x "$CHROMIUM"
