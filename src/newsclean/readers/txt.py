"""Plain-text dumps: one document per file, cleaned later by the text-dump cleaner."""
from __future__ import annotations

from newsclean.document import Document
from newsclean.readers.encoding import decode_bytes


def read_txt(data: bytes, location: str) -> list[Document]:
    """A text dump as one Document (format txt)."""
    text, _ = decode_bytes(data)
    return [Document(text=text, path=location, format="txt", raw_chars=len(text))]
