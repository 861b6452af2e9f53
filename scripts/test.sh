#!/usr/bin/env bash
# Set up every extra in .venv, then lint and run the whole test suite (CI calls this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh train,dev
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -q "$@"
