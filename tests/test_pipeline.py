"""The per-batch pipeline without Prefect: load, clean, dedup and store; bad input recorded; idempotent re-runs."""
from __future__ import annotations

import duckdb

from newsclean.pipeline import ingest_batch, prepare_batch
from newsclean.readers import expand_inputs
from newsclean.store.duck import Store
from tests.conftest import STORY


def _run(inputs: list[str], db) -> dict:
    paths, _ = expand_inputs(inputs)
    with Store(db) as store:
        batch = prepare_batch(paths, known=store.known_inputs(paths))
        return ingest_batch(store, batch, "run")


def test_every_good_input_stored_every_bad_one_recorded(corpus_dir, tmp_path):
    db = tmp_path / "c.duckdb"
    added = _run([str(corpus_dir)], db)
    assert added["raw_inputs"] == 8
    con = duckdb.connect(str(db), read_only=True)
    docs = con.execute("SELECT path, format, duplicate_of IS NULL, title FROM documents ORDER BY path, record").fetchall()
    formats = sorted(f for _, f, _, _ in docs)
    assert formats == ["html", "html", "jsonl", "txt", "warc"]
    errors = dict(con.execute("SELECT regexp_extract(location, '[^/]+$'), kind FROM input_errors").fetchall())
    assert errors == {"export.jsonl": "invalid_json", "empty.txt": "empty", "image.txt": "binary", "cut.txt.gz": "truncated"}
    statuses = dict(con.execute("SELECT regexp_extract(location, '[^/]+$'), status FROM raw_inputs").fetchall())
    assert statuses["export.jsonl"] == "partial" and statuses["image.txt"] == "error" and statuses["water.txt"] == "ok"
    # the water story exists three times (txt dump, html page, warc record) and the bus story twice: 2 canonical
    canonical = con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0]
    assert canonical == 2
    dangling = con.execute(
        "SELECT count(*) FROM documents d WHERE duplicate_of IS NOT NULL AND duplicate_of NOT IN (SELECT doc_id FROM documents)"
    ).fetchone()[0]
    assert dangling == 0
    reasons = {r for (r,) in con.execute("SELECT DISTINCT reason FROM removed_spans").fetchall()}
    assert {"title", "meta", "comments", "related_block"} <= reasons
    con.close()


def test_rerun_adds_nothing_and_a_new_file_adds_only_itself(corpus_dir, tmp_path):
    db = tmp_path / "c.duckdb"
    _run([str(corpus_dir)], db)
    with Store(db) as s:
        before = s.counts()
    again = _run([str(corpus_dir)], db)
    tables = ("raw_inputs", "documents", "removed_spans", "input_errors", "signatures", "lsh_bands")
    assert {k: again[k] for k in tables} == dict.fromkeys(tables, 0)
    (corpus_dir / "new.txt").write_text("A different story.\n" + STORY.replace("water", "gas").replace("pipes", "mains"), encoding="utf-8")
    third = _run([str(corpus_dir)], db)
    assert third["raw_inputs"] == 1 and third["documents"] == 1 and third["lsh_bands"] == 42
    with Store(db) as s:
        after = s.counts()
    assert after["raw_inputs"] == before["raw_inputs"] + 1 and after["documents"] == before["documents"] + 1
    # the new copy of an old story points at the document stored by the first run
    con = duckdb.connect(str(db), read_only=True)
    dup_of = con.execute("SELECT duplicate_of FROM documents WHERE path LIKE '%new.txt'").fetchone()[0]
    first_run_ids = {r for (r,) in con.execute("SELECT doc_id FROM documents WHERE path NOT LIKE '%new.txt'").fetchall()}
    assert dup_of in first_run_ids
    con.close()


def test_removed_and_read_figures_count_every_input_kind(corpus_dir, tmp_path):
    html_only = tmp_path / "pages"
    html_only.mkdir()
    for name in ("water.html", "bus.html.gz"):
        (html_only / name).write_bytes((corpus_dir / name).read_bytes())
    added = _run([str(html_only)], tmp_path / "h.duckdb")
    assert added["removed_chars"] > 0 and added["kept_chars"] > 0 and added["inputs_read"] == 2
    mixed = _run([str(corpus_dir)], tmp_path / "m.duckdb")
    assert mixed["inputs_read"] == 5 and mixed["inputs_seen"] == 8
