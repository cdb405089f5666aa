"""The DuckDB store: schema, idempotent bulk writes, exports. The only module that speaks SQL."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from newsclean.document import Document, InputError, RawInput, stable_id
from newsclean.store.locks import LOCK_WAIT, StoreBusy, retry_while_locked

__all__ = ["LOCK_WAIT", "Store", "StoreBusy"]

# DuckDB's memory limit for a writing connection. DuckDB's own is 80 % of the machine's memory, and it keeps the
# blocks it reads and writes up to that: in the 100,000-input scale run the run process went from ~0.6 to 2.2 GB
# for seconds at a time while opening the file for a batch (py-spy: in the schema statements). A batch and its
# stored neighbours need far less; past the limit DuckDB evicts cached blocks or spills to disk.
WRITER_MEMORY = "1GB"

SCHEMA = """
-- Keys (raw_inputs.input_id, documents.doc_id, input_errors.error_id, fetches.fetch_id) are unique without an index
-- too: a row is inserted only when its key is not stored yet (an anti-join, see KEYS). Their ART indexes made every
-- automatic checkpoint read and rewrite them whole (duckdb#24848); files made before keep theirs. runs keeps its key:
-- one row a run.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    inputs_seen INTEGER,
    inputs_new INTEGER,
    documents_new INTEGER,
    duplicates_new INTEGER,
    errors_new INTEGER,
    removed_share DOUBLE,
    args VARCHAR,
    status VARCHAR
);
CREATE TABLE IF NOT EXISTS raw_inputs (
    input_id VARCHAR,
    location VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size BIGINT,
    format VARCHAR,
    status VARCHAR,
    loaded_at TIMESTAMP,
    run_id VARCHAR,
    skipped_records INTEGER,
    skipped_detail VARCHAR
);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR,
    input_id VARCHAR,
    path VARCHAR,
    url VARCHAR,
    record INTEGER,
    format VARCHAR,
    title VARCHAR,
    published DATE,
    source VARCHAR,
    author VARCHAR,
    language VARCHAR,
    text VARCHAR,
    word_count INTEGER,
    raw_chars INTEGER,
    content_hash VARCHAR,
    duplicate_of VARCHAR,
    similarity DOUBLE,
    created_at TIMESTAMP,
    run_id VARCHAR
);
-- removed_spans (doc_id, seq) and signatures (doc_id) are unique without an index: rows are written only with
-- their document's first insert. An index (DuckDB's ART) is rewritten whole at every checkpoint, which made a
-- batch's cost grow with the corpus (duckdb#24848); files made before keep theirs.
CREATE TABLE IF NOT EXISTS removed_spans (
    doc_id VARCHAR,
    seq INTEGER,
    line INTEGER,
    reason VARCHAR,
    text VARCHAR
);
CREATE TABLE IF NOT EXISTS input_errors (
    error_id VARCHAR,
    input_id VARCHAR,
    location VARCHAR,
    record INTEGER,
    kind VARCHAR,
    message VARCHAR,
    created_at TIMESTAMP,
    run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS fetches (
    fetch_id VARCHAR,
    url VARCHAR NOT NULL,
    final_url VARCHAR,
    kind VARCHAR,
    status INTEGER,
    outcome VARCHAR,
    fetched_at TIMESTAMP,
    attempts INTEGER,
    etag VARCHAR,
    last_modified VARCHAR,
    content_type VARCHAR,
    sha256 VARCHAR,
    warc_path VARCHAR,
    warc_offset BIGINT,
    error_kind VARCHAR,
    message VARCHAR,
    run_id VARCHAR
);
CREATE OR REPLACE VIEW duplicate_groups AS
    SELECT coalesce(duplicate_of, doc_id) AS group_id, doc_id, duplicate_of IS NULL AS canonical,
           coalesce(similarity, 1.0) AS similarity, count(*) OVER (PARTITION BY coalesce(duplicate_of, doc_id)) AS members
    FROM documents;
CREATE TABLE IF NOT EXISTS lsh_bands (
    band SMALLINT,
    key BIGINT,
    doc_id VARCHAR
);
CREATE TABLE IF NOT EXISTS signatures (
    doc_id VARCHAR,
    num_perm INTEGER,
    shingle INTEGER,
    seed INTEGER,
    signature BLOB
);
ALTER TABLE runs ADD COLUMN IF NOT EXISTS status VARCHAR;
ALTER TABLE raw_inputs ADD COLUMN IF NOT EXISTS skipped_records INTEGER;
ALTER TABLE raw_inputs ADD COLUMN IF NOT EXISTS skipped_detail VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS page_kind VARCHAR;
"""


# The key of each table whose rows are inserted only when not stored yet.
KEYS = {"raw_inputs": "input_id", "documents": "doc_id", "input_errors": "error_id", "fetches": "fetch_id"}


def _new_rows(table: str) -> str:
    """The condition keeping a batch's (_b) rows whose key is not in `table`, once each: an anti-join (a scan of the
    key column) instead of an index probe."""
    key = KEYS[table]
    return (f" WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{key} = _b.{key})"
            f" QUALIFY row_number() OVER (PARTITION BY _b.{key}) = 1")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "could not set lock" in str(exc).lower()


class StoreError(Exception):
    """The DuckDB file cannot be used as asked; the message says what is wrong and what to do."""


def _not_a_database(path: str) -> StoreError:
    return StoreError(f"{path} is not a DuckDB database; give --db the file `newsclean run` writes")


def _connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting up to `wait` seconds while another process holds it (then StoreBusy), and turning the
    other ways this fails into a StoreError a person can act on."""
    if Path(path).is_dir():
        raise StoreError(f"{path} is a folder; give --db a file such as {Path(path) / 'corpus.duckdb'}")
    try:
        if not read_only:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # set as the file opens, so that it holds from the log's replay and the schema statements on (WRITER_MEMORY)
        config = {} if read_only else {"memory_limit": WRITER_MEMORY}
        con = retry_while_locked(lambda: duckdb.connect(path, read_only=read_only, config=config), _is_lock_error, wait, path)
    except duckdb.CatalogException:  # read-only: DuckDB took the file for a data file (.json, .csv) to query in memory
        raise _not_a_database(path) from None
    except (FileExistsError, NotADirectoryError):
        raise StoreError(f"cannot create the database {path}: a part of its folder is a file; give --db a path inside a folder") from None
    except OSError as exc:
        raise StoreError(f"cannot create the database {path}: {exc.strerror}; give --db a path you can write to") from None
    except duckdb.IOException as exc:
        message = str(exc)
        if "not a valid DuckDB" in message:
            raise _not_a_database(path) from None
        raise StoreError(f"cannot open the database {path}: {message.splitlines()[0]}") from None
    if not con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]:
        con.close()  # DuckDB took the file for a data file and opened an in-memory database: writes would vanish
        raise _not_a_database(path)
    return con


