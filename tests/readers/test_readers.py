"""Readers: every format, encodings, folders/globs, and every kind of bad input."""
from __future__ import annotations

import gzip
import io
import json
import os
import pickle
import select
import shutil
import signal
import tempfile
from dataclasses import replace

import pytest

from newsclean.pipeline import clean_documents
from newsclean.readers import ReadConfig, expand_inputs, format_of, format_of_content, read_path
from newsclean.readers.encoding import decode_bytes
from newsclean.readers.errors import BadInput
from tests.conftest import OTHER_STORY, STORY, html_page, text_dump, warc_bytes

GERMAN = "Die Stadtbibliothek öffnet künftig auch sonntags. Größere Säle, längere Öffnungszeiten und ein Café für Leserinnen und Leser."
CHINESE = "北京大学计算机学院的研究人员发表了一篇关于大型语言模型训练效率的论文，引起了广泛关注。该论文提出了一种新的注意力机制，可以显著降低计算成本。"


def test_format_of_looks_through_gz():
    assert format_of("a/b.warc.gz") == "warc"
    assert format_of("x.HTML") == "html"
    assert format_of("x.jsonl.gz") == "jsonl"
    assert format_of("x.pdf") is None
    assert format_of("clip.md") == format_of("notes.markdown.gz") == "txt"  # Markdown: a text dump


