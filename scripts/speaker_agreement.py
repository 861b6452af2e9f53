"""How far two hand readings of the same attributions' speakers agree, by the speaker metric itself.

The speaker accuracy of ``propwatch evaluate-attributions`` credits a predicted speaker whose words are
a subset of the gold's and hold its last word. Scoring one reading against the other this way, both
ways round, tells how high a system could score before it meets the readers' own disagreement.

    python scripts/speaker_agreement.py benchmarks/data/polnear-dev-speakers.tsv \\
        benchmarks/data/polnear-dev-speakers-second-reading.tsv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from propwatch.polnear import read_speakers
from propwatch.readers import InputError
from propwatch.scoring import right_speaker


def agreement(first: dict, second: dict) -> tuple[int, float, float, float]:
    """Rows both readings give; the second scored against the first, the first against the second,
    and the share written the same."""
    shared = sorted(set(first) & set(second))
    if not shared:
        return 0, 0.0, 0.0, 0.0
    forward = sum(right_speaker(second[k], first[k]) for k in shared) / len(shared)
    backward = sum(right_speaker(first[k], second[k]) for k in shared) / len(shared)
    same = sum(first[k] == second[k] for k in shared) / len(shared)
    return len(shared), forward, backward, same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="a gold speaker file")
    parser.add_argument("second", type=Path, help="another reading of some of its rows")
    args = parser.parse_args()
    try:
        rows, forward, backward, same = agreement(read_speakers(args.first), read_speakers(args.second))
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    if not rows:
        print(f"{args.first} and {args.second} share no attribution", file=sys.stderr)
        return 1
    print(f"{rows} attributions read twice")
    print(f"second scored against first  {forward:.4f}")
    print(f"first scored against second  {backward:.4f}")
    print(f"written the same             {same:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
