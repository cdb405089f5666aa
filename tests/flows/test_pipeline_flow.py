"""The Prefect flow end to end on a real (temporary) Prefect server and a real DuckDB file."""
from __future__ import annotations

import subprocess

import duckdb
import pytest
from newsclean_flows.services import pipeline_flow

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


def test_bad_inputs_and_a_failing_batch_cost_only_themselves(prefect_harness, corpus_dir, tmp_path, monkeypatch):
    import newsclean_flows.pipeline as flows

    from newsclean.store.duck import Store

    db = tmp_path / "isolated.duckdb"
    with Store(db) as store:  # a run killed before it finished
        store.start_run("killed-run", {})
    (corpus_dir / "gone.txt").symlink_to(tmp_path / "deleted-before-reading.txt")
    real = flows.prepare_batch
    calls = []

    def failing(paths, *args):
        calls.append(paths)
        if any(p.endswith("bus.html.gz") for p in paths):
            raise RuntimeError("worker lost")
        return real(paths, *args)

    monkeypatch.setattr(flows, "prepare_batch", failing)
    # sorted: [bus, crawl, cut] [empty, export, gone] [image, water.html, water.txt]
    summary = pipeline_flow([str(corpus_dir)], str(db), batch_size=3)
    assert sum(1 for c in calls if any(p.endswith("bus.html.gz") for p in c)) == 2  # retried once
    assert summary["inputs_seen"] == 9 and summary["inputs_new"] == 6 and summary["documents_new"] == 3
    con = duckdb.connect(str(db), read_only=True)
    errors = con.execute("SELECT regexp_extract(location, '[^/]+$'), kind, message FROM input_errors ORDER BY 1").fetchall()
    runs = con.execute("SELECT run_id = 'killed-run', status FROM runs ORDER BY started_at").fetchall()
    con.close()
    kinds = {name: kind for name, kind, _ in errors}
    assert kinds == {"bus.html.gz": "batch_failed", "crawl.warc.gz": "batch_failed", "cut.txt.gz": "batch_failed",
                     "gone.txt": "unreadable", "empty.txt": "empty", "export.jsonl": "invalid_json", "image.txt": "binary"}
    assert "RuntimeError: worker lost" in dict((n, m) for n, _, m in errors)["bus.html.gz"]
    assert runs == [(True, "interrupted"), (False, "completed")]
    monkeypatch.setattr(flows, "prepare_batch", real)
    again = pipeline_flow([str(corpus_dir)], str(db), batch_size=3)  # the failed batch's inputs are read again
    assert again["inputs_new"] == 3 and again["documents_new"] == 2


def test_export_and_readers_during_a_run(prefect_harness, corpus_dir, tmp_path):
    import threading

    from tests.store.test_locks import hold
    from tests.test_cli import newsclean

    db = tmp_path / "busy.duckdb"
    pipeline_flow([str(corpus_dir / "water.txt")], str(db))
    for i in range(12):
        (corpus_dir / f"more-{i}.txt").write_text(OTHER_STORY.replace("bus", f"bus {i}"), encoding="utf-8")
    exports: list[subprocess.CompletedProcess] = []
    done = threading.Event()

    def export_while_running():
        while not done.is_set():
            exports.append(newsclean("export", str(tmp_path / f"e{len(exports)}.jsonl"), "--db", str(db), "--all"))

    reader = hold(db, "ro", 1.0)  # the run starts while another process reads the file: it waits
    thread = threading.Thread(target=export_while_running)
    thread.start()
    try:
        summary = pipeline_flow([str(corpus_dir)], str(db), batch_size=1)
    finally:
        done.set()
        thread.join()
    reader.wait()
    assert summary["inputs_new"] == 19 and summary["documents_new"] == 16  # water.txt was stored before
    assert exports and all(e.returncode == 0 for e in exports), [e.stderr[-500:] for e in exports]
    assert all(e.stderr.startswith("newsclean: wrote") for e in exports)


def test_a_second_run_on_the_same_file_waits_then_says_why(prefect_harness, corpus_dir, tmp_path):
    from newsclean.store.duck import StoreBusy
    from newsclean.store.locks import run_lock

    db = tmp_path / "shared.duckdb"
    with run_lock(db):  # as a run in another process would
        with pytest.raises(StoreBusy, match="another newsclean run"):
            pipeline_flow([str(corpus_dir)], str(db), lock_wait=0.3)
    assert pipeline_flow([str(corpus_dir)], str(db))["inputs_new"] == 8


KILLED_RUN = """
import sys, time
from newsclean.store.duck import Store
from newsclean.store.locks import run_lock
with run_lock(sys.argv[1]):
    with Store(sys.argv[1]) as store:
        store.start_run("killed-run", {})
    print("running", flush=True)
    time.sleep(120)
"""


def test_a_run_killed_with_sigkill_is_closed_by_the_next(prefect_harness, corpus_dir, tmp_path):
    import signal
    import sys

    db = tmp_path / "killed.duckdb"
    victim = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(db)], stdout=subprocess.PIPE, text=True)
    assert victim.stdout.readline().strip() == "running"
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    pipeline_flow([str(corpus_dir)], str(db), lock_wait=5)  # the kernel released the run lock of the dead process
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("SELECT run_id = 'killed-run', status, finished_at IS NOT NULL FROM runs ORDER BY started_at").fetchall()
    con.close()
    assert runs == [(True, "interrupted", True), (False, "completed", True)]


def test_the_run_s_servers_take_ports_the_system_does_not_hand_to_any_port_binds():
    import socket
    from pathlib import Path

    from newsclean_flows.services import _port_for_a_server

    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    ports = {_port_for_a_server() for _ in range(20)}
    assert all(10_000 <= port < low for port in ports)  # a Dask worker binding "any port" never gets one of these
    with socket.socket() as s:
        s.bind(("127.0.0.1", ports.pop()))  # and it is free


def test_a_server_named_in_prefect_s_settings_is_used_and_the_early_one_stopped(monkeypatch):
    import psutil
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    from newsclean_flows.services import prefect_api

    def servers() -> set[int]:  # the `prefect server start` processes started here (not a session's harness)
        found = [p for p in psutil.Process().children(recursive=True) if "server" in " ".join(p.cmdline())]
        return {p.pid for p in found if p.is_running() and p.status() != psutil.STATUS_ZOMBIE} - before

    before: set[int] = set()
    before = servers()
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    configured = "http://127.0.0.1:9/api"
    with temporary_settings({PREFECT_API_URL: configured}):  # as a profile or .env file names one
        with prefect_api() as ready:
            assert len(servers()) == 1  # started at once, before the settings are read
            with ready():
                assert not servers()
                assert get_current_settings().api.url == configured
