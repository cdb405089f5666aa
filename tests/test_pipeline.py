"""The per-batch pipeline without Prefect: load, clean, dedup and store; bad input recorded; idempotent re-runs."""
from __future__ import annotations

import os

import duckdb
import pytest

from newsclean.document import shown_path
from newsclean.pipeline import ingest_batch, prepare_batch, run_if_nothing_new, unread_inputs
from newsclean.readers import expand_inputs
from newsclean.store.duck import Store
from newsclean.text import word_count
from tests.conftest import STORY, html_page


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


def test_a_document_whose_cleaning_fails_is_recorded_and_the_batch_goes_on(corpus_dir, monkeypatch):
    import newsclean.pipeline as pipeline

    real = pipeline.clean_document

    def fragile(doc, *args):
        if doc.path.endswith("water.html"):
            raise ValueError("cleaner bug")
        return real(doc, *args)

    monkeypatch.setattr(pipeline, "clean_document", fragile)
    paths, _ = expand_inputs([str(corpus_dir)])
    loaded = {item.raw.location.rsplit("/", 1)[1]: item for item in pipeline.load_and_clean(paths)}
    broken = loaded["water.html"]
    assert broken.documents == [] and broken.raw.status == "error"
    assert [(e.kind, e.message) for e in broken.errors] == [("clean_failed", "cleaning failed: ValueError: cleaner bug")]
    assert len(loaded["water.txt"].documents) == 1 and loaded["water.txt"].raw.status == "ok"


def test_a_document_whose_preparation_fails_is_recorded_and_the_others_are_cleaned(corpus_dir, monkeypatch):
    import newsclean.pipeline as pipeline

    real = pipeline.front_matter

    def fragile(text):
        if "Water" in text:
            raise RecursionError("front matter reader bug")
        return real(text)

    monkeypatch.setattr(pipeline, "front_matter", fragile)
    paths, _ = expand_inputs([str(corpus_dir)])
    loaded = {item.raw.location.rsplit("/", 1)[1]: item for item in pipeline.load_and_clean(paths)}
    broken = loaded["water.txt"]
    assert broken.documents == [] and broken.raw.status == "error"
    assert [(e.kind, e.message) for e in broken.errors] == [
        ("clean_failed", "cleaning failed: RecursionError: front matter reader bug")]
    # the dump of another story read in the same batch is cleaned, and so are the HTML pages
    assert [d.title for d in loaded["export.jsonl"].documents] == ["Bus"]
    assert len(loaded["water.html"].documents) == len(loaded["bus.html.gz"].documents) == 1


@pytest.mark.parametrize("where", ["body_attribute", "data_uri", "inline_script", "inline_style"])
def test_a_page_with_a_huge_inline_blob_keeps_its_article(tmp_path, where):
    blob = "Q" * 11_000_000
    page = html_page("Water board approves pipe plan", STORY)
    page = {
        "body_attribute": page.replace("<body>", f'<body data-state="{blob}">'),
        "data_uri": page.replace("<article>", f'<article><img src="data:image/png;base64,{blob}">'),
        "inline_script": page.replace("</head>", f"<script>window.s = '{blob}';</script></head>"),
        "inline_style": page.replace("</head>", f"<style>.a {{ content: '{blob}' }}</style></head>"),
    }[where]
    (tmp_path / "big.html").write_text(page, encoding="utf-8")
    (item,) = prepare_batch([str(tmp_path / "big.html")]).loaded
    (doc,) = item.documents
    assert doc.word_count == word_count(STORY) and doc.title == "Water board approves pipe plan"
    assert item.errors == [] and item.raw.status == "ok"