def test_txt_reader(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(STORY, encoding="utf-8")
    loaded = read_path(str(p))
    assert [d.format for d in loaded.documents] == ["txt"]
    assert loaded.documents[0].text == STORY
    assert loaded.errors == [] and loaded.raw.status == "ok"
    assert loaded.raw.size == p.stat().st_size and len(loaded.raw.sha256) == 64


def test_html_reader_keeps_markup_for_extraction(tmp_path):
    p = tmp_path / "a.htm"
    p.write_text(html_page("Title here", STORY), encoding="utf-8")
    (doc,) = read_path(str(p)).documents
    assert doc.format == "html" and "<article>" in doc.html


def test_jsonl_reader_text_html_and_bad_lines(tmp_path):
    p = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"text": STORY, "url": "https://e.org/1", "title": "T1", "published": "2024-02-03"}),
        "",
        json.dumps({"html": html_page("T2", OTHER_STORY), "url": "https://e.org/2"}),
        '{"text": "cut off',
        json.dumps(["not", "an", "object"]),
        json.dumps({"url": "https://e.org/empty"}),
        '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}",  # nested deeper than Python reads: that line alone goes
        json.dumps({"text": STORY, "url": "https://e.org/8"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = read_path(str(p))
    assert [(d.record, d.url) for d in loaded.documents] == [(1, "https://e.org/1"), (3, "https://e.org/2"),
                                                            (8, "https://e.org/8")]
    assert loaded.documents[0].title == "T1" and loaded.documents[0].published == "2024-02-03"
    assert loaded.documents[1].html is not None
    assert [(e.record, e.kind) for e in loaded.errors] == [(4, "invalid_json"), (5, "invalid_record"),
                                                           (6, "invalid_record"), (7, "invalid_json")]
    assert loaded.raw.status == "partial"
    assert len({d.doc_id for d in loaded.documents}) == 3


def test_standard_input_is_told_by_its_first_line():
    assert format_of_content(b'{"text": "a story"}\n{"text": "another"}\n') == "jsonl"
    assert format_of_content(b"Storm closes the harbour\n") == "txt"
    assert format_of_content(b'{"text": ' + b"[" * 50_000) == "txt"  # nested too deeply to read: text, not a crash


def test_jsonl_markdown_field_is_read_as_text_and_cleaned_of_its_links(tmp_path):
    p = tmp_path / "crawl.jsonl"
    body = "\n\n".join(STORY.split("\n"))
    markdown = f"[Home](https://e.org/) [World](/world/)\n\n# Storm\n\n![A boat](https://e.org/boat.jpg)\n\n{body}"
    p.write_text(json.dumps({"markdown": markdown, "url": "https://e.org/storm"}) + "\n", encoding="utf-8")
    doc = read_path(str(p)).documents[0]
    assert doc.text == markdown and doc.html is None
    cleaned = clean_documents([doc])[0]
    assert "](" not in cleaned.text and STORY.split("\n")[0] in cleaned.text
    assert "link_markup" in {s.reason for s in cleaned.removed}


def test_an_html_page_saved_as_txt_is_read_as_html(tmp_path):
    page = tmp_path / "saved.txt"
    page.write_text("\ufeff<!-- saved -->\n" + html_page("T", STORY), encoding="utf-8")
    doc = read_path(str(page)).documents[0]
    assert doc.html is not None and doc.format == "html"
    assert STORY.split("\n")[0] in clean_documents([doc])[0].text
    dump = tmp_path / "dump.txt"
    dump.write_text("<b>Breaking</b> news from the harbour\n" + STORY, encoding="utf-8")
    assert read_path(str(dump)).documents[0].html is None
    for first in ("<!DOCTYPE html>", "<!doctype html><!-- a comment -->"):
        # node-html-markdown writes a page's doctype as text above its Markdown: a doctype and no tag is a dump
        markdown = tmp_path / "page.md.txt"
        markdown.write_text(f"{first}\n\n[Home](https://e.org/) [World](/world/)\n\n# Storm\n\n{STORY}", encoding="utf-8")
        doc = read_path(str(markdown)).documents[0]
        assert doc.html is None and doc.text.startswith(first)
        cleaned = clean_documents([doc])[0]
        assert STORY.split("\n")[1] in cleaned.text.split("\n") and "](" not in cleaned.text  # its lines as they were
    bare = tmp_path / "bare.txt"
    bare.write_text("<!DOCTYPE html>\n<title>Storm</title>\n<p>" + STORY.replace("\n", "</p><p>") + "</p>", encoding="utf-8")
    assert read_path(str(bare)).documents[0].html is not None  # a doctype, then a tag: a page


def test_jsonl_lone_surrogate_escapes_read_as_replacement_characters(tmp_path):
    from newsclean.pipeline import clean_document

    p = tmp_path / "s.jsonl"
    page = html_page("Pump seal", STORY).replace("eighteen months", "eighteen HALF months")
    p.write_text(json.dumps({"html": page}).replace("HALF", "\\ud800") + "\n"  # JSON's escape of half a pair
                 + '{"text": "Half a pair \\udc00 here.", "title": "T \\ud83d"}\n', encoding="utf-8")
    docs = read_path(str(p)).documents
    assert "eighteen \ufffd months" in docs[0].html and docs[1].text == "Half a pair \ufffd here."
    assert docs[1].title == "T \ufffd"
    for kind in ("article", "collection", "listing"):  # trafilatura's path, resiliparse's and the main region's
        assert "eighteen \ufffd months" in clean_document(replace(docs[0], page_kind=kind)).text


@pytest.mark.parametrize("compress", [True, False])
def test_warc_reader(tmp_path, compress):
    p = tmp_path / ("a.warc.gz" if compress else "a.warc")
    p.write_bytes(warc_bytes([("https://e.org/1", html_page("One", STORY).encode()),
                              ("https://e.org/2", html_page("Two", OTHER_STORY).encode())], compress))
    loaded = read_path(str(p))
    assert [(d.record, d.url, d.format) for d in loaded.documents] == [(1, "https://e.org/1", "warc"), (2, "https://e.org/2", "warc")]
    assert loaded.errors == []


def test_gz_of_txt_and_jsonl(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(STORY.encode()))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": OTHER_STORY}) + "\n").encode()))
    assert read_path(str(tmp_path / "a.txt.gz")).documents[0].text == STORY
    assert read_path(str(tmp_path / "b.jsonl.gz")).documents[0].text == OTHER_STORY


def test_expand_folders_globs_and_missing(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ["a.txt", "sub/b.html", "sub/c.jsonl", "notes.pdf"]:
        (tmp_path / name).write_text("x")
    paths, errors = expand_inputs([str(tmp_path)])
    assert [p.rsplit("/", 1)[1] for p in paths] == ["a.txt", "b.html", "c.jsonl"]
    paths, errors = expand_inputs([str(tmp_path / "sub" / "*.html"), str(tmp_path / "a.txt"), str(tmp_path / "a.txt")])
    assert [p.rsplit("/", 1)[1] for p in paths] == ["b.html", "a.txt"]
    paths, errors = expand_inputs([str(tmp_path / "nothing-*.txt")])
    assert paths == [] and errors[0].kind == "not_found"


@pytest.mark.parametrize("text,encoding", [(GERMAN, "cp1252"), (CHINESE, "gbk"), (GERMAN, "utf-16"), (GERMAN, "utf-8-sig")])
def test_legacy_encodings_are_detected(text, encoding):
    decoded, _ = decode_bytes(text.encode(encoding))
    assert decoded == text


def test_mojibake_is_repaired():
    broken = GERMAN.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    assert decode_bytes(broken)[0] == GERMAN


def test_html_declared_charset_wins(tmp_path):
    p = tmp_path / "a.html"
    p.write_bytes(f'<html><head><meta charset="windows-1252"></head><body><p>{GERMAN}</p></body></html>'.encode("cp1252"))
    assert GERMAN in read_path(str(p)).documents[0].html


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("bom.txt", b"\xef\xbb\xbf\n", "empty"),  # saved by an editor that writes a byte-order mark
        ("blank16.txt", " \n".encode("utf-16"), "empty"),
        ("png.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        ("nul.html", b"<html>\x00\x00\x00\x01\x02</html>" * 10, "binary"),
        ("cut.txt.gz", gzip.compress(" ".join(str(i * 7919 % 10007) for i in range(5000)).encode())[:2000], "truncated"),
        ("fake.txt.gz", b"this is not gzip at all", "invalid_gzip"),
        ("cut.warc.gz", warc_bytes([("https://e.org/1", html_page("One", STORY * 20).encode())])[:300], "truncated"),
        ("junk.warc", b"hello, not a warc file\n" * 10, "invalid_warc"),
    ],
)
def test_bad_inputs_become_errors(tmp_path, name, data, kind):
    p = tmp_path / name
    p.write_bytes(data)
    loaded = read_path(str(p))
    assert loaded.documents == []
    assert [e.kind for e in loaded.errors] == [kind]
    assert loaded.errors[0].message and loaded.errors[0].input_id == loaded.raw.input_id
    assert loaded.raw.status == "error"


def test_size_cap_and_gzip_bomb(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 5000)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 10_000_000))
    cfg = ReadConfig(max_document_bytes=4096)
    assert [e.kind for e in read_path(str(big), cfg).errors] == ["too_large"]
    errors = read_path(str(bomb), cfg).errors
    assert [e.kind for e in errors] == ["too_large"] and "decompressed" in errors[0].message


