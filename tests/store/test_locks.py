"""Another process holding the corpus file: writers and readers wait, then give up with one clear line."""
from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest

from newsclean.store.duck import Store, StoreBusy
from newsclean.store.locks import run_lock
from tests.test_cli import newsclean

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def hold(db, mode: str, seconds: float) -> subprocess.Popen:
    """Another process that opens db (ro or rw) and keeps it for seconds."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), mode, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


@pytest.fixture
def db(corpus_db):
    return corpus_db


def test_a_writer_waits_for_a_reader_then_writes(db):
    reader = hold(db, "ro", 1.5)
    started = time.monotonic()
    with Store(db, wait=30) as store:
        store.start_run("r1", {})
    assert time.monotonic() - started > 0.5  # it did wait for the reader
    reader.wait()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT run_id, status FROM runs").fetchall() == [("r1", "running")]
    con.close()


def test_readers_share_the_file_but_give_up_on_a_writer_with_a_clear_message(db):
    reader = hold(db, "ro", 0.5)
    with Store(db, read_only=True, wait=0) as store:  # readers do not exclude each other
        assert store.counts()["documents"] == 0
    reader.wait()
    writer = hold(db, "rw", 5)
    with pytest.raises(StoreBusy, match=rf"locked by process {writer.pid}; gave up after waiting 0.3 s"):
        Store(db, read_only=True, wait=0.3)
    out = newsclean("export", str(db.parent / "x.parquet"), "--db", str(db), "--wait", "0.3")
    writer.kill()
    assert out.returncode == 3 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [f"newsclean: {db} is locked by process {writer.pid}; gave up after waiting 0.3 s"]


def test_one_run_at_a_time_per_file(db):
    with run_lock(db, wait=0):
        with pytest.raises(StoreBusy, match="another newsclean run"):
            with run_lock(db, wait=0.2):
                pass
    with run_lock(db, wait=0):  # released
        pass


def test_old_files_gain_the_runs_status_column(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, inputs_seen INTEGER,"
                " inputs_new INTEGER, documents_new INTEGER, duplicates_new INTEGER, errors_new INTEGER, removed_share DOUBLE, args VARCHAR)")
    con.execute("INSERT INTO runs (run_id, started_at) VALUES ('killed', now())")
    con.close()
    with Store(path) as store:
        assert store.start_run("next", {}) == 1
        rows = store.query("SELECT run_id, status, finished_at IS NOT NULL FROM runs ORDER BY run_id")
    assert rows == [("killed", "interrupted", True), ("next", "running", False)]
