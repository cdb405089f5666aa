"""Throughput bench: `newsclean run` with default settings against a bare `trafilatura.extract` loop on one core,
on the same real HTML pages, in the same run.

1. writes N real pages (the 181 Scrapinghub pages, then WCXB pages in id order; default 1,032) as plain .html
   files into a temporary folder;
2. times the bare loop in one process: read each file, `trafilatura.extract(html)` (the baseline, 1.00), once
   before and once after the newsclean run (this machine's speed drifts; the ratio is against the mean of the two,
   and both are printed);
3. times the start of the run's temporary Prefect server alone (a process starting it as `newsclean run` does and
   running an empty flow on it, minus the same process importing the flow module without doing so);
4. times `newsclean run FOLDER --db NEW` with default settings (all cores), prints wall time, ratio to the
   baseline (server start included, and without it), the stage seconds of the run summary, pages/s and peak
   memory of the whole process tree (run, workers, Prefect server);
5. times the same command again (nothing new);
6. with --check-same, runs `newsclean run --workers 0` (the former default: the run's own threads) into another
   file and checks that both stored the same documents (ids, text, metadata, duplicate links, removed spans).

Usage: nice -n 10 python bench/throughput.py [--pages 1032] [--check-same] [--keep DIR]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psutil

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/bench")
NEWSCLEAN = [sys.executable, "-m", "newsclean.cli"]


def real_pages(n: int) -> list[tuple[str, bytes]]:
    """(name, html bytes) of n real pages: Scrapinghub's first, then WCXB's in id order."""
    files = sorted((SHARED / "scrapinghub" / "html").glob("*.html.gz")) + sorted((SHARED / "wcxb" / "html").glob("*.html.gz"))
    if len(files) < n:
        raise SystemExit(f"only {len(files)} pages under {SHARED}")
    return [(f"{i:05d}-{f.name.removesuffix('.gz')}", gzip.decompress(f.read_bytes())) for i, f in enumerate(files[:n])]


def _role(p: psutil.Process) -> str:
    """What a process of the run's tree is: the run itself, a worker, Prefect's server, or other."""
    line = " ".join(p.cmdline())
    return ("Prefect server" if "uvicorn" in line else "worker" if "multiprocessing" in line and "fork" in line
            else "run" if "newsclean" in line else "other")


def tree_rss(proc: psutil.Process, parts: dict[str, int] | None = None) -> int:
    """Resident memory of a process and all its descendants, in bytes; parts, when given, gets it by role."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            rss = p.memory_info().rss
            if parts is not None:
                role = _role(p)
                parts[role] = parts.get(role, 0) + rss
            total += rss
        except psutil.Error:
            pass
    return total


def run_measured(cmd: list[str], env: dict | None = None, cwd: str | None = None,
                 at_peak: dict | None = None) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run cmd; (completed process, wall seconds, peak RSS in MB of its process tree sampled every 0.2 s). at_peak,
    when given, gets the MB of each role (run, worker, Prefect server) at the peak and its second ("at")."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    peak, ps = 0, psutil.Process(proc.pid)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            try:
                parts: dict[str, int] = {}
                total = tree_rss(ps, parts)
                if total > peak:
                    peak = total
                    if at_peak is not None:
                        at_peak.clear()
                        at_peak.update({k: round(v / 2**20) for k, v in parts.items()}, at=round(time.perf_counter() - start))
            except psutil.Error:
                pass
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), wall, peak / 2**20


def summary_of(out: subprocess.CompletedProcess) -> dict:
    if out.returncode not in (0, 1):
        raise SystemExit(f"newsclean failed ({out.returncode}):\n{out.stderr[-4000:]}")
    return json.loads(out.stdout[out.stdout.index("{"):])


BARE = """
import sys, time
from pathlib import Path
import trafilatura
files = sorted(Path(sys.argv[1]).glob("*.html"))
start = time.perf_counter()
kept = sum(1 for f in files if trafilatura.extract(f.read_text(encoding="utf-8", errors="replace")))
print(time.perf_counter() - start, kept)
"""

EMPTY_FLOW = """
import sys, time
start = time.perf_counter()
from prefect import flow
from newsclean_flows.services import prefect_api
imported = time.perf_counter()
if sys.argv[1] == "run":
    with prefect_api() as ready, ready():
        flow(name="empty")(lambda: 1)()
print(imported - start, time.perf_counter() - imported)
"""


