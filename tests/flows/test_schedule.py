"""`newsclean schedule` against a real `prefect server start`: the every-minute schedule fires, runs store documents,
and a file dropped into the watched folder is picked up by the next run."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timezone

import duckdb
import httpx
import pytest

from tests.conftest import OTHER_STORY, STORY, html_page, text_dump
from tests.flows.conftest import PREFECT, stop_group


def _completed_runs(api: str, log, after: str | None = None) -> int:
    """Completed runs of the newsclean pipeline (expected to start after `after`); a failed run fails the test."""
    flow_runs = {"expected_start_time": {"after_": after}} if after else {}
    runs = httpx.post(f"{api}/flow_runs/filter", timeout=30,
                      json={"flows": {"name": {"any_": ["newsclean-pipeline"]}}, "flow_runs": flow_runs}).json()
    states = [(run.get("state") or {}).get("type") for run in runs]
    assert not {"FAILED", "CRASHED"} & set(states), f"{states}\n{log.read_text()[-4000:]}"
    return states.count("COMPLETED")


def _wait_for(done, what: str, serving, log, limit: float = 150) -> None:
    deadline = time.monotonic() + limit
    while not done():
        assert serving.poll() is None, log.read_text()[-4000:]
        assert time.monotonic() < deadline, f"no {what} within {limit:.0f} s:\n{log.read_text()[-4000:]}"
        time.sleep(3)


@pytest.mark.server
def test_schedule_fires_and_picks_up_new_files(prefect_server, tmp_path):
    watched, db, log = tmp_path / "incoming", tmp_path / "corpus.duckdb", tmp_path / "serve.log"
    watched.mkdir()
    (watched / "water.html").write_text(html_page("Water board approves pipe plan", STORY), encoding="utf-8")
    with open(log, "w") as out:
        serving = subprocess.Popen(
            [sys.executable, "-m", "newsclean.cli", "schedule", str(watched), "--cron", "* * * * *", "--db", str(db),
             "--name", "every-minute"],
            env=prefect_server.env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    api = prefect_server.api
    try:
        _wait_for(lambda: _completed_runs(api, log) >= 1, "completed scheduled run", serving, log)
        dropped = datetime.now(timezone.utc).isoformat()
        (watched / "bus.txt").write_text(text_dump("New bus route", OTHER_STORY), encoding="utf-8")
        _wait_for(lambda: _completed_runs(api, log, after=dropped) >= 1, "scheduled run after the drop", serving, log)
    finally:
        stop_group(serving)
    # read only once the runs are over: a run cannot open the file while another process holds it
    con = duckdb.connect(str(db), read_only=True)
    paths = sorted(p.rsplit("/", 1)[-1] for (p,) in con.execute("SELECT path FROM documents").fetchall())
    con.close()
    assert paths == ["bus.txt", "water.html"]
    for command in (["flow-run", "ls"], ["artifact", "ls"]):
        out = subprocess.run([PREFECT, *command], env=prefect_server.env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "newsclean-run-summary" in out.stdout
