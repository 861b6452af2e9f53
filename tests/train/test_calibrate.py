"""Calibration's bookkeeping: what it forgets before it fits again."""

from __future__ import annotations

import json
from pathlib import Path

from propwatch.train.calibrate import ROLE_LEARNED, forget_learned


def test_forget_learned_drops_only_the_named_parts(tmp_path: Path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"window": 254, "stacker": {}, "source_ranker": {}, "content_filter": {"features": []}}))
    forget_learned(path, ROLE_LEARNED)
    assert json.loads(path.read_text()) == {"window": 254, "stacker": {}}
    forget_learned(path, ("stacker", *ROLE_LEARNED))
    assert json.loads(path.read_text()) == {"window": 254}
