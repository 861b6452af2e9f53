"""Reading the PolNeAR attribution corpus (brat standoff) into text + attribution triples.

Each ``E`` line ties an attribution's Content to its Cue and (optionally) Source ``T`` spans.
A discontinuous brat span (``start end;start end``) counts as its outer extent. Where a text
has several annotators' files, the first by file name is used, as the evaluation metric says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from propwatch.readers import InputError, read_bytes, read_text

Extent = tuple[int, int]
_ID_RE = re.compile(r"^[TE]\d+\t")


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: content, and source/cue extents where annotated."""

    content: Extent
    source: Extent | None
    cue: Extent | None


def _extent(field: str, where: str) -> Extent:
    try:
        pieces = [tuple(int(x) for x in part.split()) for part in field.split(";")]
        return min(p[0] for p in pieces), max(p[1] for p in pieces)
    except (ValueError, IndexError):
        raise InputError(f"{where}: cannot read span offsets {field!r}") from None


def parse_ann(text: str, name: str) -> list[GoldAttribution]:
    """Attributions of one ``.ann`` file; malformed lines name ``file:line``."""
    spans: dict[str, tuple[str, Extent]] = {}
    events: list[tuple[dict[str, str], str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{name}:{number}"
        if not _ID_RE.match(line):
            continue  # another kind of annotation, or a span text that ran over a line break
        if line.startswith("T"):
            fields = line.split("\t")
            if len(fields) < 2 or " " not in fields[1]:
                raise InputError(f"{where}: malformed text-bound annotation")
            kind, offsets = fields[1].split(" ", 1)
            spans[fields[0]] = (kind, _extent(offsets, where))
        elif line.startswith("E"):
            fields = line.split("\t")
            if len(fields) < 2:
                raise InputError(f"{where}: malformed event line")
            roles = dict(arg.split(":", 1) for arg in fields[1].split() if ":" in arg)
            events.append((roles, where))
    out = []
    for roles, where in events:
        content = roles.get("Content")
        if content is None:
            continue
        if content not in spans:
            raise InputError(f"{where}: refers to unknown annotation {content}")

        def extent(role: str, roles: dict[str, str] = roles, where: str = where) -> Extent | None:
            ref = roles.get(role)
            if ref is None:
                return None
            if ref not in spans:
                raise InputError(f"{where}: refers to unknown annotation {ref}")
            return spans[ref][1]

        out.append(GoldAttribution(spans[content][1], extent("Source"), extent("Cue")))
    return out


def ann_files(ann_dir: Path) -> dict[str, Path]:
    """Map text name to its first annotator's ``.ann`` file (``<name>_<annotator>.ann``)."""
    if not ann_dir.is_dir():
        raise InputError(f"{ann_dir}: not a folder of .ann files")
    chosen: dict[str, Path] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        name = path.stem.rsplit("_", 1)[0]
        chosen.setdefault(name, path)
    return chosen


def read_corpus(text_dir: Path, ann_dir: Path) -> dict[str, tuple[str, list[GoldAttribution]]]:
    """Texts and their gold attributions, keyed by text name, for every text with annotations."""
    corpus = {}
    for name, ann in ann_files(ann_dir).items():
        text_path = text_dir / f"{name}.txt"
        if not text_path.exists():
            raise InputError(f"{ann}: no text {text_path.name} in {text_dir}")
        try:
            ann_text = read_bytes(ann).decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{ann}: annotation file is not UTF-8 text") from None
        corpus[name] = (read_text(text_path), parse_ann(ann_text, str(ann)))
    return corpus


SPEAKER_COLUMNS = ("file", "source_start", "source_end", "content_start", "content_end", "speaker")
SpeakerKey = tuple[str, Extent, Extent]
"""(text name, gold source extent, gold content extent): which gold attribution a speaker belongs to."""


def read_speakers(path: Path) -> dict[SpeakerKey, str]:
    """Gold speakers from a standoff TSV (``SPEAKER_COLUMNS``; see benchmarks/data/SPEAKERS_GUIDELINES.md).

    A malformed row is a one-line error naming ``file:line``: a gold file that silently lost
    rows would move the speaker accuracy without anyone noticing.
    """
    try:
        lines = read_bytes(path).decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError(f"{path}: speaker file is not UTF-8 text") from None
    if not lines or tuple(lines[0].split("\t")) != SPEAKER_COLUMNS:
        raise InputError(f"{path}:1: expected the header {' '.join(SPEAKER_COLUMNS)} (tab-separated)")
    speakers = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        try:
            name, ss, se, cs, ce, speaker = fields
            key = (name, (int(ss), int(se)), (int(cs), int(ce)))
        except ValueError:
            raise InputError(f"{path}:{number}: expected 6 tab-separated fields with integer offsets") from None
        if not speaker.strip():
            raise InputError(f"{path}:{number}: empty speaker")
        speakers[key] = speaker.strip()
    return speakers
