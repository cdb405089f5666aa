"""JSON Lines exports: one object per line with `text` or `html`, optional `url`, `title`, `published`."""
from __future__ import annotations

import json
from collections.abc import Iterator

from newsclean.document import Document
from newsclean.readers.encoding import decode_bytes, repair
from newsclean.readers.errors import BadInput

_TEXT_KEYS = ("text", "content", "body")
_HTML_KEYS = ("html", "raw_html")


def read_jsonl(data: bytes, location: str) -> Iterator[Document | BadInput]:
    """Yield a Document per good line and a BadInput per bad one, so one bad line loses nothing else."""
    text, _ = decode_bytes(data)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadInput("invalid_json", f"line {lineno} is not valid JSON: {exc.msg} at column {exc.colno}", lineno)
            continue
        if not isinstance(obj, dict):
            yield BadInput("invalid_record", f"line {lineno} is a JSON {type(obj).__name__}, not an object", lineno)
            continue
        body = next((obj[k] for k in _TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
        html = next((obj[k] for k in _HTML_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
        if body is None and html is None:
            yield BadInput("invalid_record", f"line {lineno} has no non-empty 'text' or 'html' field", lineno)
            continue
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


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
