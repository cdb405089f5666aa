"""The raw archive: every fetched response body, with its HTTP status and headers, in a WARC file per run."""
from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsclean.fetch.client import FetchResult

# Bodies are stored decoded, so headers describing the transfer encoding no longer apply.
_DROP = {"content-encoding", "transfer-encoding", "content-length"}


class WarcArchive:
    """Append-only .warc.gz writer that reports where each record starts."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "ab")
        self._writer = WARCWriter(self._file, gzip=True)
        self.records = 0

    def write(self, result: FetchResult) -> tuple[str, int]:
        """Archive one response; returns (path, byte offset of its record)."""
        offset = self._file.tell()
        headers = [(k, v) for k, v in result.headers if k.lower() not in _DROP]
        http = StatusAndHeaders(f"{result.status} {result.reason}".strip(), headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            result.final_url or result.url, "response", payload=io.BytesIO(result.body or b""), http_headers=http,
            warc_headers_dict={"WARC-Date": result.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        self._writer.write_record(record)
        self.records += 1
        return str(self.path), offset

    def close(self) -> None:
        self._file.close()

    def remove(self) -> None:
        """Delete an archive that received no record."""
        self.path.unlink(missing_ok=True)
