"""The newsclean pipeline as a Prefect flow: batches of inputs are read and cleaned as tasks, then
deduplicated and written to DuckDB in order, one transaction per batch. No business logic lives here."""
from __future__ import annotations

import os
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, replace

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.exceptions import TerminationSignal  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from newsclean import interrupt  # noqa: E402
from newsclean.config import load_config  # noqa: E402
from newsclean.dedup.minhash import DedupConfig  # noqa: E402
from newsclean.document import InputError  # noqa: E402
from newsclean.fetch.client import FetchConfig  # noqa: E402
from newsclean.fetch.crawl import Known, read_url_file  # noqa: E402
from newsclean.fetch.run import Fetched, fetch_urls  # noqa: E402
from newsclean.pipeline import Batch, CleanConfig, batch_failed, ingest_batch, prepare_batch, unread_in_store  # noqa: E402
from newsclean.progress import Progress  # noqa: E402
from newsclean.readers import expand_inputs  # noqa: E402
from newsclean.store.duck import LOCK_WAIT, Store  # noqa: E402
from newsclean.store.locks import StoreBusy, run_lock  # noqa: E402
from newsclean.timing import STAGES, StageTimes  # noqa: E402


# batches read and cleaned ahead of the one being stored, per worker (batches are stored in order): while one slow
# batch holds up storing, the other workers go on with those behind it; few in memory
BATCHES_AHEAD = 4


@dataclass(frozen=True, slots=True)
class RunConfig:
    """What one pipeline run needs besides its inputs."""

    clean: CleanConfig = CleanConfig()
    dedup: DedupConfig = DedupConfig()


@task(name="fetch-urls", cache_policy=NO_CACHE)
def fetch_task(urls: list[str], known: dict[str, Known], archive_dir: str, config: FetchConfig, run_id: str) -> Fetched:
    """Fetch URLs politely into a WARC archive under archive_dir; the fetcher retries what can succeed on retry."""
    return fetch_urls(urls, known, archive_dir, config, run_id)


@task(name="list-inputs", cache_policy=NO_CACHE)
def list_inputs(specs: list[str], db: str, wait: float) -> tuple[int, list[str], list[InputError]]:
    """Expand files, folders and globs; returns how many inputs there are, those not stored yet with their present
    content (only these become tasks) and the listing errors."""
    paths, errors = expand_inputs(specs)
    with Store(db, read_only=True, wait=wait) as store:
        return len(paths), unread_in_store(store, paths), errors


@task(name="load-and-clean", cache_policy=NO_CACHE, retries=1)
def load_and_clean_batch(paths: list[str], config: RunConfig) -> Batch:
    """Read, clean and sign one batch of inputs (on a worker process when the run has workers)."""
    return prepare_batch(paths, config.clean, config.dedup)


@task(name="dedup-and-store", cache_policy=NO_CACHE, retries=1)
def store_batch(db: str, batch: Batch, run_id: str, config: RunConfig, wait: float) -> tuple[dict[str, int], dict[str, float]]:
    """Deduplicate one batch against everything stored and write it in one transaction, holding the file only then;
    returns the rows added and the seconds of the dedup and store stages."""
    times = StageTimes()
    with Store(db, wait=wait) as store:
        return ingest_batch(store, batch, run_id, config.dedup, times), dict(times)


def _write(db: str, wait: float, write, *args):
    """One short write: open the file (waiting for readers), call write(store, *args), close."""
    with Store(db, wait=wait) as store:
        return write(store, *args)


def batch_runner(workers: int = 0, dask_address: str | None = None):
    """The prefect-dask task runner the load-and-clean batches go to: the Dask cluster at dask_address, else a local
    cluster of `workers` single-threaded processes; None (the flow's own thread pool) for 0 workers."""
    if not dask_address and workers <= 0:
        return None
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"})


def _runner_name(workers: int, dask_address: str | None) -> str:
    if dask_address and workers > 0:
        return f"local Dask cluster of {workers} processes"
    if dask_address:
        return f"Dask cluster at {dask_address}"
    return f"local Dask cluster of {workers} processes" if workers > 0 else "threads of the run's process"


