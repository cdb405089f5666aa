"""Stages in order: read, extract (HTML) or clean (text dumps, with site templates per batch), date and
language; then per batch: content hashes, signatures, dedup and store."""
from __future__ import annotations

import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa

from newsclean.clean.markup import front_matter, prepare_dump, reader_header
from newsclean.clean.templates import TemplateConfig, template_lines
from newsclean.clean.linemodel import default_model
from newsclean.clean.textdump import TextCleanConfig, later_copies, line_key, line_reason, strip_boilerplate
from newsclean.dedup.minhash import (
    Candidate,
    DedupConfig,
    DedupIndex,
    band_keys,
    canonical_rank,
    signature,
    unpack,
)
from newsclean.document import Document, InputError, RemovedSpan, shown_path
from newsclean.extract.dates import normalise_date
from newsclean.extract.html import HtmlConfig, cap_markup, cap_tags, extract_page
from newsclean.extract.language import detect_language
from newsclean.readers import Loaded, ReadConfig, read_failure, read_path, read_pieces
from newsclean.store.duck import Store
from newsclean.text import content_hash, word_count
from newsclean.timing import STAGES, StageTimes, stage
from newsclean.readers import file_sha256  # noqa: I001 (apart from the readers line above, which another branch edits)
from newsclean.store.locks import run_lock


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Everything the per-document stages need; defaults work out of the box."""

    read: ReadConfig = ReadConfig()
    html: HtmlConfig = HtmlConfig()
    text: TextCleanConfig = TextCleanConfig()
    templates: TemplateConfig = TemplateConfig()


def clean_text_dump(doc: Document, config: TextCleanConfig = TextCleanConfig(), templates: frozenset[str] = frozenset()) -> Document:
    """Run the text-dump cleaner; metadata already given (e.g. by a JSONL export) wins over what it finds."""
    r = strip_boilerplate(doc.text, config, templates)
    return replace(
        doc,
        text=r.text,
        removed=doc.removed + r.removed,
        title=doc.title or r.title,
        published=doc.published or r.published,
        source=doc.source or r.source,
        author=doc.author or r.author,
    )


def clean_document(doc: Document, config: CleanConfig = CleanConfig(), templates: frozenset[str] = frozenset(),
                   times: StageTimes | None = None) -> Document:
    """One document through its stages: HTML extraction then the text pass without body search (trafilatura
    already found the body), or the full text-dump cleaner; then date and language."""
    if doc.html is not None:
        with stage(times, "extract"):
            doc = clean_html(doc, config)
    else:
        doc = clean_text_dump(doc, config.text, templates)
    return replace(
        doc,
        published=normalise_date(doc.published),
        language=(doc.language or detect_language(doc.text) or None),
    )


def clean_html(doc: Document, config: CleanConfig = CleanConfig()) -> Document:
    """Extraction (one parse: kind of page, text, metadata, visible lines) plus the text pass where the kind wants
    it, with what extraction left out of the page's visible text recorded as spans; when extraction keeps far less
    than that visible text cleaned as a dump (a failed extraction), the dump cleaning is used instead, with the
    extraction's metadata."""
    cap = cap_tags if config.html.fast else cap_markup  # lexbor takes any blob, but not any tag, in its stride
    page = extract_page(replace(doc, html=cap(doc.html or "")), config.html)
    extracted = page.doc
    as_dump = replace(config.text, find_body=True)  # a page's text, whatever `find_body` says of the text inputs
    if page.text_pass == "chrome":
        extracted = without_chrome_lines(extracted)
    elif page.text_pass == "full":  # cleaned as a dump is, but for its title and dateline, which the markup gave
        extracted = clean_text_dump(extracted, replace(as_dump, headline_lines=False))
    else:  # "rules": the text is already the page's body
        extracted = clean_text_dump(extracted, replace(config.text, find_body=False))
    extracted = without_later_copies(extracted, config.text.prose_long_words)
    words = word_count(extracted.text)
    # the cleaner only removes lines, so the visible text cleaned holds at most the visible text's words: it is
    # cleaned only when those could outnumber the extraction's enough for the fallback
    if words < config.html.fallback_below_words and words < config.html.fallback_ratio * word_count(page.visible):
        flat = clean_text_dump(replace(doc, html=None, text=page.visible), as_dump)
        if words < config.html.fallback_ratio * word_count(flat.text):
            return replace(flat, title=extracted.title or flat.title, published=extracted.published or flat.published,
                           source=extracted.source or flat.source, author=extracted.author or flat.author,
                           url=extracted.url, language=extracted.language, page_kind=extracted.page_kind)
    return replace(extracted, removed=extracted.removed + not_extracted(page.visible, extracted.text))


