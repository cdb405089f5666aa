"""Run by each worker process of the run's local Dask cluster as it starts (a Dask preload)."""
from __future__ import annotations

import signal


def dask_setup(worker) -> None:
    """Leave Ctrl-C to the run: the terminal sends it to the whole process group, the run records the interruption
    and closes the cluster; a worker that took it printed a KeyboardInterrupt traceback and was killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