class Store:
    """A DuckDB corpus file. Rows are inserted only when their deterministic key is not stored, so re-runs add
    nothing twice.

    DuckDB lets one process write a file, or several read it, never both: open a Store for a short while (one
    batch, one export) and it waits up to `wait` seconds for another process to let go, then raises StoreBusy.
    """

    def __init__(self, path: str | Path, read_only: bool = False, wait: float = LOCK_WAIT):
        self.path = str(path)
        self.con = _connect(self.path, read_only, wait)
        if not read_only:
            self.con.execute(SCHEMA)
            # A batch's transaction is durable in the write-ahead log; folding the log into the file at every close
            # cost more than the batch itself as the file grew. DuckDB folds it past checkpoint_threshold (16 MB),
            # and finish_run/fail_run at the end of each run; readers replay what is left.
            self.con.execute("PRAGMA disable_checkpoint_on_shutdown")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # ---- reads -------------------------------------------------------------------------------

    def known_inputs(self, locations: list[str] | None = None) -> frozenset[tuple[str, str]]:
        """(location, sha256) of inputs already stored, optionally only for the given locations."""
        if locations is None:
            rows = self.con.execute("SELECT location, sha256 FROM raw_inputs").fetchall()
        else:
            self.con.register("_wanted", pa.table({"location": pa.array(locations, pa.string())}))
            rows = self.con.execute("SELECT r.location, r.sha256 FROM raw_inputs r JOIN _wanted w USING (location)").fetchall()
            self.con.unregister("_wanted")
        return frozenset((a, b) for a, b in rows)

    def dedup_neighbours(self, hashes: list[str], bands: pa.Table) -> list[tuple]:
        """Stored documents a batch may duplicate: same content hash, or a shared LSH band key.

        bands has columns band, key (one row per new document and band). Returns (doc_id, content_hash,
        signature or None, canonical doc_id), canonicals first. Only these are loaded, not the whole corpus.
        """
        self.con.register("_h", pa.table({"content_hash": pa.array(hashes, pa.string())}))
        self.con.register("_k", bands)
        rows = self.con.execute(
            # Bands are joined on key alone (a key mixes its band in); the neighbours are found first, then only their
            # documents meet the signatures (not every document, as a filter after that join did).
            """WITH ids AS (SELECT l.doc_id FROM lsh_bands l JOIN _k USING (key)
                            UNION SELECT d.doc_id FROM documents d JOIN _h USING (content_hash)),
                    near AS (SELECT d.* FROM documents d JOIN ids USING (doc_id) WHERE d.word_count > 0)
               SELECT d.doc_id, d.content_hash, s.signature, coalesce(d.duplicate_of, d.doc_id) FROM near d
               LEFT JOIN signatures s USING (doc_id)
               ORDER BY d.duplicate_of IS NOT NULL, d.created_at, d.doc_id"""
        ).fetchall()
        self.con.unregister("_h")
        self.con.unregister("_k")
        return rows

    def counts(self) -> dict[str, int]:
        """Row counts of every table."""
        tables = ["raw_inputs", "documents", "removed_spans", "input_errors", "signatures", "lsh_bands", "fetches", "runs"]
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def known_fetches(self) -> dict[str, tuple[str | None, str | None, str | None]]:
        """url -> (etag, last_modified, sha256) of its latest fetch that returned a body."""
        rows = self.con.execute(
            """SELECT url, etag, last_modified, sha256 FROM fetches WHERE sha256 IS NOT NULL
               QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1"""
        ).fetchall()
        return {u: (e, m, h) for u, e, m, h in rows}

    # ---- writes ------------------------------------------------------------------------------

    def write_fetches(self, run_id: str, rows: list[dict]) -> int:
        """Record fetches (one dict per request, keys as the table's columns); returns rows added."""
        if not rows:
            return 0
        cols = ["url", "final_url", "kind", "status", "outcome", "fetched_at", "attempts", "etag", "last_modified",
                "content_type", "sha256", "warc_path", "warc_offset", "error_kind", "message"]
        table = pa.table({
            "fetch_id": pa.array([stable_id(r["url"], r["fetched_at"].isoformat(), run_id) for r in rows], pa.string()),
            **{c: pa.array([r.get(c) for r in rows], pa.timestamp("us") if c == "fetched_at" else
                           pa.int64() if c in ("status", "attempts", "warc_offset") else pa.string()) for c in cols},
        })
        self.con.register("_b", table)
        added = self.con.execute(f"INSERT INTO fetches SELECT fetch_id, {', '.join(cols)}, $run FROM _b{_new_rows('fetches')}",
                                 {"run": run_id}).fetchone()[0]
        self.con.unregister("_b")
        return added

    def start_run(self, run_id: str, args: dict) -> int:
        """Log a run as running, first closing runs left unfinished (killed or crashed) as interrupted; returns
        how many were closed. The caller holds the run lock, so no unfinished run is still alive."""
        closed = self.con.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE finished_at IS NULL AND run_id <> ? RETURNING run_id",
            [_now(), run_id],
        ).fetchall()
        self.con.execute(
            "INSERT OR IGNORE INTO runs (run_id, started_at, args, status) VALUES (?, ?, ?, 'running')",
            [run_id, _now(), json.dumps(args, default=str)],
        )
        return len(closed)

    def finish_run(self, run_id: str, stats: dict) -> None:
        self.con.execute(
            """UPDATE runs SET finished_at = ?, inputs_seen = ?, inputs_new = ?, documents_new = ?,
               duplicates_new = ?, errors_new = ?, removed_share = ?, status = 'completed' WHERE run_id = ?""",
            [_now(), stats["inputs_seen"], stats["inputs_new"], stats["documents_new"], stats["duplicates_new"],
             stats["errors_new"], stats["removed_share"], run_id],
        )
        self.con.execute("CHECKPOINT")

    def fail_run(self, run_id: str, status: str = "failed") -> None:
        """Close a run that raised, or that a person interrupted (status 'interrupted'); its counts stay NULL."""
        self.con.execute("UPDATE runs SET finished_at = ?, status = ? WHERE run_id = ?", [_now(), status, run_id])
        self.con.execute("CHECKPOINT")

    def write_errors(self, run_id: str, errors: list[InputError]) -> int:
        """Record input errors on their own; returns rows added."""
        if not errors:
            return 0
        return self.write_batch(run_id, [], [], errors, {}, {}, {}, (0, 0, 0))["input_errors"]

    def write_batch(
        self,
        run_id: str,
        raws: list[RawInput],
        docs: list[Document],
        errors: list[InputError],
        hashes: dict[str, str],
        duplicates: dict[str, tuple[str, float]],
        signatures: dict[str, bytes],
        sig_params: tuple[int, int, int],
        bands: pa.Table | None = None,
        word_counts: dict[str, int] | None = None,
    ) -> dict[str, int]:
        """Insert one batch in one transaction; returns how many rows each table gained. word_counts: the documents'
        word counts when already counted (else counted here)."""
        now = _now()
        tables = {
            "raw_inputs": pa.table({
                "input_id": [r.input_id for r in raws], "location": [r.location for r in raws],
                "sha256": [r.sha256 for r in raws], "size": pa.array([r.size for r in raws], pa.int64()),
                "format": [r.format for r in raws], "status": [r.status for r in raws],
                "skipped_records": [r.skipped_records for r in raws], "skipped_detail": [r.skipped_detail for r in raws],
            }, schema=pa.schema([("input_id", pa.string()), ("location", pa.string()), ("sha256", pa.string()),
                                 ("size", pa.int64()), ("format", pa.string()), ("status", pa.string()),
                                 ("skipped_records", pa.int32()), ("skipped_detail", pa.string())])),
            "documents": pa.table({
                "doc_id": pa.array([d.doc_id for d in docs], pa.string()),
                "input_id": pa.array([d.input_id for d in docs], pa.string()),
                "path": pa.array([d.path for d in docs], pa.string()),
                "url": pa.array([d.url for d in docs], pa.string()),
                "record": pa.array([d.record for d in docs], pa.int32()),
                "format": pa.array([d.format for d in docs], pa.string()),
                "title": pa.array([d.title for d in docs], pa.string()),
                "published": pa.array([d.published for d in docs], pa.string()),
                "source": pa.array([d.source for d in docs], pa.string()),
                "author": pa.array([d.author for d in docs], pa.string()),
                "language": pa.array([d.language for d in docs], pa.string()),
                "text": pa.array([d.text for d in docs], pa.string()),
                "word_count": pa.array([word_counts[d.doc_id] if word_counts and d.doc_id in word_counts else d.word_count
                                        for d in docs], pa.int32()),
                "raw_chars": pa.array([d.raw_chars for d in docs], pa.int32()),
                "content_hash": pa.array([hashes[d.doc_id] for d in docs], pa.string()),
                "duplicate_of": pa.array([duplicates.get(d.doc_id, (None, None))[0] for d in docs], pa.string()),
                "similarity": pa.array([duplicates.get(d.doc_id, (None, None))[1] for d in docs], pa.float64()),
                "page_kind": pa.array([d.page_kind for d in docs], pa.string()),
            }),
            "removed_spans": pa.table({
                "doc_id": pa.array([d.doc_id for d in docs for _ in d.removed], pa.string()),
                "seq": pa.array([i for d in docs for i in range(len(d.removed))], pa.int32()),
                "line": pa.array([s.line for d in docs for s in d.removed], pa.int32()),
                "reason": pa.array([s.reason for d in docs for s in d.removed], pa.string()),
                "text": pa.array([s.text for d in docs for s in d.removed], pa.string()),
            }),
            "input_errors": pa.table({
                "error_id": pa.array([stable_id(e.location, e.input_id or "", e.record or 0, e.kind, e.message) for e in errors], pa.string()),
                "input_id": pa.array([e.input_id for e in errors], pa.string()),
                "location": pa.array([e.location for e in errors], pa.string()),
                "record": pa.array([e.record for e in errors], pa.int32()),
                "kind": pa.array([e.kind for e in errors], pa.string()),
                "message": pa.array([e.message for e in errors], pa.string()),
            }),
            "signatures": pa.table({
                "doc_id": pa.array(list(signatures), pa.string()),
                "signature": pa.array(list(signatures.values()), pa.binary()),
            }),
        }
        if bands is not None:
            tables["lsh_bands"] = bands
        num_perm, shingle, seed = sig_params
        # Spans, signatures and band rows have no key of their own: only documents inserted by this batch get theirs,
        # found by their created_at (zone maps narrow it to the last row groups), not by probing an index.
        new_docs = "SELECT doc_id FROM documents WHERE created_at = $now AND run_id = $run"
        inserts = {
            "raw_inputs": """(input_id, location, sha256, size, format, status, loaded_at, run_id, skipped_records, skipped_detail)
                             SELECT input_id, location, sha256, size, format, status, $now, $run, skipped_records, skipped_detail FROM _b""",
            "documents": """(doc_id, input_id, path, url, record, format, title, published, source, author, language, text,
                             word_count, raw_chars, content_hash, duplicate_of, similarity, created_at, run_id, page_kind)
                            SELECT doc_id, input_id, path, url, record, format, title, TRY_CAST(published AS DATE), source,
                            author, language, text, word_count, raw_chars, content_hash, duplicate_of, similarity, $now, $run,
                            page_kind FROM _b""",
            "removed_spans": "SELECT doc_id, seq, line, reason, text FROM _b",
            "input_errors": "SELECT error_id, input_id, location, record, kind, message, $now, $run FROM _b",
            "signatures": f"SELECT doc_id, {num_perm}, {shingle}, {seed}, signature FROM _b",
            "lsh_bands": "SELECT band, key, doc_id FROM _b",
        }
        for name in ("removed_spans", "signatures", "lsh_bands"):
            inserts[name] += f" WHERE doc_id IN ({new_docs})"
        for name in ("raw_inputs", "documents", "input_errors"):
            inserts[name] += _new_rows(name)
        # rows added are counted from each INSERT, not by counting the tables before and after (a scan of the biggest)
        added = dict.fromkeys(tables, 0)
        self.con.execute("BEGIN TRANSACTION")
        try:
            for name, table in tables.items():
                if table.num_rows == 0:
                    continue
                self.con.register("_b", table)
                params = {k: v for k, v in (("now", now), ("run", run_id)) if f"${k}" in inserts[name]}
                added[name] = self.con.execute(f"INSERT INTO {name} {inserts[name]}", params).fetchone()[0]
                self.con.unregister("_b")
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return added

    # ---- exports -----------------------------------------------------------------------------

    def export(self, out: str | Path, fmt: str = "parquet", include_duplicates: bool = False,
               language: str | None = None, since: str | None = None, min_words: int = 0) -> int:
        """Write documents (canonical only unless asked; optionally one language, published since a date, at
        least min_words words) to Parquet or JSON Lines; returns the row count."""
        conditions, params = ["word_count >= ?"], [min_words]
        if not include_duplicates:
            conditions.append("duplicate_of IS NULL")
        if language:
            conditions.append("language = ?")
            params.append(language)
        if since:
            conditions.append("published >= CAST(? AS DATE)")
            params.append(since)
        where = "WHERE " + " AND ".join(conditions)
        sql = f"""SELECT doc_id, path, url, title, published, source, author, language, format, text, word_count,
                  content_hash, duplicate_of FROM documents {where} ORDER BY doc_id"""
        if not self.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'documents'").fetchone()[0]:
            raise StoreError(f"{self.path} holds no newsclean corpus (no documents table); give --db the file `newsclean run` writes")
        option = "FORMAT parquet" if fmt == "parquet" else "FORMAT json"
        target = str(out).replace("'", "''")
        try:
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            self.con.execute(f"COPY ({sql}) TO '{target}' ({option})", params)
        except (OSError, duckdb.IOException) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc).splitlines()[0]
            raise StoreError(f"cannot write {out}: {reason}; give a path you can write to") from None
        return self.con.execute(f"SELECT count(*) FROM documents {where}", params).fetchone()[0]
