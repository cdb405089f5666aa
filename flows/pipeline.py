"""The newsclean pipeline as a Prefect flow: batches of inputs are read and cleaned as tasks, then
deduplicated and written to DuckDB in order, one transaction per batch. No business logic lives here."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, replace

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from newsclean.config import load_config  # noqa: E402
from newsclean.dedup.minhash import DedupConfig  # noqa: E402
from newsclean.document import InputError  # noqa: E402
from newsclean.fetch.client import FetchConfig  # noqa: E402
from newsclean.fetch.crawl import read_url_file  # noqa: E402
from newsclean.fetch.run import fetch_into_store  # noqa: E402
from newsclean.pipeline import Batch, CleanConfig, ingest_batch, prepare_batch  # noqa: E402
from newsclean.progress import Progress  # noqa: E402
from newsclean.readers import expand_inputs  # noqa: E402
from newsclean.store.duck import Store  # noqa: E402


@dataclass(frozen=True, slots=True)
class RunConfig:
    """What one pipeline run needs besides its inputs."""

    clean: CleanConfig = CleanConfig()
    dedup: DedupConfig = DedupConfig()


@task(name="fetch-urls", cache_policy=NO_CACHE)
def fetch_urls(urls: list[str], db: str, archive_dir: str, config: FetchConfig, run_id: str) -> tuple[str | None, dict]:
    """Fetch URLs politely into a WARC archive under archive_dir; the fetcher retries what can succeed on retry."""
    return fetch_into_store(urls, db, archive_dir, config, run_id)


@task(name="list-inputs", cache_policy=NO_CACHE)
def list_inputs(specs: list[str], db: str) -> tuple[list[str], list[InputError], frozenset]:
    """Expand files, folders and globs, and fetch what the store already holds for them."""
    paths, errors = expand_inputs(specs)
    with Store(db) as store:
        known = store.known_inputs(paths)
    return paths, errors, known


@task(name="load-and-clean", cache_policy=NO_CACHE)
def load_and_clean_batch(paths: list[str], config: RunConfig, known: frozenset) -> Batch:
    """Read, clean and sign one batch of inputs."""
    return prepare_batch(paths, config.clean, config.dedup, known)


@task(name="dedup-and-store", cache_policy=NO_CACHE)
def store_batch(store: Store, batch: Batch, run_id: str, config: RunConfig) -> dict[str, int]:
    """Deduplicate one batch against everything stored and write it in one transaction."""
    return ingest_batch(store, batch, run_id, config.dedup)


def _task_runner(dask_workers: int):
    if dask_workers <= 0:
        return None
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(cluster_kwargs={"n_workers": dask_workers, "threads_per_worker": 1, "processes": True})


def summary_markdown(summary: dict) -> str:
    """The run report shown as a Prefect artifact."""
    rows = "\n".join(f"| {k.replace('_', ' ')} | {v} |" for k, v in summary.items())
    return f"# newsclean run {summary['run_id']}\n\n| figure | value |\n|---|---|\n{rows}\n"


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
) -> dict:
    """(URLs -> raw WARC) + files -> clean documents -> dedup -> DuckDB, with a run summary artifact.

    Settings come from `config` (Python callers), else from the TOML `config_file`, else the defaults;
    the fetch flags given here override the file's [fetch] table.
    """
    logger = get_run_logger()
    run_id = uuid.uuid4().hex[:16]
    clean_config, dedup_config, fetch_config = load_config(config_file)
    config = config or RunConfig(clean_config, dedup_config)
    inputs = list(inputs or [])
    urls = list(urls or []) + (read_url_file(urls_file) if urls_file else [])
    fetched: dict = {}
    if urls:
        fetch_config = replace(fetch_config, allow_private_hosts=allow_private_hosts or fetch_config.allow_private_hosts,
                               per_host_delay=fetch_config.per_host_delay if per_host_delay is None else per_host_delay)
        warc, fetched = fetch_urls(urls, db, archive_dir, fetch_config, run_id)
        if warc:
            inputs.append(warc)
    paths, errors, known = list_inputs(inputs, db)
    batches = [paths[i : i + batch_size] for i in range(0, len(paths), batch_size)]
    futures = [load_and_clean_batch.submit(b, config, known) for b in batches]
    totals = {"inputs_seen": 0, "inputs_read": 0, "raw_inputs": 0, "documents": 0, "duplicates": 0, "input_errors": 0,
              "removed_spans": 0, "kept_chars": 0, "removed_chars": 0}
    with Store(db) as store, Progress(len(paths), logger.info) as progress:
        store.start_run(run_id, {"inputs": inputs, "batch_size": batch_size})
        if errors:
            totals["input_errors"] += store.write_batch(run_id, [], [], errors, {}, {}, {}, (0, 0, 0))["input_errors"]
        for future in futures:
            batch = future.result()
            added = store_batch(store, batch, run_id, config)
            progress.advance(len(batch.loaded), sum(len(it.documents) for it in batch.loaded))
            for key in totals:
                totals[key] += added.get(key, 0)
        removed_share = totals["removed_chars"] / max(1, totals["removed_chars"] + totals["kept_chars"])
        fetched_ok = sum(fetched.get(f"fetch_{k}", 0) for k in ("new", "changed", "unchanged", "not_modified", "listing"))
        summary = {
            "run_id": run_id, "db": db, "inputs_seen": totals["inputs_seen"], "inputs_read": totals["inputs_read"] + fetched_ok,
            "inputs_new": totals["raw_inputs"],
            "documents_new": totals["documents"], "duplicates_new": totals["duplicates"],
            "errors_new": totals["input_errors"] + fetched.get("fetch_errors", 0), "removed_spans_new": totals["removed_spans"],
            "removed_share": round(removed_share, 4),
            **fetched,
        }
        store.finish_run(run_id, summary)
        summary["totals"] = store.counts()
    logger.info("newsclean run summary: %s", summary)
    create_markdown_artifact(key="newsclean-run-summary", markdown=summary_markdown(summary), description="newsclean run summary")
    return summary


def pipeline_flow(inputs: list[str], db: str, batch_size: int = 100, dask_workers: int = 0, **options) -> dict:
    """Run the flow, on a local Dask cluster when dask_workers > 0; options are the flow's other parameters."""
    runner = _task_runner(dask_workers)
    f = pipeline.with_options(task_runner=runner) if runner is not None else pipeline
    return f(inputs=inputs, db=db, batch_size=batch_size, **options)


if __name__ == "__main__":
    print(pipeline_flow(["raw"], "clean/corpus.duckdb"))
