"""What a run starts beside its flow: Prefect's temporary server and the local Dask cluster, side by side and before
the flow's module (and Prefect with it) is imported, so that the server, the workers and those imports share the
cores from the start. Nothing here imports Prefect before the server has been started."""
from __future__ import annotations

import logging
import os
import random
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path


def pipeline_flow(inputs: list[str], db: str, batch_size: int = 100, workers: int = 0, dask_address: str | None = None,
                  dask_workers: int | None = None, api=None, **options) -> dict:
    """Run the flow (`newsclean_flows.pipeline.pipeline`): batches on the Dask cluster at dask_address, else on
    `workers` local processes, else on the flow's threads; dask_workers is the former name of workers. api: the
    `ready` of a prefect_api() the caller started (`newsclean run` starts it before checking its inputs), else one
    is started here. options are the flow's other parameters.

    Prefect's server and the local cluster are started beside the flow rather than inside it, first and side by
    side: the workers start and load the cleaner, and this process imports the flow, while the server starts."""
    if dask_workers is not None:
        workers = dask_workers
    params = dict(inputs=inputs, db=db, batch_size=batch_size, workers=workers, **options)
    with prefect_api() if api is None else nullcontext(api) as api_ready:
        cluster = local_cluster(workers) if workers > 0 and not dask_address else nullcontext(dask_address)
        with cluster as address:
            from newsclean_flows.pipeline import pipeline

            with api_ready():
                return pipeline(dask_address=address, **params)


class ServerError(RuntimeError):
    """Prefect's temporary server did not start (its last output says why)."""


SERVER_START_TIMEOUT = 120.0  # seconds; a fresh Prefect home migrates its database first, a busy machine is slow


@contextmanager
def prefect_api() -> Iterator:
    """The Prefect API runs report to: PREFECT_API_URL when set, else a temporary `prefect server start` (API only:
    no UI, no background services) on a free port of 127.0.0.1, stopped at exit. Yields `ready`, a context in which
    the server answers and is named in the settings, which prefect-dask passes to the tasks (so worker processes
    report to it instead of each starting a server of their own).

    The server starts at once, before Prefect is imported, while the caller does other work (checks its inputs,
    starts its workers, imports the flow), unless PREFECT_API_URL is in the environment; when Prefect's settings
    name a server in another way (a profile, a .env file), the one started is stopped unused as `ready` is
    entered. A caller that never enters `ready` (nothing new to run) stops it unused."""
    with ExitStack() as servers:
        started = None if os.environ.get("PREFECT_API_URL") else servers.enter_context(_temporary_server())

        @contextmanager
        def ready() -> Iterator[None]:
            from prefect.settings import PREFECT_API_URL, temporary_settings

            if started is None or PREFECT_API_URL.value():
                servers.close()
                yield
                return
            api_url, wait = started
            wait()
            with temporary_settings({PREFECT_API_URL: api_url}):
                try:
                    yield
                finally:
                    _send_what_is_queued()

        yield ready


def _send_what_is_queued() -> None:
    """Send the logs and events this process has queued for the API, and wait for them: the temporary server stops
    next, and what reached it too late would be retried at exit, and reported failing, for over a minute."""
    if "prefect" not in sys.modules:  # nothing was logged or sent to it (a run with nothing new)
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogHandler

    for handler in logging.getLogger("prefect").handlers:
        if isinstance(handler, APILogHandler):
            handler.flush()  # blocks until the queued logs are sent
    EventsWorker.drain_all(timeout=30)


