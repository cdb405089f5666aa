"""Flow tests use the loopback site of the fetch tests, and one real `prefect server start` per session."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fetch.conftest import site  # noqa: F401 (a fixture, shared)

PREFECT = str(Path(sys.executable).parent / "prefect")


@dataclass
class PrefectServer:
    """A Prefect server on 127.0.0.1 and the environment its clients need."""

    api: str
    env: dict
    log: Path


def stop_group(proc: subprocess.Popen) -> None:
    """End a process started in its own session, and its children: politely first."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            pass


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """`prefect server start` on a free loopback port with its own PREFECT_HOME (the scheduler runs there)."""
    home = tmp_path_factory.mktemp("prefect-home")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(home), "PREFECT_API_URL": api, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false", "PREFECT_RUNNER_POLL_FREQUENCY": "5", "COLUMNS": "200"}
    log = home / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(1)
        yield PrefectServer(api=api, env=env, log=log)
    finally:
        stop_group(proc)
