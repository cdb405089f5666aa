"""Command line: `newsclean run` (Prefect flow into DuckDB), `newsclean schedule` (the same on a cron schedule),
`newsclean clean` (JSON Lines, no DB), `newsclean export`."""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import replace
from itertools import chain, repeat
from pathlib import Path

from newsclean import interrupt

DEFAULT_DB = "clean/corpus.duckdb"
DEFAULT_INPUT = "raw"
EXPORT_FORMATS = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
INPUT_HINT = "give files, folders or globs of .txt, .html, .jsonl or .warc files (or their .gz)"


class UsageError(Exception):
    """newsclean was called in a way it cannot follow; the message says what to do instead."""


def _say(line: str) -> None:
    print(f"newsclean: {line}", file=sys.stderr)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _at_least(low: int):
    """An argparse type: a whole number no smaller than low."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is below {low}")
        return value
    return parse


def _nothing_to_read(specs: list[str], missing: list) -> UsageError:
    problem = missing[0].message if missing else f"no supported files in {', '.join(specs)}"
    hint = "; standard input (-) is read by `newsclean clean -`" if "-" in specs else ""
    return UsageError(f"nothing to read: {problem}; {INPUT_HINT}{hint}")


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
            "page_kind": doc.page_kind,
            "record": doc.record,
            "doc_id": doc.doc_id,
            "removed": [{"text": s.text, "reason": s.reason, "line": s.line} for s in doc.removed],
        },
        ensure_ascii=False,
    )


def cmd_clean(args: argparse.Namespace) -> int:
    """Clean inputs ("-": standard input, saved to a temporary file first) and print one JSON object per document as
    they are cleaned; errors go to stderr. One job reads and cleans piece by piece (clean_stream: a large JSONL
    export or WARC archive is never held whole); more jobs clean --batch-size batches in worker processes."""
    from newsclean.config import load_config

    config, _, _ = load_config(args.config)
    if args.fast:
        config = replace(config, html=replace(config.html, fast=True))
    if args.extracted:
        config = replace(config, text=replace(config.text, find_body=False))
    with tempfile.TemporaryDirectory(prefix="newsclean-stdin-") as tmp:
        stdin = _stdin_file(Path(tmp)) if STDIN in args.inputs else None
        return _clean(args, config, [stdin if spec == STDIN else spec for spec in args.inputs], stdin)


STDIN = "-"


def _stdin_file(folder: Path) -> str:
    """What standard input holds (`lynx -dump URL | newsclean clean -`), saved in folder under a name whose suffix
    the readers go by, the format its start shows (format_of_content); gzip-compressed input keeps its
    compression."""
    from newsclean.readers import format_of_content

    raw = folder / "stdin"
    with raw.open("wb") as f:
        shutil.copyfileobj(sys.stdin.buffer, f)
    with raw.open("rb") as f:
        compressed = f.read(2) == b"\x1f\x8b"
    try:
        with (gzip.open if compressed else open)(raw, "rb") as f:
            head = f.read(1 << 16)
    except (OSError, EOFError, zlib.error):  # a broken gzip stream: the reader of .gz text says what is wrong
        head = b""
    suffix = "." + format_of_content(head)
    named = raw.with_name("stdin" + suffix + (".gz" if compressed else ""))
    raw.rename(named)
    return str(named.resolve())  # as the readers locate it


def _as_stdin(doc, raw):
    """A document read from standard input, named "-" and identified as the readers identify any input, by
    location and content (the same input piped twice gets the same ids, whatever file held it)."""
    raw = replace(raw, location=STDIN)
    return replace(doc, path=STDIN, input_id=raw.input_id, doc_id=raw.doc_id(doc.record))


def _clean(args: argparse.Namespace, config, inputs: list[str], stdin: str | None) -> int:
    """cmd_clean's work on its inputs; the file that holds standard input, if any, is called "-" in what it
    prints."""
    from newsclean.pipeline import clean_inputs, clean_stream
    from newsclean.progress import Progress
    from newsclean.readers import expand_inputs

    paths, errors = expand_inputs(inputs)
    if not paths:
        raise _nothing_to_read(args.inputs, errors)
    out = sys.stdout
    count = 0
    jobs = max(1, args.jobs)
    size = max(1, min(args.batch_size, -(-len(paths) // jobs)))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    with Progress(len(paths), _say) as progress, ProcessPoolExecutor(jobs) if jobs > 1 else nullcontext() as pool:
        if pool:  # in input order
            stream = chain.from_iterable(pool.map(clean_inputs, batches, repeat(config)))
        else:
            stream = clean_stream(paths, config, max_inputs=args.batch_size)
        current = None  # the input whose pieces are coming: it is done when the next one starts
        for loaded in stream:
            if loaded.raw.location != current:
                progress.advance(int(current is not None), 0)
                current = loaded.raw.location
            errors.extend(loaded.errors)
            for doc in loaded.documents:
                out.write(_document_json(_as_stdin(doc, loaded.raw) if loaded.raw.location == stdin else doc) + "\n")
                count += 1
            progress.advance(0, len(loaded.documents))
        progress.advance(int(current is not None), 0)
    for err in errors:
        where = f"{STDIN if err.location == stdin else err.location}" + (f" (record {err.record})" if err.record else "")
        print(f"newsclean: {where}: {err.kind}: {err.message}", file=sys.stderr)
    print(f"newsclean: {_count(count, 'document')} from {_count(len(paths), 'input')}, {_count(len(errors), 'error')}", file=sys.stderr)
    return 0 if count or not errors else 1


def _split_inputs(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """(URLs, file specs) from the command line; raw/ when nothing is given."""
    urls = [i for i in args.inputs if i.startswith(("http://", "https://"))]
    paths = [i for i in args.inputs if i not in urls]
    if not args.inputs and not args.urls:
        paths = [DEFAULT_INPUT]
    return urls, paths


def _check_url_list(path: str) -> None:
    """Refuse a --urls file that cannot be read as text (missing, a folder, not UTF-8)."""
    from newsclean.fetch.crawl import read_url_file

    try:
        read_url_file(path)
        return
    except FileNotFoundError:
        why = "no such file"
    except IsADirectoryError:
        why = "it is a folder"
    except UnicodeDecodeError:
        why = "it is not UTF-8 text"
    except OSError as exc:
        why = exc.strerror or str(exc)
    raise UsageError(f"cannot read the URL list {path}: {why}; give --urls a file of URLs, one a line")


def _check_run_args(args: argparse.Namespace, urls: list[str], paths: list[str], watch: bool = False) -> list[str] | None:
    """Refuse what would fail inside the flow, before the Prefect server starts: settings, URL list, inputs, database.
    Returns the input files when every input spec could be listed, else None."""
    from newsclean.config import load_config
    from newsclean.readers import expand_inputs
    from newsclean.store.duck import Store

    load_config(args.config)
    if args.urls:
        _check_url_list(args.urls)
    found, missing = expand_inputs(paths)
    if watch and missing:
        raise UsageError(f"{missing[0].location}: no such file or folder; give folders to watch or files to read")
    if not watch and not found and not urls and not args.urls:
        raise _nothing_to_read(paths, missing)
    Store(args.db, wait=args.wait).close()
    return None if missing else found


def default_workers() -> int:
    """Worker processes a run uses unless told: one per usable core; none (the run's own threads) on one core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if cores > 1 else 0


def _dask_scheduler(address: str) -> str:
    """The address of a reachable Dask scheduler (tcp://HOST:PORT), checked before any Prefect server starts."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    hint = "start one with `dask scheduler` and `dask worker tcp://HOST:8786` (see README: Scaling out)"
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if parts.scheme != "tcp" or not host or not port:
        raise UsageError(f"--dask-address {address!r} is not a scheduler address; give it as tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
    try:
        socket.create_connection((host, port), timeout=10).close()
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc.strerror or exc}); {hint}") from None
    return f"tcp://{host}:{port}"


def _flow_options(args: argparse.Namespace, urls: list[str]) -> dict:
    """The flow parameters `run` and `schedule` share, besides the inputs; checks the Dask scheduler's address."""
    if args.dask_address and args.workers is not None:
        raise UsageError("--workers and --dask-address exclude each other: the cluster at --dask-address has its own workers")
    workers = default_workers() if args.workers is None else args.workers
    address = _dask_scheduler(args.dask_address) if args.dask_address else None
    return {"db": args.db, "urls": urls, "urls_file": args.urls, "archive_dir": args.archive_dir,
            "allow_private_hosts": args.allow_private_hosts, "per_host_delay": args.per_host_delay,
            "config_file": args.config, "lock_wait": args.wait, "workers": 0 if address else workers,
            "dask_address": address}


def cmd_run(args: argparse.Namespace) -> int:
    """Run the Prefect pipeline flow into the DuckDB file; exit 1 when nothing could be read."""
    urls, paths = _split_inputs(args)
    found = _check_run_args(args, urls, paths)
    options = _flow_options(args, urls)
    files_only = found is not None and not urls and not args.urls
    if files_only and args.workers is None and len(found) <= args.batch_size:
        options["workers"] = 0  # one batch is one task, which one process does: no cluster to start
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from newsclean_flows.services import ServerError, pipeline_flow, prefect_api

    try:
        # Prefect's temporary server starts first, while the inputs are checked; a run with nothing new stops it
        with prefect_api() as api_ready:
            summary = None
            if files_only:
                from newsclean.pipeline import run_if_nothing_new

                summary = run_if_nothing_new(found, args.db, args.wait, {"inputs": paths, "urls": 0, "batch_size": args.batch_size})
            if summary is None:
                summary = pipeline_flow(inputs=paths, batch_size=args.batch_size, api=api_ready, **options)
    except ServerError as exc:
        raise UsageError(f"{exc} (check the PREFECT_* settings, or set PREFECT_API_URL to a running server)") from None
    print(json.dumps(summary, indent=2))
    logging.getLogger("prefect").setLevel(logging.WARNING)  # the temporary server's stop notice would follow our last line
    errors = summary["errors_new"]
    if not errors:
        return 0
    where = f"SELECT * FROM input_errors WHERE run_id = '{summary['run_id']}' in {args.db}"
    if summary["inputs_read"] == 0:
        print(f"newsclean: nothing could be read, {_count(errors, 'error')} recorded: {where}", file=sys.stderr)
        return 1
    print(f"newsclean: {_count(errors, 'error')} recorded: {where}", file=sys.stderr)
    return 0


def _prefect_server() -> str:
    """The API URL of a reachable Prefect server; schedules do not fire on the temporary one `run` starts."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    api = (PREFECT_API_URL.value() or "").rstrip("/")
    if not api:
        raise UsageError("schedule needs a Prefect server: run `prefect server start`, then set PREFECT_API_URL=http://127.0.0.1:4200/api")
    try:
        httpx.get(f"{api}/health", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        raise UsageError(f"cannot reach the Prefect server at {api} ({exc}); start it with `prefect server start` or fix PREFECT_API_URL") from None
    return api


def _absolute(path: str | None) -> str | None:
    """A path that still means the same file when a scheduled run starts in another folder."""
    return str(Path(path).expanduser().absolute()) if path else path


def cmd_schedule(args: argparse.Namespace) -> int:
    """Serve the pipeline as a Prefect deployment on a cron schedule until interrupted."""
    from pydantic import ValidationError

    urls, paths = _split_inputs(args)
    _check_run_args(args, urls, paths, watch=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=args.cron)
    except ValidationError:
        raise UsageError(f"--cron {args.cron!r} is not a cron expression; give five fields, e.g. --cron \"0 */6 * * *\"") from None
    api = _prefect_server()
    from newsclean_flows.deploy import serve_pipeline

    options = _flow_options(args, urls) | {"db": _absolute(args.db), "urls_file": _absolute(args.urls),
                                           "archive_dir": _absolute(args.archive_dir), "config_file": _absolute(args.config)}
    print(f"newsclean: serving newsclean-pipeline/{args.name} on {args.cron!r}; runs show at {api.removesuffix('/api')}/runs; "
          "Ctrl+C stops", file=sys.stderr)
    serve_pipeline([_absolute(p) for p in paths], args.cron, name=args.name, batch_size=args.batch_size, **options)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write canonical documents (or all, with --all) to Parquet or JSON Lines."""
    from datetime import date

    from newsclean.store.duck import Store

    fmt = args.format or EXPORT_FORMATS.get(Path(args.out).suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format of {args.out}: name it .parquet or .jsonl, or give --format parquet|jsonl")
    since = None
    if args.since:
        try:
            since = date.fromisoformat(args.since).isoformat()
        except ValueError:
            raise UsageError(f"--since {args.since!r} is not a date; give it as YYYY-MM-DD, e.g. --since 2025-01-01") from None
    if not Path(args.db).is_file():
        raise UsageError(f"no database at {args.db}; run `newsclean run` first or give --db the corpus file")
    with Store(args.db, read_only=True, wait=args.wait) as store:
        n = store.export(args.out, fmt=fmt, include_duplicates=args.all, language=args.language,
                         since=since, min_words=args.min_words)
    print(f"newsclean: wrote {_count(n, 'document')} to {args.out}", file=sys.stderr)
    return 0


def _add_pipeline_args(parser: argparse.ArgumentParser, inputs_help: str) -> None:
    """The inputs and options `run` and `schedule` share."""
    parser.add_argument("inputs", nargs="*", help=inputs_help)
    parser.add_argument("--urls", metavar="FILE", help="file of URLs (pages, sitemaps, feeds), one a line")
    parser.add_argument("--archive-dir", default="raw/fetched", help="where fetched responses are archived as WARC (default: raw/fetched)")
    parser.add_argument("--allow-private-hosts", action="store_true", help="allow requests to private, loopback and link-local addresses")
    parser.add_argument("--per-host-delay", type=float, default=None, help="seconds between requests to one host (default: 1)")
    parser.add_argument("--config", metavar="TOML", help="settings file (see README: Configuration)")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    parser.add_argument("--batch-size", type=_at_least(1), default=100, help="inputs per load-and-clean task")
    parser.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                        help="how long each write waits while another process holds the file (default: 60)")
    parser.add_argument("--workers", type=_at_least(0), default=None, metavar="N",
                        help=f"worker processes that read and clean batches (default: one per core, here {default_workers()}; "
                             "0: the run's own threads, as for files that fit one batch)")
    parser.add_argument("--dask-workers", type=_at_least(0), dest="workers", metavar="N", help="former name of --workers")
    parser.add_argument("--dask-address", metavar="tcp://HOST:PORT",
                        help="run the batches on the Dask cluster whose scheduler is there (started with `dask scheduler`)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="newsclean", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the Prefect pipeline: inputs -> clean, dedup -> DuckDB")
    _add_pipeline_args(run, f"files, folders, globs, or http(s) URLs of pages, sitemaps and feeds (default: {DEFAULT_INPUT}/)")
    run.set_defaults(func=cmd_run)

    schedule = sub.add_parser("schedule", help="serve the pipeline as a Prefect deployment on a cron schedule (needs a Prefect server)")
    _add_pipeline_args(schedule, f"as for run; folders are listed again at each run, so new files are picked up (default: {DEFAULT_INPUT}/)")
    schedule.add_argument("--cron", required=True, metavar="EXPR", help='when to run, e.g. "0 */6 * * *" (every 6 hours)')
    schedule.add_argument("--name", default="newsclean-scheduled", help="deployment name (default: newsclean-scheduled)")
    schedule.set_defaults(func=cmd_schedule)

    clean = sub.add_parser("clean", help="clean inputs to JSON Lines on stdout (no Prefect, no DB)")
    clean.add_argument("inputs", nargs="+", help="files, folders or globs; - reads standard input")
    clean.add_argument("--batch-size", type=_at_least(1), default=1000, help="at most this many inputs cleaned together (site templates are learned over them; also at most ~4 MB of documents)")
    clean.add_argument("--config", metavar="TOML", help="settings file (see README: Configuration)")
    clean.add_argument("--jobs", type=_at_least(1), default=1, help="worker processes (batches are cleaned in parallel)")
    clean.add_argument("--fast", action="store_true", help="HTML: resiliparse's main-content extraction, several times "
                       "faster than trafilatura, a little less exact (the [html] fast setting)")
    clean.add_argument("--extracted", action="store_true", help="the text inputs are already articles' text (an "
                       "extractor's output): only chrome lines and sections go, no body search (the [text] "
                       "find_body = false setting)")
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
    from newsclean.store.duck import StoreError
    from newsclean.store.locks import StoreBusy

    args = build_parser().parse_args(argv)
    if args.func is cmd_run:
        # kill, `timeout` or a service manager stop a run as Ctrl-C does: it records the interruption and stops its
        # workers and temporary server (Prefect answers SIGTERM during a flow, then sends it again to this handler)
        interrupt.install()
    try:
        return args.func(args)
    except (UsageError, ConfigError, StoreError) as exc:
        print(f"newsclean: {exc}", file=sys.stderr)
        return 2
    except StoreBusy as exc:
        print(f"newsclean: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt as exc:
        return _interrupted(terminated=isinstance(exc, interrupt.Terminated))
    except BrokenPipeError:  # `newsclean clean ... | head`: the reader stopped reading; stop quietly, as head expects
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes at exit
        return 141  # 128 + SIGPIPE, what a tool that the signal stopped reports
    except Exception:
        if interrupt.received() is None:
            raise
        # the interruption, raised inside a library that turned it into an error of its own (DuckDB: "Query
        # interrupted", when it lands during a query)
        return _interrupted(terminated=interrupt.received() == signal.SIGTERM)


def _interrupted(terminated: bool) -> int:
    """Say the run was interrupted, in one line; the exit code of the signal (128 + its number)."""
    print("newsclean: interrupted", file=sys.stderr)
    return 143 if terminated else 130


if __name__ == "__main__":
    sys.exit(main())
