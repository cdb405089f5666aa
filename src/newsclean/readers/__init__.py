"""Raw input -> Documents: files, folders and globs of .txt, .md, .html, .jsonl, .warc (.wet) and their .gz forms."""
from __future__ import annotations

import glob
import gzip
import hashlib
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsclean.document import Document, InputError, RawInput, shown_path
from newsclean.readers.errors import BadInput
from newsclean.readers.html import is_html_page, read_html
from newsclean.readers.jsonl import read_jsonl
from newsclean.readers.txt import read_txt
from newsclean.readers.warc import SkippedRecord, read_warc
from newsclean.text import read_json

FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".markdown": "txt",  # Markdown: a text dump
           ".html": "html", ".htm": "html", ".xhtml": "html",
           ".jsonl": "jsonl", ".ndjson": "jsonl", ".warc": "warc", ".wet": "warc"}  # .wet: Common Crawl's text


@dataclass(frozen=True, slots=True)
class ReadConfig:
    """Limits for reading: a single document (or decompressed file) above max_document_bytes is refused."""

    max_document_bytes: int = 20 * 1024 * 1024


@dataclass(slots=True)
class Loaded:
    """What reading one input produced: its raw record, its documents and its errors."""

    raw: RawInput
    documents: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: bool = False  # already in the store with the same content

    def update_status(self) -> None:
        """ok, or partial when some documents have text beside errors, else error."""
        if self.errors:
            self.raw.status = "partial" if any(d.text.strip() or d.html for d in self.documents) else "error"


def read_failure(path: str, exc: Exception) -> Loaded:
    """An input whose reading raised: one error row (unreadable for I/O errors, else read_failed), no documents
    (sha256 empty: it is unknown)."""
    if isinstance(exc, OSError):
        kind, message = "unreadable", f"cannot read this file: {exc.strerror or exc}"
    else:
        kind, message = "read_failed", f"reading failed: {type(exc).__name__}: {exc}"
    location = shown_path(path)
    raw = RawInput(location=location, sha256="", size=0, format=format_of(path) or "txt", status="error")
    return Loaded(raw=raw, errors=[InputError(location=location, kind=kind, message=message, input_id=raw.input_id)])


_WARC_MAGIC = b"WARC/"


def format_of_content(head: bytes) -> str:
    """The reader format the start of an input shows, for input without a file name (standard input): a WARC
    archive, JSON Lines (a first line that is a JSON object), else txt (which reads an HTML page as HTML)."""
    first = head.lstrip().split(b"\n", 1)[0]
    if head.startswith(_WARC_MAGIC):
        return "warc"
    if first.startswith(b"{"):
        try:
            if isinstance(read_json(first), dict):
                return "jsonl"
        except ValueError:  # not JSON (or nested too deeply to read): read as text
            pass
    return "txt"


def format_of(path: str | Path) -> str | None:
    """The reader format for a file name, looking through a trailing .gz; None when unsupported."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1]) if suffixes else None


def _folder_files(folder: Path, errors: list[InputError]) -> list[Path]:
    """Supported files under folder, recursively; a subfolder that cannot be listed becomes an error."""
    def unreadable(exc: OSError) -> None:
        errors.append(InputError(location=shown_path(exc.filename or str(folder)), kind="unreadable",
                                 message=f"cannot list this folder: {exc.strerror or exc}"))

    found = [Path(root, name) for root, _, names in os.walk(folder, onerror=unreadable) for name in names]
    return [q for q in sorted(found) if format_of(q) and (q.is_file() or not q.exists())]


def _absolute(path: Path) -> str:
    """The resolved path; a broken link keeps its own name, so its error row names what the folder holds."""
    return str(path.resolve()) if path.exists() else os.path.abspath(path)


def expand_inputs(specs: list[str]) -> tuple[list[str], list[InputError]]:
    """Files, folders (recursively, supported files only) and globs -> sorted absolute file paths.

    Broken links are listed (reading them records the error); folders that cannot be listed are errors."""
    found: dict[str, None] = {}
    errors: list[InputError] = []
    for spec in specs:
        p = Path(spec).expanduser()
        if p.is_dir():
            matches = _folder_files(p, errors)
        elif p.is_file():
            matches = [p]
        else:
            matches = [Path(m) for m in sorted(glob.glob(spec, recursive=True)) if Path(m).is_file()]
            if not matches:
                errors.append(InputError(location=shown_path(spec), kind="not_found",
                                         message=f"no file, folder or glob match for {shown_path(spec)!r}"))
        for m in matches:
            found.setdefault(_absolute(m), None)
    return list(found), errors


def file_sha256(path: str) -> tuple[str, int]:
    """sha256 and size of a file, read in chunks."""
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _read_capped(path: str, compressed: bool, cap: int) -> bytes:
    """The file's bytes (decompressed for .gz), refusing more than cap bytes so gzip bombs stop early."""
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as f:
            data = f.read(cap + 1)
    except (EOFError, zlib.error) as exc:
        raise BadInput("truncated", f"the gzip stream is truncated or corrupt ({exc})") from exc
    except gzip.BadGzipFile as exc:
        raise BadInput("invalid_gzip", f"not a gzip file: {exc}") from exc
    if len(data) > cap:
        raise BadInput("too_large", f"the input is larger than {cap} bytes{' once decompressed' if compressed else ''}")
    return data


