"""`newsclean schedule` against a real `prefect server start`: the every-minute schedule fires, runs store documents,
and a file dropped into the watched folder is picked up by the next run."""
from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import httpx
import pytest

from tests.conftest import OTHER_STORY, STORY, html_page, text_dump
from tests.flows.conftest import PREFECT, stop_group


def _runs(api: str) -> dict[str, int]:
    """Flow runs of the newsclean pipeline by state type."""
    runs = httpx.post(f"{api}/flow_runs/filter", json={"flows": {"name": {"any_": ["newsclean-pipeline"]}}}, timeout=30).json()
    states: dict[str, int] = {}
    for run in runs:
        state = (run.get("state") or {}).get("type", "NONE")
        states[state] = states.get(state, 0) + 1
    return states


def _documents(db) -> int:
    """Documents stored, or -1 while the file is missing or a run holds its lock."""
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return -1
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except duckdb.Error:
        return -1
    finally:
        con.close()


def _wait_for(done, what: str, log, limit: float = 150) -> None:
    deadline = time.monotonic() + limit
    while not done():
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
        def completed(n: int, docs: int):
            def check() -> bool:
                states = _runs(api)
                assert not {"FAILED", "CRASHED"} & set(states), f"{states}\n{log.read_text()[-4000:]}"
                assert serving.poll() is None, log.read_text()[-4000:]
                return states.get("COMPLETED", 0) >= n and _documents(db) >= docs
            return check

        _wait_for(completed(1, 1), "completed scheduled run with a stored document", log)
        (watched / "bus.txt").write_text(text_dump("New bus route", OTHER_STORY), encoding="utf-8")
        _wait_for(completed(2, 2), "second scheduled run picking up the dropped file", log)
    finally:
        stop_group(serving)
    con = duckdb.connect(str(db), read_only=True)
    paths = sorted(p.rsplit("/", 1)[-1] for (p,) in con.execute("SELECT path FROM documents").fetchall())
    con.close()
    assert paths == ["bus.txt", "water.html"]
    for command in (["flow-run", "ls"], ["artifact", "ls"]):
        out = subprocess.run([PREFECT, *command], env=prefect_server.env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "newsclean-run-summary" in out.stdout
