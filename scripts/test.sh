#!/usr/bin/env bash
# Test: a virtual environment with the test dependencies, headless Chromium for the browser
# tests where this machine can install it, then the whole suite (lint included).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"

# The explorer's browser tests drive Debian's Chromium headless. Install it when we can
# (root with apt-get); without it those tests are skipped with the reason printed.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium, chromium-driver and a CJK font for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        chromium chromium-driver fonts-noto-cjk >/dev/null) \
      || echo "could not install chromium: browser tests will be skipped"
  fi
fi

.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest "$@"
