"""Link the held-out fold of PolNeAR train into a folder that ``propwatch evaluate-attributions`` reads.

The voices' learned parts are calibrated, and their rules chosen, on this fold: the 20% of the
sorted train texts that :func:`propwatch.train.data.split_ids` holds out with seed 13. The corpus
stays in ../shared; the folder holds symbolic links to its files, nothing copied.

    python scripts/polnear_heldout.py /tmp/polnear-heldout
    propwatch evaluate-attributions /tmp/polnear-heldout/text /tmp/polnear-heldout/attributions \\
        --speakers benchmarks/data/polnear-heldout-speakers.tsv

With ``--named-in``, the train texts a speaker file names are linked instead, whichever fold they
are in (the train articles outside the held-out fold read in ``polnear-train-speakers.tsv``):

    python scripts/polnear_heldout.py /tmp/polnear-train --named-in benchmarks/data/polnear-train-speakers.tsv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from propwatch.polnear import ann_files
from propwatch.train.data import split_ids

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
FRACTION, SEED = 0.2, 13
"""The held-out fold of calibration (see ``propwatch.train.calibrate``)."""


def link_fold(root: Path, out: Path, named_in: Path | None = None) -> int:
    """Link the held-out texts (or those ``named_in`` a speaker file names) and their ``.ann`` files
    under ``out``; the number of texts."""
    texts = root / "train" / "text"
    names = sorted(p.stem for p in texts.glob("*.txt"))
    held = split_ids(names, FRACTION, SEED)[1] if named_in is None else sorted(_named(named_in))
    anns = ann_files(root / "train" / "attributions")  # the first annotator's file of each text
    for sub in ("text", "attributions"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for name in held:
        _link(texts / f"{name}.txt", out / "text" / f"{name}.txt")
        ann = anns.get(name)
        if ann is not None:
            _link(ann, out / "attributions" / ann.name)
    return len(held)


def _named(speakers: Path) -> set[str]:
    """The text names (first column) of a speaker file, its header left out."""
    lines = speakers.read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t", 1)[0] for line in lines if line.strip()}


def _link(target: Path, at: Path) -> None:
    if at.is_symlink() or at.exists():
        at.unlink()
    at.symlink_to(target.resolve())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (text/ and attributions/ inside)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the PolNeAR folder")
    parser.add_argument("--named-in", type=Path, help="link the train texts this speaker file names instead")
    args = parser.parse_args()
    if not (args.root / "train" / "text").is_dir():
        print(f"{args.root}: no PolNeAR train/text folder here", file=sys.stderr)
        return 1
    which = "held-out" if args.named_in is None else "named"
    print(f"{link_fold(args.root, args.out, args.named_in)} {which} texts linked under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
