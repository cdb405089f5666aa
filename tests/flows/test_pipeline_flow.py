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
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["newsclean-run-summary"])),
                                          sort=ArtifactSort.CREATED_DESC, limit=10)
    found = [a.data for a in artifacts]
    assert len(found) == 3 and "documents new | 1 |" in found[0]


@pytest.mark.slow
def test_flow_on_a_dask_local_cluster(prefect_harness, corpus_dir, tmp_path):
    db = tmp_path / "dask.duckdb"
    summary = pipeline_flow([str(corpus_dir)], str(db), batch_size=2, dask_workers=2)
    assert summary["inputs_new"] == 8 and summary["documents_new"] == 5 and summary["errors_new"] == 4


def test_flow_fetches_urls_then_sends_conditional_requests(prefect_harness, site, tmp_path):
    db, archive = tmp_path / "web.duckdb", tmp_path / "fetched"
    options = dict(urls=[site.base + "/feed.rss", site.base + "/private/secret.html"], archive_dir=str(archive),
                   allow_private_hosts=True, per_host_delay=0.0)
    first = pipeline_flow([], str(db), **options)
    assert first["new_pages"] == 2 and first["documents_new"] == 2 and first["inputs_new"] == 1
    assert first["errors_new"] == 1  # the robots.txt refusal
    second = pipeline_flow([], str(db), **options)
    assert second["fetch_not_modified"] == 2 and second["documents_new"] == 0 and second["inputs_new"] == 0
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT outcome, count(*) FROM fetches WHERE kind = 'page' GROUP BY 1 ORDER BY 1").fetchall()
    kinds = con.execute("SELECT kind FROM input_errors").fetchall()
    urls = con.execute("SELECT url FROM documents ORDER BY url").fetchall()
    con.close()
    assert rows == [("error", 2), ("new", 2), ("not_modified", 2)]
    assert kinds == [("robots",)]
    assert [u.replace(site.base, "") for (u,) in urls] == ["/page/3.html", "/page/4.html"]
    assert len(list(archive.glob("*.warc.gz"))) == 1  # the second run archived nothing new


def test_scheduled_deployment_is_built_with_its_cron():
    from newsclean_flows.deploy import build_deployment

    dep = build_deployment(["/data/incoming"], cron="15 6 * * *", db="/data/x.duckdb", urls_file="/data/sources.txt")
    assert dep.name == "newsclean-scheduled" and dep.entrypoint == "newsclean_flows.pipeline.pipeline"
    assert [s.schedule.cron for s in dep.schedules] == ["15 6 * * *"]
    assert dep.parameters == {"inputs": ["/data/incoming"], "db": "/data/x.duckdb", "urls_file": "/data/sources.txt"}
