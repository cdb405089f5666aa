"""JSON Lines exports: one object per line with `text` or `html`, optional `url`, `title`, `published`."""
from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from newsclean.document import Document
from newsclean.readers.encoding import decode_bytes, repair
from newsclean.readers.errors import BadInput
from newsclean.text import read_json

_TEXT_KEYS = ("text", "content", "body", "markdown")  # markdown: crawlers' exports (Firecrawl, Crawl4AI)
_HTML_KEYS = ("html", "raw_html")
# JSON may escape half of a UTF-16 pair ("\ud800") alone: no character, and nothing downstream (parsers, UTF-8
# output, DuckDB) takes it, so it reads as U+FFFD, as an undecodable byte does.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _lines(stream: BinaryIO, cap: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line, read incrementally; None for a line longer than cap (skipped whole)."""
    lineno = 0
    while True:
        chunk = stream.readline(cap + 1)
        if not chunk:
            return
        lineno += 1
        if len(chunk) > cap and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):
                chunk = stream.readline(1 << 20)
            yield lineno, None
        else:
            yield lineno, chunk


def read_jsonl(stream: BinaryIO, location: str, max_line_bytes: int) -> Iterator[Document | BadInput]:
    """Yield a Document per good line and a BadInput per bad one, so one bad line loses nothing else.

    The file is streamed: exports of any size are read line by line, each line capped at max_line_bytes.
    """
    seen_text = False
    try:
        for lineno, raw in _lines(stream, max_line_bytes):
            if raw is None:
                yield BadInput("too_large", f"line {lineno} is longer than {max_line_bytes} bytes", lineno)
                continue
            if not raw.strip():
                continue
            seen_text = True
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError:
                try:
                    line, _ = decode_bytes(raw)
                except BadInput as exc:
                    yield BadInput(exc.kind, f"line {lineno}: {exc.message}", lineno)
                    continue
            yield from _record(line, lineno, location)
    except (EOFError, zlib.error) as exc:
        yield BadInput("truncated", f"the gzip stream is truncated or corrupt ({exc}); lines before the break are kept")
    except gzip.BadGzipFile as exc:
        yield BadInput("invalid_gzip", f"not a gzip file: {exc}")
    if not seen_text:
        yield BadInput("empty", "the input is empty (no bytes or only whitespace)")


def _record(line: str, lineno: int, location: str) -> Iterator[Document | BadInput]:
    try:
        obj = read_json(line)
    except json.JSONDecodeError as exc:
        yield BadInput("invalid_json", f"line {lineno} is not valid JSON: {exc.msg}: column {exc.colno}", lineno)
        return
    except ValueError:  # nested deeper than Python reads: that line alone is lost
        yield BadInput("invalid_json", f"line {lineno} nests its JSON too deeply to be read", lineno)
        return
    if not isinstance(obj, dict):
        yield BadInput("invalid_record", f"line {lineno} is {_json_type(obj)} in JSON, not an object", lineno)
        return
    obj = {k: _LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in obj.items()}
    body = next((obj[k] for k in _TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    html = next((obj[k] for k in _HTML_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if body is None and html is None:
        wrong = [f"'{k}' is {_json_type(obj[k])}" for k in _TEXT_KEYS + _HTML_KEYS if k in obj and not isinstance(obj[k], str)]
        if wrong:
            yield BadInput("invalid_record", f"line {lineno}: {', '.join(wrong)}, not a string", lineno)
        else:
            yield BadInput("invalid_record", f"line {lineno} has no non-empty 'text' or 'html' field", lineno)
        return
    doc = Document(
        text=repair(body) if html is None else "",
        html=html,
        path=location,
        url=_str(obj.get("url")),
        format="jsonl",
        record=lineno,
        title=_str(obj.get("title")),
        published=_str(obj.get("published") or obj.get("date")),
        source=_str(obj.get("source")),
        author=_str(obj.get("author")),
        language=_str(obj.get("language")),
    )
    doc.raw_chars = len(html or body or "")
    yield doc


def _json_type(value: object) -> str:
    """The JSON name of a parsed value's type, with its article."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {list: "an array", dict: "an object"}.get(type(value), "a string")


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
