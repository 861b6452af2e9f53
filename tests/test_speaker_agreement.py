"""scripts/speaker_agreement.py: two readings of the same speakers scored against each other."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "speaker_agreement.py"
HEADER = "file\tsource_start\tsource_end\tcontent_start\tcontent_end\tspeaker\n"


def _script():
    spec = importlib.util.spec_from_file_location("speaker_agreement", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(
        HEADER + "".join(f"story\t{i}\t{i + 1}\t{i + 2}\t{i + 3}\t{s}\n" for i, s in rows), encoding="utf-8"
    )
    return path


def test_each_reading_is_scored_against_the_other_by_the_speaker_metric(tmp_path: Path) -> None:
    module = _script()
    first = module.read_speakers(_write(tmp_path / "a.tsv", [(0, "Ana Soto"), (10, "harbour board"), (20, "Varga")]))
    second = module.read_speakers(_write(tmp_path / "b.tsv", [(0, "Soto"), (10, "board"), (30, "Park")]))
    rows, forward, backward, same = module.agreement(first, second)
    assert (rows, forward, backward, same) == (2, 1.0, 0.0, 0.0)  # "Soto" is right for "Ana Soto", not the reverse


def test_files_that_share_no_attribution_are_a_clear_error(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.tsv", [(0, "Ana Soto")])
    b = _write(tmp_path / "b.tsv", [(5, "Ana Soto")])
    done = subprocess.run([sys.executable, str(SCRIPT), str(a), str(b)], capture_output=True, text=True)
    assert done.returncode == 1 and "share no attribution" in done.stderr
