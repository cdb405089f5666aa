"""Scheduled runs: the pipeline as a Prefect deployment on a cron schedule, served from this process (flow.serve).

    newsclean schedule raw/incoming --urls sources.txt --cron "0 */6 * * *"

is the command; `python -m newsclean_flows.deploy --urls-file sources.txt --cron ...` is kept as an alias of it.
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import serve  # noqa: E402
from prefect.deployments.runner import EntrypointType  # noqa: E402

from newsclean_flows.pipeline import pipeline  # noqa: E402

DEFAULT_CRON = "0 */6 * * *"
DEPLOYMENT = "newsclean-scheduled"


def build_deployment(inputs: list[str], cron: str = DEFAULT_CRON, db: str = "clean/corpus.duckdb",
                     name: str = DEPLOYMENT, **options):
    """The deployment: each run reads inputs (folders are listed again, so new files are picked up) and options'
    URLs into db; options are the flow's other parameters."""
    return pipeline.to_deployment(
        name=name,
        cron=cron,
        parameters={"inputs": inputs, "db": db, **options},
        description="Read the watched inputs and fetch the configured sources politely; clean, deduplicate and store them.",
        tags=["newsclean"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_pipeline(inputs: list[str], cron: str, db: str, **options) -> None:
    """Serve the deployment until interrupted: the Prefect server starts a run at each scheduled time."""
    serve(build_deployment(inputs, cron, db, **options))


def main() -> int:
    """The former command line, passed on to `newsclean schedule`."""
    from newsclean.cli import main as newsclean

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--urls-file", default="sources.txt")
    ap.add_argument("--cron", default=DEFAULT_CRON)
    ap.add_argument("--db", default="clean/corpus.duckdb")
    args = ap.parse_args()
    return newsclean(["schedule", "--urls", args.urls_file, "--cron", args.cron, "--db", args.db])


if __name__ == "__main__":
    sys.exit(main())
