"""Scheduled runs: the pipeline as a Prefect deployment on a cron schedule, fetching a configured source list.

    python -m newsclean_flows.deploy --urls-file sources.txt --cron "0 */6 * * *"

serves the deployment from this process (flow.serve): Prefect starts a run at each scheduled time.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from newsclean_flows.pipeline import pipeline  # noqa: E402
from prefect import serve  # noqa: E402

DEFAULT_CRON = "0 */6 * * *"


def build_deployment(urls_file: str = "sources.txt", cron: str = DEFAULT_CRON, db: str = "clean/corpus.duckdb",
                     name: str = "newsclean-scheduled"):
    """The deployment object: the pipeline fetching urls_file into db on the cron schedule."""
    return pipeline.to_deployment(
        name=name,
        cron=cron,
        parameters={"inputs": [], "urls_file": urls_file, "db": db},
        description="Fetch the configured sources politely, clean, deduplicate and store them.",
        tags=["newsclean"],
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--urls-file", default="sources.txt")
    ap.add_argument("--cron", default=DEFAULT_CRON)
    ap.add_argument("--db", default="clean/corpus.duckdb")
    args = ap.parse_args()
    serve(build_deployment(args.urls_file, args.cron, args.db))


if __name__ == "__main__":
    main()
