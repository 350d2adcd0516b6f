#!/usr/bin/env bash
# Quick start: a virtual environment, aigraph installed into it, and the graph built from seeds/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/aigraph build "$@"