def test_known_input_is_skipped_without_parsing(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(STORY)
    first = read_path(str(p))
    again = read_path(str(p), known=frozenset({(str(p), first.raw.sha256)}))
    assert again.skipped and again.documents == []
    p.write_text(STORY + "\nOne more line that changes the content.")
    changed = read_path(str(p), known=frozenset({(str(p), first.raw.sha256)}))
    assert not changed.skipped and changed.raw.input_id != first.raw.input_id


def test_bad_input_exception_carries_kind():
    with pytest.raises(BadInput) as info:
        decode_bytes(b"")
    assert info.value.kind == "empty"


def test_truncated_warc_keeps_records_before_the_break(tmp_path):
    first = warc_bytes([("https://e.org/1", html_page("One", STORY).encode())])
    second = warc_bytes([("https://e.org/2", html_page("Two", OTHER_STORY * 30).encode())])
    p = tmp_path / "cut.warc.gz"
    p.write_bytes(first + second[: len(second) // 2])
    loaded = read_path(str(p))
    assert [d.url for d in loaded.documents] == ["https://e.org/1"]
    # the cut record, then the archive itself
    assert [(e.kind, e.record) for e in loaded.errors] == [("truncated", 2), ("truncated", None)]
    assert loaded.raw.status == "partial"


_NO_TARGET = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nshort\r\n\r\n"  # no WARC-Target-URI


def test_a_malformed_warc_record_is_an_error_and_the_records_before_it_stay(tmp_path):
    good = warc_bytes([("https://e.org/1", html_page("One", STORY).encode())], compress=False)
    p = tmp_path / "mixed.warc"
    p.write_bytes(good + _NO_TARGET)
    loaded = read_path(str(p))
    assert [d.url for d in loaded.documents] == ["https://e.org/1"]
    assert [(e.kind, e.record) for e in loaded.errors] == [("invalid_warc", 2)]
    assert "record 2 is not a well-formed WARC record" in loaded.errors[0].message
    alone = tmp_path / "bad.warc"
    alone.write_bytes(_NO_TARGET)
    assert [e.kind for e in read_path(str(alone)).errors] == ["invalid_warc"]


def test_jsonl_is_streamed_with_a_cap_per_line(tmp_path):
    p = tmp_path / "big.jsonl"
    lines = [json.dumps({"text": f"{STORY} ({i})"}) for i in range(40)]
    lines.insert(5, json.dumps({"text": "x" * 10_000}))
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = ReadConfig(max_document_bytes=4096)  # the file is far bigger than the cap; each good line is not
    loaded = read_path(str(p), cfg)
    assert len(loaded.documents) == 40
    assert [(e.kind, e.record) for e in loaded.errors] == [("too_large", 6)]


def test_truncated_jsonl_gz_keeps_lines_before_the_break(tmp_path):
    body = "\n".join(json.dumps({"text": f"{STORY} {i} " + " ".join(str(i * k % 9973) for k in range(300))}) for i in range(30))
    data = gzip.compress(body.encode())
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    loaded = read_path(str(p))
    assert 0 < len(loaded.documents) < 30
    assert [e.kind for e in loaded.errors][-1] == "truncated" and loaded.raw.status == "partial"


def test_jsonl_line_in_a_legacy_encoding(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(json.dumps({"text": STORY}).encode() + b"\n" + json.dumps({"text": GERMAN}, ensure_ascii=False).encode("cp1252") + b"\n")
    loaded = read_path(str(p))
    assert [d.text for d in loaded.documents] == [STORY, GERMAN]


def test_http_equiv_charset_is_read(tmp_path):
    p = tmp_path / "old.html"
    head = '<html lang="de-AT"><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
    p.write_bytes(f"{head}<body><p>{GERMAN}</p></body></html>".encode("latin-1"))
    assert GERMAN in read_path(str(p)).documents[0].html


def test_unreadable_inputs_become_errors_beside_good_ones(tmp_path):
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted-before-reading.txt")
    paths, errors = expand_inputs([str(tmp_path)])
    assert [p.rsplit("/", 1)[1] for p in paths] == ["gone.txt", "good.txt"] and errors == []
    gone = read_path(paths[0])
    assert [e.kind for e in gone.errors] == ["unreadable"] and gone.errors[0].location.endswith("gone.txt")
    assert "No such file" in gone.errors[0].message and gone.raw.status == "error"
    (tmp_path / "now-a-folder.txt").mkdir()  # a file replaced by a folder between listing and reading
    moved = read_path(str(tmp_path / "now-a-folder.txt"))
    assert [e.kind for e in moved.errors] == ["unreadable"] and "Is a directory" in moved.errors[0].message


def test_unreadable_subfolder_becomes_an_error():
    """The listing runs as an unprivileged user (tests run as root, which reads anything)."""
    top = tempfile.mkdtemp(prefix="newsclean-perm-")  # outside tmp_path, whose parents only root may enter
    os.chmod(top, 0o755)
    os.makedirs(f"{top}/locked")
    for name in ("a.txt", "locked/b.txt"):
        with open(f"{top}/{name}", "w") as f:
            f.write(STORY)
    os.chmod(f"{top}/locked", 0)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child drops root and lists the folder
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            os.write(write_end, pickle.dumps(expand_inputs([top])))
        finally:
            os._exit(0)
    os.close(write_end)
    if not select.select([read_end], [], [], 60)[0]:  # a child forked from a threaded process could hang
        os.kill(pid, signal.SIGKILL)
    with os.fdopen(read_end, "rb") as f:
        paths, errors = pickle.loads(f.read())
    os.waitpid(pid, 0)
    os.chmod(f"{top}/locked", 0o755)
    shutil.rmtree(top)
    assert [p.rsplit("/", 1)[1] for p in paths] == ["a.txt"]
    assert [(e.kind, e.location) for e in errors] == [("unreadable", f"{top}/locked")]
    assert "Permission denied" in errors[0].message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-32"])
def test_wide_unicode_without_a_bom_is_text(tmp_path, encoding):
    p = tmp_path / "wide.txt"
    p.write_bytes((GERMAN + "\n" + CHINESE).encode(encoding))
    loaded = read_path(str(p))
    assert loaded.errors == [] and loaded.documents[0].text == GERMAN + "\n" + CHINESE


def test_a_gzip_inside_a_gz_is_named(tmp_path):
    p = tmp_path / "twice.txt.gz"
    p.write_bytes(gzip.compress(gzip.compress(STORY.encode())))
    (error,) = read_path(str(p)).errors
    assert error.kind == "binary" and "compressed twice" in error.message and "name it .gz" not in error.message


@pytest.mark.parametrize("value,named", [(42, "'text' is a number"), (["a"], "'text' is an array"), (None, "'text' is null"),
                                         ({"p": 1}, "'text' is an object"), (True, "'text' is a boolean")])
def test_jsonl_field_of_the_wrong_type_is_named(tmp_path, value, named):
    p = tmp_path / "typed.jsonl"
    p.write_text(json.dumps({"text": value}) + "\n" + json.dumps({"text": STORY}) + "\n", encoding="utf-8")
    loaded = read_path(str(p))
    assert [d.record for d in loaded.documents] == [2]
    assert [(e.kind, e.record, e.message) for e in loaded.errors] == [("invalid_record", 1, f"line 1: {named}, not a string")]


def test_warc_records_that_are_not_articles_are_counted(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    p = tmp_path / "mixed.warc.gz"
    with open(p, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warcinfo_record("mixed.warc.gz", {"software": "test"}))
        for url, ctype, body in [("https://e.org/1", "text/html", html_page("One", STORY).encode()),
                                 ("https://e.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
                                 ("https://e.org/feed", "application/rss+xml; charset=utf-8", b"<rss/>"),
                                 ("https://e.org/2", "image/png", b"\x89PNG\r\n\x1a\n")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    loaded = read_path(str(p))
    assert [d.url for d in loaded.documents] == ["https://e.org/1"] and loaded.errors == []
    assert loaded.raw.skipped_records == 4 and loaded.raw.status == "ok"
    assert loaded.raw.skipped_detail == "1 response application/rss+xml, 2 response image/png, 1 warcinfo"


def test_common_crawl_wet_records_are_text_dumps_and_resource_records_pages(tmp_path):
    from warcio.warcwriter import WARCWriter

    p = tmp_path / "CC-MAIN-test-00000.warc.wet.gz"  # Common Crawl's name: the reader looks through .wet.gz
    with open(p, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warcinfo_record(p.name, {"software": "test"}))
        for uri, kind, ctype, body in [
            ("https://e.org/water", "conversion", "text/plain", text_dump("Water board approves pipe plan", STORY)),
            ("https://e.org/scan.pdf", "conversion", "application/pdf", "%PDF-1.4"),
            ("https://e.org/bus", "resource", "text/html; charset=utf-8", html_page("New bus route", OTHER_STORY)),
            ("https://e.org/empty", "conversion", "text/plain", "  \n"),
        ]:
            writer.write_record(writer.create_warc_record(uri, kind, payload=io.BytesIO(body.encode()),
                                                          warc_content_type=ctype))
    assert format_of(p) == "warc"
    loaded = read_path(str(p))
    wet, page = loaded.documents
    assert (wet.url, wet.record, wet.format, wet.html) == ("https://e.org/water", 1, "warc", None)
    assert wet.text.startswith("logo\nWater board approves pipe plan")
    assert (page.url, page.record) == ("https://e.org/bus", 3) and "New bus route" in page.html
    assert [(e.kind, e.record) for e in loaded.errors] == [("empty", 4)] and loaded.raw.status == "partial"
    assert loaded.raw.skipped_detail == "1 conversion application/pdf, 1 warcinfo"
    cleaned = clean_documents(loaded.documents)
    assert cleaned[0].title == "Water board approves pipe plan" and "Related Articles" not in cleaned[0].text
    assert STORY.split("\n")[0] in cleaned[0].text and cleaned[1].title == "New bus route"
