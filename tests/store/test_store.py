"""The DuckDB store: schema, idempotent batch writes, export."""
from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq

from newsclean.document import Document, InputError, RawInput, RemovedSpan
from newsclean.store.duck import Store


def _batch():
    raw = RawInput(location="/x/a.txt", sha256="ab" * 32, size=10, format="txt")
    docs = [
        Document(text="hello world", doc_id="d1", input_id=raw.input_id, path="/x/a.txt", published="2024-01-02",
                 removed=[RemovedSpan("logo", "ui_chrome", 1), RemovedSpan("Comments", "comments", 9)]),
        Document(text="hello world", doc_id="d2", input_id=raw.input_id, path="/x/a.txt", record=2, published="not a date"),
    ]
    errors = [InputError(location="/x/a.txt", kind="invalid_json", message="line 3 is bad", record=3, input_id=raw.input_id)]
    return raw, docs, errors


def test_write_is_idempotent_and_typed(tmp_path):
    db = tmp_path / "c.duckdb"
    raw, docs, errors = _batch()
    with Store(db) as s:
        added = s.write_batch("r1", [raw], docs, errors, {"d1": "h", "d2": "h"}, {"d2": ("d1", 1.0)}, {"d1": b"\x00" * 8}, (1, 3, 1))
        assert added == {"raw_inputs": 1, "documents": 2, "removed_spans": 2, "input_errors": 1, "signatures": 1}
        again = s.write_batch("r2", [raw], docs, errors, {"d1": "h", "d2": "h"}, {"d2": ("d1", 1.0)}, {"d1": b"\x00" * 8}, (1, 3, 1))
        assert set(again.values()) == {0}
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT doc_id, published, word_count, duplicate_of FROM documents ORDER BY doc_id").fetchall()
    assert [(r[0], str(r[1]), r[2], r[3]) for r in rows] == [("d1", "2024-01-02", 2, None), ("d2", "None", 2, "d1")]
    assert con.execute("SELECT reason FROM removed_spans ORDER BY seq").fetchall() == [("ui_chrome",), ("comments",)]
    con.close()


def test_band_rows_are_written_once_per_document(tmp_path):
    import pyarrow as pa

    raw, docs, errors = _batch()
    bands = pa.table({"band": pa.array([0, 1, 0, 1], pa.int16()), "key": pa.array([5, 6, 7, 8], pa.int64()),
                      "doc_id": ["d1", "d1", "d2", "d2"]})
    args = ({"d1": "h", "d2": "h"}, {}, {"d1": b"\x00" * 8}, (1, 3, 1))
    with Store(tmp_path / "c.duckdb") as s:
        assert s.write_batch("r1", [raw], docs[:1], errors, *args, bands=bands)["lsh_bands"] == 2  # d2 is not stored yet
        assert s.write_batch("r1", [raw], docs, errors, *args, bands=bands)["lsh_bands"] == 2  # only d2 is new
        assert s.write_batch("r2", [raw], docs, errors, *args, bands=bands)["lsh_bands"] == 0
        assert s.query("SELECT doc_id, count(*) FROM lsh_bands GROUP BY 1 ORDER BY 1") == [("d1", 2), ("d2", 2)]


def test_export_parquet_and_jsonl(tmp_path):
    db = tmp_path / "c.duckdb"
    raw, docs, errors = _batch()
    with Store(db) as s:
        s.write_batch("r1", [raw], docs, errors, {"d1": "h", "d2": "h"}, {"d2": ("d1", 1.0)}, {}, (1, 3, 1))
    with Store(db, read_only=True) as s:
        assert s.export(tmp_path / "out.parquet", "parquet") == 1
        assert s.export(tmp_path / "all.jsonl", "jsonl", include_duplicates=True) == 2
    assert pq.read_table(tmp_path / "out.parquet").column("doc_id").to_pylist() == ["d1"]
    lines = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert [x["doc_id"] for x in lines] == ["d1", "d2"] and lines[1]["duplicate_of"] == "d1"


def test_known_inputs(tmp_path):
    raw, _, _ = _batch()
    with Store(tmp_path / "c.duckdb") as s:
        s.write_batch("r", [raw], [], [], {}, {}, {}, (1, 3, 1))
        assert s.known_inputs() == frozenset({("/x/a.txt", "ab" * 32)})
        assert s.known_inputs(["/other"]) == frozenset()


def test_duplicate_groups_view(tmp_path):
    raw, docs, errors = _batch()
    with Store(tmp_path / "c.duckdb") as s:
        s.write_batch("r1", [raw], docs, errors, {"d1": "h", "d2": "h"}, {"d2": ("d1", 0.9)}, {}, (1, 3, 1))
        rows = s.query("SELECT group_id, doc_id, canonical, similarity, members FROM duplicate_groups ORDER BY doc_id")
    assert rows == [("d1", "d1", True, 1.0, 2), ("d1", "d2", False, 0.9, 2)]


def test_export_filters(tmp_path):
    raw, docs, errors = _batch()
    docs[0].language, docs[1].language = "en", "de"
    with Store(tmp_path / "c.duckdb") as s:
        s.write_batch("r1", [raw], docs, errors, {"d1": "h1", "d2": "h2"}, {}, {}, (1, 3, 1))
    with Store(tmp_path / "c.duckdb", read_only=True) as s:
        assert s.export(tmp_path / "en.jsonl", "jsonl", language="en") == 1
        assert s.export(tmp_path / "new.jsonl", "jsonl", since="2024-01-01") == 1  # d2 has no valid date
        assert s.export(tmp_path / "long.jsonl", "jsonl", min_words=3) == 0
    assert json.loads((tmp_path / "en.jsonl").read_text())["doc_id"] == "d1"


def test_the_writer_holds_duckdb_to_its_memory_limit(tmp_path):
    # DuckDB's own limit (80 % of the machine) let a long run's writer grow by gigabytes
    setting = "SELECT current_setting('memory_limit')"
    with Store(tmp_path / "c.duckdb") as s:
        limit = s.con.execute(setting).fetchone()[0]
    with duckdb.connect() as other:
        default = other.execute(setting).fetchone()[0]
    assert limit == "953.6 MiB" != default  # 1GB as DuckDB prints it
