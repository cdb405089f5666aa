"""Rows stored once by key without an index, in new files and in files made with the indexed schema before."""
from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from newsclean.document import Document, InputError, RawInput
from newsclean.pipeline import ingest_batch, prepare_batch
from newsclean.readers import expand_inputs
from newsclean.store.duck import Store
from tests.conftest import STORY

# The tables as created before their keys lost their indexes (every key a PRIMARY KEY, no page_kind column).
OLD_SCHEMA = """
CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, inputs_seen INTEGER,
    inputs_new INTEGER, documents_new INTEGER, duplicates_new INTEGER, errors_new INTEGER, removed_share DOUBLE,
    args VARCHAR, status VARCHAR);
CREATE TABLE raw_inputs (input_id VARCHAR PRIMARY KEY, location VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, size BIGINT,
    format VARCHAR, status VARCHAR, loaded_at TIMESTAMP, run_id VARCHAR, skipped_records INTEGER, skipped_detail VARCHAR);
CREATE TABLE documents (doc_id VARCHAR PRIMARY KEY, input_id VARCHAR, path VARCHAR, url VARCHAR, record INTEGER,
    format VARCHAR, title VARCHAR, published DATE, source VARCHAR, author VARCHAR, language VARCHAR, text VARCHAR,
    word_count INTEGER, raw_chars INTEGER, content_hash VARCHAR, duplicate_of VARCHAR, similarity DOUBLE,
    created_at TIMESTAMP, run_id VARCHAR);
CREATE TABLE removed_spans (doc_id VARCHAR, seq INTEGER, line INTEGER, reason VARCHAR, text VARCHAR, PRIMARY KEY (doc_id, seq));
CREATE TABLE input_errors (error_id VARCHAR PRIMARY KEY, input_id VARCHAR, location VARCHAR, record INTEGER, kind VARCHAR,
    message VARCHAR, created_at TIMESTAMP, run_id VARCHAR);
CREATE TABLE fetches (fetch_id VARCHAR PRIMARY KEY, url VARCHAR NOT NULL, final_url VARCHAR, kind VARCHAR, status INTEGER,
    outcome VARCHAR, fetched_at TIMESTAMP, attempts INTEGER, etag VARCHAR, last_modified VARCHAR, content_type VARCHAR,
    sha256 VARCHAR, warc_path VARCHAR, warc_offset BIGINT, error_kind VARCHAR, message VARCHAR, run_id VARCHAR);
CREATE TABLE lsh_bands (band SMALLINT, key BIGINT, doc_id VARCHAR);
CREATE TABLE signatures (doc_id VARCHAR PRIMARY KEY, num_perm INTEGER, shingle INTEGER, seed INTEGER, signature BLOB);
"""


def _old_file(path) -> None:
    con = duckdb.connect(str(path))
    con.execute(OLD_SCHEMA)
    con.close()


def _indexed_tables(path) -> set[str]:
    with Store(path, read_only=True) as s:
        return {t for (t,) in s.query("SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'")}


def test_new_files_have_no_key_indexes_but_the_runs_log(tmp_path):
    with Store(tmp_path / "c.duckdb"):
        pass
    assert _indexed_tables(tmp_path / "c.duckdb") == {"runs"}


@pytest.mark.parametrize("old", [False, True], ids=["new file", "old file"])
def test_a_row_given_twice_is_stored_once(tmp_path, old):
    db = tmp_path / "c.duckdb"
    if old:
        _old_file(db)
    raw = RawInput(location="/x/a.txt", sha256="ab" * 32, size=10, format="txt")
    doc = Document(text="hello world", doc_id="d1", input_id=raw.input_id)
    error = InputError(location="/x/a.txt", kind="invalid_json", message="line 3 is bad", record=3, input_id=raw.input_id)
    fetch = {"url": "http://a/", "fetched_at": datetime(2026, 1, 1), "status": 200, "outcome": "ok"}
    with Store(db) as s:
        added = s.write_batch("r1", [raw, raw], [doc, doc], [error, error], {"d1": "h"}, {}, {}, (1, 3, 1))
        assert added == {"raw_inputs": 1, "documents": 1, "removed_spans": 0, "input_errors": 1, "signatures": 0}
        assert s.write_fetches("r1", [fetch, fetch]) == 1
        assert set(s.write_batch("r2", [raw], [doc], [error], {"d1": "h"}, {}, {}, (1, 3, 1)).values()) == {0}
        assert s.write_fetches("r1", [fetch]) == 0
        assert s.counts()["documents"] == 1
    if old:
        assert "documents" in _indexed_tables(db)  # kept, and writes go on beside it


def _run(folder, db, run_id: str) -> dict:
    paths, _ = expand_inputs([str(folder)])
    with Store(db) as store:
        return ingest_batch(store, prepare_batch(paths, known=store.known_inputs(paths)), run_id)


def test_a_file_made_with_the_old_schema_takes_new_runs(corpus_dir, tmp_path):
    db = tmp_path / "old.duckdb"
    _old_file(db)
    first = _run(corpus_dir, db, "r1")
    assert first["documents"] > 0 and first["lsh_bands"] > 0
    again = _run(corpus_dir, db, "r2")
    tables = ("raw_inputs", "documents", "removed_spans", "input_errors", "signatures", "lsh_bands")
    assert {k: again[k] for k in tables} == dict.fromkeys(tables, 0)
    (corpus_dir / "new.txt").write_text("A different story.\n" + STORY.replace("water", "gas").replace("pipes", "mains"), encoding="utf-8")
    third = _run(corpus_dir, db, "r3")
    assert third["documents"] == 1 and third["duplicates"] == 1
    with Store(db, read_only=True) as s:
        [(dup_of, run)] = s.query("SELECT d.duplicate_of, o.run_id FROM documents d JOIN documents o ON o.doc_id = d.duplicate_of "
                                  "WHERE d.path LIKE '%new.txt'")
        assert run == "r1"
        assert s.query("SELECT count(*) FROM documents WHERE page_kind IS NOT NULL")[0][0] >= 0  # column added by ALTER