def check_warc(path: str, compressed: bool) -> BadInput | None:
    """Refuse files that are not WARC; return the problem of a truncated .warc.gz (warcio stops silently there)."""
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as f:
            if f.read(len(_WARC_MAGIC)) != _WARC_MAGIC:
                raise BadInput("invalid_warc", "not a WARC archive: it does not start with a WARC/1.x record header")
            if compressed:
                while f.read(1 << 20):
                    pass
    except (EOFError, zlib.error) as exc:
        return BadInput("truncated", f"the WARC archive's gzip stream is truncated or corrupt ({exc}); records before the break are kept")
    except gzip.BadGzipFile as exc:
        raise BadInput("invalid_gzip", f"not a gzip file: {exc}") from exc


def read_path(path: str, config: ReadConfig = ReadConfig(), known: frozenset[tuple[str, str]] = frozenset()) -> Loaded:
    """Read one file into Documents; every problem, an unreadable file too, becomes an InputError, never an exception."""
    try:
        first, *rest = read_pieces(path, config, known)
    except OSError as exc:
        return read_failure(path, exc)
    for piece in rest:
        first.documents += piece.documents
        first.errors += piece.errors
    return first


def read_pieces(path: str, config: ReadConfig = ReadConfig(), known: frozenset[tuple[str, str]] = frozenset(),
                piece_chars: int | None = None) -> Iterator[Loaded]:
    """One input as Loaded pieces of about piece_chars characters of documents each (one piece when None), read
    lazily, so a large JSONL export or WARC archive need not be held at once. The pieces share one RawInput,
    whose status and skipped counts are final once the last piece is out. May raise OSError."""
    fmt = format_of(path) or "txt"
    sha, size = file_sha256(path)
    location = shown_path(path)  # what is stored and printed; the file itself is read at path
    raw = RawInput(location=location, sha256=sha, size=size, format=fmt)
    if (location, sha) in known:
        yield Loaded(raw=raw, skipped=True)
        return
    piece, chars, documents, errors = Loaded(raw=raw), 0, 0, 0
    skipped: Counter[str] = Counter()
    for item in _items(path, location, fmt, config):
        if isinstance(item, SkippedRecord):
            skipped[item.what] += 1
            continue
        if isinstance(item, BadInput):
            piece.errors.append(InputError(location=location, kind=item.kind, message=item.message, record=item.record, input_id=raw.input_id))
            errors += 1
            continue
        item.input_id = raw.input_id
        item.doc_id = raw.doc_id(item.record)
        piece.documents.append(item)
        documents += 1
        chars += len(item.html or item.text)
        if piece_chars is not None and chars >= piece_chars:
            yield piece
            piece, chars = Loaded(raw=raw), 0
    if not documents and not errors:
        piece.errors.append(InputError(location=location, kind="no_documents", message=f"no article found in this {fmt} input", input_id=raw.input_id))
        errors += 1
    raw.skipped_records = sum(skipped.values())
    raw.skipped_detail = ", ".join(f"{n} {what}" for what, n in sorted(skipped.items())) or None
    if errors:
        raw.status = "partial" if documents else "error"
    yield piece


def _items(path: str, location: str, fmt: str, config: ReadConfig) -> Iterator[Document | BadInput | SkippedRecord]:
    """What the format's reader finds in the file at path, lazily, its documents located at location; a BadInput
    that stops the reader is the last item."""
    compressed = path.lower().endswith(".gz")
    try:
        if compressed and _gzip_inside(path):
            raise BadInput("binary", "the input is compressed twice: the .gz holds another gzip stream (gunzip it once, keep the .gz name)")
        if fmt == "warc":
            problem = check_warc(path, compressed)
            with open(path, "rb") as f:
                yield from read_warc(f, location, config.max_document_bytes, truncated=problem is not None)
            if problem is not None:
                yield problem
        elif fmt == "jsonl":
            with (gzip.open if compressed else open)(path, "rb") as f:
                yield from read_jsonl(f, location, config.max_document_bytes)
        else:
            data = _read_capped(path, compressed, config.max_document_bytes)
            yield from (read_html(data, location) if fmt == "html" or is_html_page(data) else read_txt(data, location))
    except BadInput as exc:
        yield exc


def _gzip_inside(path: str) -> bool:
    """Whether a .gz decompresses to gzip data again; unreadable gzip is left for the format's reader to report."""
    try:
        with gzip.open(path, "rb") as f:
            return f.read(2) == b"\x1f\x8b"
    except (OSError, EOFError, zlib.error):
        return False


__all__ = ["BadInput", "Loaded", "ReadConfig", "expand_inputs", "read_failure", "format_of", "read_path", "read_pieces"]
