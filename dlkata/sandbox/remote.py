"""The trusted side: a session with a sandboxed worker, and the proxies tests see.

`import ch05.layers` in a grading run gives a RemoteModule: its functions and classes
are proxies, calling them runs the student's code in the worker, and what comes back
is plain data (numbers, strings, numpy arrays of numeric dtype, lists, tuples, dicts)
or another proxy. A proxy never forwards ==, hash, bool or repr: a student's object
cannot claim to equal anything on this side.

Arrays are "mirrored": an array sent to the worker, or received from it, has a twin on
the other side; before each message a side sends what changed in its twins since the
last message, so in-place changes (a layer that must not modify its input, an
optimizer that updates params in place, numerical_gradient perturbing net.params['W1'])
behave as in one process. Dicts and lists passed as arguments are written back after
the call (an optimizer that replaces params[key]).
"""
from __future__ import annotations

import builtins
import collections
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import types
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import protocol as P

ROOT = str(Path(__file__).resolve().parent.parent.parent)

# Exceptions from the worker are re-raised as these builtin kinds (so that
# pytest.raises(ValueError) and the runner's NotImplementedError check still work).
SAFE_EXCEPTIONS = {name: getattr(builtins, name) for name in (
    "ArithmeticError", "AssertionError", "AttributeError", "BufferError", "EOFError",
    "FloatingPointError", "ImportError", "IndexError", "KeyError", "LookupError", "MemoryError",
    "ModuleNotFoundError", "NameError", "NotImplementedError", "OSError", "OverflowError",
    "RecursionError", "RuntimeError", "StopIteration", "SyntaxError", "IndentationError", "TabError",
    "TypeError", "UnboundLocalError", "UnicodeError", "ValueError", "ZeroDivisionError")}
SAFE_WARNINGS = {name: getattr(builtins, name) for name in (
    "Warning", "UserWarning", "DeprecationWarning", "PendingDeprecationWarning", "SyntaxWarning",
    "RuntimeWarning", "FutureWarning", "ImportWarning", "UnicodeWarning", "BytesWarning", "ResourceWarning")}
# Student objects are never asked for these: pytest and inspect probe them.
BLOCKED = re.compile(r"^(__.*__|_pytest.*|pytestmark|_fixture.*)$")


class SandboxFailure(Exception):
    """The worker timed out, died, flooded its output or broke the protocol: the kata scores 0."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class RemoteError(Exception):
    """Base of exceptions raised by the student's code in the worker."""
    remote_type = "Exception"
    where = ""
    source = ""
    remote_tb = ""


_remote_classes: dict[str, type] = {}


