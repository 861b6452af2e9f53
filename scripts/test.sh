#!/usr/bin/env bash
# Set up every extra in .venv, then lint and run the whole test suite (CI calls this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh train,dev,store,parse,ray,web,webtest
# The browser tests drive Debian's Chromium through Playwright, which never downloads a browser.
if ! command -v chromium >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -q "$@"