def summary_markdown(summary: dict) -> str:
    """The run report shown as a Prefect artifact: the figures, then the seconds of each stage."""
    rows = "\n".join(f"| {k.replace('_', ' ')} | {v} |" for k, v in summary.items() if k != "stage_seconds")
    stages = "\n".join(f"| {k} | {v} |" for k, v in summary.get("stage_seconds", {}).items())
    return (f"# newsclean run {summary['run_id']}\n\n| figure | value |\n|---|---|\n{rows}\n\n"
            f"## Seconds per stage (summed over workers)\n\n| stage | seconds |\n|---|---|\n{stages}\n")


@flow(name="newsclean-pipeline", log_prints=True)
def pipeline(
    inputs: list[str] | None = None,
    db: str = "clean/corpus.duckdb",
    batch_size: int = 100,
    urls: list[str] | None = None,
    urls_file: str | None = None,
    archive_dir: str = "raw/fetched",
    allow_private_hosts: bool = False,
    per_host_delay: float | None = None,
    config_file: str | None = None,
    config: RunConfig | None = None,
    lock_wait: float = LOCK_WAIT,
    workers: int = 0,
    dask_address: str | None = None,
) -> dict:
    """(URLs -> raw WARC) + files -> clean documents -> dedup -> DuckDB, with a run summary artifact.

    Settings come from `config` (Python callers), else from the TOML `config_file`, else the defaults;
    the fetch flags given here override the file's [fetch] table. Batches are read and cleaned on the Dask
    cluster at dask_address, else on a local cluster of `workers` processes (prefect-dask), else (0) on the
    flow's threads. The flow is the only writer: it opens the file for each write only and waits up to
    lock_wait seconds for readers; one run at a time per file.
    """
    started = time.perf_counter()
    logger = get_run_logger()
    run_id = uuid.uuid4().hex[:16]
    clean_config, dedup_config, fetch_config = load_config(config_file)
    config = config or RunConfig(clean_config, dedup_config)
    fetch_config = replace(fetch_config, allow_private_hosts=allow_private_hosts or fetch_config.allow_private_hosts,
                           per_host_delay=fetch_config.per_host_delay if per_host_delay is None else per_host_delay)
    inputs = list(inputs or [])
    urls = list(urls or []) + (read_url_file(urls_file) if urls_file else [])
    with run_lock(db, lock_wait):
        interrupted = _write(db, lock_wait, Store.start_run, run_id, {"inputs": inputs, "urls": len(urls), "batch_size": batch_size})
        if interrupted:
            logger.warning("closed %d earlier run(s) left unfinished as interrupted", interrupted)
        try:
            fetched, warc = _fetch(urls, db, archive_dir, fetch_config, run_id, lock_wait) if urls else ({}, None)
            times = StageTimes()
            totals = _store_batches(inputs + ([warc] if warc else []), db, batch_size, config, run_id, lock_wait,
                                    times, batch_runner(workers, dask_address), workers)
            removed_share = totals["removed_chars"] / max(1, totals["removed_chars"] + totals["kept_chars"])
            fetched_ok = sum(fetched.get(f"fetch_{k}", 0) for k in ("new", "changed", "unchanged", "not_modified", "listing"))
            summary = {
                "run_id": run_id, "db": db, "inputs_seen": totals["inputs_seen"],
                "inputs_read": totals["inputs_read"] + fetched_ok, "inputs_new": totals["raw_inputs"],
                "documents_new": totals["documents"], "duplicates_new": totals["duplicates"],
                "errors_new": totals["input_errors"] + fetched.get("fetch_errors", 0), "removed_spans_new": totals["removed_spans"],
                "removed_share": round(removed_share, 4),
                **fetched,
                "workers": _runner_name(workers, dask_address),
                "flow_seconds": round(time.perf_counter() - started, 2),
                "stage_seconds": {k: round(times.get(k, 0.0), 2) for k in STAGES},
            }
            with Store(db, wait=lock_wait) as store:
                store.finish_run(run_id, summary)
                summary["totals"] = store.counts()
        except BaseException as exc:
            try:
                stopped = isinstance(exc, (KeyboardInterrupt, TerminationSignal))  # Ctrl-C, SIGTERM
                _write(db, lock_wait, Store.fail_run, run_id, "interrupted" if stopped else "failed")
            except Exception:
                logger.warning("could not mark run %s failed; the next run closes it as interrupted", run_id)
            raise
    logger.info("newsclean run summary: %s", summary)
    create_markdown_artifact(key="newsclean-run-summary", markdown=summary_markdown(summary), description="newsclean run summary")
    return summary