def without_later_copies(doc: Document, min_words: int) -> Document:
    """The text without the later copies of its paragraphs (clean/textdump.py later_copies), as repeated lines."""
    lines = doc.text.split("\n")
    keys = [line_key(line) for line in lines]
    shown = Counter(keys)  # only a line shown more than once can be a later copy: only those lines' words counted
    copies = later_copies([(key, word_count(line) if shown[key] > 1 else 0) for key, line in zip(keys, lines)],
                          min_words)
    if not copies:
        return doc
    gone = set(copies)
    removed = [RemovedSpan(text=lines[i].strip(), reason="repeated_line", line=i + 1) for i in copies]
    return replace(doc, text="\n".join(ln for i, ln in enumerate(lines) if i not in gone).strip(),
                   removed=doc.removed + removed)


def without_chrome_lines(doc: Document) -> Document:
    """The text without the lines that line rules the cleaner's training data shows precise mark as chrome wherever
    they stand (interface text, consent sentences, copyright footers, image placeholders, comment prompts): the
    light text pass for kinds of page whose short lines are content (a forum's, a listing's)."""
    hard = default_model().hard_rules
    kept, removed = [], []
    for i, line in enumerate(doc.text.split("\n"), start=1):
        reason = line_reason(line)
        if reason in hard:
            removed.append(RemovedSpan(text=line.strip(), reason=reason, line=i))
        else:
            kept.append(line)
    return replace(doc, text="\n".join(kept).strip(), removed=doc.removed + removed) if removed else doc


def not_extracted(visible: str, kept: str) -> list[RemovedSpan]:
    """Lines of a page's visible text that are not in the extracted text, as spans (reason html_boilerplate). A line
    with a word the extracted text lacks is out, and one that is a line of it is in, without searching the text
    for it (a search a line made pages of many lines quadratic: 35,000 lines, 3 s). No visible text (the fast mode
    keeps it only for short extractions): nothing to record."""
    if not visible.strip():
        return []
    words_kept = kept.casefold().split()
    kept_key, kept_words = " ".join(words_kept), set(words_kept)  # the extracted text as one line, and its words
    kept_lines = set(map(line_key, kept.split("\n")))
    spans = []
    for i, (line, folded) in enumerate(zip(visible.split("\n"), visible.casefold().split("\n")), start=1):
        words = folded.split()
        if not words:
            continue
        if kept_words.issuperset(words):  # most visible lines are out for a word alone: no key for those
            key = " ".join(words)
            if key in kept_lines or key in kept_key:
                continue
        spans.append(RemovedSpan(text=line.strip(), reason="html_boilerplate", line=i))
    return spans


def source_key(doc: Document) -> str:
    """The group a document's site template is learned in: its URL's host, else its folder."""
    if doc.url:
        host = urlsplit(doc.url).hostname or ""
        return host.removeprefix("www.")
    return str(Path(doc.path or "").parent)


