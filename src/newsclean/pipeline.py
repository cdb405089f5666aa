"""Per-document stages in order: extract (HTML) or clean (text dump), then metadata and language."""
from __future__ import annotations

from dataclasses import dataclass, replace

from newsclean.clean.textdump import TextCleanConfig, strip_boilerplate
from newsclean.document import Document
from newsclean.extract.dates import normalise_date
from newsclean.extract.html import HtmlConfig, extract_html
from newsclean.extract.language import detect_language
from newsclean.readers import Loaded, ReadConfig, read_path


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Everything the per-document stages need; defaults work out of the box."""

    read: ReadConfig = ReadConfig()
    html: HtmlConfig = HtmlConfig()
    text: TextCleanConfig = TextCleanConfig()


def clean_text_dump(doc: Document, config: TextCleanConfig = TextCleanConfig()) -> Document:
    """Run the text-dump cleaner; metadata already given (e.g. by a JSONL export) wins over what it finds."""
    r = strip_boilerplate(doc.text, config)
    return replace(
        doc,
        text=r.text,
        removed=doc.removed + r.removed,
        title=doc.title or r.title,
        published=doc.published or r.published,
        source=doc.source or r.source,
        author=doc.author or r.author,
    )


def clean_document(doc: Document, config: CleanConfig = CleanConfig()) -> Document:
    """One document through its stages: HTML extraction or text-dump cleaning, then date and language."""
    doc = extract_html(doc, config.html) if doc.html is not None else clean_text_dump(doc, config.text)
    return replace(
        doc,
        published=normalise_date(doc.published),
        language=(doc.language or detect_language(doc.text) or None),
    )


def load_and_clean(path: str, config: CleanConfig = CleanConfig(), known: frozenset[tuple[str, str]] = frozenset()) -> Loaded:
    """Read one input and clean all its documents (the unit of work of a flow batch)."""
    loaded = read_path(path, config.read, known)
    loaded.documents = [clean_document(d, config) for d in loaded.documents]
    return loaded
