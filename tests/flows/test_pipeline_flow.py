"""The Prefect flow end to end on a real (temporary) Prefect server and a real DuckDB file."""
from __future__ import annotations

import duckdb
import pytest

from newsclean_flows.pipeline import pipeline_flow
from tests.conftest import OTHER_STORY


def _counts(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
           for t in ("raw_inputs", "documents", "removed_spans", "input_errors", "signatures")}
    con.close()
    return out


def test_flow_runs_idempotently_and_reports(prefect_harness, corpus_dir, tmp_path):
    db = tmp_path / "corpus.duckdb"
    first = pipeline_flow([str(corpus_dir)], str(db), batch_size=3)
    assert first["inputs_seen"] == 8 and first["inputs_new"] == 8
    assert first["documents_new"] == 5 and first["duplicates_new"] == 3 and first["errors_new"] == 4
    assert 0 < first["removed_share"] < 1
    counts = _counts(db)

    second = pipeline_flow([str(corpus_dir)], str(db), batch_size=3)
    assert second["inputs_new"] == 0 and second["documents_new"] == 0 and second["errors_new"] == 0
    assert _counts(db) == counts

    (corpus_dir / "later.txt").write_text(OTHER_STORY.replace("bus", "tram") + "\nA final unrelated sentence about trams.", encoding="utf-8")
    third = pipeline_flow([str(corpus_dir)], str(db), batch_size=3)
    assert third["inputs_new"] == 1 and third["documents_new"] == 1
    after = _counts(db)
    assert after["raw_inputs"] == counts["raw_inputs"] + 1 and after["documents"] == counts["documents"] + 1

    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("SELECT inputs_new, documents_new FROM runs ORDER BY started_at").fetchall()
    con.close()
    assert runs == [(8, 5), (0, 0), (1, 1)]

    from prefect.client.orchestration import get_client

    # Raw request: this server (fastapi<0.155) refuses the nulls the typed client sends for unused filters.
    with get_client(sync_client=True) as client:
        response = client.request("POST", "/artifacts/filter", json={
            "artifacts": {"key": {"any_": ["newsclean-run-summary"]}}, "limit": 10, "offset": 0, "sort": "CREATED_DESC"})
    found = [a["data"] for a in response.json()]
    assert len(found) == 3 and "documents new | 1 |" in found[0]


@pytest.mark.slow
def test_flow_on_a_dask_local_cluster(prefect_harness, corpus_dir, tmp_path):
    db = tmp_path / "dask.duckdb"
    summary = pipeline_flow([str(corpus_dir)], str(db), batch_size=2, dask_workers=2)
    assert summary["inputs_new"] == 8 and summary["documents_new"] == 5 and summary["errors_new"] == 4
