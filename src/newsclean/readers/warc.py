"""WARC archives (.warc, .warc.gz, Common Crawl's .warc.wet.gz): one document per HTML page and per text dump.

A `response` record holds a page as a server sent it (HTTP headers, then the body); a `resource` record holds a
page archived without its HTTP exchange (warcit, some browser archivers); a `conversion` record holds text
derived from a page: Common Crawl's WET files are such records, the visible text of each page (a text dump, which
the text-dump cleaner reads)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsclean.document import Document
from newsclean.readers.encoding import decode_bytes
from newsclean.readers.errors import BadInput
from newsclean.readers.html import decode_html

_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record that holds no article (request, warcinfo, metadata, a response or resource that is not HTML, a
    conversion that is not text), counted, not kept."""

    what: str


def read_warc(stream: BinaryIO, location: str, max_record_bytes: int, truncated: bool = False) -> Iterator[Document | BadInput | SkippedRecord]:
    """Yield a Document per HTML response or resource and per plain-text conversion (WET), a SkippedRecord per
    other record; bad records and a truncated archive become BadInput.

    When the archive is known to be truncated, the last record (the one the break cut) is reported, not kept.
    """
    pending: Document | None = None
    for item in _records(stream, location, max_record_bytes):
        if isinstance(item, SkippedRecord):
            if pending is not None:
                yield pending
            pending = None
            yield item
        elif isinstance(item, Document):
            if pending is not None:
                yield pending
            pending = item
        else:
            yield item
    if pending is not None:
        if truncated:
            yield BadInput("truncated", f"record {pending.record} ({pending.url}) was cut by the truncation and is not kept", pending.record)
        else:
            yield pending


def _records(stream: BinaryIO, location: str, max_record_bytes: int) -> Iterator[Document | BadInput | SkippedRecord]:
    index = 0
    try:
        for record in _parsed(ArchiveIterator(stream)):
            kind = record.rec_type
            if kind not in ("response", "resource", "conversion"):
                yield SkippedRecord(kind)
                continue
            index += 1
            headers = record.http_headers if kind == "response" else record.rec_headers
            ctype = ((headers.get_header("Content-Type") if headers else "") or "").lower()
            plain = kind == "conversion"  # a text dump (WET), else a page
            if not (ctype.startswith("text/plain") if plain else any(t in ctype for t in _HTML_TYPES)):
                yield SkippedRecord(f"{kind} {ctype.split(';')[0].strip() or 'without a content type'}")
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read(max_record_bytes + 1)
            if len(body) > max_record_bytes:
                yield BadInput("too_large", f"record {index} ({url}) is larger than {max_record_bytes} bytes", index)
                continue
            charset = ctype.split("charset=", 1)[1].split(";")[0].strip(" \"'") if "charset=" in ctype else None
            try:
                content = decode_bytes(body, charset)[0] if plain else decode_html(body, charset)
            except BadInput as exc:
                yield BadInput(exc.kind, f"record {index} ({url}): {exc.message}", index)
                continue
            if plain:
                yield Document(text=content, path=location, url=url, format="warc", record=index,
                               raw_chars=len(content))
            else:
                yield Document(text="", html=content, path=location, url=url, format="warc", record=index,
                               raw_chars=len(content))
    except _Malformed as exc:
        yield BadInput("invalid_warc", f"record {index + 1} is not a well-formed WARC record ({exc}); the records before "
                       "it are kept, the rest of the archive is not read", index + 1)
    except ArchiveLoadFailed as exc:
        yield BadInput("invalid_warc", f"not a readable WARC archive after {index} records: {exc}", index or None)
    except (EOFError, OSError, ValueError) as exc:
        yield BadInput("truncated", f"the archive ends early after {index} records ({type(exc).__name__}: {exc})", index or None)


class _Malformed(Exception):
    """warcio failed inside a record's headers (it raises AttributeError, KeyError... on some malformed ones)."""


def _parsed(records: ArchiveIterator) -> Iterator:
    """The archive's records; a record whose headers warcio trips over (a response without WARC-Target-URI, a
    header line it cannot split) raises _Malformed instead of warcio's own error."""
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (ArchiveLoadFailed, EOFError, OSError, ValueError):
            raise  # the archive's own failures, reported as such by the caller
        except Exception as exc:  # noqa: BLE001  (anything else warcio raises is its parser meeting bad headers)
            raise _Malformed(f"warcio: {type(exc).__name__}: {exc}") from exc
        yield record
