"""Command line: `newsclean run` (Prefect flow into DuckDB), `newsclean clean` (JSON Lines, no DB), `newsclean export`."""
from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from itertools import repeat
from pathlib import Path

DEFAULT_DB = "clean/corpus.duckdb"
DEFAULT_INPUT = "raw"


def _document_json(doc) -> str:
    return json.dumps(
        {
            "path": doc.path,
            "text": doc.text,
            "title": doc.title,
            "published": doc.published,
            "source": doc.source,
            "url": doc.url,
            "language": doc.language,
            "author": doc.author,
            "format": doc.format,
            "record": doc.record,
            "doc_id": doc.doc_id,
            "removed": [{"text": s.text, "reason": s.reason, "line": s.line} for s in doc.removed],
        },
        ensure_ascii=False,
    )


@contextmanager
def _progress(total: int):
    """A progress bar on stderr when it is a terminal (rich); a no-op otherwise."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("cleaning", total=total)
        yield lambda n: progress.advance(task, n)


def cmd_clean(args: argparse.Namespace) -> int:
    """Clean inputs and print one JSON object per document; errors go to stderr."""
    from newsclean.config import load_config
    from newsclean.pipeline import load_and_clean
    from newsclean.readers import expand_inputs

    config, _, _ = load_config(args.config)
    paths, errors = expand_inputs(args.inputs)
    out = sys.stdout
    count = 0
    jobs = max(1, args.jobs)
    size = max(1, min(args.batch_size, -(-len(paths) // jobs)))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    with _progress(len(paths)) as advance, ProcessPoolExecutor(jobs) if jobs > 1 else nullcontext() as pool:
        results = pool.map(load_and_clean, batches, repeat(config)) if pool else map(load_and_clean, batches, repeat(config))
        for batch, loaded_batch in zip(batches, results):  # in input order
            for loaded in loaded_batch:
                errors.extend(loaded.errors)
                for doc in loaded.documents:
                    out.write(_document_json(doc) + "\n")
                    count += 1
            advance(len(batch))
    for err in errors:
        where = f"{err.location}" + (f" (record {err.record})" if err.record else "")
        print(f"newsclean: {where}: {err.kind}: {err.message}", file=sys.stderr)
    print(f"newsclean: {count} documents from {len(paths)} inputs, {len(errors)} errors", file=sys.stderr)
    return 0 if count or not errors else 1


def cmd_run(args: argparse.Namespace) -> int:
    """Run the Prefect pipeline flow into the DuckDB file."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from newsclean_flows.pipeline import pipeline_flow

    urls = [i for i in args.inputs if i.startswith(("http://", "https://"))]
    paths = [i for i in args.inputs if i not in urls]
    if not args.inputs and not args.urls:
        paths = [DEFAULT_INPUT]
    summary = pipeline_flow(
        inputs=paths,
        db=args.db,
        batch_size=args.batch_size,
        dask_workers=args.dask_workers,
        urls=urls,
        urls_file=args.urls,
        archive_dir=args.archive_dir,
        allow_private_hosts=args.allow_private_hosts,
        per_host_delay=args.per_host_delay,
        config_file=args.config,
    )
    print(json.dumps(summary, indent=2))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write canonical documents (or all, with --all) to Parquet or JSON Lines."""
    from newsclean.store.duck import Store

    if not Path(args.db).exists():
        print(f"newsclean: no database at {args.db}; run `newsclean run` first", file=sys.stderr)
        return 1
    with Store(args.db, read_only=True, wait=args.wait) as store:
        n = store.export(args.out, fmt=args.format, include_duplicates=args.all, language=args.language,
                         since=args.since, min_words=args.min_words)
    print(f"newsclean: wrote {n} documents to {args.out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="newsclean", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the Prefect pipeline: inputs -> clean, dedup -> DuckDB")
    run.add_argument("inputs", nargs="*", help=f"files, folders, globs, or http(s) URLs of pages, sitemaps and feeds (default: {DEFAULT_INPUT}/)")
    run.add_argument("--urls", metavar="FILE", help="file of URLs (pages, sitemaps, feeds), one a line")
    run.add_argument("--archive-dir", default="raw/fetched", help="where fetched responses are archived as WARC (default: raw/fetched)")
    run.add_argument("--allow-private-hosts", action="store_true", help="allow requests to private, loopback and link-local addresses")
    run.add_argument("--per-host-delay", type=float, default=None, help="seconds between requests to one host (default: 1)")
    run.add_argument("--config", metavar="TOML", help="settings file (see README: Configuration)")
    run.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    run.add_argument("--batch-size", type=int, default=100, help="inputs per load-and-clean task")
    run.add_argument("--dask-workers", type=int, default=0, help="run batches on a local Dask cluster of N workers")
    run.set_defaults(func=cmd_run)

    clean = sub.add_parser("clean", help="clean inputs to JSON Lines on stdout (no Prefect, no DB)")
    clean.add_argument("inputs", nargs="+")
    clean.add_argument("--batch-size", type=int, default=1000, help="inputs cleaned together (site templates are learned per batch)")
    clean.add_argument("--config", metavar="TOML", help="settings file (see README: Configuration)")
    clean.add_argument("--jobs", type=int, default=1, help="worker processes (batches are cleaned in parallel)")
    clean.set_defaults(func=cmd_clean)

    export = sub.add_parser("export", help="export documents from the DuckDB file")
    export.add_argument("out", help="output file (.parquet or .jsonl)")
    export.add_argument("--format", choices=["parquet", "jsonl"], help="default: from the file name")
    export.add_argument("--db", default=DEFAULT_DB)
    export.add_argument("--all", action="store_true", help="include duplicates (default: canonical documents only)")
    export.add_argument("--language", help="only documents in this language (ISO 639-1, e.g. en)")
    export.add_argument("--since", metavar="YYYY-MM-DD", help="only documents published on or after this date")
    export.add_argument("--min-words", type=int, default=0, help="only documents with at least this many words")
    export.add_argument("--wait", type=float, default=60.0, metavar="SECONDS", help="how long to wait while a run writes the file")
    export.set_defaults(func=cmd_export)
    return ap


def main(argv: list[str] | None = None) -> int:
    from newsclean.config import ConfigError
    from newsclean.store.locks import StoreBusy

    args = build_parser().parse_args(argv)
    if getattr(args, "format", None) is None and args.command == "export":
        args.format = "jsonl" if args.out.endswith((".jsonl", ".json")) else "parquet"
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"newsclean: {exc}", file=sys.stderr)
        return 2
    except StoreBusy as exc:
        print(f"newsclean: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
