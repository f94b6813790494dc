"""A real Dask cluster on 127.0.0.1 for the tests and the benchmark: `dask scheduler` and
`dask worker` processes of this environment, at free ports, without dashboards.

    with LocalDask(workers=2, folder=tmp) as dask:
        client = cluster.connect(dask.address)
        ...
        dask.kill_worker(address)      # SIGKILL the worker process (its nanny starts another)

Every process is started in a session of its own, and the whole group is ended on exit.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dlkata.kata import catalogue

BIN = Path(sys.executable).parent


class LocalDask:
    def __init__(self, workers: int, folder: Path, timeout: float = 60):
        self.n, self.folder, self.timeout = workers, Path(folder), timeout
        self.procs: list[subprocess.Popen] = []
        self.address = ""
        self.client = None

    def _start(self, args: list[str], log: str) -> subprocess.Popen:
        p = subprocess.Popen([str(BIN / "dask"), *args], stdout=(self.folder / log).open("wb"),
                             stderr=subprocess.STDOUT, start_new_session=True, cwd=self.folder,
                             env={**os.environ, "PYTHONPATH": str(catalogue.ROOT)})
        self.procs.append(p)
        return p

    def __enter__(self) -> "LocalDask":
        from distributed import Client

        self.folder.mkdir(parents=True, exist_ok=True)
        sched = self.folder / "scheduler.json"
        sched.unlink(missing_ok=True)
        try:
            self._start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(sched)], "scheduler.log")
            deadline = time.monotonic() + self.timeout
            while not (sched.exists() and sched.stat().st_size):
                if time.monotonic() > deadline:
                    raise TimeoutError((self.folder / "scheduler.log").read_text())
                time.sleep(0.1)
            for i in range(self.n):
                self._start(["worker", "--scheduler-file", str(sched), "--nworkers", "1", "--nthreads", "1",
                             "--no-dashboard", "--host", "127.0.0.1", "--local-directory",
                             str(self.folder / f"w{i}")], f"worker{i}.log")
            self.address = json.loads(sched.read_text())["address"]
            self.client = Client(self.address, timeout=self.timeout, set_as_default=False)
            self.client.wait_for_workers(self.n, timeout=self.timeout)
        except BaseException:
            self.close()
            raise
        return self

    def worker_pids(self) -> dict[str, int]:
        """Worker address -> the pid of its process (the nanny's child that runs the tasks)."""
        return self.client.run(os.getpid)

    def kill_worker(self, address: str) -> None:
        os.kill(self.worker_pids()[address], signal.SIGKILL)

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.close()
            except Exception:  # noqa: BLE001 - the scheduler may be gone already
                pass
            self.client = None
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        self.procs.clear()

    def __exit__(self, *exc) -> None:
        self.close()