def test_a_page_without_text_says_so_in_its_status(tmp_path):
    (tmp_path / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    (item,) = prepare_batch([str(tmp_path / "menu.html")]).loaded
    assert [e.kind for e in item.errors] == ["no_text"] and item.raw.status == "error"


def test_clean_stream_gives_what_whole_batches_give(corpus_dir):
    import json

    from newsclean.pipeline import clean_stream, load_and_clean

    def story(i):  # no line shared between documents: site templates (learned per piece) find nothing
        return "\n".join(f"Paragraph {k} of report {i} says the council met on day {i * 7 + k} and voted on budget item {k * 13 + i}."
                         for k in range(5))

    lines = [json.dumps({"text": story(i), "title": f"T{i}"}) for i in range(30)]
    (corpus_dir / "many.jsonl").write_text("\n".join(lines) + "\n{broken\n", encoding="utf-8")
    paths, _ = expand_inputs([str(corpus_dir)])
    whole = [(d.doc_id, d.text, d.title) for item in load_and_clean(paths) for d in item.documents]
    whole_errors = sorted((e.location, e.kind, e.record) for item in load_and_clean(paths) for e in item.errors)
    pieces = list(clean_stream(paths, piece_chars=1000))  # about one document a piece
    assert len(pieces) > len(paths)
    assert [(d.doc_id, d.text, d.title) for item in pieces for d in item.documents] == whole
    assert sorted((e.location, e.kind, e.record) for item in pieces for e in item.errors) == whole_errors


def test_clean_stream_learns_site_templates_within_max_inputs(tmp_path):
    from newsclean.pipeline import clean_stream

    footer = "Sign up for the Gazette newsletter"
    for i in range(4):  # one folder: one source; each page a story of its own and the site's footer
        body = "\n".join(f"Paragraph {k} of report {i} says the council met on day {i * 7 + k} and voted on item {k * 13 + i}."
                         for k in range(5))
        (tmp_path / f"p{i}.txt").write_text(f"{body}\n{footer}\n", encoding="utf-8")
    paths = sorted(str(p) for p in tmp_path.glob("*.txt"))

    def reasons(max_inputs):
        return {span.reason for item in clean_stream(paths, max_inputs=max_inputs) for d in item.documents
                for span in d.removed if span.text == footer}

    assert reasons(None) == {"site_template"}  # learned over the four pages
    assert reasons(1) == {"ui_chrome"}  # one page a piece: no template learned, the line rules' reason


def test_removed_and_read_figures_count_every_input_kind(corpus_dir, tmp_path):
    html_only = tmp_path / "pages"
    html_only.mkdir()
    for name in ("water.html", "bus.html.gz"):
        (html_only / name).write_bytes((corpus_dir / name).read_bytes())
    added = _run([str(html_only)], tmp_path / "h.duckdb")
    assert added["removed_chars"] > 0 and added["kept_chars"] > 0 and added["inputs_read"] == 2
    mixed = _run([str(corpus_dir)], tmp_path / "m.duckdb")
    assert mixed["inputs_read"] == 5 and mixed["inputs_seen"] == 8


def test_a_file_name_that_is_not_utf8_is_read_stored_and_known(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    with open(os.path.join(os.fsencode(inputs), b"caf\xe9-story.txt"), "wb") as f:  # a Latin-1 name: not UTF-8
        f.write(STORY.encode())
    paths, errors = expand_inputs([str(inputs)])
    assert errors == [] and len(paths) == 1
    batch = prepare_batch(paths)
    [loaded] = batch.loaded
    assert loaded.errors == [] and loaded.raw.location == f"{inputs}/caf\\xe9-story.txt"
    assert loaded.documents[0].path == loaded.raw.location and word_count(loaded.documents[0].text) > 20
    db = str(tmp_path / "c.duckdb")
    with Store(db) as store:
        ingest_batch(store, batch, "first")
        assert unread_inputs(paths, store.known_inputs([shown_path(p) for p in paths])) == []
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT location FROM raw_inputs").fetchall() == [(loaded.raw.location,)]
    con.close()
    assert run_if_nothing_new(paths, db, 5, {})["inputs_new"] == 0  # known again, so nothing is read twice


def test_shown_path_escapes_only_what_is_not_utf8():
    assert shown_path("/data/café/story.txt") == "/data/café/story.txt"
    assert shown_path(os.fsdecode(b"/data/caf\xe9.txt")) == "/data/caf\\xe9.txt"
    assert shown_path("/data/\ud800.txt") == "/data/\\ud800.txt"  # a surrogate no file name decodes to
