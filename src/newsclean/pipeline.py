"""Per-document stages in order: extract (HTML) or clean (text dump), then metadata and language."""
from __future__ import annotations

from dataclasses import dataclass, replace

from newsclean.clean.textdump import TextCleanConfig, strip_boilerplate
from newsclean.dedup.minhash import Candidate, DedupConfig, DedupIndex, canonical_rank, signature
from newsclean.document import Document, InputError
from newsclean.extract.dates import normalise_date
from newsclean.extract.html import HtmlConfig, extract_html
from newsclean.extract.language import detect_language
from newsclean.readers import Loaded, ReadConfig, read_path
from newsclean.store.duck import Store
from newsclean.text import content_hash


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


@dataclass(slots=True)
class Batch:
    """Inputs read and cleaned together, with their documents' content hashes and MinHash signatures."""

    loaded: list[Loaded]
    hashes: dict[str, str]
    signatures: dict[str, bytes]


def prepare_batch(
    paths: list[str],
    config: CleanConfig = CleanConfig(),
    dedup: DedupConfig = DedupConfig(),
    known: frozenset[tuple[str, str]] = frozenset(),
) -> Batch:
    """Read, clean and sign a batch of inputs (CPU work that a task runner can spread over workers)."""
    loaded = [load_and_clean(p, config, known) for p in paths]
    hashes: dict[str, str] = {}
    signatures: dict[str, bytes] = {}
    for item in loaded:
        for doc in item.documents:
            hashes[doc.doc_id] = content_hash(doc.text)
            sig = signature(doc.text, dedup)
            if sig is not None:
                signatures[doc.doc_id] = sig
            if not doc.text.strip():
                item.errors.append(InputError(location=doc.path or doc.url or "", kind="no_text", record=doc.record or None,
                                              message="no article text was left after extraction/cleaning", input_id=doc.input_id))
    return Batch(loaded=loaded, hashes=hashes, signatures=signatures)


def open_index(store: Store, dedup: DedupConfig = DedupConfig()) -> DedupIndex:
    """A dedup index of the canonical documents already in the store (signatures read, not recomputed)."""
    index = DedupIndex(dedup)
    for doc_id, chash, sig in store.canonical_signatures():
        index.add(doc_id, chash, bytes(sig) if sig is not None else None)
    return index


def ingest_batch(store: Store, index: DedupIndex, batch: Batch, run_id: str) -> dict[str, int]:
    """Deduplicate a batch against the index and write it to the store in one transaction."""
    fresh = [it for it in batch.loaded if not it.skipped]
    docs = [d for it in fresh for d in it.documents]
    candidates = [
        Candidate(d.doc_id, batch.hashes[d.doc_id], batch.signatures.get(d.doc_id),
                  canonical_rank(d.word_count, d.published, d.format, d.doc_id))
        for d in docs if d.text.strip()
    ]
    matches = index.assign(candidates)
    added = store.write_batch(
        run_id,
        raws=[it.raw for it in fresh],
        docs=docs,
        errors=[e for it in fresh for e in it.errors],
        hashes=batch.hashes,
        duplicates={k: (m.duplicate_of, m.similarity) for k, m in matches.items()},
        signatures={k: v for k, v in batch.signatures.items() if k in {d.doc_id for d in docs}},
        sig_params=(index.config.num_perm, index.config.shingle, index.config.seed),
    )
    added["inputs_seen"] = len(batch.loaded)
    added["duplicates"] = sum(1 for d in docs if d.doc_id in matches)
    dumps = [d for d in docs if d.format not in ("html", "warc")]
    added["dump_chars"] = sum(len(d.text) for d in dumps)
    added["removed_chars"] = sum(len(s.text) for d in dumps for s in d.removed)
    return added
