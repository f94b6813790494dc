"""One student's worker, restarted for each kata: its lifecycle, output, frames and the operations proxies use."""
from __future__ import annotations

import os
import re
import select
import signal
import time
import weakref


from dlkata.i18n import say
from dlkata.sandbox import jail
from dlkata.sandbox import protocol as P
from dlkata.sandbox.callbacks import Callbacks
from dlkata.sandbox.codec import Codec
from dlkata.sandbox.errors import SAFE_WARNINGS, RemoteError, SandboxFailure, remote_exception, sandbox_path
from dlkata.sandbox.mirror import Mirrors
from dlkata.sandbox.proxies import Proxy
from dlkata.sandbox.zygote import Conn, Limits, Spec, Zygote


class Session(Callbacks, Mirrors, Codec):
    """One student's worker, restarted for each kata; the proxies of that student's modules."""

    def __init__(self, zygote: Zygote, spec: Spec, limits: Limits, slot: int = 0, budget: float = 0.0):
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
        # The submission's budget across its import and every kata: a student who sleeps just
        # under every limit cannot make the class wait (katas + 1) times the kata limit.
        self.budget = budget
        self.budget_end = time.monotonic() + budget if budget else float("inf")
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
        self.rgs: dict[int, list] = {}              # rid -> [the tests' Generator, state last sent]
        self.rid_of: dict[int, int] = {}            # id(Generator) -> rid
        # A Path the tests pass names a file in the worker's own folder; its contents are
        # copied in before each message and back after (a test saves params to tmp_path).
        self.files: dict[int, list] = {}            # fid -> [host path, signature]
        self.fid_of: dict[str, int] = {}
        self.err_last: dict | None = None

    # ------------------------------------------------------------ lifecycle

    def begin(self, label: str, wall: float | None = None) -> None:
        """Start a new phase (a kata, or "collect") with a fresh clock.

        A worker whose phase ended normally goes on to serve the next one, as `make test`
        runs every kata in one process (a start costs more than many a kata's tests); after
        a timeout, crash, exit, memory or any other event the next phase gets a fresh worker.
        Reusing gives the student's code no power over a verdict it did not have: whatever
        one kata's code leaves in the worker, the next kata's code could have done itself."""
        if label == "done" or self.label in self.events or self.label is None \
                or (self.conn is not None and not self._alone(self.conn)):
            self.stop()
        elif self.conn is not None:
            self._drain_output(self.conn)
        now = time.monotonic()
        if self.label is not None:
            self.times[self.label] = self.times.get(self.label, 0.0) + now - self.started
        self.label = label
        self.started = now
        self.wall = wall or self.limits.wall
        self.deadline = min(now + self.wall, self.budget_end)
        self.output.setdefault(label, ["", 0])

    def _tree(self, conn: Conn) -> dict[int, int] | None:
        """{pid: threads} of the worker's processes (jail.process_tree), or None if not known."""
        if conn.gpid is None:
            self._read_report(conn, wait=0.0)
        return jail.process_tree(conn.gpid) if conn.gpid is not None else None

    def _alone(self, conn: Conn) -> bool:
        """The worker left nothing running beside itself (no process, no thread it started, which
        could act during the next kata): only then may it serve the next phase."""
        tree = self._tree(conn)
        if tree is None or any(n != 1 for n in tree.values()):
            return False
        return len(tree) == (1 if self.spec.mode == "plain" else 2)   # W, or G (PID 1) and W

    def settle(self) -> None:
        """One round trip when arrays are mirrored: a change the tests made (writing into a
        returned array) reaches the worker, and what it did there (to the base of a view)
        comes back (testing.SETTLE_HOOKS)."""
        if self.conn is not None and self.mirrors and self.label not in self.events:
            self.rpc("op", lambda c: {"name": "ping", "args": []})

    def failed(self, label: str | None = None) -> tuple[str, str] | None:
        return self.events.get(label or self.label)

    def ensure(self) -> Conn:
        if self.conn is not None:
            return self.conn
        ev = self.events.get(self.label)
        if ev is not None:
            raise SandboxFailure(*ev)
        if time.monotonic() >= self.budget_end:
            self.fail("budget", say(f"採点していません: 提出全体の持ち時間 (import とすべてのカタで {self.budget:g} 秒) を"
                                    f"使い切っていました",
                                    f"not graded: the submission had used up its time budget "
                                    f"({self.budget:g} s for importing it and every kata)"))
        self.spawned += 1
        self.gen += 1
        self._reset_generation()
        spec, lim = self.spec, self.limits
        req = {"op": "spawn", "mode": spec.mode, "uid": spec.uid_base + self.slot * 1000 + self.spawned % 1000,
               "limits": lim.rlimits(self.budget), "stage": spec.stage, "given": spec.given, "chapters": spec.chapters,
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
        self.deadline = min(time.monotonic() + self.wall, self.budget_end)   # the clock runs once the worker is up
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

    def note(self, kind: str, message: str) -> None:
        """Record why this phase scores zero (the first reason stays)."""
        self.events.setdefault(self.label, (kind, message))

    def fail(self, kind: str, message: str):
        """Record why this phase scores zero, end the worker, raise."""
        self.note(kind, message)
        self.stop()
        raise SandboxFailure(kind, message)

    def _timed_out(self):
        """The wall clock ran out. A worker at its memory limit, or still filling memory, was
        allocating without bound on a slow machine (page faults can take seconds per GB under
        load): that is the reason to give, not the clock."""
        lim = self.limits.memory_mb
        peak, rss = self._worker_memory()
        if peak is not None and peak >= 0.8 * lim:
            self.fail("memory", say(f"メモリ不足 (上限 {lim} MB のところ {peak} MB に達し、{self.wall:g} 秒を過ぎました)",
                                    f"out of memory (limit {lim} MB; the worker reached {peak} MB "
                                    f"and then ran past {self.wall:g} s)"))
        if rss is not None:
            time.sleep(0.5)
            _, later = self._worker_memory()
            if later is not None and later - rss >= 16:
                self.fail("memory", say(f"メモリ不足: 時間切れ ({self.wall:g} 秒) の時点でもメモリを取り続けていました "
                                        f"(上限 {lim} MB のうち {later} MB)",
                                        f"out of memory: still allocating without bound ({later} MB of its "
                                        f"{lim} MB limit) when the wall clock ran out ({self.wall:g} s)"))
        self.fail("timeout", say(f"{self.wall:g} 秒を超えました", f"took longer than {self.wall:g} s"))

    def _worker_memory(self) -> tuple[int | None, int | None]:
        """(largest address space, resident MB in all) of the worker's processes, read from
        outside through Linux's /proc (None elsewhere)."""
        conn = self.conn
        if conn is None:
            return None, None
        tree = self._tree(conn)
        if tree is None:
            return None, None
        peak = rss = None
        for pid in list(tree)[:64]:
            try:
                with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
                    for line in f:
                        if line.startswith("VmPeak:"):
                            peak = max(peak or 0, int(line.split()[1]) >> 10)
                        elif line.startswith("VmRSS:"):
                            rss = (rss or 0) + (int(line.split()[1]) >> 10)
            except (OSError, ValueError):
                pass
        return peak, rss

    def _died(self, conn: Conn):
        self._drain_output(conn)
        self._read_report(conn, wait=5.0)
        text = conn.report.decode("utf-8", "replace")
        found = {tag: int(m.group(1)) for tag in ("W", "C")
                 if (m := re.search(rf"^{tag} (-?\d+)$", text, re.M))}
        status = found.get("C") if self.spec.mode == "plain" else found.get("W")
        err = re.search(r"^E (.*)$", text, re.M)
        if err:
            self.fail("setup", say("サンドボックスがワーカーを起動できませんでした: ",
                                   "the sandbox failed to start the worker: ") + err.group(1)[-600:])
        if status is None:
            self.fail("crashed", say("ワーカーが終了状態を残さずに終わりました", "the worker ended without a status"))
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            if sig == signal.SIGXCPU:
                cpu = self.limits.rlimits(self.budget)["cpu"]
                self.fail("cpu", say(f"CPU 時間の上限 ({cpu} 秒) を超えました", f"CPU time limit ({cpu} s) exceeded"))
            if sig == signal.SIGXFSZ:
                self.fail("crashed", say(f"ファイルサイズの上限 ({self.limits.fsize_mb} MB) を超えました",
                                         f"file size limit ({self.limits.fsize_mb} MB) exceeded"))
            if sig == signal.SIGKILL:
                self.fail("crashed", say("ワーカーが強制終了されました (SIGKILL: メモリか CPU 時間の不足)",
                                         "the worker was killed (SIGKILL: out of memory or CPU time)"))
            self.fail("crashed", say(f"ワーカーが異常終了しました ({name})", f"the worker crashed ({name})"))
        code = os.WEXITSTATUS(status)
        self.fail("exited", say(f"コードがインタプリタを終了させました (終了コード {code}、os._exit など)",
                                f"the code ended the interpreter (exit status {code}, e.g. os._exit)"))

    # ------------------------------------------------------------ output

    def _output(self, data: bytes) -> None:
        rec = self.output.setdefault(self.label, ["", 0])
        rec[1] += len(data)
        if len(rec[0]) < self.limits.keep_output:
            rec[0] += data.decode("utf-8", "replace")[: self.limits.keep_output - len(rec[0])]
        if rec[1] > self.limits.output_kb << 10:
            self.fail("output", say(f"出力が {self.limits.output_kb} KB を超えました",
                                    f"more than {self.limits.output_kb} KB of output"))

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
        rgs = self._generator_changes()
        if rgs:
            msg["rgs"] = rgs
        err = P.errstate()
        if err != self.err_last:
            self.err_last = err
            msg["err_state"] = err
        if self.rel_h:
            msg["rel_h"], self.rel_h = self.rel_h, []
        if self.rel_m:
            msg["rel_m"], self.rel_m = self.rel_m, []
        try:
            frame = P.frame(msg)
        except (TypeError, ValueError) as e:
            raise TypeError(f"cannot send this to the sandboxed code: {e}") from None
        if len(frame) - 4 > P.MAX_FRAME:
            raise TypeError("too much data for one call to the sandboxed code")
        view = memoryview(frame)
        while view:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self._out_of_time()
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

    def _out_of_time(self):
        if time.monotonic() >= self.budget_end:
            self.fail("budget", say(f"提出全体の持ち時間 (import とすべてのカタで {self.budget:g} 秒) を使い切りました。"
                                    f"このあとのカタは採点しません",
                                    f"the submission used up its time budget ({self.budget:g} s for "
                                    f"importing it and every kata); the katas after this one are not graded"))
        self._timed_out()

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
                self.fail("protocol", say(f"ワーカーが手順を破りました ({e})", f"the worker broke the protocol ({e})"))
            if msg is not None:
                if not isinstance(msg, dict):
                    self.fail("protocol", say("ワーカーが手順を破りました (メッセージではありません)", "the worker broke the protocol (not a message)"))
                return msg
            left = self.deadline - time.monotonic()
            if left <= 0:
                self._out_of_time()
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
        try:
            self._send(msg)
            return self._wait_reply(containers)
        except MemoryError:   # the grader's own bound (grade.bound_grader): this kata, not the batch
            self.fail("memory", say(f"ワーカーとのやりとりが採点側のメモリ上限 ({self.limits.grader_mb} MB) を超えました",
                                    f"the exchange with the worker went over the grader's own memory bound "
                                    f"({self.limits.grader_mb} MB)"))

    def _wait_reply(self, containers: list):
        while True:
            msg = self._next_frame()
            if "op" in msg:
                if msg.get("op") not in ("cb", "gop"):
                    self.fail("protocol", say("ワーカーが予期しない要求を送りました", "the worker sent an unexpected request"))
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
                self.fail("protocol", say("ワーカーが値のない返事を送りました", "the worker sent a reply without a value"))
            return self._decode(msg["ok"])

    def _receive(self, msg: dict) -> None:
        """What every message from the worker carries: changed arrays, np.random's state."""
        self._apply_sync(msg.get("sync"))
        files = msg.get("files")
        if files is not None:
            if not isinstance(files, list):
                self.fail("protocol", say("ファイルの更新が不正です", "bad files"))
            for item in files:
                if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int):
                    self.fail("protocol", say("ファイルの更新が不正です", "bad file"))
                entry = self.files.get(item[0])
                if entry is None:
                    self.fail("protocol", say("テストが指定していないファイルです", "a file the tests never named"))
                try:
                    P.file_write(entry, item[1])
                except (P.ProtocolError, OSError) as e:
                    self.fail("protocol", say(f"ファイルの更新が不正です ({e})", f"a bad file ({e})"))
        if "rng" in msg:
            try:
                self.rng_last = P.rng_apply(msg["rng"])
            except (P.ProtocolError, ValueError, TypeError):
                self.fail("protocol", say("乱数の状態が不正です", "a bad random state"))
        if "rgs" in msg:
            self._apply_generators(msg["rgs"])

    def _warn(self, items) -> None:
        """Warnings of the student's code, raised again here (tests catch them, pytest reports them)."""
        import warnings
        if not isinstance(items, list):
            self.fail("protocol", say("警告の形式が不正です", "bad warnings"))
        for item in items[:20]:
            if not (isinstance(item, list) and len(item) == 4 and all(isinstance(x, str) for x in item[:3])
                    and type(item[3]) is int):
                self.fail("protocol", say("警告の形式が不正です", "bad warning"))
            cls = SAFE_WARNINGS.get(item[0], UserWarning)
            warnings.warn_explicit(item[1][:500], cls, sandbox_path(item[2]), item[3])

    def _note_error(self, exc: RemoteError) -> None:
        if exc.remote_type == "SystemExit":
            code = str(exc)[:80]
            self.note("exited", say(f"コードが sys.exit({code}) を呼びました", f"the code called sys.exit({code})"))
        elif exc.remote_type == "KeyboardInterrupt":
            self.note("exited", say("コードが KeyboardInterrupt を送出しました", "the code raised KeyboardInterrupt"))
        elif exc.remote_type == "MemoryError":
            lim = self.limits.memory_mb
            self.note("memory", say(f"メモリ不足 (上限 {lim} MB)", f"out of memory (limit {lim} MB)"))

    # ------------------------------------------------------------ operations used by proxies

    def resolve(self, module: str, attrs: tuple) -> tuple[int, str, str, str | None]:
        def build(_c):
            return {"module": module, "attrs": list(attrs)}
        v = self.rpc("resolve", build)
        if not isinstance(v, Proxy):
            name = f"{module}.{'.'.join(attrs)}"
            raise SandboxFailure("stale", say(f"{name} はもう関数でもクラスでもありません", f"{name} is no longer a function or class"))
        object.__setattr__(v, "_rs_path", (module, *attrs))   # never released: it has a name
        self.named_hids.add(v._rs_hid)
        return v._rs_hid

    def import_module(self, name: str) -> int:
        v = self.rpc("import", lambda _c: {"name": name})
        if not isinstance(v, Proxy):
            self.fail("protocol", say("import がモジュールを返しませんでした", "an import did not give a module"))
        object.__setattr__(v, "_rs_path", (name,))
        self.named_hids.add(v._rs_hid)
        return v._rs_hid


