"""Starting workers: the clean zygote that forks confined workers, its limits, and what a worker is given."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


from dlkata.i18n import say
from dlkata.sandbox import protocol as P
from dlkata.sandbox.errors import SandboxFailure


ROOT = str(Path(__file__).resolve().parent.parent.parent)

# ====================================================================== the zygote

BOOT = ("import sys, json\n"
        "root, fd, paths = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])\n"
        "sys.path[:] = paths + [root]\n"
        "from dlkata.sandbox import worker\n"
        "worker.bootstrap(root, fd)\n")


VENV = os.path.realpath(sys.prefix) if sys.prefix != sys.base_prefix else "/nonexistent"


def python_paths() -> list[str]:
    """The interpreter's stdlib and site-packages, resolved (the jail binds these).

    Only folders inside the Python installation or the virtual environment: never the
    repository, the current folder or a script's folder."""
    prefixes = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix, sys.base_exec_prefix)}
    out = []
    for p in sys.path:
        if not p or not os.path.isdir(p):
            continue
        rp = os.path.realpath(p)
        # A virtual environment inside the repository (make's .venv) is an installation, not
        # the repository's content: its folders are bound; nothing else of the repository is.
        if (rp == ROOT or rp.startswith(ROOT + os.sep)) and not rp.startswith(VENV + os.sep):
            continue
        if not any(rp == q or rp.startswith(q + os.sep) for q in prefixes):
            continue
        if rp not in out:
            out.append(rp)
    return out


def _pdeathsig():
    if sys.platform.startswith("linux"):
        from dlkata.sandbox import jail
        try:
            jail.prctl(jail.PR_SET_PDEATHSIG, signal.SIGKILL)
        except OSError:
            pass


class Zygote:
    """A clean interpreter that imported numpy once and forks a confined worker on request."""

    def __init__(self, tmpdir: str | None = None):
        """tmpdir: where the zygote makes the folder each worker mounts its jail on (the grader's
        own work folder, removed with it), never the system's temporary folder."""
        self.tmpdir = tmpdir
        a, b = socket.socketpair()
        env = {"PATH": os.defpath, "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        if tmpdir:
            env["TMPDIR"] = tmpdir
        debug = os.environ.get("DLKATA_SANDBOX_DEBUG")
        # DLKATA_SANDBOX_TAG names this run's zygote and workers in their command line (a
        # self-check finds its own processes by it, never another run's).
        tag = [os.environ["DLKATA_SANDBOX_TAG"][:64]] if os.environ.get("DLKATA_SANDBOX_TAG") else []
        self.proc = subprocess.Popen(
            [os.path.realpath(sys.executable), "-I", "-S", "-c", BOOT, ROOT, str(b.fileno()),
             json.dumps(python_paths()), *tag],
            pass_fds=[b.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=None if debug else subprocess.DEVNULL, env=env, cwd="/", preexec_fn=_pdeathsig)
        b.close()
        self.sock = a
        self.sock.settimeout(60)

    def spawn(self, request: dict) -> tuple[int, int, int]:
        try:
            P.send_frame(self.sock.fileno(), request)
            msg, fds, _, _ = socket.recv_fds(self.sock, 1, 3)
        except (OSError, P.ProtocolError) as e:
            raise SandboxFailure("setup", say(f"サンドボックスがワーカーを起動できませんでした: {e}",
                                              f"the sandbox could not start a worker: {e}")) from None
        if msg != b"K" or len(fds) != 3:
            for fd in fds:
                os.close(fd)
            raise SandboxFailure("setup", say("サンドボックスがワーカーを起動できませんでした", "the sandbox could not start a worker"))
        return fds[0], fds[1], fds[2]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        """Closing the socket ends the zygote, which removes its jail folder; kill it if it lingers."""
        try:
            self.sock.close()
        finally:
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ====================================================================== limits and spec

@dataclass
class Limits:
    wall: float = 30.0            # seconds per kata (and for importing the modules)
    budget: float = 10.0          # seconds per kata, on average, for one whole submission (its import
                                  # counts as one more kata): budget_for(katas)
    cpu: int | None = None        # CPU seconds per kata worker (default: wall, rounded up)
    memory_mb: int = 2048         # address space of the worker
    nproc: int = 16               # processes and threads of the worker's uid
    output_kb: int = 1024         # stdout+stderr beyond this kills the worker
    keep_output: int = 4000       # characters of output kept in the results
    fsize_mb: int = 16            # largest file the worker may write
    jail_mb: int = 64             # the worker's whole writable tmpfs
    nofile: int = 256
    grader_mb: int = 2048         # address space the trusted grader of a submission may add

    def budget_for(self, katas: int) -> float:
        """Seconds for a whole submission of a chapter with this many katas (0: no budget)."""
        return self.budget * (katas + 1) if self.budget else 0.0

    def rlimits(self, budget: float = 0.0) -> dict:
        """A worker serves katas until one ends badly (Session.begin): its CPU time may add up to
        the submission's budget; each kata's wall clock is still kept by the grader."""
        cpu = self.cpu or int(self.wall) + 1
        return {"memory": self.memory_mb << 20, "cpu": max(cpu, int(budget) + 1), "nproc": self.nproc,
                "fsize": self.fsize_mb << 20, "nofile": self.nofile}


@dataclass
class Spec:
    """What a worker of one submission is given."""
    mode: str                         # root | userns | plain
    stage: str                        # folder holding the student's chapter (copied into the jail)
    given: str | None                 # folder of given chapters (read-only), or None
    chapters: dict[str, str]          # chNN -> "sub" | "given"
    binds: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    uid_base: int = 200000
    workdir_parent: str | None = None  # plain mode: where temporary working folders go


class Conn:
    def __init__(self, chan: int, out: int, rep: int):
        self.chan, self.out, self.rep = chan, out, rep
        self.reader = P.FrameReader()
        self.report = b""
        self.gpid: int | None = None
        self.workdir: str | None = None
        self.uid: int | None = None


