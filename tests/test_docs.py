"""The docs a newcomer reads: short README, links that lead somewhere, one version everywhere, no build diary."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from click.testing import CliRunner

from propwatch.cli import main

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK_RE = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
DIARY_RE = re.compile(r"\bsessions?[\s-]+\d+|\bruns \d+-\d+", re.IGNORECASE)
"""How a build diary names its steps (a work period by number, a range of run numbers); versions and commits say it
instead."""
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".sh", ".tsv", ".html", ".js", ".css"}


def test_readme_is_short():
    assert len((ROOT / "README.md").read_bytes()) <= 10_000


def test_relative_links_lead_to_files():
    model_card = ROOT / "src/propwatch/models/ptc-minilm/MODEL_CARD.md"
    for page in [*PAGES, model_card]:
        for target in LINK_RE.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to missing {target}"


def test_newest_changelog_entry_is_the_version_the_cli_prints():
    version = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    newest = re.search(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert newest is not None and newest.group(1) == version
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.strip().endswith(version)


def test_nothing_in_the_tree_speaks_of_the_steps_that_built_it():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = []
    for name in tracked.splitlines():
        path = ROOT / name
        if path.suffix not in TEXT_SUFFIXES or not path.exists():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}: {match.group(0)!r}" for match in DIARY_RE.finditer(text)]
    assert not found, "\n".join(found)