def bare_loop(pages: Path) -> tuple[float, str]:
    """Seconds of the bare trafilatura loop over the folder, in a process of its own, and how many pages gave text."""
    bare = subprocess.run([sys.executable, "-c", BARE, str(pages)], capture_output=True, text=True, check=True)
    secs, kept = bare.stdout.split()
    return float(secs), kept


def server_start(env: dict) -> float:
    """Seconds a process spends starting the run's temporary Prefect server and running an empty flow on it."""
    out = subprocess.run([sys.executable, "-c", EMPTY_FLOW, "run"], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return float(out.stdout.split()[-1])


SAME = """SELECT d.doc_id, d.input_id, d.text, d.title, d.published, d.source, d.author, d.language, d.content_hash,
                 d.duplicate_of, d.word_count, (SELECT count(*) FROM removed_spans s WHERE s.doc_id = d.doc_id)
          FROM documents d ORDER BY d.doc_id"""


def stored(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(SAME).fetchall()
    finally:
        con.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=1032)
    ap.add_argument("--check-same", action="store_true", help="also run --workers 0 and compare what was stored")
    ap.add_argument("--keep", help="work in this folder and keep it")
    args = ap.parse_args()
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        pages = work / "pages"
        pages.mkdir(parents=True, exist_ok=True)
        for name, html in real_pages(args.pages):
            (pages / name).write_bytes(html)
        size = sum(f.stat().st_size for f in pages.iterdir()) / 2**20
        print(f"{args.pages} real HTML pages, {size:.0f} MB, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")

        before, bare_kept = bare_loop(pages)
        print(f"bare trafilatura.extract loop, one process: {before:.1f} s, {args.pages / before:.1f} pages/s "
              f"({bare_kept} with text)")

        serving = server_start(env)
        print(f"Prefect temporary server start + an empty flow: {serving:.1f} s")

        db = work / "default.duckdb"
        out, wall, peak = run_measured([*NEWSCLEAN, "run", str(pages), "--db", str(db)], env)
        s = summary_of(out)
        after, _ = bare_loop(pages)
        bare_s = (before + after) / 2
        print(f"bare loop again after the run: {after:.1f} s; baseline (ratio 1.00): their mean, {bare_s:.1f} s")
        outside = wall - s["flow_seconds"]
        print(f"newsclean run (default: {s['workers']}): {wall:.1f} s, {args.pages / wall:.1f} pages/s, "
              f"ratio {bare_s / wall:.2f}; flow alone {s['flow_seconds']:.1f} s (ratio {bare_s / s['flow_seconds']:.2f}); "
              f"outside the flow (imports, checks, server start and stop) {outside:.1f} s; peak memory {peak:.0f} MB")
        print(f"  stored: {s['documents_new']} documents, {s['duplicates_new']} duplicates, {s['errors_new']} errors")
        st = s["stage_seconds"]
        print("  stage seconds (summed over workers): " + ", ".join(f"{k} {v:.1f}" for k, v in st.items()))
        excess = st["extract"] - bare_s  # CPU the HTML path (trafilatura + post-pass) spends beyond the bare loop's
        cores = len(os.sched_getaffinity(0))
        projected = s["flow_seconds"] - excess / cores
        print(f"  HTML path (extract stage) {st['extract']:.1f} s of CPU, {st['extract'] / bare_s:.2f} x the bare loop; reading "
              f"{st['read']:.1f} s ({st['read'] / bare_s:.2f} x); if extraction cost what the bare loop costs: flow ~{projected:.1f} s, "
              f"ratio ~{bare_s / projected:.2f} flow alone, ~{bare_s / (projected + outside):.2f} with the server start; "
              f"and reading too (as the other branch makes it): ratio ~{bare_s / (projected - st['read'] / cores):.2f} flow alone, "
              f"~{bare_s / (projected - st['read'] / cores + outside):.2f} with the server start")

        again, wall2, _ = run_measured([*NEWSCLEAN, "run", str(pages), "--db", str(db)], env)
        s2 = summary_of(again)
        print(f"newsclean run again, nothing new: {wall2:.1f} s ({s2['workers']}; inputs_new {s2['inputs_new']})")

        if args.check_same:
            ref_db = work / "threads.duckdb"
            ref, wall3, peak3 = run_measured([*NEWSCLEAN, "run", str(pages), "--db", str(ref_db), "--workers", "0"], env)
            summary_of(ref)
            print(f"newsclean run --workers 0 (the former default): {wall3:.1f} s, ratio {bare_s / wall3:.2f}, peak {peak3:.0f} MB")
            a, b = stored(db), stored(ref_db)
            print(f"same documents stored: {a == b} ({len(a)} vs {len(b)} documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
