"""What keeps a run's overheads down: stage timings that do not count twice, and a run with nothing new that
starts no machinery."""
from __future__ import annotations

import duckdb

from newsclean.pipeline import ingest_batch, prepare_batch, run_if_nothing_new, unread_inputs
from newsclean.readers import expand_inputs
from newsclean.store.duck import Store
from newsclean.timing import StageTimes
from tests.conftest import OTHER_STORY


def test_stage_times_are_exclusive_of_inner_stages(monkeypatch):
    import newsclean.timing

    clock = iter([0.0, 1.0, 3.0, 7.0])  # clean starts, extract starts, extract ends, clean ends
    monkeypatch.setattr(newsclean.timing, "perf_counter", lambda: next(clock))
    times = StageTimes()
    with times.stage("clean"):
        with times.stage("extract"):
            pass
    assert times == {"extract": 2.0, "clean": 5.0}
    times.add({"extract": 1.0, "store": 0.5})
    assert times == {"extract": 3.0, "clean": 5.0, "store": 0.5}


def test_a_batch_reports_the_seconds_of_each_worker_stage(corpus_dir):
    paths, _ = expand_inputs([str(corpus_dir)])
    batch = prepare_batch(paths)
    assert set(batch.times) == {"read", "extract", "clean", "sign"} and all(v >= 0 for v in batch.times.values())
    assert batch.times["extract"] > 0  # two HTML pages and a WARC record went through trafilatura


def test_nothing_new_is_decided_from_the_store_before_any_machinery(corpus_dir, tmp_path):
    db = str(tmp_path / "c.duckdb")
    paths, _ = expand_inputs([str(corpus_dir)])
    assert run_if_nothing_new(paths, db, 5, {}) is None  # no database yet
    with Store(db) as store:
        assert unread_inputs(paths, store.known_inputs(paths)) == paths
        ingest_batch(store, prepare_batch(paths), "first")
        assert unread_inputs(paths, store.known_inputs(paths)) == []
    summary = run_if_nothing_new(paths, db, 5, {"inputs": [str(corpus_dir)]})
    assert summary["inputs_seen"] == 8 and summary["inputs_new"] == 0 and summary["documents_new"] == 0
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT status, inputs_seen, documents_new FROM runs").fetchall() == [("completed", 8, 0)]
    con.close()
    (corpus_dir / "water.txt").write_text(OTHER_STORY, encoding="utf-8")  # changed content: read again
    assert run_if_nothing_new(paths, db, 5, {}) is None
    with Store(db, read_only=True) as store:
        assert unread_inputs(paths, store.known_inputs(paths)) == [str(corpus_dir / "water.txt")]