def _port_for_a_server() -> int:
    """A free port of 127.0.0.1 for a server this run starts (the temporary Prefect server, the local Dask scheduler),
    outside the range the system hands to whatever binds "any port": such a port, picked now and bound by the
    server seconds later, could meanwhile go to a Dask worker or nanny, which bind "any port" (the server then
    failed to start, and the health checks it was sent reached Dask)."""
    try:  # Linux; other systems start theirs at 49152
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 49152
    ours = range(10_000, low) if low > 11_000 else range(0)
    for port in random.sample(ours, min(len(ours), 50)):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:  # none free there (or no room below the range): any free port
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Linux: the server's process asks for SIGTERM when the thread that started it ends (prctl PR_SET_PDEATHSIG), then
# becomes `prefect server start` (the request outlives exec): a run killed by SIGKILL or crashing, which has no chance
# to stop its server, no longer leaves it running orphaned. Started by a run that was already gone: it exits at once.
_STOPPED_WITH_ITS_STARTER = """import ctypes, os, signal, sys
ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)
os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
"""


@contextmanager
def _temporary_server() -> Iterator[tuple[str, Callable[[], None]]]:
    """A `prefect server start` process on a free port; yields its API URL and a function that waits until it
    answers (ServerError with the server's last output when it exits or does not answer in time). On Linux the
    server stops when the thread that entered this ends, however it ends (enter it from a thread that outlives the
    run: the CLI's main thread)."""
    import subprocess
    import tempfile

    port = _port_for_a_server()
    log = tempfile.TemporaryFile()
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port),
               "--no-services", "--no-ui", "--log-level", "ERROR"]
    if sys.platform.startswith("linux"):
        command = [sys.executable, "-c", _STOPPED_WITH_ITS_STARTER, str(os.getpid()), *command[1:]]
    # in a session of its own: Ctrl-C in the terminal reaches the run, which records the interruption through this
    # server and then stops it, instead of reaching the server first (the run's last reports then hung at exit)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                               start_new_session=True)
    api_url = f"http://127.0.0.1:{port}/api"

    def wait() -> None:
        import httpx

        deadline = time.monotonic() + SERVER_START_TIMEOUT
        # one client for all the polls: each new one loads the system's certificates (~50 ms of CPU), which a
        # poll every 0.1 s took from the server starting beside it
        with httpx.Client(timeout=2.0) as client:
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    if client.get(f"{api_url}/health").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        log.seek(0)
        said = log.read().decode("utf-8", "replace").strip().splitlines()[-5:]
        why = f"exited with code {process.returncode}" if process.poll() is not None else \
            f"did not answer within {SERVER_START_TIMEOUT:.0f} s"
        raise ServerError(f"the temporary Prefect server on 127.0.0.1:{port} {why}: " + " / ".join(said))

    try:
        yield api_url, wait
    finally:
        if process.poll() is None:  # what was logged since the flow ended (the cluster's close, an interruption)
            _send_what_is_queued()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def local_cluster(workers: int) -> Iterator[str]:
    """A dask.distributed LocalCluster of single-threaded worker processes on 127.0.0.1, started in the background
    (each worker loads the cleaner once up); yields its scheduler's address at once, closes the cluster at exit."""
    from distributed import Client, LocalCluster

    from newsclean.pipeline import warm_up

    logging.getLogger("distributed").setLevel(logging.WARNING)  # its start and stop notices are not the user's business
    port = _port_for_a_server()
    box: dict = {}  # the cluster, once started

    def start() -> None:
        try:
            # silence_logs: a worker's heartbeat that meets the scheduler already closed at the run's end logs a
            # traceback; task errors reach the flow through Prefect, so the workers' own log stays quiet.
            box["cluster"] = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                          scheduler_port=port, dashboard_address="127.0.0.1:0",
                                          silence_logs=logging.CRITICAL, preload=["newsclean_flows.worker_setup"])
            with Client(box["cluster"]) as client:
                client.gather([client.submit(warm_up, workers=[w], allow_other_workers=False, pure=False)
                               for w in client.scheduler_info()["workers"]])
        except Exception as exc:  # the flow then fails to connect to the cluster; this says why
            logging.getLogger("newsclean").error("the local Dask cluster did not start: %s: %s", type(exc).__name__, exc)

    starting = threading.Thread(target=start, name="newsclean-local-cluster", daemon=True)
    starting.start()
    try:
        yield f"tcp://127.0.0.1:{port}"
    finally:
        starting.join()
        if "cluster" in box:
            box["cluster"].close()
