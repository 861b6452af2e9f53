"""scripts/polnear_heldout.py: the held-out fold linked for evaluate-attributions, nothing copied."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from propwatch.train.data import split_ids

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "polnear_heldout.py"


def _script():
    spec = importlib.util.spec_from_file_location("polnear_heldout", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _corpus(root: Path, names: list[str], annotators: tuple[str, ...]) -> None:
    """A PolNeAR-shaped train folder: one text per name, one empty ``.ann`` per annotator."""
    (root / "train" / "text").mkdir(parents=True)
    (root / "train" / "attributions").mkdir()
    for name in names:
        (root / "train" / "text" / f"{name}.txt").write_text("Ada Moor said no.", encoding="utf-8")
        for annotator in annotators:
            (root / "train" / "attributions" / f"{name}_{annotator}.ann").write_text("", encoding="utf-8")


def test_the_held_out_fold_is_linked_with_its_first_annotators_files(tmp_path: Path) -> None:
    root = tmp_path / "polnear"
    names = [f"outlet_2016-01-{day:02d}_story" for day in range(1, 11)]
    _corpus(root, names, ("a1", "b2"))
    out = tmp_path / "held"
    assert _script().link_fold(root, out) == len(split_ids(sorted(names), 0.2, 13)[1])
    texts = sorted(p.name for p in (out / "text").iterdir())
    anns = sorted(p.name for p in (out / "attributions").iterdir())
    assert texts == [f"{n}.txt" for n in sorted(split_ids(sorted(names), 0.2, 13)[1])]
    assert anns == [t.replace(".txt", "_a1.ann") for t in texts]
    assert all((out / "text" / t).is_symlink() for t in texts)


def test_the_texts_a_speaker_file_names_are_linked_instead(tmp_path: Path) -> None:
    root = tmp_path / "polnear"
    names = [f"outlet_2016-02-{day:02d}_story" for day in range(1, 6)]
    _corpus(root, names, ("a1",))
    speakers = tmp_path / "speakers.tsv"
    header = "file\tsource_start\tsource_end\tcontent_start\tcontent_end\tspeaker\n"
    speakers.write_text(header + f"{names[3]}\t0\t8\t9\t16\tAda Moor\n" + f"{names[1]}\t0\t8\t9\t16\tAda Moor\n")
    out = tmp_path / "named"
    assert _script().link_fold(root, out, speakers) == 2
    assert sorted(p.name for p in (out / "text").iterdir()) == [f"{names[1]}.txt", f"{names[3]}.txt"]
