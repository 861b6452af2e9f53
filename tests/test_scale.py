"""The Ray engine stores exactly the rows the default engine stores (on a small local Ray)."""

from __future__ import annotations

from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from propwatch.analysis import Analyzer  # noqa: E402  (after the skip: the module needs ray)
from propwatch.scale import ingest_ray  # noqa: E402
from propwatch.sources import iter_records  # noqa: E402
from propwatch.store import Store, ingest  # noqa: E402

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
INPUTS = [CORPUS / "articles", CORPUS / "corpus.jsonl", CORPUS / "corpus.csv"]
BATCH = 3  # several batches from eight documents, as a real corpus would have
DOCUMENT_COLUMNS = "id, title, outlet, published, url, text, words, status, error, source"


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def rows(store: Store) -> dict[str, list[tuple]]:
    return {
        "documents": store.con.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY ALL").fetchall(),
        "spans": store.con.execute("SELECT * FROM spans ORDER BY ALL").fetchall(),
        "attributions": store.con.execute("SELECT * FROM attributions ORDER BY ALL").fetchall(),
    }


def test_ray_engine_matches_default_engine(local_ray, analyzer: Analyzer, tmp_path):
    with Store(tmp_path / "local.duckdb") as store:
        ingest(store, iter_records(INPUTS), analyzer.analyze, batch_size=BATCH)
        expected = rows(store)
    with Store(tmp_path / "ray.duckdb") as store:
        report = ingest_ray(store, iter_records(INPUTS), batch_size=BATCH, work_dir=tmp_path, round_batches=2)
        got = rows(store)
        again = ingest_ray(store, iter_records(INPUTS), batch_size=BATCH, work_dir=tmp_path)
        assert rows(store) == got
    assert report.added == 8 and report.failed == 3
    assert again.added == 0 and again.skipped == 8
    assert got["spans"], "the model found no spans at all: the comparison would prove nothing"
    assert got == expected
    assert not list(tmp_path.glob("propwatch-ray-*"))  # the intermediate Parquet is cleaned up
