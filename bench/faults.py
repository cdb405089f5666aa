"""Fault bench: a mixed folder of good and bad inputs, a run killed with kill -9 then re-run, readers meanwhile.

1. builds a folder of good inputs (text dumps, HTML pages, JSON Lines, WARC) and bad ones (empty, binary, a
   broken link, a folder named like a file, BOM-less UTF-16, a gzip inside a .gz, a JSONL `text` that is a
   number, a page with an 11 MB attribute, truncated gzip, a WARC with non-HTML records);
2. runs `newsclean run` on it uninterrupted (the reference);
3. runs it again into a second file, kills the whole run (kill -9 of its process group) once some batches
   are stored, then re-runs; `newsclean export` runs in a loop meanwhile, and a reader holds the file as
   the re-run starts;
4. prints inputs stored, errors recorded, documents lost (reference documents missing after the re-run: must
   be 0), whether every table equals the reference's, the `runs` rows, what the readers saw, and peak memory.

Usage: python bench/faults.py [--good 150] [--batch-size 10]
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsclean.store.duck import Store  # noqa: E402
from tests.conftest import OTHER_STORY, STORY, html_page, text_dump, warc_bytes  # noqa: E402

# Columns that do not depend on when or in which run a row was written.
TABLES = {
    "raw_inputs": "input_id, status, skipped_records",
    "documents": "doc_id, content_hash, duplicate_of, word_count, title, published, language",
    "removed_spans": "doc_id, seq, reason, text",
    "input_errors": "error_id, kind",
    "signatures": "doc_id, signature",
    "lsh_bands": "band, key, doc_id",
}


def story(rng: random.Random, i: int) -> str:
    words = (STORY + " " + OTHER_STORY).split()
    paras = [" ".join(rng.choice(words) for _ in range(rng.randint(30, 70))).capitalize() + "." for _ in range(6)]
    return f"Report {i}: " + "\n".join(paras)


def build_folder(root: Path, good: int) -> tuple[int, int]:
    """Write good and bad inputs; returns (good files, bad files)."""
    rng = random.Random(13)
    root.mkdir()
    for i in range(good):
        body = story(rng, i)
        kind = i % 4
        if kind == 0:
            (root / f"dump-{i:03}.txt").write_text(text_dump(f"Story {i}", body), encoding="utf-8")
        elif kind == 1:
            (root / f"page-{i:03}.html").write_text(html_page(f"Story {i}", body), encoding="utf-8")
        elif kind == 2:
            (root / f"export-{i:03}.jsonl").write_text(json.dumps({"url": f"https://e.org/{i}", "text": body}) + "\n", encoding="utf-8")
        else:
            (root / f"crawl-{i:03}.warc.gz").write_bytes(warc_bytes([(f"https://e.org/w{i}", html_page(f"Story {i}", body).encode())]))
    bad = {
        "empty.txt": b"",
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "wide.txt": story(rng, 9001).encode("utf-16-le"),
        "twice.txt.gz": gzip.compress(gzip.compress(story(rng, 9002).encode())),
        "number.jsonl": json.dumps({"text": 42}).encode() + b"\n",
        "huge-attribute.html": html_page("Huge attribute", story(rng, 9003)).replace(
            "<body>", '<body data-state="' + "Q" * 11_000_000 + '">').encode(),
        "cut.txt.gz": gzip.compress(" ".join(str(i * 7919 % 10007) for i in range(5000)).encode())[:2000],
    }
    for name, data in bad.items():
        (root / name).write_bytes(data)
    (root / "gone.txt").symlink_to(root / "deleted-before-reading.txt")
    (root / "folder.txt").mkdir()
    (root / "folder.txt" / "inside.txt").write_text(story(rng, 9004), encoding="utf-8")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record("mixed.warc.gz", {"software": "bench"}))
    for url, ctype, body in [("https://e.org/m1", "text/html", html_page("Mixed", story(rng, 9005)).encode()),
                             ("https://e.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n")]:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    (root / "mixed.warc.gz").write_bytes(buf.getvalue())
    return good + 2, len(bad) + 2  # the folder's inside.txt and the mixed WARC are good


def run_cmd(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """`newsclean ...` in its own process group (kill -9 of the group reaches its workers), output to log."""
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, "-m", "newsclean.cli", *args], stdout=out, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)


def wait_peak(proc: subprocess.Popen) -> tuple[int, float]:
    """Wait for proc; (return code, peak RSS in MB of it or its largest reaped child, the Prefect server)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024


