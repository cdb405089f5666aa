"""Raw input -> Documents: files, folders and globs of .txt, .html, .jsonl, .warc and their .gz forms."""
from __future__ import annotations

import glob
import gzip
import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from newsclean.document import Document, InputError, RawInput, stable_id
from newsclean.readers.errors import BadInput
from newsclean.readers.html import read_html
from newsclean.readers.jsonl import read_jsonl
from newsclean.readers.txt import read_txt
from newsclean.readers.warc import read_warc

FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
           ".jsonl": "jsonl", ".ndjson": "jsonl", ".warc": "warc"}


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


def format_of(path: str | Path) -> str | None:
    """The reader format for a file name, looking through a trailing .gz; None when unsupported."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1]) if suffixes else None


def expand_inputs(specs: list[str]) -> tuple[list[str], list[InputError]]:
    """Files, folders (recursively, supported files only) and globs -> sorted absolute file paths."""
    found: dict[str, None] = {}
    errors: list[InputError] = []
    for spec in specs:
        p = Path(spec).expanduser()
        if p.is_dir():
            matches = [q for q in sorted(p.rglob("*")) if q.is_file() and format_of(q)]
        elif p.is_file():
            matches = [p]
        else:
            matches = [Path(m) for m in sorted(glob.glob(spec, recursive=True)) if Path(m).is_file()]
            if not matches:
                errors.append(InputError(location=spec, kind="not_found", message=f"no file, folder or glob match for {spec!r}"))
        for m in matches:
            found.setdefault(str(m.resolve()), None)
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
            if f.read(5) != b"WARC/":
                raise BadInput("invalid_warc", "not a WARC archive: it does not start with a WARC/1.x record header")
            if compressed:
                while f.read(1 << 20):
                    pass
    except (EOFError, zlib.error) as exc:
        return BadInput("truncated", f"the WARC archive's gzip stream is truncated or corrupt ({exc}); records before the break are kept")
    except gzip.BadGzipFile as exc:
        raise BadInput("invalid_gzip", f"not a gzip file: {exc}") from exc


def read_path(path: str, config: ReadConfig = ReadConfig(), known: frozenset[tuple[str, str]] = frozenset()) -> Loaded:
    """Read one file into Documents; every problem becomes an InputError, never an exception."""
    fmt = format_of(path) or "txt"
    sha, size = file_sha256(path)
    raw = RawInput(location=path, sha256=sha, size=size, format=fmt)
    loaded = Loaded(raw=raw)
    if (path, sha) in known:
        loaded.skipped = True
        return loaded
    compressed = path.lower().endswith(".gz")
    items: list[Document | BadInput] = []
    try:
        if fmt == "warc":
            problem = check_warc(path, compressed)
            with open(path, "rb") as f:
                items = list(read_warc(f, path, config.max_document_bytes, truncated=problem is not None))
            if problem is not None:
                items.append(problem)
        elif fmt == "jsonl":
            with (gzip.open if compressed else open)(path, "rb") as f:
                items = list(read_jsonl(f, path, config.max_document_bytes))
        else:
            data = _read_capped(path, compressed, config.max_document_bytes)
            if fmt == "html":
                items = read_html(data, path)
            else:
                items = read_txt(data, path)
    except BadInput as exc:
        items = [exc]
    for item in items:
        if isinstance(item, BadInput):
            loaded.errors.append(InputError(location=path, kind=item.kind, message=item.message, record=item.record, input_id=raw.input_id))
        else:
            item.input_id = raw.input_id
            item.doc_id = stable_id(raw.input_id, item.record)
            loaded.documents.append(item)
    if not loaded.documents and not loaded.errors:
        loaded.errors.append(InputError(location=path, kind="no_documents", message=f"no article found in this {fmt} input", input_id=raw.input_id))
    if loaded.errors:
        raw.status = "partial" if loaded.documents else "error"
    return loaded


__all__ = ["BadInput", "Loaded", "ReadConfig", "expand_inputs", "format_of", "read_path"]
