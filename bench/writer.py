"""Writer bench: how fast the one writer (dedup against the stored corpus + the batch transaction) goes, and whether
its cost per document grows with the corpus, up to 100,000 documents and more.

The workers' stages do not depend on the corpus (a batch is read, cleaned and signed on its own); only the
writer's do. So: 1,000 inputs built as bench/scale.py builds them are cleaned and signed once, in batches of
100, then written again and again as new documents (new ids, new content hashes; 90 % get new random MinHash
signatures, 10 % keep theirs and so are near-duplicates of an earlier copy), each batch the way a run writes it
(open the file, ingest_batch, close). Prints, per 10,000 documents stored, the writer's seconds per 1,000
documents (dedup, store) and documents/s, and the file size; then the last 10,000's CPU per 1,000 documents over the
first 10,000's (1.00 = flat).

Usage: nice -n 10 python bench/writer.py [--docs 100000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import build, pools  # noqa: E402

from newsclean.document import stable_id  # noqa: E402
from newsclean.pipeline import Batch, ingest_batch, prepare_batch  # noqa: E402
from newsclean.readers import expand_inputs  # noqa: E402
from newsclean.store.duck import Store  # noqa: E402
from newsclean.timing import StageTimes  # noqa: E402


def copy_batch(batch: Batch, copy: int, rng: np.random.Generator, dup_share: float = 0.1) -> Batch:
    """The batch as new inputs and documents (copy number `copy`); most get new signatures, dup_share keep theirs."""
    loaded, hashes, signatures = [], {}, {}
    for item in batch.loaded:
        raw = replace(item.raw, location=f"{item.raw.location}#{copy}")
        docs = []
        for doc in item.documents:
            new_id = stable_id(doc.doc_id, copy)
            docs.append(replace(doc, doc_id=new_id, input_id=raw.input_id, text=f"{doc.text}\ncopy {copy}"))
            hashes[new_id] = stable_id(batch.hashes[doc.doc_id], copy)
            sig = batch.signatures.get(doc.doc_id)
            if sig is not None:
                if rng.random() >= dup_share:
                    values = np.frombuffer(sig, dtype=np.uint32).copy()
                    values[:-1] = rng.integers(0, 2**32, size=len(values) - 1, dtype=np.uint32)
                    sig = values.tobytes()
                signatures[new_id] = sig
        loaded.append(replace(item, raw=raw, documents=docs, errors=[]))
    return Batch(loaded=loaded, hashes=hashes, signatures=signatures)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--keep", help="work in this folder and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        folder = work / "writer-inputs"
        if not folder.is_dir():
            dumps, pages = pools()
            build(folder, 1000, dumps, pages, seed=9)
        paths, _ = expand_inputs([str(folder)])
        start = time.perf_counter()
        with ProcessPoolExecutor(2) as pool:
            batches = list(pool.map(prepare_batch, [paths[i : i + 100] for i in range(0, len(paths), 100)]))
        per_round = sum(len(it.documents) for b in batches for it in b.loaded)
        print(f"{len(paths)} inputs cleaned and signed once: {per_round} documents, {time.perf_counter() - start:.0f} s; "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
        db = work / "writer.duckdb"
        db.unlink(missing_ok=True)
        rng = np.random.default_rng(3)
        stored, copy, window, window_docs, cpu = 0, 0, StageTimes(), 0, time.process_time()
        t0 = time.perf_counter()
        next_report = 10_000
        windows = []  # CPU seconds per 1,000 documents of each 10,000
        while stored < args.docs:
            for batch in batches:
                times = StageTimes()
                with Store(db) as store:
                    added = ingest_batch(store, copy_batch(batch, copy, rng), f"run-{copy}", times=times)
                stored += added["documents"]
                window_docs += added["documents"]
                window.add(times)
                if stored >= next_report:
                    spent = window.get("dedup", 0.0) + window.get("store", 0.0)
                    used = time.process_time() - cpu  # CPU of every thread: steadier than wall time on a shared machine
                    windows.append(1000 * used / window_docs)
                    print(f"{stored:>7,} stored: per 1,000 documents dedup {1000 * window['dedup'] / window_docs:.2f} s, "
                          f"store {1000 * window['store'] / window_docs:.2f} s, CPU {1000 * used / window_docs:.2f} s; "
                          f"writer {window_docs / spent:,.0f} docs/s; file {db.stat().st_size / 2**20:.0f} MB; "
                          f"load {os.getloadavg()[0]:.2f}", flush=True)
                    window, window_docs, next_report, cpu = StageTimes(), 0, next_report + 10_000, time.process_time()
            copy += 1
        print(f"{stored:,} documents written in {time.perf_counter() - t0:.0f} s")
        if len(windows) > 1:
            print(f"writer CPU per 1,000 documents: first 10,000 {windows[0]:.2f} s, last 10,000 {windows[-1]:.2f} s, "
                  f"ratio {windows[-1] / windows[0]:.2f}")
        copy_cpu = time.process_time()
        for c in range(3):
            copy_batch(batches[0], 10_000 + c, rng)
        print(f"(making a copied batch, counted in CPU above: {(time.process_time() - copy_cpu) / 3:.3f} s)")
    return 0


if __name__ == "__main__":
    random.seed(1)
    sys.exit(main())