def batch_templates(docs: list[Document], config: CleanConfig = CleanConfig(),
                    skip: Collection[int] = ()) -> dict[int, frozenset[str]]:
    """Site templates learned over a batch (but its documents at the indices skip): document index -> the template
    lines of its source."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        if doc.html is None and i not in skip:
            groups[source_key(doc)].append(i)
    templates: dict[int, frozenset[str]] = {}
    for members in groups.values():
        if len(members) >= config.templates.min_pages:
            learned = template_lines([docs[i].text for i in members], config.templates, config.text)
            templates.update(dict.fromkeys(members, learned))
    return templates


def ready_to_clean(doc: Document, config: TextCleanConfig = TextCleanConfig()) -> Document:
    """A text dump as the cleaner reads it (clean/markup.py): a reader service's header and a Markdown file's front
    matter read into the metadata not given yet, the link markup of text browsers and Markdown taken out, all of it
    recorded; hard-wrapped paragraphs joined. HTML pages as they are. Line numbers of the spans removed then count
    the joined lines."""
    if doc.html is not None or not (config.reflow or config.link_markup):
        return doc
    for header in (reader_header, front_matter) if config.link_markup else ():
        text, fields, spans = header(doc.text)
        if fields:
            doc = replace(doc, text=text, removed=doc.removed + spans,
                          **{name: getattr(doc, name) or value for name, value in fields.items()})
    text, spans = prepare_dump(doc.text, config.reflow, config.link_markup)
    return doc if text is doc.text else replace(doc, text=text, removed=doc.removed + spans)


def clean_documents(docs: list[Document], config: CleanConfig = CleanConfig()) -> list[Document]:
    """Clean a batch of documents; text dumps of one source share a site template learned over the batch (a failure
    raises: clean_loaded records it instead)."""
    docs = [ready_to_clean(d, config.text) for d in docs]
    templates = batch_templates(docs, config)
    return [clean_document(d, config, templates.get(i, frozenset())) for i, d in enumerate(docs)]


def read_input(path: str, config: ReadConfig = ReadConfig(), known: frozenset[tuple[str, str]] = frozenset()) -> Loaded:
    """read_path, with any failure of the reader itself recorded against the input instead of raised."""
    try:
        return read_path(path, config, known)
    except Exception as exc:
        return read_failure(path, exc)


def load_and_clean(paths: list[str], config: CleanConfig = CleanConfig(), known: frozenset[tuple[str, str]] = frozenset()) -> list[Loaded]:
    """Read inputs and clean all their documents together (the unit of work of a flow batch)."""
    return clean_loaded([read_input(p, config.read, known) for p in paths], config)


def clean_stream(paths: list[str], config: CleanConfig = CleanConfig(), piece_chars: int = 4_000_000,
                 max_inputs: int | None = None) -> Iterator[Loaded]:
    """Read and clean inputs about piece_chars characters of documents (and at most max_inputs inputs) at a time,
    in input order (site templates are learned per piece), so memory follows the piece and the largest document,
    not the input."""
    pending: list[Loaded] = []
    chars = inputs = 0
    for path in paths:
        inputs += 1
        for piece in _read_lazily(path, config.read, piece_chars):
            pending.append(piece)
            chars += sum(len(d.html or d.text) for d in piece.documents)
            if chars >= piece_chars or (max_inputs is not None and inputs >= max_inputs):
                yield from clean_loaded(pending, config)
                pending, chars, inputs = [], 0, 0
    yield from clean_loaded(pending, config)


def clean_inputs(paths: list[str], config: CleanConfig = CleanConfig()) -> list[Loaded]:
    """clean_stream over paths, all of it (a worker's batch: it reads and cleans piece by piece, and returns the
    cleaned documents, which no longer hold their raw HTML)."""
    return list(clean_stream(paths, config))


def _read_lazily(path: str, config: ReadConfig, piece_chars: int) -> Iterator[Loaded]:
    """read_pieces, with a failure, even half-way through the file, recorded against the input instead of raised."""
    try:
        yield from read_pieces(path, config, piece_chars=piece_chars)
    except Exception as exc:
        yield read_failure(path, exc)


def clean_loaded(loaded: list[Loaded], config: CleanConfig = CleanConfig(), times: StageTimes | None = None) -> list[Loaded]:
    """Clean the documents of inputs read together, with site templates learned over them; a document whose
    preparation or cleaning fails becomes an error row of its input, and the others go on."""
    failed: dict[int, Exception] = {}
    docs = []
    for doc in (d for item in loaded for d in item.documents):
        try:
            doc = ready_to_clean(doc, config.text)
        except Exception as exc:
            failed[len(docs)] = exc
        docs.append(doc)
    templates = batch_templates(docs, config, skip=failed.keys())
    index = 0
    for item in loaded:
        kept = []
        for doc in docs[index:index + len(item.documents)]:
            exc = failed.get(index)
            if exc is None:
                try:
                    kept.append(clean_document(doc, config, templates.get(index, frozenset()), times))
                except Exception as cleaning_failed:
                    exc = cleaning_failed
            if exc is not None:
                item.errors.append(InputError(location=doc.path or doc.url or item.raw.location, kind="clean_failed",
                                              record=doc.record or None, input_id=doc.input_id,
                                              message=f"cleaning failed: {type(exc).__name__}: {exc}"))
            index += 1
        item.documents = kept
        item.update_status()
    return loaded


def batch_failed(paths: list[str], exc: BaseException) -> list[InputError]:
    """Error rows for every input of a batch that failed as a whole (after its retry)."""
    return [InputError(location=shown_path(p), kind="batch_failed",
                       message=f"the batch holding this input failed twice: {type(exc).__name__}: {exc}") for p in paths]


@dataclass(slots=True)
class Batch:
    """Inputs read and cleaned together, with their documents' content hashes, MinHash signatures and the seconds
    each stage took."""

    loaded: list[Loaded]
    hashes: dict[str, str]
    signatures: dict[str, bytes]
    times: dict[str, float] = field(default_factory=dict)
    word_counts: dict[str, int] = field(default_factory=dict)  # counted on the worker: the writer has enough to do


def prepare_batch(
    paths: list[str],
    config: CleanConfig = CleanConfig(),
    dedup: DedupConfig = DedupConfig(),
    known: frozenset[tuple[str, str]] = frozenset(),
) -> Batch:
    """Read, clean and sign a batch of inputs (CPU work that a task runner can spread over workers)."""
    times = StageTimes()
    with times.stage("read"):
        loaded = [read_input(p, config.read, known) for p in paths]
    with times.stage("clean"):
        clean_loaded(loaded, config, times)
    hashes: dict[str, str] = {}
    signatures: dict[str, bytes] = {}
    word_counts: dict[str, int] = {}
    with times.stage("sign"):
        for item in loaded:
            for doc in item.documents:
                hashes[doc.doc_id] = content_hash(doc.text)
                word_counts[doc.doc_id] = doc.word_count
                sig = signature(doc.text, dedup)
                if sig is not None:
                    signatures[doc.doc_id] = sig
                if not doc.text.strip():
                    item.errors.append(InputError(location=doc.path or doc.url or "", kind="no_text", record=doc.record or None,
                                                  message="no article text was left after extraction/cleaning", input_id=doc.input_id))
            item.update_status()
    return Batch(loaded=loaded, hashes=hashes, signatures=signatures, times=dict(times), word_counts=word_counts)


def ingest_batch(store: Store, batch: Batch, run_id: str, dedup: DedupConfig = DedupConfig(),
                 times: StageTimes | None = None) -> dict[str, int]:
    """Deduplicate a batch against the store and write it in one transaction.

    Only the stored documents that share a content hash or an LSH band key with the batch are loaded (their
    signatures were stored by earlier runs), so the cost follows the batch, not the corpus.
    """
    with stage(times, "dedup"):
        fresh, docs, signed, bands, matches = _dedup_batch(store, batch, dedup)
    with stage(times, "store"):
        added = store.write_batch(
            run_id,
            raws=[it.raw for it in fresh],
            docs=docs,
            errors=[e for it in fresh for e in it.errors],
            hashes=batch.hashes,
            duplicates={k: (m.duplicate_of, m.similarity) for k, m in matches.items()},
            signatures={k: batch.signatures[k] for k in signed},
            sig_params=(dedup.num_perm, dedup.shingle, dedup.seed),
            bands=bands,
            word_counts=batch.word_counts,
        )
    added["inputs_seen"] = len(batch.loaded)
    added["inputs_read"] = sum(1 for it in batch.loaded if it.skipped or it.raw.status != "error")
    added["duplicates"] = sum(1 for d in docs if d.doc_id in matches)
    added["kept_chars"] = sum(len(d.text) for d in docs)
    added["removed_chars"] = sum(len(s.text) for d in docs for s in d.removed)
    return added


def _dedup_batch(store: Store, batch: Batch, dedup: DedupConfig):
    """The batch's fresh inputs, their documents, the signed ones, their LSH band rows and their duplicate matches."""
    def words(doc: Document) -> int:
        return batch.word_counts[doc.doc_id] if doc.doc_id in batch.word_counts else doc.word_count

    fresh = [it for it in batch.loaded if not it.skipped]
    docs = [d for it in fresh for d in it.documents]
    signed = [d.doc_id for d in docs if d.doc_id in batch.signatures]
    keys = band_keys(np.stack([unpack(batch.signatures[i])[0] for i in signed]), dedup) if signed else np.empty((0, dedup.bands), np.int64)
    bands = pa.table({
        "band": pa.array(np.tile(np.arange(dedup.bands, dtype=np.int16), len(signed)), pa.int16()),
        "key": pa.array(keys.reshape(-1), pa.int64()),
        "doc_id": pa.array(np.repeat(np.array(signed, dtype=object), dedup.bands) if signed else [], pa.string()),
    })
    index = DedupIndex(dedup)
    index.add_many([(doc_id, chash, bytes(sig) if sig is not None else None, canonical) for doc_id, chash, sig, canonical
                    in store.dedup_neighbours([batch.hashes[d.doc_id] for d in docs], bands.select(["band", "key"]))])
    candidates = [
        Candidate(d.doc_id, batch.hashes[d.doc_id], batch.signatures.get(d.doc_id),
                  canonical_rank(words(d), d.published, d.format, d.doc_id))
        for d in docs if d.text.strip()
    ]
    return fresh, docs, signed, bands, index.assign(candidates)