def sandbox_path(name: str) -> str:
    """A file name reported by the worker, never a path of this machine (nothing reads it)."""
    name = str(name)[:300]
    for prefix in ("/sub/", "/given/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return "<submission>/" + name.lstrip("/")


def remote_exception(p) -> Exception:
    if not isinstance(p, dict):
        return SandboxFailure("protocol", "malformed error from the worker")
    name = str(p.get("type", "Exception"))[:100]
    msg = str(p.get("msg", ""))[:2000]
    if not name.isidentifier():
        name = "Exception"
    base = SAFE_EXCEPTIONS.get(name, Exception)
    cls = _remote_classes.get(name)
    if cls is None:
        cls = _remote_classes[name] = type(name, (RemoteError, base), {"__module__": "sandbox"})
    if issubclass(base, SyntaxError):
        exc = cls(msg)
        where = str(p.get("where", ""))
        file, _, line = where.rpartition(":")
        exc.filename, exc.lineno, exc.text, exc.msg = sandbox_path(file), int(line) if line.isdigit() else None, \
            str(p.get("source", ""))[:300], msg
    elif base is KeyError:
        exc = cls(msg)
    else:
        exc = cls(msg)
    exc.remote_type = name
    exc.where = str(p.get("where", ""))[:300]
    exc.source = str(p.get("source", ""))[:300]
    exc.remote_tb = str(p.get("tb", ""))[:2000]
    return exc


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
        from . import jail
        try:
            jail.prctl(jail.PR_SET_PDEATHSIG, signal.SIGKILL)
        except OSError:
            pass


class Zygote:
    """A clean interpreter that imported numpy once and forks a confined worker on request."""

    def __init__(self):
        a, b = socket.socketpair()
        env = {"PATH": os.defpath, "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        debug = os.environ.get("DLKATA_SANDBOX_DEBUG")
        self.proc = subprocess.Popen(
            [os.path.realpath(sys.executable), "-I", "-S", "-c", BOOT, ROOT, str(b.fileno()),
             json.dumps(python_paths())],
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
            raise SandboxFailure("setup", f"the sandbox could not start a worker: {e}") from None
        if msg != b"K" or len(fds) != 3:
            for fd in fds:
                os.close(fd)
            raise SandboxFailure("setup", "the sandbox could not start a worker")
        return fds[0], fds[1], fds[2]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()


# ====================================================================== limits and spec

@dataclass
class Limits:
    wall: float = 30.0            # seconds per kata (and for importing the modules)
    cpu: int | None = None        # CPU seconds per kata worker (default: wall, rounded up)
    memory_mb: int = 2048         # address space of the worker
    nproc: int = 16               # processes and threads of the worker's uid
    output_kb: int = 1024         # stdout+stderr beyond this kills the worker
    keep_output: int = 4000       # characters of output kept in the results
    fsize_mb: int = 16            # largest file the worker may write
    jail_mb: int = 64             # the worker's whole writable tmpfs
    nofile: int = 256

    def rlimits(self) -> dict:
        return {"memory": self.memory_mb << 20, "cpu": self.cpu or int(self.wall) + 1, "nproc": self.nproc,
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


# ====================================================================== the session

class Conn:
    def __init__(self, chan: int, out: int, rep: int):
        self.chan, self.out, self.rep = chan, out, rep
        self.reader = P.FrameReader()
        self.report = b""
        self.gpid: int | None = None
        self.workdir: str | None = None
        self.uid: int | None = None


class Session:
    """One student's worker, restarted for each kata; the proxies of that student's modules."""

    def __init__(self, zygote: Zygote, spec: Spec, limits: Limits, slot: int = 0):
        self.zygote, self.spec, self.limits, self.slot = zygote, spec, limits, slot
        self.gen = 0
        self.conn: Conn | None = None
        self.label: str | None = None
        self.deadline = 0.0
        self.events: dict[str, tuple[str, str]] = {}     # label -> (kind, message), first one wins
        self.output: dict[str, list] = {}                 # label -> [kept text, total bytes]
        self.spawned = 0
        self.depth = 0
        self.times: dict[str, float] = {}                 # label -> seconds
        self.rng_watch = P.RngWatch()
        self.started = time.monotonic()
        self.wall = limits.wall
        self._reset_generation()

    def _reset_generation(self):
        # mid -> [array, snapshot, weakref to the tests' view or None]. The array is held
        # here until a message has carried its last change and nothing else holds it: a
        # test may write into a temporary (net.params['W'][...] = v) and drop it at once.
        # An array from the worker is owned here and the tests get a view of it, so its
        # contents outlive the view; an array the tests made is theirs (no view).
        self.mirrors: dict[int, list] = {}
        self.mirror_of: dict[int, int] = {}         # id(the tests' array or view) -> mid
        self.next_mid = 1
        self.rel_m: list[int] = []
        self.rel_h: list[int] = []
        self.proxies: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self.named_hids: set[int] = set()           # reached by a module path: never released
        self.callbacks: dict[int, object] = {}
        self.cid_of: dict[int, int] = {}
        self.next_cid = 1
        self.gobjs: dict[int, object] = {}          # grader objects the worker drives (strong refs)
        self.gid_of: dict[int, int] = {}
        self.next_gid = 1
        self.rng_last: bytes | None = None          # np.random's state as the worker last had it
        # A Path the tests pass names a file in the worker's own folder; its contents are
        # copied in before each message and back after (a test saves params to tmp_path).
        self.files: dict[int, list] = {}            # fid -> [host path, signature]
        self.fid_of: dict[str, int] = {}
        self.err_last: dict | None = None

    # ------------------------------------------------------------ lifecycle

    def begin(self, label: str, wall: float | None = None) -> None:
        """Start a new phase (a kata, or "collect"): a fresh worker and a fresh clock.

        The worker that imported the modules for collection (and did nothing else) goes
        on to serve the first kata: one start less per submission."""
        if not (self.label == "collect" and self.conn is not None and "collect" not in self.events
                and label != "done"):
            self.stop()
        elif self.conn is not None:
            self._drain_output(self.conn)
        now = time.monotonic()
        if self.label is not None:
            self.times[self.label] = self.times.get(self.label, 0.0) + now - self.started
        self.label = label
        self.started = now
        self.wall = wall or self.limits.wall
        self.deadline = now + self.wall
        self.output.setdefault(label, ["", 0])

    def failed(self, label: str | None = None) -> tuple[str, str] | None:
        return self.events.get(label or self.label)

    def ensure(self) -> Conn:
        if self.conn is not None:
            return self.conn
        ev = self.events.get(self.label)
        if ev is not None:
            raise SandboxFailure(*ev)
        self.spawned += 1
        self.gen += 1
        self._reset_generation()
        spec, lim = self.spec, self.limits
        req = {"op": "spawn", "mode": spec.mode, "uid": spec.uid_base + self.slot * 1000 + self.spawned % 1000,
               "limits": lim.rlimits(), "stage": spec.stage, "given": spec.given, "chapters": spec.chapters,
               "binds": spec.binds, "links": spec.links, "jail_mb": lim.jail_mb}
        req["gid"] = req["uid"]
        workdir = None
        if spec.mode == "plain":
            import tempfile
            workdir = tempfile.mkdtemp(prefix="dlkata-work-", dir=spec.workdir_parent)
            req["workdir"] = workdir
        chan, out, rep = self.zygote.spawn(req)
        conn = Conn(chan, out, rep)
        conn.workdir = workdir
        conn.uid = req["uid"]
        for fd in (chan, out, rep):
            os.set_blocking(fd, False)
        self.conn = conn
        self.deadline = time.monotonic() + self.wall   # the clock runs once the worker is up
        return conn

    def stop(self) -> None:
        """End the current worker and everything it started; keep its output."""
        conn = self.conn
        if conn is None:
            return
        self.conn = None
        self._drain_output(conn)
        self._kill(conn)
        self._read_report(conn, wait=5.0)
        for fd in (conn.chan, conn.out, conn.rep):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        if conn.workdir:
            import shutil
            shutil.rmtree(conn.workdir, ignore_errors=True)

    def _kill(self, conn: Conn) -> None:
        self._read_report(conn, wait=0.0)
        if conn.gpid is None:
            self._read_report(conn, wait=2.0, until_pid=True)
        if conn.gpid is None:
            return
        try:
            os.kill(conn.gpid, signal.SIGKILL)     # namespace modes: PID 1 of the worker's namespace
        except (ProcessLookupError, PermissionError):
            pass
        if self.spec.mode == "plain":              # plain mode: the worker's process group,
            try:                                   # and as root every process of its uid
                os.killpg(conn.gpid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            if os.geteuid() == 0 and conn.uid:
                from . import jail
                jail.kill_uid(conn.uid, conn.uid)

    def _read_report(self, conn: Conn, wait: float, until_pid: bool = False) -> None:
        end = time.monotonic() + wait
        while conn.rep is not None:
            try:
                data = os.read(conn.rep, 4096)
            except BlockingIOError:
                data = None
            if data == b"":
                os.close(conn.rep)
                conn.rep = None
                break
            if data:
                conn.report += data
                self._parse_pid(conn)
                if until_pid and conn.gpid is not None:
                    break
                continue
            left = end - time.monotonic()
            if left <= 0:
                break
            select.select([conn.rep], [], [], left)
        self._parse_pid(conn)

    @staticmethod
    def _parse_pid(conn: Conn) -> None:
        if conn.gpid is None:
            m = re.search(rb"^G (\d+)$", conn.report, re.M)
            if m:
                conn.gpid = int(m.group(1))

    def close(self) -> None:
        self.begin("done")
        self.stop()

    # ------------------------------------------------------------ failures

    def fail(self, kind: str, message: str):
        """Record why this phase scores zero, end the worker, raise."""
        self.events.setdefault(self.label, (kind, message))
        self.stop()
        raise SandboxFailure(kind, message)

    def _died(self, conn: Conn):
        self._drain_output(conn)
        self._read_report(conn, wait=5.0)
        text = conn.report.decode("utf-8", "replace")
        found = {tag: int(m.group(1)) for tag in ("W", "C")
                 if (m := re.search(rf"^{tag} (-?\d+)$", text, re.M))}
        status = found.get("C") if self.spec.mode == "plain" else found.get("W")
        err = re.search(r"^E (.*)$", text, re.M)
        if err:
            self.fail("setup", "the sandbox failed to start the worker: " + err.group(1)[-600:])
        if status is None:
            self.fail("crashed", "the worker ended without a status")
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            if sig == signal.SIGXCPU:
                self.fail("cpu", f"CPU time limit ({self.limits.rlimits()['cpu']} s) exceeded")
            if sig == signal.SIGXFSZ:
                self.fail("crashed", f"file size limit ({self.limits.fsize_mb} MB) exceeded")
            if sig == signal.SIGKILL:
                self.fail("crashed", "the worker was killed (SIGKILL: out of memory or CPU time)")
            self.fail("crashed", f"the worker crashed ({name})")
        code = os.WEXITSTATUS(status)
        self.fail("exited", f"the code ended the interpreter (exit status {code}, e.g. os._exit)")

    # ------------------------------------------------------------ output

    def _output(self, data: bytes) -> None:
        rec = self.output.setdefault(self.label, ["", 0])
        rec[1] += len(data)
        if len(rec[0]) < self.limits.keep_output:
            rec[0] += data.decode("utf-8", "replace")[: self.limits.keep_output - len(rec[0])]
        if rec[1] > self.limits.output_kb << 10:
            self.fail("output", f"more than {self.limits.output_kb} KB of output")

    def _drain_output(self, conn: Conn) -> None:
        while conn.out is not None:
            try:
                data = os.read(conn.out, 65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                os.close(conn.out)
                conn.out = None
                return
            rec = self.output.setdefault(self.label, ["", 0])
            rec[1] += len(data)
            if len(rec[0]) < self.limits.keep_output:
                rec[0] += data.decode("utf-8", "replace")[: self.limits.keep_output - len(rec[0])]
            if rec[1] > (self.limits.output_kb << 10) + (1 << 20):
                return

    # ------------------------------------------------------------ frames

    def _send(self, msg: dict) -> None:
        conn = self.conn
        msg["sync"] = self._collect_sync()
        if self.files:
            updates = P.file_updates(self.files)
            if updates:
                msg["files"] = updates
        raw = self.rng_watch.changed_since(self.rng_last)
        if raw is not None:
            self.rng_last = raw
            msg["rng"] = P.rng_payload(raw)
        err = P.errstate()
        if err != self.err_last:
            self.err_last = err
            msg["err_state"] = err
        if self.rel_h:
            msg["rel_h"], self.rel_h = self.rel_h, []
        if self.rel_m:
            msg["rel_m"], self.rel_m = self.rel_m, []
        try:
            data = P.dumps(msg)
        except (TypeError, ValueError) as e:
            raise TypeError(f"cannot send this to the sandboxed code: {e}") from None
        if len(data) > P.MAX_FRAME:
            raise TypeError("too much data for one call to the sandboxed code")
        frame = len(data).to_bytes(4, "big") + data
        view = memoryview(frame)
        while view:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.fail("timeout", f"took longer than {self.limits.wall:g} s")
            rfds = [conn.out] if conn.out is not None else []
            r, w, _ = select.select(rfds, [conn.chan], [], left)
            if r:
                self._read_out(conn)
            if not w:
                continue
            try:
                n = os.write(conn.chan, view)
            except BlockingIOError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                self._died(conn)
            view = view[n:]

    def _read_out(self, conn: Conn) -> None:
        try:
            data = os.read(conn.out, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data == b"":
            os.close(conn.out)
            conn.out = None
        else:
            self._output(data)

    def _next_frame(self) -> dict:
        conn = self.conn
        while True:
            try:
                msg = conn.reader.pop()
            except P.ProtocolError as e:
                self.fail("protocol", f"the worker broke the protocol ({e})")
            if msg is not None:
                if not isinstance(msg, dict):
                    self.fail("protocol", "the worker broke the protocol (not a message)")
                return msg
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.fail("timeout", f"took longer than {self.limits.wall:g} s")
            fds = [conn.chan] + ([conn.out] if conn.out is not None else [])
            r, _, _ = select.select(fds, [], [], left)
            if conn.out is not None and conn.out in r:
                self._read_out(conn)
            if conn.chan in r:
                try:
                    data = os.read(conn.chan, 1 << 20)
                except BlockingIOError:
                    continue
                except (ConnectionResetError, OSError):
                    data = b""
                if not data:
                    self._died(conn)
                conn.reader.feed(data)

    def rpc(self, op: str, build=None) -> object:
        """Send one request (its fields built after the worker is up) and wait for the reply."""
        self.ensure()
        containers: list = []
        msg = {"op": op}
        if build is not None:
            msg.update(build(containers))
        self._send(msg)
        return self._wait_reply(containers)

    def _wait_reply(self, containers: list):
        while True:
            msg = self._next_frame()
            if "op" in msg:
                if msg.get("op") not in ("cb", "gop"):
                    self.fail("protocol", "the worker sent an unexpected request")
                self._serve_callback(msg)
                continue
            self._receive(msg)
            if "wb" in msg and containers:
                self._write_back(containers, msg["wb"])
            if "warn" in msg:
                self._warn(msg["warn"])
            if "err" in msg:
                exc = remote_exception(msg["err"])
                if isinstance(exc, RemoteError):
                    self._note_error(exc)
                raise exc
            if "ok" not in msg:
                self.fail("protocol", "the worker sent a reply without a value")
            return self._decode(msg["ok"])

    def _receive(self, msg: dict) -> None:
        """What every message from the worker carries: changed arrays, np.random's state."""
        self._apply_sync(msg.get("sync"))
        files = msg.get("files")
        if files is not None:
            if not isinstance(files, list):
                self.fail("protocol", "bad files")
            for item in files:
                if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int):
                    self.fail("protocol", "bad file")
                entry = self.files.get(item[0])
                if entry is None:
                    self.fail("protocol", "a file the tests never named")
                try:
                    P.file_write(entry, item[1])
                except (P.ProtocolError, OSError) as e:
                    self.fail("protocol", f"a bad file ({e})")
        if "rng" in msg:
            try:
                self.rng_last = P.rng_apply(msg["rng"])
            except (P.ProtocolError, ValueError, TypeError):
                self.fail("protocol", "a bad random state")

    def _warn(self, items) -> None:
        """Warnings of the student's code, raised again here (tests catch them, pytest reports them)."""
        import warnings
        if not isinstance(items, list):
            self.fail("protocol", "bad warnings")
        for item in items[:20]:
            if not (isinstance(item, list) and len(item) == 4 and all(isinstance(x, str) for x in item[:3])
                    and type(item[3]) is int):
                self.fail("protocol", "bad warning")
            cls = SAFE_WARNINGS.get(item[0], UserWarning)
            warnings.warn_explicit(item[1][:500], cls, sandbox_path(item[2]), item[3])

    def _note_error(self, exc: RemoteError) -> None:
        if exc.remote_type == "SystemExit":
            self.events.setdefault(self.label, ("exited", f"the code called sys.exit({str(exc)[:80]})"))
        elif exc.remote_type == "KeyboardInterrupt":
            self.events.setdefault(self.label, ("exited", "the code raised KeyboardInterrupt"))
        elif exc.remote_type == "MemoryError":
            self.events.setdefault(self.label, ("memory",
                                                f"out of memory (limit {self.limits.memory_mb} MB)"))

    def _serve_callback(self, msg: dict) -> None:
        """The worker calls a function the tests gave it, or uses one of their objects."""
        self.depth += 1
        try:
            if self.depth > 40:
                self.fail("protocol", "callbacks nested too deeply")
            self._receive(msg)
            containers: list = []
            args = self._decode(msg.get("args"), containers=containers)
            kwargs = self._decode(msg.get("kw"), containers=containers)
            if not isinstance(args, list) or not isinstance(kwargs, dict) \
                    or not all(isinstance(k, str) for k in kwargs):
                self.fail("protocol", "bad callback arguments")
            try:
                if msg.get("op") == "cb":
                    fn = self.callbacks.get(msg.get("cb")) if type(msg.get("cb")) is int else None
                    if fn is None:
                        self.fail("protocol", "the worker called back something it was never given")
                    reply = {"ok": self._encode(fn(*args, **kwargs))}
                else:
                    reply = {"ok": self._grader_op(msg, args, kwargs)}
            except SandboxFailure:
                raise
            except Exception as e:  # noqa: BLE001 - goes back to the student's code as an error
                text = str(e)[:500] if isinstance(e, (RemoteError, AttributeError, KeyError, IndexError)) else ""
                reply = {"err": {"type": type(e).__name__[:100], "msg": text}}
            if containers:
                try:
                    reply["wb"] = [self._encode(c) for c in containers]
                except TypeError as e:
                    reply = {"err": {"type": "TypeError", "msg": str(e)[:300]}}
            self._send(reply)
        finally:
            self.depth -= 1

    def _grader_op(self, msg: dict, args: list, kwargs: dict):
        """An operation of the student's code on an object of the tests (public names only)."""
        obj = self.gobjs.get(msg.get("g")) if type(msg.get("g")) is int else None
        if obj is None:
            self.fail("protocol", "the worker used an object it was never given")
        name = msg.get("name")
        if name in ("getattr", "setattr"):
            if not (args and isinstance(args[0], str) and args[0].isidentifier()):
                self.fail("protocol", "bad attribute name")
            attr = args[0]
            if attr.startswith("_"):
                raise AttributeError(f"{attr}: private names of the tests' objects are not reachable")
            if name == "setattr":
                if len(args) != 2 or isinstance(obj, (dict, list)):
                    raise AttributeError(attr)
                setattr(obj, attr, args[1])
                return None
            value = getattr(obj, attr)
            if callable(value) and not _grader_object_ok(value):
                if getattr(value, "__self__", None) is obj or _test_code(value):
                    return self._encode(value)   # a method of this object: called back
                raise AttributeError(f"{attr} of the tests' object is not reachable from the sandbox")
            return self._encode(value, live=True)
        if name == "getitem" and len(args) == 1:
            return self._encode(obj[args[0]], live=True)
        if name == "setitem" and len(args) == 2:
            obj[args[0]] = args[1]
            return None
        if name == "delitem" and len(args) == 1:
            del obj[args[0]]
            return None
        if name == "len" and not args:
            return len(obj)
        if name == "contains" and len(args) == 1:
            return args[0] in obj
        if name == "iter" and not args:
            return self._encode(list(obj))
        if name == "call" and callable(obj):
            return self._encode(obj(*args, **kwargs))
        raise TypeError(f"{name} is not supported on the tests' objects")

    # ------------------------------------------------------------ mirrors

    def _register_own(self, arr: np.ndarray) -> int:
        """An array of the tests, sent to the worker for the first time."""
        mid = self.next_mid
        self.next_mid += 1
        self.mirrors[mid] = [arr, P.snapshot(arr), None]
        self.mirror_of[id(arr)] = mid
        return mid

    def _adopt(self, mid: int, base: np.ndarray) -> np.ndarray:
        """An array from the worker: kept here, the tests get a view."""
        view = base.view()
        self.mirrors[mid] = [base, P.snapshot(base), weakref.ref(view)]
        self.mirror_of[id(view)] = mid
        return view

    def _twin(self, mid: int) -> np.ndarray | None:
        entry = self.mirrors.get(mid)
        if entry is None:
            return None
        if entry[2] is None:
            return entry[0]
        view = entry[2]()
        if view is None:
            view = entry[0].view()
            entry[2] = weakref.ref(view)
            self.mirror_of[id(view)] = mid
        return view

    def _mid_of(self, arr: np.ndarray) -> int | None:
        mid = self.mirror_of.get(id(arr))
        entry = self.mirrors.get(mid) if mid is not None else None
        if entry is None:
            return None
        held = entry[0] if entry[2] is None else entry[2]()
        return mid if held is arr else None

    def _collect_sync(self) -> list:
        """Changes since the last message; arrays nobody holds any more are let go of after it."""
        out = []
        for mid in list(self.mirrors):
            entry = self.mirrors[mid]
            arr = entry[0]
            b = P.snapshot(arr)
            if b != entry[1]:
                entry[1] = b
                out.append([mid, P.b64encode(b)])
            # References: the entry, `arr`, getrefcount's argument (a live view adds one).
            if sys.getrefcount(arr) <= 3:
                del self.mirrors[mid]
                self.rel_m.append(mid)
            del arr
        return out

    def _apply_sync(self, updates) -> None:
        if updates is None:
            return
        if not isinstance(updates, list):
            self.fail("protocol", "bad array updates")
        for item in updates:
            if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int
                    and isinstance(item[1], str)):
                self.fail("protocol", "bad array update")
            mid, b64 = item
            entry = self.mirrors.get(mid)
            if entry is None:
                continue  # an array this side has let go of
            arr = entry[0]
            try:
                raw = P.b64decode(b64)
            except P.ProtocolError:
                self.fail("protocol", "bad array update")
            if len(raw) != arr.nbytes:
                self.fail("protocol", "an array update of the wrong size")
            if arr.flags.writeable:
                np.copyto(arr, np.frombuffer(raw, dtype=arr.dtype).reshape(arr.shape))
            entry[1] = P.snapshot(arr)

    def _write_back(self, containers: list, wb) -> None:
        """Dicts and lists passed as arguments take the contents the call left them with."""
        if not isinstance(wb, list) or len(wb) != len(containers):
            self.fail("protocol", "bad write-back")
        for orig, enc in zip(containers, wb):
            new = self._decode(enc)
            if type(orig) is list and isinstance(new, list):
                if not _same_items(orig, new):
                    orig[:] = new
            elif isinstance(orig, dict) and isinstance(new, dict):
                if list(orig.keys()) != list(new.keys()) or not _same_items(list(orig.values()),
                                                                              list(new.values())):
                    orig.clear()
                    orig.update(new)
            else:
                self.fail("protocol", "bad write-back")

    # ------------------------------------------------------------ values

    def _encode(self, v, containers: list | None = None, depth: int = 0, live: bool = False):
        t = type(v)
        if live and (t is dict or t is list or t is collections.OrderedDict):
            return self._grader_ref(v)   # an object's dict or list: the worker changes the real one
        if v is None or t is bool or t is float or t is str or t is int:
            return v
        if isinstance(v, Proxy):
            return {"$r": v._rs_ref()}
        if isinstance(v, np.ndarray):
            if not P.sendable_dtype(v.dtype):
                raise TypeError(f"an array of dtype {v.dtype} cannot be sent to the sandboxed code")
            if v.nbytes > P.MAX_ARRAY:
                raise TypeError("an array too large for the sandboxed code")
            mid = self._mid_of(v)
            if mid is not None:
                return {"$m": mid}
            mid = self._register_own(v)
            return {"$a": [mid, *P.array_payload(v)]}
        if isinstance(v, np.generic):
            if not P.sendable_dtype(v.dtype):
                raise TypeError(f"a numpy {v.dtype} cannot be sent to the sandboxed code")
            return {"$s": P.scalar_payload(v)}
        if isinstance(v, bool):
            return bool(v)
        if isinstance(v, int):
            return int(v)
        if isinstance(v, float):
            return float(v)
        if isinstance(v, str):
            return str(v)
        if isinstance(v, complex):
            return {"$c": [v.real, v.imag]}
        if v is Ellipsis:
            return {"$E": 0}
        if depth > P.MAX_DEPTH:
            raise TypeError("a value nested too deeply for the sandboxed code")
        d = depth + 1
        if isinstance(v, list):
            if containers is not None:
                containers.append(v)
            return [self._encode(x, containers, d) for x in v]
        if isinstance(v, tuple):
            return {"$t": [self._encode(x, containers, d) for x in v]}
        if isinstance(v, dict):
            if containers is not None:
                containers.append(v)
            tag = "$od" if isinstance(v, collections.OrderedDict) else "$d"
            return {tag: [[self._encode(k, None, d), self._encode(x, containers, d)] for k, x in v.items()]}
        if isinstance(v, frozenset):
            return {"$fset": [self._encode(x, None, d) for x in v]}
        if isinstance(v, set):
            return {"$set": [self._encode(x, None, d) for x in v]}
        if isinstance(v, slice):
            return {"$sl": [self._encode(v.start, None, d), self._encode(v.stop, None, d),
                            self._encode(v.step, None, d)]}
        if isinstance(v, os.PathLike):
            host = os.fspath(v)
            if not isinstance(host, str):
                raise TypeError("a bytes path cannot be sent to the sandboxed code")
            fid = self.fid_of.get(host)
            if fid is None:
                fid = self.fid_of[host] = len(self.files) + 1
                self.files[fid] = [host, None]     # its contents go with this message if it exists
            return {"$p": [fid, os.path.basename(host)[:100]]}
        if isinstance(v, (range, type({}.keys()), type({}.values()), type({}.items()))):
            return [self._encode(x, None, d) for x in v]
        if _grader_object_ok(v):
            return self._grader_ref(v)
        if callable(v):
            cid = self.cid_of.get(id(v))
            if cid is None or self.callbacks.get(cid) is not v:
                cid = self.next_cid
                self.next_cid += 1
                self.callbacks[cid] = v
                self.cid_of[id(v)] = cid
            return {"$cb": cid}
        raise TypeError(f"a {type(v).__name__} cannot be sent to the sandboxed code: "
                        "send plain data (numbers, strings, numpy arrays, lists, tuples, dicts) or functions")

    def _grader_ref(self, v) -> dict:
        gid = self.gid_of.get(id(v))
        if gid is None or self.gobjs.get(gid) is not v:
            gid = self.next_gid
            self.next_gid += 1
            self.gobjs[gid] = v
            self.gid_of[id(v)] = gid
        return {"$g": gid}

    def _decode(self, v, depth: int = 0, containers: list | None = None):
        """Untrusted data from the worker into fresh plain values and proxies; anything else is a violation."""
        t = type(v)
        if v is None or t is bool or t is int or t is float or t is str:
            return v
        if depth > P.MAX_DEPTH + 2:
            self.fail("protocol", "a value nested too deeply")
        d = depth + 1
        if t is list:
            out_l: list = []
            if containers is not None:
                containers.append(out_l)
            out_l.extend(self._decode(x, d, containers) for x in v)
            return out_l
        if t is not dict or len(v) != 1:
            self.fail("protocol", "a malformed value")
        (tag, p), = v.items()
        try:
            if tag == "$a":
                if not (type(p) is list and len(p) == 4 and type(p[0]) is int):
                    raise P.ProtocolError("bad array")
                mid = p[0]
                if mid >= self.next_mid:
                    raise P.ProtocolError("an array id never given")
                arr = P.array_from_payload(p[1], p[2], p[3])
                known = self._twin(mid)
                if known is not None:
                    return known   # its contents arrived with the sync
                if mid in self.rel_m:
                    self.rel_m.remove(mid)   # let go of here meanwhile: a twin again
                if mid > 0:
                    self.mirrors[mid] = [arr, P.snapshot(arr), None]
                    self.mirror_of[id(arr)] = mid
                    return arr
                return self._adopt(mid, arr)
            if tag == "$m":
                arr = self._twin(p) if type(p) is int else None
                if arr is None:
                    raise P.ProtocolError("unknown array")
                return arr
            if tag == "$s":
                return P.scalar_from_payload(p)
            if tag == "$t":
                if type(p) is not list:
                    raise P.ProtocolError("bad tuple")
                return tuple(self._decode(x, d, containers) for x in p)
            if tag in ("$d", "$od"):
                if type(p) is not list:
                    raise P.ProtocolError("bad dict")
                out = {} if tag == "$d" else collections.OrderedDict()
                if containers is not None:
                    containers.append(out)
                for item in p:
                    if type(item) is not list or len(item) != 2:
                        raise P.ProtocolError("bad dict item")
                    k = self._decode(item[0], d)
                    if not _hashable(k):
                        raise P.ProtocolError("unhashable key")
                    out[k] = self._decode(item[1], d, containers)
                return out
            if tag == "$g":
                if type(p) is not int or p not in self.gobjs:
                    raise P.ProtocolError("unknown grader object")
                return self.gobjs[p]
            if tag in ("$set", "$fset"):
                if type(p) is not list:
                    raise P.ProtocolError("bad set")
                items = [self._decode(x, d) for x in p]
                if not all(_hashable(x) for x in items):
                    raise P.ProtocolError("unhashable set item")
                return set(items) if tag == "$set" else frozenset(items)
            if tag == "$c":
                if not (type(p) is list and len(p) == 2 and all(type(x) in (int, float) for x in p)):
                    raise P.ProtocolError("bad complex")
                return complex(p[0], p[1])
            if tag == "$sl":
                if not (type(p) is list and len(p) == 3):
                    raise P.ProtocolError("bad slice")
                parts = [self._decode(x, d) for x in p]
                if not all(x is None or type(x) is int for x in parts):
                    raise P.ProtocolError("bad slice")
                return slice(*parts)
            if tag == "$E":
                return Ellipsis
            if tag == "$cb":
                if type(p) is not int or p not in self.callbacks:
                    raise P.ProtocolError("unknown grader function")
                return self.callbacks[p]
            if tag == "$h":
                if not (type(p) is list and len(p) == 4 and type(p[0]) is int and p[1] in KINDS
                        and type(p[2]) is str and (p[3] is None or type(p[3]) is str)):
                    raise P.ProtocolError("bad handle")
                return self.proxy(p[0], p[1], p[2][:80], (p[3] or "")[:120] or None)
        except P.ProtocolError as e:
            self.fail("protocol", f"the worker broke the protocol ({e})")
        except (TypeError, ValueError, RecursionError):
            self.fail("protocol", "a malformed value")
        self.fail("protocol", f"an unknown value tag {str(tag)[:20]!r}")

    def proxy(self, hid: int, kind: str, tname: str, name: str | None, path: tuple | None = None) -> "Proxy":
        p = self.proxies.get(hid)
        if p is not None:
            return p
        if hid in self.rel_h:
            self.rel_h.remove(hid)
        cls = KINDS[kind]
        if cls is RemoteModule:
            cls = RemoteObject  # modules come only through imports; a module value is an object here
        p = cls._rs_new(self, self.gen, hid, tname, name, path)
        self.proxies[hid] = p
        return p

    def release_handle(self, gen: int, hid: int) -> None:
        if gen == self.gen and self.conn is not None and hid not in self.named_hids:
            self.rel_h.append(hid)

    # ------------------------------------------------------------ operations used by proxies

    def resolve(self, module: str, attrs: tuple) -> tuple[int, str, str, str | None]:
        def build(_c):
            return {"module": module, "attrs": list(attrs)}
        v = self.rpc("resolve", build)
        if not isinstance(v, Proxy):
            raise SandboxFailure("stale", f"{module}.{'.'.join(attrs)} is no longer a function or class")
        object.__setattr__(v, "_rs_path", (module, *attrs))   # never released: it has a name
        self.named_hids.add(v._rs_hid)
        return v._rs_hid

    def import_module(self, name: str) -> int:
        v = self.rpc("import", lambda _c: {"name": name})
        if not isinstance(v, Proxy):
            self.fail("protocol", "an import did not give a module")
        object.__setattr__(v, "_rs_path", (name,))
        self.named_hids.add(v._rs_hid)
        return v._rs_hid


CHAPTER_MODULE = re.compile(r"^ch\d\d(\.|$)")
GRADED: set[str] = set()     # chapters whose code is the student's (set by install())


def _test_code(fn) -> bool:
    """Code of the grader: written in tests/, or a chapter given from the reference
    (not the one being graded), as opposed to a library's or the student's."""
    mod = getattr(fn, "__module__", None) or ""
    if mod == "tests" or mod.startswith("tests."):
        return True
    return bool(CHAPTER_MODULE.match(mod)) and mod.split(".")[0] not in GRADED


def _grader_object_ok(v) -> bool:
    """Objects the tests may hand to the student's code to be driven by method calls:
    instances of classes written in tests/ or in the given reference chapters (a trained
    SimpleConvNet for chapter 8), and numpy's random generators."""
    if isinstance(v, (np.random.Generator, np.random.RandomState, np.random.BitGenerator)):
        return True
    t = type(v)
    return not isinstance(v, type) and _test_code(t) and not callable(getattr(t, "__get__", None))


def _hashable(k) -> bool:
    try:
        hash(k)
    except TypeError:
        return False
    return True


def _same_items(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x is y:
            continue
        if type(x) is not type(y) or isinstance(x, (np.ndarray, list, dict, tuple, Proxy)):
            return False
        try:
            if not bool(x == y):
                return False
        except Exception:  # noqa: BLE001
            return False
    return True


# ====================================================================== proxies

def _blocked(name: str) -> str:
    if name in ("__code__", "__globals__", "__closure__", "__defaults__", "__wrapped__", "__func__"):
        return (f"{name}: a test looks inside the learner's code, which runs in the sandbox's worker "
                "(use dlkata.testing.python_lines, or see docs/grading.md)")
    return name


class RemoteNamespace(Mapping):
    """`obj.__dict__` of an object of the sandboxed code: its own attributes, read from the worker.

    monkeypatch (pytest 9) reads the old value from `target.__dict__` to restore it."""

    def __init__(self, proxy):
        self._p = proxy

    def __getitem__(self, name):
        if not isinstance(name, str):
            raise KeyError(name)
        try:
            return self._p._rs_op("dictget", name)
        except KeyError:
            raise KeyError(name) from None

    def __iter__(self):
        return iter(self._p._rs_op("dictkeys"))

    def __len__(self):
        return len(self._p._rs_op("dictkeys"))


class Proxy:
    """Common machinery: a handle in one generation of workers, re-resolved by path in the next."""
    __slots__ = ("_rs_session", "_rs_gen", "_rs_hid", "_rs_type", "_rs_name", "_rs_path", "__weakref__")

    @property
    def __dict__(self):
        return RemoteNamespace(self)

    @classmethod
    def _rs_new(cls, session, gen, hid, tname, name, path):
        p = object.__new__(cls)
        for k, v in (("_rs_session", session), ("_rs_gen", gen), ("_rs_hid", hid), ("_rs_type", tname),
                     ("_rs_name", name), ("_rs_path", path)):
            object.__setattr__(p, k, v)
        return p

    def _rs_ref(self) -> int:
        s = self._rs_session
        s.ensure()
        if self._rs_gen != s.gen:
            if self._rs_path is None:
                raise SandboxFailure("stale", "an object made by an earlier worker (one worker per kata: "
                                              "create objects inside the test, not at module level)")
            hid = s.resolve(self._rs_path[0], self._rs_path[1:])
            object.__setattr__(self, "_rs_gen", s.gen)
            object.__setattr__(self, "_rs_hid", hid)
            s.proxies.setdefault(hid, self)
        return self._rs_hid

    def _rs_child_path(self, name: str):
        return None if self._rs_path is None else (*self._rs_path, name)

    def __getattr__(self, name):
        if name.startswith("_rs_") or BLOCKED.match(name):
            raise AttributeError(_blocked(name))
        s = self._rs_session
        v = s.rpc("getattr", lambda _c: {"obj": {"$r": self._rs_ref()}, "name": name})
        if self._rs_path is not None and isinstance(v, (RemoteFunction, RemoteClass)) and v._rs_path is None:
            object.__setattr__(v, "_rs_path", self._rs_child_path(name))
            s.named_hids.add(v._rs_hid)
        return v

    def __setattr__(self, name, value):
        if name.startswith("_rs_") or BLOCKED.match(name):
            object.__setattr__(self, name, value)
            return
        s = self._rs_session
        s.rpc("setattr", lambda c: {"obj": {"$r": self._rs_ref()}, "name": name, "value": s._encode(value)})

    def __delattr__(self, name):
        s = self._rs_session
        s.rpc("delattr", lambda _c: {"obj": {"$r": self._rs_ref()}, "name": name})

    def _rs_op(self, op: str, *args):
        s = self._rs_session
        return s.rpc("op", lambda c: {"name": op, "args": s._encode([self, *args], c)})

    def __del__(self):
        try:
            if self._rs_path is None:
                self._rs_session.release_handle(self._rs_gen, self._rs_hid)
        except Exception:  # noqa: BLE001
            pass

    def __reduce_ex__(self, protocol):
        raise TypeError("objects of the sandboxed code cannot be pickled")

    def __copy__(self):
        return self._rs_op("copy")

    def __deepcopy__(self, memo):
        return self._rs_op("deepcopy")

    __hash__ = object.__hash__

    def __eq__(self, other):  # identity only: never the student's __eq__
        return self is other

    def __ne__(self, other):
        return self is not other


class RemoteObject(Proxy):
    """An instance living in the worker (a layer, a network...)."""
    __slots__ = ()

    def __repr__(self):
        return f"<{self._rs_type} object of the sandboxed code>"

    __str__ = __repr__

    def __bool__(self):
        raise TypeError(f"a {self._rs_type} object of the sandboxed code has no truth value here: "
                        "return plain data (a bool, a number, an array)")

    def __len__(self):
        n = self._rs_op("len")
        if type(n) is not int or n < 0:
            raise TypeError("len() gave no size")
        return n

    def __getitem__(self, key):
        return self._rs_op("getitem", key)

    def __setitem__(self, key, value):
        self._rs_op("setitem", key, value)

    def __delitem__(self, key):
        self._rs_op("delitem", key)

    def __contains__(self, key):
        v = self._rs_op("contains", key)
        if type(v) is not bool:
            raise TypeError("'in' gave no bool")
        return v

    def __iter__(self):
        it = self._rs_op("iter")
        if not isinstance(it, Proxy):
            return iter(it)
        return RemoteIterator(it)

    def __call__(self, *args, **kwargs):
        return _call(self, args, kwargs)


class RemoteIterator:
    def __init__(self, proxy: Proxy):
        self.proxy = proxy

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return self.proxy._rs_op("next")
        except StopIteration:
            raise StopIteration from None


def _call(fn: Proxy, args: tuple, kwargs: dict):
    s = fn._rs_session

    def build(c):
        ref = fn._rs_ref()
        return {"fn": {"$r": ref}, "args": s._encode(list(args), c), "kw": s._encode(dict(kwargs), c)}
    return s.rpc("call", build)


class RemoteFunction(Proxy):
    """A function (or bound method, or any callable that is not a class) of the student's code."""
    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return _call(self, args, kwargs)

    @property
    def __name__(self):
        return (self._rs_name or "?").rsplit(".", 1)[-1]

    def __repr__(self):
        return f"<function {self._rs_name} of the sandboxed code>"

    __str__ = __repr__


class RemoteClass(Proxy):
    """A class of the student's code: calling it makes an instance in the worker."""
    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return _call(self, args, kwargs)

    def __instancecheck__(self, obj):
        if not isinstance(obj, Proxy):
            return False
        return self._rs_session.rpc("op", lambda c: {"name": "isinstance",
                                                     "args": [{"$r": obj._rs_ref()}, {"$r": self._rs_ref()}]}) is True

    def __subclasscheck__(self, cls):
        if not isinstance(cls, Proxy):
            return False
        return self._rs_session.rpc("op", lambda c: {"name": "issubclass",
                                                     "args": [{"$r": cls._rs_ref()}, {"$r": self._rs_ref()}]}) is True

    @property
    def __name__(self):
        return (self._rs_name or "?").rsplit(".", 1)[-1]

    def __repr__(self):
        return f"<class {self._rs_name} of the sandboxed code>"

    __str__ = __repr__


class RemoteModule(types.ModuleType):
    """A module of the student's chapter; attributes are fetched from the worker."""

    def __init__(self, name: str, session: Session):
        super().__init__(name)
        for k, v in (("_rs_session", session), ("_rs_gen", -1), ("_rs_hid", None), ("_rs_path", (name,))):
            object.__setattr__(self, k, v)

    def _rs_ref(self) -> int:
        s = self._rs_session
        s.ensure()
        if self._rs_gen != s.gen:
            hid = s.import_module(self.__name__)
            object.__setattr__(self, "_rs_gen", s.gen)
            object.__setattr__(self, "_rs_hid", hid)
        return self._rs_hid

    def __getattr__(self, name):
        if name.startswith("_rs_") or BLOCKED.match(name):
            raise AttributeError(_blocked(name))
        s = self._rs_session
        v = s.rpc("getattr", lambda _c: {"obj": {"$r": self._rs_ref()}, "name": name})
        if isinstance(v, Proxy) and v._rs_path is None and isinstance(v, (RemoteFunction, RemoteClass)):
            object.__setattr__(v, "_rs_path", (self.__name__, name))
            s.named_hids.add(v._rs_hid)
        return v

    def __setattr__(self, name, value):
        if name.startswith("_rs_") or BLOCKED.match(name) or isinstance(value, RemoteModule):
            object.__setattr__(self, name, value)
            return
        s = self._rs_session
        s.rpc("setattr", lambda c: {"obj": {"$r": self._rs_ref()}, "name": name, "value": s._encode(value)})

    def __delattr__(self, name):
        if name.startswith("_rs_") or BLOCKED.match(name) or isinstance(self._rs_local(name), RemoteModule):
            object.__delattr__(self, name)
            return
        s = self._rs_session
        s.rpc("delattr", lambda _c: {"obj": {"$r": self._rs_ref()}, "name": name})

    @property
    def __dict__(self):
        return RemoteNamespace(self)

    def _rs_local(self, name):
        return object.__getattribute__(self, "__class__").__mro__[1].__dict__["__dict__"].__get__(self).get(name)

    def _rs_op(self, op: str, *args):
        s = self._rs_session
        return s.rpc("op", lambda c: {"name": op, "args": [{"$r": self._rs_ref()}, *s._encode(list(args), c)]})

    def __repr__(self):
        return f"<module {self.__name__!r} of the sandboxed code>"


KINDS = {"module": RemoteModule, "class": RemoteClass, "function": RemoteFunction, "object": RemoteObject}


# ====================================================================== imports

class RemoteLoader:
    def __init__(self, session: Session):
        self.session = session

    def create_module(self, spec):
        m = RemoteModule(spec.name, self.session)
        m._rs_ref()  # import it in the worker now: a syntax error is reported at import, as locally
        return m

    def exec_module(self, module):
        pass


class RemoteFinder:
    """Chapters under grading are imported from the worker; every other chapter as usual."""

    def __init__(self, session: Session, chapters: set[str]):
        self.session = session
        self.chapters = chapters
        self.loader = RemoteLoader(session)

    def find_spec(self, fullname, path=None, target=None):
        import importlib.machinery
        if fullname.split(".")[0] not in self.chapters:
            return None
        is_pkg = "." not in fullname
        spec = importlib.machinery.ModuleSpec(fullname, self.loader, is_package=is_pkg)
        if is_pkg:
            spec.submodule_search_locations = []
        return spec

    def invalidate_caches(self):
        pass


def install(session: Session, chapters: set[str]) -> RemoteFinder:
    GRADED.clear()
    GRADED.update(chapters)
    for old in [f for f in sys.meta_path if isinstance(f, RemoteFinder)]:
        sys.meta_path.remove(old)
    finder = RemoteFinder(session, chapters)
    sys.meta_path.insert(0, finder)
    for name in [m for m in sys.modules if m.split(".")[0] in chapters]:
        del sys.modules[name]
    return finder
