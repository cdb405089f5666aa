"""The `newsclean` command as users call it."""
from __future__ import annotations

import json
import os
import signal
import time
import subprocess
import sys
import textwrap

import duckdb
import psutil
import pytest
import pyarrow.parquet as pq

from tests.conftest import REPO


def newsclean(*args: str, cwd=None, env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false") | (env or {})
    return subprocess.run([sys.executable, "-m", "newsclean.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_extracted_text_keeps_its_short_last_lines_and_loses_only_chrome(tmp_path):
    """An export of article bodies an extractor already cut out: a dump's body search takes a short closing list for
    the page's tail; with --extracted only chrome goes, and the record's own title stays."""
    from tests.conftest import STORY

    streets = ["Where the work starts first:", "Mill Road", "Station Street", "Harbour Lane"]
    export = tmp_path / "bodies.jsonl"
    export.write_text(json.dumps({"title": "Water board approves pipe plan",
                                  "text": "\n".join([STORY, *streets, "Share this article"])}) + "\n", encoding="utf-8")
    as_dump = json.loads(newsclean("clean", str(export)).stdout)
    assert "Harbour Lane" not in as_dump["text"]  # taken for the page's tail
    out = newsclean("clean", "--extracted", str(export))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["text"] == "\n".join([STORY, *streets]) and doc["title"] == "Water board approves pipe plan"
    assert [(s["text"], s["reason"]) for s in doc["removed"]] == [("Share this article", "share_block")]


def test_clean_prints_one_json_object_per_document(corpus_dir):
    out = newsclean("clean", str(corpus_dir))
    assert out.returncode == 0, out.stderr
    docs = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(docs) == 5
    for d in docs:
        assert {"path", "text", "title", "published", "source", "url", "language", "removed"} <= set(d)
    dump = next(d for d in docs if d["path"].endswith("water.txt"))
    assert dump["title"] == "Water board approves pipe plan" and dump["published"] == "2025-03-04"
    assert dump["source"] == "Example Gazette" and dump["language"] == "en"
    assert {r["reason"] for r in dump["removed"]} >= {"title", "meta", "comments", "related_block"}
    assert "invalid_json" in out.stderr and "binary" in out.stderr and "truncated" in out.stderr


def test_clean_streams_a_large_export_in_input_order(tmp_path):
    from newsclean.pipeline import load_and_clean

    def story(i):
        return "\n".join(f"Paragraph {k} of report {i} says the council met on day {i * 7 + k} and voted on budget item {k * 13 + i}."
                         for k in range(5))

    # about 6 MB of records: more than one piece of clean_stream's 4 MB
    records = [json.dumps({"text": story(i) + "\n" + "Background. " * 900, "title": f"T{i}"}) for i in range(600)]
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(records[:300] + ["{broken"] + records[300:]) + "\n", encoding="utf-8")
    out = newsclean("clean", str(export))
    assert out.returncode == 0, out.stderr[-2000:]
    got = [json.loads(line) for line in out.stdout.splitlines()]
    whole = [d for item in load_and_clean([str(export)]) for d in item.documents]
    assert [(d["doc_id"], d["text"]) for d in got] == [(d.doc_id, d.text) for d in whole] and len(got) == 600
    assert out.stderr.count("invalid_json") == 1 and "600 documents from 1 input, 1 error" in out.stderr


def test_run_then_export(tmp_path):
    db = tmp_path / "corpus.duckdb"
    out = newsclean("run", str(REPO / "raw"), "--db", str(db))
    assert out.returncode == 0, out.stderr[-2000:]
    summary = json.loads(out.stdout[out.stdout.index("{"):])
    assert summary["inputs_new"] == 6 and summary["documents_new"] == 9 and summary["errors_new"] == 1
    assert summary["workers"] == "threads of the run's process"  # six inputs are one batch: no cluster to start
    assert 0 < summary["removed_share"] < 1
    assert out.stderr.strip().splitlines()[-1] == (
        f"newsclean: 1 error recorded: SELECT * FROM input_errors WHERE run_id = '{summary['run_id']}' in {db}")
    assert "Error logging to API" not in out.stderr  # the run's logs reached its temporary server before it stopped
    con = duckdb.connect(str(db), read_only=True)
    canonical = con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0]
    con.close()
    assert newsclean("export", str(tmp_path / "c.parquet"), "--db", str(db)).returncode == 0
    assert pq.read_table(tmp_path / "c.parquet").num_rows == canonical == 6
    assert newsclean("export", str(tmp_path / "all.jsonl"), "--db", str(db), "--all").returncode == 0
    assert len((tmp_path / "all.jsonl").read_text().splitlines()) == 9


def test_a_run_of_several_batches_takes_a_worker_process_a_core(tmp_path):
    from newsclean.cli import default_workers

    out = newsclean("run", str(REPO / "raw"), "--db", str(tmp_path / "c.duckdb"), "--batch-size", "2")
    assert out.returncode == 0, out.stderr[-2000:]
    summary = json.loads(out.stdout[out.stdout.index("{"):])
    workers = default_workers()
    assert summary["workers"] == (f"local Dask cluster of {workers} processes" if workers else "threads of the run's process")
    assert summary["inputs_new"] == 6 and summary["documents_new"] == 9 and summary["errors_new"] == 1


def test_clean_in_parallel_gives_the_same_output(corpus_dir):
    one = newsclean("clean", str(corpus_dir))
    two = newsclean("clean", str(corpus_dir), "--jobs", "2", "--batch-size", "2")
    assert two.returncode == 0, two.stderr
    strip = lambda out: sorted(json.loads(line)["text"] for line in out.splitlines())  # noqa: E731
    assert strip(two.stdout) == strip(one.stdout) and len(two.stdout.splitlines()) == 5


def test_clean_reads_a_file_whose_name_is_not_utf8(tmp_path):
    with open(os.path.join(os.fsencode(tmp_path), b"r\xe9sum\xe9.txt"), "wb") as f:
        f.write(b"A first line of a short note, long enough to be read as a sentence of prose.\n" * 3)
    out = newsclean("clean", str(tmp_path))
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
    [doc] = [json.loads(line) for line in out.stdout.splitlines()]
    assert doc["path"] == f"{tmp_path}/r\\xe9sum\\xe9.txt" and doc["text"]


def test_clean_into_a_reader_that_stops_early_ends_quietly(tmp_path):
    """`newsclean clean ... | head -1`: once the reader has gone, no traceback, and the exit code of a tool that
    SIGPIPE stopped."""
    for i in range(200):
        (tmp_path / f"{i:03d}.txt").write_text(f"Note {i}: a first line of prose, long enough to be kept as a sentence.\n" * 5)
    proc = subprocess.Popen([sys.executable, "-m", "newsclean.cli", "clean", str(tmp_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert json.loads(proc.stdout.readline())["path"].endswith("000.txt")
    proc.stdout.close()  # what head does after its first line
    stderr = proc.communicate(timeout=120)[1]
    assert proc.returncode == 141 and "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr[-2000:]


def test_ctrl_c_stops_a_run_quietly_and_records_it(tmp_path):
    """Ctrl-C reaches the terminal's whole process group: the run records the interruption, stops its workers and its
    temporary Prefect server, and says so in one line, with no traceback from any of them. The run is stopped while it
    fetches a page that a server on 127.0.0.1 is slow to send."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    asked = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path != "/slow.html":
                self.send_response(404)
                self.end_headers()
                return
            asked.set()
            time.sleep(20)  # longer than the test waits for the run to stop

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = tmp_path / "c.duckdb"
    try:
        proc = subprocess.Popen([sys.executable, "-m", "newsclean.cli", "run", f"http://127.0.0.1:{server.server_port}/slow.html",
                                 "--db", str(db), "--allow-private-hosts", "--archive-dir", str(tmp_path / "fetched")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        assert asked.wait(120)  # the flow is running, and waiting for the page
        children = psutil.Process(proc.pid).children(recursive=True)
        assert any("prefect" in " ".join(c.cmdline()) for c in children)  # its temporary server, beside its workers
        os.killpg(proc.pid, signal.SIGINT)
        said = proc.stderr.readlines()
        proc.wait(timeout=60)
    finally:
        server.shutdown()
    assert proc.returncode == 130 and said[-1] == "newsclean: interrupted\n", "".join(said[-20:])
    assert not any("Traceback" in line for line in said), "".join(said)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    con.close()
    assert _still_running(children) == []  # server, workers
    assert not (tmp_path / "fetched").exists() or list((tmp_path / "fetched").iterdir()) == []  # no empty archive


def test_a_kill_that_a_library_turns_into_its_own_error_still_ends_the_run_in_one_line():
    """DuckDB turns the interruption raised inside a query into an error of its own (RuntimeError "Query
    interrupted"; seen when a kill landed in the run's first query). The run still ends as interrupted (exit code
    143, one line), not with that error's traceback. The library's part is played here, the signal is real."""
    script = textwrap.dedent("""
        import os, signal, sys, time
        import newsclean.cli as cli

        def run(args):
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(30)  # the handler raises here
            except KeyboardInterrupt as exc:
                raise RuntimeError("Query interrupted") from exc  # as DuckDB does

        cli.cmd_run = run
        sys.exit(cli.main(["run", "."]))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (143, "newsclean: interrupted\n"), proc.stderr


def test_kill_stops_a_run_and_its_temporary_server(tmp_path):
    """SIGTERM to the run alone (kill, timeout, a service manager), here while it waits for its temporary Prefect
    server to answer: it stops that server and its workers and says so in one line (exit code 143)."""
    proc = subprocess.Popen([sys.executable, "-m", "newsclean.cli", "run", str(REPO / "raw"), "--db", str(tmp_path / "c.duckdb")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    children: list = []
    while not any("prefect" in " ".join(c.cmdline()) for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)  # the server is spawned first; it takes seconds to answer
        children = psutil.Process(proc.pid).children(recursive=True)
    assert any("prefect" in " ".join(c.cmdline()) for c in children)
    proc.terminate()
    said = proc.stderr.readlines()
    proc.wait(timeout=60)
    assert proc.returncode == 143 and said[-1] == "newsclean: interrupted\n", "".join(said[-20:])
    assert not any("Traceback" in line for line in said), "".join(said)
    assert _still_running(children) == []


def _still_running(processes: list) -> list:
    time.sleep(1)
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.parametrize("signum, raised", [(signal.SIGINT, "KeyboardInterrupt"), (signal.SIGTERM, "Terminated")])
def test_an_interruption_caught_on_its_way_is_raised_again_at_the_next_check(signum, raised):
    """A library that catches Ctrl-C (or SIGTERM) where it lands does not make the run go on: the next check raises it."""
    code = textwrap.dedent(f"""\
        import os, time
        from newsclean import interrupt
        interrupt.install()
        interrupt.check()  # nothing received yet
        try:
            os.kill(os.getpid(), {int(signum)})
            time.sleep(5)
        except KeyboardInterrupt:
            print("absorbed", flush=True)
        interrupt.check()
        print("went on")
        """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout == "absorbed\n" and proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].split(":")[0].endswith(raised)


def piped(*args: str, data: bytes) -> subprocess.CompletedProcess:
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return subprocess.run([sys.executable, "-m", "newsclean.cli", *args], input=data, capture_output=True, env=env,
                          timeout=300)


def test_clean_reads_standard_input_as_any_input(corpus_dir):
    dump = (corpus_dir / "water.txt").read_bytes()
    once, again = piped("clean", "-", data=dump), piped("clean", "-", str(corpus_dir / "water.txt"), data=dump)
    assert once.returncode == 0, once.stderr
    [doc] = [json.loads(line) for line in once.stdout.splitlines()]
    assert doc["path"] == "-" and doc["title"] == "Water board approves pipe plan" and doc["format"] == "txt"
    from_file, from_stdin = sorted((json.loads(line) for line in again.stdout.splitlines()), key=lambda d: d["path"] == "-")
    assert from_stdin == doc  # the same ids whatever temporary file held it
    assert {k: v for k, v in from_file.items() if k not in ("path", "doc_id")} == \
        {k: v for k, v in doc.items() if k not in ("path", "doc_id")}
    export = b'{"text": "A first story told at some length, with a sentence or two."}\n{"html": "<p>Second</p>"}\n'
    docs = [json.loads(line) for line in piped("clean", "-", data=export).stdout.splitlines()]
    assert [(d["path"], d["format"], d["record"]) for d in docs] == [("-", "jsonl", 1), ("-", "jsonl", 2)]
    archive = next((REPO / "raw" / "archive").glob("*.warc.gz")).read_bytes()
    docs = [json.loads(line) for line in piped("clean", "-", data=archive).stdout.splitlines()]
    assert docs and all(d["path"] == "-" and d["format"] == "warc" and d["url"] for d in docs)
    empty = piped("clean", "-", data=b"")
    assert empty.returncode == 1 and b"-: empty:" in empty.stderr and b"Traceback" not in empty.stderr


def test_a_run_killed_outright_leaves_no_prefect_server_behind(tmp_path):
    """SIGKILL (an out-of-memory kill, kill -9) or a crash gives the run no chance to stop its temporary server: the
    server stops with it instead of running on, orphaned."""
    proc = subprocess.Popen([sys.executable, "-m", "newsclean.cli", "run", str(REPO / "raw"), "--db", str(tmp_path / "c.duckdb")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    servers: list = []
    while not servers and time.monotonic() < deadline:
        time.sleep(0.05)
        servers = [c for c in psutil.Process(proc.pid).children(recursive=True) if "server" in " ".join(c.cmdline())]
    assert servers
    time.sleep(1.0)  # the server is past its start-up code
    proc.kill()
    proc.wait(timeout=30)
    gone = time.monotonic() + 30
    while _still_running(servers) and time.monotonic() < gone:
        time.sleep(0.5)
    assert _still_running(servers) == []
