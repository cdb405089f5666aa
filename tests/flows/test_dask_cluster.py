"""`newsclean run --dask-address` on a real external Dask cluster: `dask scheduler` and two `dask worker` processes
on 127.0.0.1, started here as a user would start them."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.flows.conftest import stop_group
from tests.test_cli import newsclean

DASK = str(Path(sys.executable).parent / "dask")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """tcp://127.0.0.1:PORT of a scheduler with two single-threaded worker processes."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    log = tmp_path / "dask.log"
    procs = []
    with open(log, "w") as out:
        def start(*args):
            procs.append(subprocess.Popen([DASK, *args], stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path,
                                          start_new_session=True))
        try:
            start("scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard")
            for _ in range(2):
                start("worker", address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1", "--no-dashboard")
            from distributed import Client

            deadline = time.monotonic() + 120
            while True:
                try:
                    with Client(address, timeout=10) as client:
                        client.wait_for_workers(2, timeout=120)
                    break
                except OSError:
                    assert time.monotonic() < deadline and all(p.poll() is None for p in procs), log.read_text()[-3000:]
                    time.sleep(1)
            yield address
        finally:
            for proc in reversed(procs):
                stop_group(proc)


def _executed_per_worker(address: str) -> list[int]:
    from distributed import Client

    with Client(address, timeout=10) as client:
        return sorted(client.run(lambda dask_worker: dask_worker.state.executed_count).values())


@pytest.mark.slow
def test_run_on_an_external_dask_cluster(dask_cluster, corpus_dir, tmp_path):
    db = tmp_path / "cluster.duckdb"
    before = _executed_per_worker(dask_cluster)
    out = newsclean("run", str(corpus_dir), "--db", str(db), "--batch-size", "2", "--dask-address", dask_cluster)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads(out.stdout[out.stdout.index("{"):])
    assert summary["inputs_new"] == 8 and summary["documents_new"] == 5 and summary["duplicates_new"] == 3
    assert summary["errors_new"] == 4 and summary["workers"] == f"Dask cluster at {dask_cluster}"
    after = _executed_per_worker(dask_cluster)
    assert sum(after) - sum(before) >= 4 and all(n > b for n, b in zip(after, before))  # 4 batches, both workers used
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT count(*), count(DISTINCT doc_id) FROM documents").fetchone()
    con.close()
    assert stored == (5, 5)
    again = newsclean("run", str(corpus_dir), "--db", str(db), "--dask-address", dask_cluster)
    assert again.returncode == 0, again.stderr[-3000:]
    assert json.loads(again.stdout[again.stdout.index("{"):])["inputs_new"] == 0


def test_an_unreachable_scheduler_is_one_line(tmp_path, corpus_dir):
    address = f"tcp://127.0.0.1:{_free_port()}"
    out = newsclean("run", str(corpus_dir), "--db", str(tmp_path / "c.duckdb"), "--dask-address", address)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        f"newsclean: cannot reach the Dask scheduler at {address} (Connection refused); start one with `dask scheduler` "
        "and `dask worker tcp://HOST:8786` (see README: Scaling out)"]
    bad = newsclean("run", str(corpus_dir), "--db", str(tmp_path / "c.duckdb"), "--dask-address", "http://x")
    assert bad.returncode == 2 and "give it as tcp://HOST:PORT" in bad.stderr
    both = newsclean("run", str(corpus_dir), "--db", str(tmp_path / "c.duckdb"), "--dask-address", address, "--workers", "2")
    assert both.returncode == 2 and "exclude each other" in both.stderr
