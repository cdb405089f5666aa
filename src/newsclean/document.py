"""The data types that flow through newsclean: raw inputs, documents, removed spans, input errors."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from newsclean.text import word_count


@dataclass(slots=True)
class RemovedSpan:
    """A piece of the input that cleaning dropped, with a stable reason slug and its 1-based line."""

    text: str
    reason: str
    line: int | None = None


@dataclass(slots=True)
class RawInput:
    """One input as loaded: a file (or a member of an archive) identified by location and content hash."""

    location: str
    sha256: str
    size: int
    format: str
    status: str = "ok"  # ok | error | partial
    skipped_records: int = 0  # archive records that hold no article (requests, metadata, non-HTML responses)
    skipped_detail: str | None = None  # what they were, counted: "2 request, 1 response image/png"

    @property
    def input_id(self) -> str:
        return stable_id(self.location, self.sha256)

    def doc_id(self, record: int) -> str:
        """The id of the input's document at record (0 for a file that holds one)."""
        return stable_id(self.input_id, record)


@dataclass(slots=True)
class InputError:
    """Bad input: recorded in the store, never raised, so the run goes on."""

    location: str
    kind: str
    message: str
    record: int | None = None  # line number (jsonl) or record index (warc) when the error is inside the input
    input_id: str | None = None


@dataclass(slots=True)
class Document:
    """One article: extracted/cleaned text with metadata, provenance and everything cleaning removed."""

    text: str
    doc_id: str = ""
    input_id: str = ""
    path: str | None = None
    url: str | None = None
    format: str = "txt"  # txt | html | jsonl | warc
    record: int = 0  # position inside the input (line, record); 0 for single-document inputs
    title: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    source: str | None = None
    author: str | None = None
    language: str | None = None
    raw_chars: int = 0
    html: str | None = None  # raw HTML until extraction replaces it with text
    page_kind: str | None = None  # HTML pages: article, forum, product, collection, listing, documentation, service
    removed: list[RemovedSpan] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return word_count(self.text)


def shown_path(path: str) -> str:
    """A file path as text that can be stored and printed: bytes of a file name that are not UTF-8 (which Python
    carries as lone surrogates) written as \\xNN escapes, so the name stays unique and readable."""
    if path.isascii():
        return path
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates that no file name decodes to
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


def stable_id(*parts: str | int) -> str:
    """A short deterministic id from its parts, so re-runs produce the same keys."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:20]
