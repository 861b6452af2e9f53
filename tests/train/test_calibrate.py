"""Calibration's bookkeeping: what it forgets before it fits again."""

from __future__ import annotations

import json
from pathlib import Path

from propwatch.model.heads import RoleRefiner
from propwatch.train.calibrate import forget_learned


def test_forget_learned_drops_every_fitted_part(tmp_path: Path):
    fitted = {"stacker": {}, "source_ranker": {}, "content_filter": {"features": []}}
    (tmp_path / "model.json").write_text(json.dumps({"window": 254, **fitted}))
    (tmp_path / RoleRefiner.FILE).write_bytes(b"an earlier refiner")
    forget_learned(tmp_path)
    assert json.loads((tmp_path / "model.json").read_text()) == {"window": 254}
    assert not (tmp_path / RoleRefiner.FILE).exists()
