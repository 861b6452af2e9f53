"""The bundled example corpus does what the README's first command promises: several outlets and
months, and one statement followed from outlet to outlet, each relaying the one before."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from propwatch.cli import main
from propwatch.trails import most_relayed_in

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("examples") / "examples.duckdb"
    runner = CliRunner()
    for args in (["ingest", str(EXAMPLES), "--db", str(db), "--quiet"], ["trails", "--db", str(db)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    return db


def test_the_rail_fares_quote_travels_through_three_outlets_in_order(corpus: Path) -> None:
    (trail,) = most_relayed_in(corpus)
    assert trail["speaker"] == "Ingrid Sol"
    assert trail["statement"] == (
        "We have held prices down for two years while our costs went up by almost a fifth … We cannot do that for ever."
    )
    assert trail["outlets"] == ["Newswire", "Valdora Post", "Norhaven Herald"]
    steps = [(m["outlet"], m["published"], list(m["via"])) for m in trail["members"]]
    assert steps == [
        ("Newswire", "2026-05-20", []),
        ("Valdora Post", "2026-05-21", ["Newswire"]),
        ("Norhaven Herald", "2026-05-22", ["Valdora Post"]),
    ]