def tables(db: Path) -> dict[str, set]:
    with Store(db, read_only=True) as store:
        return {t: set(store.query(f"SELECT {cols} FROM {t}")) for t, cols in TABLES.items()}


def stored_inputs(db: Path) -> int:
    try:
        with Store(db, read_only=True, wait=30) as store:
            return store.query("SELECT count(*) FROM raw_inputs")[0][0]
    except Exception:
        return 0


def exports_loop(db: Path, out: Path, env: dict, stop: threading.Event, seen: list) -> None:
    """`newsclean export` again and again until stop; records (returncode, seconds, first stderr line)."""
    while not stop.is_set():
        start = time.monotonic()
        p = subprocess.run([sys.executable, "-m", "newsclean.cli", "export", str(out), "--db", str(db), "--all"],
                           capture_output=True, text=True, env=env)
        seen.append((p.returncode, time.monotonic() - start, (p.stderr.strip().splitlines() or [""])[0]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--good", type=int, default=150, help="good inputs in the folder")
    ap.add_argument("--batch-size", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsclean-faults-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_HOME=str(tmp / "prefect"))
        n_good, n_bad = build_folder(tmp / "inputs", args.good)
        print(f"folder: {n_good} good inputs, {n_bad} bad ones, batches of {args.batch_size}")
        run = ["run", str(tmp / "inputs"), "--batch-size", str(args.batch_size)]

        start = time.monotonic()
        ref = run_cmd([*run, "--db", str(tmp / "ref.duckdb")], env, tmp / "ref.log")
        rc, ref_peak = wait_peak(ref)
        print(f"reference run: rc {rc}, {time.monotonic() - start:.1f} s, peak memory {ref_peak:.0f} MB")
        if rc:
            print((tmp / "ref.log").read_text()[-3000:])
            return 1

        db = tmp / "killed.duckdb"
        killed = run_cmd([*run, "--db", str(db)], env, tmp / "killed.log")
        while killed.poll() is None and stored_inputs(db) < n_good // 3:  # a reader polling the file meanwhile
            time.sleep(0.2)
        at = stored_inputs(db)
        tree = psutil.Process(killed.pid).children(recursive=True)  # the run's Prefect server has a session of its own
        os.killpg(killed.pid, signal.SIGKILL)
        for child in tree:
            child.kill()
        killed.wait()
        print(f"killed run: kill -9 after {at} inputs were stored")

        seen: list = []
        stop = threading.Event()
        holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True);"
                                   " print('holding', flush=True); time.sleep(15)", str(db)], stdout=subprocess.PIPE, text=True)
        holder.stdout.readline()
        readers = threading.Thread(target=exports_loop, args=(db, tmp / "export.parquet", env, stop, seen))
        readers.start()
        start = time.monotonic()
        rerun = run_cmd([*run, "--db", str(db)], env, tmp / "rerun.log")
        rc, rerun_peak = wait_peak(rerun)
        stop.set()
        readers.join()
        holder.wait()
        print(f"re-run (a reader held the file for its first 15 s, exports looped): rc {rc}, "
              f"{time.monotonic() - start:.1f} s, peak memory {rerun_peak:.0f} MB")
        if rc:
            print((tmp / "rerun.log").read_text()[-3000:])
            return 1

        want, got = tables(tmp / "ref.duckdb"), tables(db)
        with Store(db, read_only=True) as store:
            runs = store.query("SELECT status, inputs_new, documents_new FROM runs ORDER BY started_at")
            errors = store.query("SELECT kind, count(*) FROM input_errors GROUP BY kind ORDER BY kind")
        lost = {d[0] for d in want["documents"]} - {d[0] for d in got["documents"]}
        print(f"inputs stored: {len(got['raw_inputs'])} (reference {len(want['raw_inputs'])})")
        print(f"errors recorded: {len(got['input_errors'])} — " + ", ".join(f"{k} {n}" for k, n in errors))
        print(f"documents stored: {len(got['documents'])}, documents lost: {len(lost)}")
        print("tables equal to the reference: " + ", ".join(f"{t} {'yes' if want[t] == got[t] else 'NO'}" for t in TABLES))
        print(f"runs: {runs}")
        ok = [s for rc, s, _ in seen if rc == 0]
        failed = [line for rc, _, line in seen if rc != 0]
        print(f"exports during the re-run: {len(seen)}, succeeded {len(ok)}, failed {len(failed)}"
              + (f", longest {max(ok):.1f} s (process start included)" if ok else "") + (f"; {failed[0]}" if failed else ""))
        return 0 if not lost and all(want[t] == got[t] for t in TABLES) and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
