"""Readers: every format, encodings, folders/globs, and every kind of bad input."""
from __future__ import annotations

import gzip
import json

import pytest

from newsclean.readers import ReadConfig, expand_inputs, format_of, read_path
from newsclean.readers.encoding import decode_bytes
from newsclean.readers.errors import BadInput
from tests.conftest import OTHER_STORY, STORY, html_page, warc_bytes

GERMAN = "Die Stadtbibliothek öffnet künftig auch sonntags. Größere Säle, längere Öffnungszeiten und ein Café für Leserinnen und Leser."
CHINESE = "北京大学计算机学院的研究人员发表了一篇关于大型语言模型训练效率的论文，引起了广泛关注。该论文提出了一种新的注意力机制，可以显著降低计算成本。"


def test_format_of_looks_through_gz():
    assert format_of("a/b.warc.gz") == "warc"
    assert format_of("x.HTML") == "html"
    assert format_of("x.jsonl.gz") == "jsonl"
    assert format_of("x.pdf") is None


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
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = read_path(str(p))
    assert [(d.record, d.url) for d in loaded.documents] == [(1, "https://e.org/1"), (3, "https://e.org/2")]
    assert loaded.documents[0].title == "T1" and loaded.documents[0].published == "2024-02-03"
    assert loaded.documents[1].html is not None
    assert [(e.record, e.kind) for e in loaded.errors] == [(4, "invalid_json"), (5, "invalid_record"), (6, "invalid_record")]
    assert loaded.raw.status == "partial"
    assert len({d.doc_id for d in loaded.documents}) == 2


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