def unread_inputs(paths: list[str], known: frozenset[tuple[str, str]]) -> list[str]:
    """The inputs not stored yet with their present content (hashed here, cheaply, so stored ones cost no task);
    a file that cannot be hashed stays in, for its reader to record why."""
    unread = []
    for path in paths:
        try:
            sha, _ = file_sha256(path)
        except OSError:
            sha = ""
        if (shown_path(path), sha) not in known:
            unread.append(path)
    return unread


def unread_in_store(store: Store, paths: list[str]) -> list[str]:
    """The inputs the store does not hold yet with their present content (stored under their shown names)."""
    return unread_inputs(paths, store.known_inputs([shown_path(p) for p in paths]))


def run_if_nothing_new(paths: list[str], db: str, wait: float, args: dict) -> dict | None:
    """When every input is already stored with its present content, log the run and return its summary without
    starting any machinery (no Prefect, no workers); else None, and the caller runs the flow."""
    started = time.perf_counter()
    if not Path(db).is_file():
        return None
    with run_lock(db, wait):
        with Store(db, read_only=True, wait=wait) as store:
            unread = unread_in_store(store, paths)
        if unread:
            return None
        run_id = uuid.uuid4().hex[:16]
        summary = {"run_id": run_id, "db": db, "inputs_seen": len(paths), "inputs_read": len(paths), "inputs_new": 0,
                   "documents_new": 0, "duplicates_new": 0, "errors_new": 0, "removed_spans_new": 0, "removed_share": 0.0,
                   "workers": "none: nothing new to read"}
        with Store(db, wait=wait) as store:
            store.start_run(run_id, args)
            summary["flow_seconds"] = round(time.perf_counter() - started, 2)
            summary["stage_seconds"] = {k: round(time.perf_counter() - started, 2) if k == "list" else 0.0 for k in STAGES}
            store.finish_run(run_id, summary)
            summary["totals"] = store.counts()
    return summary


def warm_up() -> None:
    """Import and load what cleaning needs (extractor, models) by cleaning two tiny documents, so that a worker
    process started ahead of a run does it while the run starts, not on its first batch."""
    text = "A short sample sentence for the cleaner to read, long enough to be a line of prose.\n"
    clean_document(Document(text=text * 3))
    clean_document(Document(text="", html=f"<html><body><article><p>{text * 3}</p>"
                                          "<p>Last updated: 3 March 2021</p></article></body></html>",
                            page_kind="article"))