def _fetch(urls: list[str], db: str, archive_dir: str, config: FetchConfig, run_id: str, wait: float) -> tuple[dict, str | None]:
    """Fetch URLs and store what the fetch saw; returns its summary and the WARC archive to read (None if nothing new)."""
    with Store(db, read_only=True, wait=wait) as store:
        known = {u: Known(*v) for u, v in store.known_fetches().items()}
    result = fetch_task(urls, known, archive_dir, config, run_id)
    interrupt.check()
    _write(db, wait, Store.write_fetches, run_id, result.rows)
    _write(db, wait, Store.write_errors, run_id, result.errors)
    return result.summary, result.warc_path


def _store_batches(inputs: list[str], db: str, batch_size: int, config: RunConfig, run_id: str, wait: float,
                   times: StageTimes, runner=None, workers: int = 0) -> dict[str, int]:
    """Read and clean batches ahead on the task runner, store them in order as they come back (storing overlaps
    the cleaning of the batches behind); a batch failing twice becomes error rows. Inputs stored before with the
    same content are counted, not sent to a task, so a run with nothing new starts no cluster."""
    with times.stage("list"):
        seen, paths, errors = list_inputs(inputs, db, wait)
    totals = {"inputs_seen": seen - len(paths), "inputs_read": seen - len(paths), "raw_inputs": 0, "documents": 0,
              "duplicates": 0, "input_errors": 0, "removed_spans": 0, "kept_chars": 0, "removed_chars": 0}
    with times.stage("store"):
        totals["input_errors"] += _write(db, wait, Store.write_errors, run_id, errors)
    batches = [paths[i : i + batch_size] for i in range(0, len(paths), batch_size)]
    if not batches:
        return totals
    with runner if runner is not None else nullcontext():
        def submit(paths_of_batch: list[str]):
            if runner is None:
                return load_and_clean_batch.submit(paths_of_batch, config)
            return runner.submit(load_and_clean_batch, {"paths": paths_of_batch, "config": config})

        ahead = BATCHES_AHEAD * max(1, workers)
        futures = [submit(b) for b in batches[:ahead]]
        _consume(futures, batches, ahead, submit, db, config, run_id, wait, times, totals)
    return totals


def _consume(futures: list, batches: list[list[str]], ahead: int, submit, db: str, config: RunConfig, run_id: str, wait: float,
             times: StageTimes, totals: dict[str, int]) -> None:
    """Store the batches in order as their futures resolve, keeping `ahead` submitted ahead."""
    with Progress(sum(map(len, batches)), get_run_logger().info) as progress:
        for i, paths_of_batch in enumerate(batches):
            interrupt.check()  # Ctrl-C that something absorbed on its way stops the run between batches
            if i + ahead < len(batches):
                futures.append(submit(batches[i + ahead]))
            try:
                batch = futures[i].result()
                futures[i] = None  # the batch is stored below: let it go
                times.add(batch.times)
                # quoted: Prefect would otherwise walk every document and span of the batch looking for futures
                added, store_times = store_batch(db, quote(batch), run_id, config, wait)
                times.add(store_times)
                progress.advance(len(batch.loaded), sum(len(it.documents) for it in batch.loaded))
            except StoreBusy:
                raise
            except Exception as exc:
                get_run_logger().error("a batch of %d inputs failed twice and is recorded as errors: %s", len(paths_of_batch), exc)
                added = {"inputs_seen": len(paths_of_batch),
                         "input_errors": _write(db, wait, Store.write_errors, run_id, batch_failed(paths_of_batch, exc))}
                progress.advance(len(paths_of_batch), 0)
            for key in totals:
                totals[key] += added.get(key, 0)


if __name__ == "__main__":
    from newsclean_flows.services import pipeline_flow

    print(pipeline_flow(["raw"], "clean/corpus.duckdb"))
