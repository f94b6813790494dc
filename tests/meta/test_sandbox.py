"""The grading sandbox against submissions that attack it (chapter 2; README "Grading safely").

One batch grades every attack in parallel with the real tests of tests/ch02; each test
below checks one submission's per-kata outcome: the score an honest reading gives (the
attacked kata scores zero, the others keep their points), the batch completing, the
files outside the worker unchanged and no process left behind.

Each submission is the reference with one function replaced. XOR (ch02.xor, 1 point)
is attacked because no other kata builds on it: an honest submission scores 5/5, an
attacked one 4/5 unless the attack runs at import (then 0/5).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from dlkata.kata import catalogue
from dlkata.sandbox import jail
from dlkata.sandbox import protocol as P
from dlkata.sandbox.errors import SandboxFailure
from dlkata.sandbox.session import Session
from dlkata.sandbox.zygote import Limits, Spec

ROOT = catalogue.ROOT
REFERENCE = (ROOT / "solutions" / "ch02" / "perceptron.py").read_text(encoding="utf-8")
MODE = jail.available_mode(os.environ.get("DLKATA_SANDBOX_MODE", "auto"))
ISOLATED = MODE in ("root", "userns")
WALL = 4
# This run's own workers: a uid range (root mode) and a tag in their command line, so that the
# leftover check never counts another grading run on the machine (grade.run_uid_base).
# The block is leased here (jail.lease_uids) for as long as these tests run.
UID_BASE, _UID_LEASE = jail.lease_uids()
TAG = f"dlkata-sandbox-selfcheck-{os.getpid()}"
RUN_ENV = {"DLKATA_SANDBOX_TAG": TAG, **({"DLKATA_SANDBOX_UID_BASE": str(UID_BASE)} if _UID_LEASE is not None else {})}
BUDGET = 1.8      # seconds per kata for a submission: 9 s for ch02's 4 katas and the import
BUDGET_TOTAL = 9


def submission(dest: Path, bodies: dict[str, str] | None = None, prelude: str = "",
               source: str | None = None) -> Path:
    """The reference with the given function bodies (solution regions) replaced."""
    src = REFERENCE if source is None else source
    for fn, body in (bodies or {}).items():
        i = src.index(f"def {fn}(")
        a = src.index("\n", src.index("### BEGIN SOLUTION", i)) + 1
        b = src.rindex("\n", 0, src.index("### END SOLUTION", a)) + 1
        src = src[:a] + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n" + src[b:]
    if prelude:
        src = src.replace("import numpy as np\n", "import numpy as np\n" + textwrap.dedent(prelude), 1)
    pkg = dest / "ch02"
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    if source is not None or bodies or prelude or not (pkg / "perceptron.py").exists():
        (pkg / "perceptron.py").write_text(src, encoding="utf-8")
    return dest


HONEST_XOR = """
s1 = NAND(x1, x2)
s2 = OR(x1, x2)
return AND(s1, s2)
"""

ALL = ("ch02.perceptron", "ch02.gates", "ch02.xor", "ch02.fit_perceptron")


class Batch:
    """Everything one grading run needs to know and everything it produced."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.subs = tmp / "subs"
        self.secret = tmp / "teacher"
        self.secret.mkdir()
        self.gradebook = self.secret / "gradebook.db"
        import sqlite3
        con = sqlite3.connect(self.gradebook)
        con.execute("create table grade (student text, score real)")
        con.execute("insert into grade values ('other', 1.0)")
        con.commit()
        con.close()
        self.gradebook_bytes = self.gradebook.read_bytes()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.unix = socket.socket(socket.AF_UNIX)
        self.unix_name = f"\0dlkata-sandbox-test-{os.getpid()}-{tmp.name}"
        self.unix.bind(self.unix_name)
        self.unix.listen(8)
        self.unix.settimeout(0.2)
        self.connections: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        self.records: dict[str, dict] = {}
        self.stderr = ""

    def _accept(self):
        while not self._stop.is_set():
            for s in (self.listener, self.unix):
                try:
                    conn, _ = s.accept()
                    self.connections.append(conn.recv(100))
                    conn.close()
                except (socket.timeout, OSError):
                    pass

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.listener.close()
        self.unix.close()


# name -> (how to build it, expected scores per kata or None for "zero for XOR only", statuses for XOR)
ATTACKS: dict[str, dict] = {}


def attack(name: str, *, xor: set[str] | None = None, scores: dict | None = None, isolation: bool = False,
           what: str = ""):
    def deco(fn):
        ATTACKS[name] = {"build": fn, "xor": xor, "scores": scores, "isolation": isolation, "what": what}
        return fn
    return deco


@attack("reference", scores={k: "full" for k in ALL}, what="the reference itself")
def _(b, d):
    submission(d)


@attack("stubs", scores={k: 0 for k in ALL}, what="the untouched stubs")
def _(b, d):
    (d / "ch02").mkdir(parents=True)
    for f in (ROOT / "exercises" / "ch02").glob("*.py"):
        (d / "ch02" / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")


@attack("patch_builtins_and_numpy", xor={"failed"},
        what="redefine abs, numpy.allclose/array_equal and numpy.testing; XOR wrong")
def _(b, d):
    submission(d, {"XOR": "return 0"}, prelude="""
        import builtins, numpy, numpy.testing
        builtins.abs = lambda x: 0
        numpy.allclose = lambda *a, **k: True
        numpy.array_equal = lambda *a, **k: True
        numpy.testing.assert_allclose = lambda *a, **k: None
        numpy.testing.assert_array_equal = lambda *a, **k: None
        """)


@attack("sabotage_interpreter", scores={k: 0 for k in ALL},
        what="rebind isinstance, len and type for the whole process at import (numpy breaks too)")
def _(b, d):
    submission(d, prelude="""
        import builtins
        builtins.isinstance = lambda *a: True
        builtins.len = lambda x: 1
        builtins.type = lambda *a: int
        """)


@attack("always_equal", xor={"failed"}, scores={"ch02.perceptron": "full", "ch02.gates": "full",
                                                 "ch02.xor": 0, "ch02.fit_perceptron": 0},
        what="return objects whose == is always true (and an ndarray subclass)")
def _(b, d):
    submission(d, {"XOR": """
        class Yes:
            __eq__ = lambda self, other: True
            __ne__ = lambda self, other: False
            __bool__ = lambda self: True
            __hash__ = lambda self: 0
        return Yes()
        """, "fit_perceptron": """
        class Yes:
            __eq__ = lambda self, other: True
            __bool__ = lambda self: True
        class YesArray(np.ndarray):
            def __eq__(self, other):
                return np.ones(np.shape(other), bool)
        w = np.zeros(2).view(YesArray)
        return w, Yes(), Yes()
        """})


@attack("read_reference_and_tests", xor={"failed"}, isolation=True,
        what="read solutions/, tests/ and other students' files by absolute and relative paths")
def _(b, d):
    paths = [str(ROOT / "solutions/ch02/perceptron.py"), str(ROOT / "tests/ch02/test_perceptron.py"),
             "../../solutions/ch02/perceptron.py", str(b.subs / "reference/ch02/perceptron.py"),
             "/proc/1/environ", "/proc/self/root/etc/passwd"]
    submission(d, {"XOR": f"""
        import glob
        for p in {paths!r} + glob.glob("/tmp/dlkata-grade-*/*/ch02/perceptron.py"):
            try:
                text = open(p).read()
            except OSError:
                continue
            print("STOLEN", p, text[:200])
            scope = {{}}
            exec(text, scope)
            return scope["XOR"](x1, x2)
        raise RuntimeError("nothing to copy")
        """})


@attack("gradebook", xor={"failed"}, isolation=True, what="open the gradebook to read and write it")
def _(b, d):
    submission(d, {"XOR": f"""
        import sqlite3
        con = sqlite3.connect({str(b.gradebook)!r})
        con.execute("update grade set score = 100")
        con.commit()
        print("STOLEN", con.execute("select * from grade").fetchall())
        open({str(b.secret / "planted.txt")!r}, "w").write("x")
        return AND(NAND(x1, x2), OR(x1, x2))
        """})


@attack("sys_exit", xor={"exited"}, what="sys.exit() in a kata")
def _(b, d):
    submission(d, {"XOR": "import sys\nsys.exit(0)"})


@attack("os_exit", xor={"exited"}, what="os._exit() in a kata")
def _(b, d):
    submission(d, {"XOR": "import os\nos._exit(0)"})


@attack("infinite_loop", xor={"timeout"}, what="while True: pass")
def _(b, d):
    submission(d, {"XOR": "while True:\n    pass"})


@attack("memory_bomb", xor={"memory", "crashed"}, what="allocate without bound")
def _(b, d):
    submission(d, {"XOR": "chunks = []\nwhile True:\n    chunks.append(np.ones(32 << 20))"})


@attack("fork_bomb", xor={"failed", "protocol", "crashed", "timeout"}, what="fork until it fails")
def _(b, d):
    submission(d, {"XOR": "import os\nwhile True:\n    os.fork()"})


@attack("daemon", scores={k: "full" for k in ALL}, what="a correct XOR that leaves a detached process behind")
def _(b, d):
    submission(d, {"XOR": textwrap.dedent("""
        import os, time
        global DAEMON
        if "DAEMON" not in globals():
            DAEMON = os.fork()
            if DAEMON == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(600)
                os._exit(0)
            os.waitpid(DAEMON, 0)
        """) + HONEST_XOR})


@attack("thread_into_the_next_kata", scores={k: "full" for k in ALL},
        what="a correct XOR that leaves a thread behind which, during the next kata, writes garbage on the "
             "worker's channel and ends the worker: that kata gets a fresh worker (nothing may stay running)")
def _(b, d):
    submission(d, {"XOR": textwrap.dedent("""
        import os, threading, time
        global SABOTEUR
        if "SABOTEUR" not in globals():
            def _later():
                time.sleep(1.0)
                os.write(3, b"\\x00\\x00\\x00\\x05junk!")
                os._exit(0)
            SABOTEUR = threading.Thread(target=_later, daemon=True)
            SABOTEUR.start()
        """) + HONEST_XOR})


@attack("loopback_socket", xor={"failed"}, isolation=True,
        what="connect to a TCP port and an abstract unix socket of the grading machine")
def _(b, d):
    submission(d, {"XOR": f"""
        import socket
        s = socket.create_connection(("127.0.0.1", {b.port}), timeout=1)
        s.sendall(b"pwned")
        u = socket.socket(socket.AF_UNIX)
        u.connect({b.unix_name!r})
        u.sendall(b"pwned")
        return AND(NAND(x1, x2), OR(x1, x2))
        """})


@attack("flood_output", xor={"output"}, what="print without end")
def _(b, d):
    submission(d, {"XOR": 'while True:\n    print("spam" * 1000)'})


@attack("forge_protocol", xor={"protocol", "failed"}, what="write a fake frame on the grader's channel")
def _(b, d):
    submission(d, {"XOR": textwrap.dedent("""
        import os
        for fd in range(3, 10):
            try:
                os.write(fd, b"\\x00\\x00\\x00\\x0b{\\"ok\\": [1]}")
            except OSError:
                pass
        """) + HONEST_XOR})


@attack("tamper_worker", xor={"protocol", "failed"},
        what="patch the worker's encoder to send an object array and an unknown tag")
def _(b, d):
    submission(d, {"XOR": """
        import sys
        w = sys.modules["dlkata.sandbox.worker"]
        w.Worker.encode = lambda self, v, depth=0: {"$a": [-999, "|O", [1], w.P.Blob(bytes(8))]} if depth == 0 else {"$evil": 1}
        return 1
        """})


@attack("kill_everything", scores={k: "full" for k in ALL},
        what="a correct XOR that first sends SIGKILL to every process it can (-1, its parent, PID 1)")
def _(b, d):
    submission(d, {"XOR": textwrap.dedent("""
        import os, signal
        for pid in (-1, os.getppid(), 1):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        """) + HONEST_XOR})


@attack("recursion", xor={"failed"}, what="unbounded recursion")
def _(b, d):
    submission(d, {"XOR": "return XOR(x1, x2)"})


@attack("huge_result", xor={"failed"}, what="return 160 MB")
def _(b, d):
    submission(d, {"XOR": "return np.zeros(20_000_000)"})


@attack("sleep_under_every_limit", xor=None, scores={}, what="correct code that sleeps well under the kata "
        "limit in every kata (1 s at import, 3 s at the first call of perceptron, AND, XOR and fit_perceptron): "
        "the submission's budget ends it")
def _(b, d):
    src = REFERENCE
    for fn in ("perceptron", "AND", "XOR", "fit_perceptron"):
        at = src.index("\n", src.index("### BEGIN SOLUTION", src.index(f"def {fn}("))) + 1
        src = src[:at] + f"    _stall({fn!r})\n" + src[at:]
    submission(d, prelude="""
        import time
        time.sleep(1)
        _STALLED = set()


        def _stall(name):
            if name not in _STALLED:
                _STALLED.add(name)
                time.sleep(3)
        """, source=src)


@attack("many_files", scores={k: "full" for k in ALL},
        what="the reference with 5000 more files in its folder: a bounded number copied, graded as usual")
def _(b, d):
    submission(d)
    junk = d / "ch02" / "junk"
    junk.mkdir()
    for i in range(5000):
        (junk / f"f{i}.py").write_bytes(b"")


@attack("litter_tmp", scores={k: "full" for k in ALL},
        what="a correct XOR that leaves files and folders in every temporary folder it can name")
def _(b, d):
    submission(d, {"XOR": textwrap.dedent("""
        import os, tempfile
        for base in (tempfile.gettempdir(), os.environ.get("TMPDIR") or "/tmp", "/tmp", "/var/tmp", "/dev/shm"):
            try:
                os.makedirs(tempfile.mkdtemp(dir=base) + "/left", exist_ok=True)
                open(os.path.join(base, "dlkata-litter.txt"), "w").write("x")
            except OSError:
                pass
        """) + HONEST_XOR})


@attack("litter_then_exit", xor={"exited"}, what="leave temporary files, then os._exit in the kata")
def _(b, d):
    submission(d, {"XOR": textwrap.dedent("""
        import os, tempfile
        tempfile.mkstemp()
        os.makedirs(tempfile.mkdtemp() + "/deep/er", exist_ok=True)
        os._exit(1)
        """)})


@attack("import_time_loop", scores={k: 0 for k in ALL}, what="an endless loop when the module is imported")
def _(b, d):
    submission(d, prelude="while True:\n    pass\n")


@attack("syntax_error", scores={k: 0 for k in ALL}, what="a file that is not valid Python")
def _(b, d):
    submission(d, source=REFERENCE.replace("def XOR(x1: int, x2: int) -> int:", "def XOR(x1, x2) return"))


@attack("symlink_to_reference", scores={k: 0 for k in ALL}, what="ch02/perceptron.py is a symlink to the reference")
def _(b, d):
    (d / "ch02").mkdir(parents=True)
    (d / "ch02" / "__init__.py").write_text("")
    os.symlink(ROOT / "solutions" / "ch02" / "perceptron.py", d / "ch02" / "perceptron.py")


def run_batch(b: "Batch", chapter: str, attacks: dict, *extra: str) -> None:
    """Grade one folder per attack in one run of the sandbox's command line."""
    for name, a in attacks.items():
        d = b.subs / name
        d.mkdir(parents=True)
        a["build"](b, d)
    out = b.tmp / "out"
    b.tmpdir = b.tmp / "private-tmp"     # the run's own TMPDIR: it must be empty afterwards
    b.tmpdir.mkdir()
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "dlkata.sandbox", chapter, "--each", str(b.subs), "--json", "--quiet",
         "--wall", str(WALL), "--memory", "1024", "--out", str(out), "--mode", MODE, *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(b.tmpdir), **RUN_ENV})
    b.seconds = time.monotonic() - started
    b.stderr = proc.stderr
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    b.records = {r["name"]: r for r in json.loads(proc.stdout)}
    b.out = out


# ---- issue 11, class 1: values that imitate arrays (judged as plain data received once, or refused)

IMITATIONS = ("imitates_a_number", "converts_differently", "imitates_an_array")


@attack("imitates_a_number", xor={"failed"},
        what="XOR returns an object with __array__, __int__, __index__, __float__, __eq__ and a shape")
def _(b, d):
    submission(d, {"XOR": """
        class Fake:
            shape = ()
            ndim = 0
            def __array__(self, dtype=None, copy=None):
                return np.asarray(x1 ^ x2, dtype=dtype)
            def __int__(self):
                return x1 ^ x2
            __index__ = __int__
            def __float__(self):
                return float(x1 ^ x2)
            def __eq__(self, other):
                return other == (x1 ^ x2)
            __hash__ = object.__hash__
        AND(NAND(x1, x2), OR(x1, x2))
        return Fake()
        """})


@attack("converts_differently", xor={"failed"},
        what="XOR returns an object that gives the right answer the first time it is converted, "
             "a wrong one after")
def _(b, d):
    submission(d, {"XOR": """
        class Shifty:
            seen = 0
            def value(self):
                Shifty.seen += 1
                return (x1 ^ x2) if Shifty.seen % 2 else 1 - (x1 ^ x2)
            def __array__(self, dtype=None, copy=None):
                return np.asarray(self.value(), dtype=dtype)
            def __len__(self):
                return 1
            def __getitem__(self, i):
                if i:
                    raise IndexError(i)
                return self.value()
            def __eq__(self, other):
                return self.value() == other
            __hash__ = object.__hash__
        AND(NAND(x1, x2), OR(x1, x2))
        return Shifty()
        """})


@attack("imitates_an_array", scores={"ch02.perceptron": "full", "ch02.gates": "full", "ch02.xor": "full",
                                     "ch02.fit_perceptron": 0},
        what="fit_perceptron returns w as an object with shape, dtype, len, items, tolist and __array__ "
             "(the learned values), b as an object with __float__")
def _(b, d):
    src = REFERENCE.replace("            return w, b, True\n    return w, b, False\n",
                            "            return Imitation(w), Number(b), True\n"
                            "    return Imitation(w), Number(b), False\n")
    submission(d, source=src + textwrap.dedent("""


        class Imitation:
            def __init__(self, w):
                self._w = [float(v) for v in w]
                self.shape, self.dtype, self.ndim = (len(self._w),), np.dtype(float), 1
            def __array__(self, dtype=None, copy=None):
                return np.array(self._w, dtype=dtype)
            def __len__(self):
                return len(self._w)
            def __getitem__(self, i):
                return self._w[i]
            def tolist(self):
                return list(self._w)


        class Number:
            def __init__(self, b):
                self._b = float(b)
            def __float__(self):
                return self._b
        """))


# ---- issue 11, class 2: the grader's own resources (replies it must not build)

@attack("reply_with_millions_of_values", xor={"protocol"},
        what="XOR writes its own reply on the channel: 3 million values in one 6 MB frame")
def _(b, d):
    submission(d, {"XOR": """
        import os
        body = b'{"ok":[' + b'0,' * 3_000_000 + b'0]}'
        os.write(3, (len(body) + 4).to_bytes(4, "big") + len(body).to_bytes(4, "big") + body)
        import time
        time.sleep(30)
        """})


@attack("reply_nested_without_end", xor={"protocol"},
        what="XOR writes its own reply on the channel: 200000 lists deep")
def _(b, d):
    submission(d, {"XOR": """
        import os
        body = b'{"ok":' + b'[' * 200_000 + b']' * 200_000 + b'}'
        os.write(3, (len(body) + 4).to_bytes(4, "big") + len(body).to_bytes(4, "big") + body)
        import time
        time.sleep(30)
        """})


# ---- issue 11, class 4: the worker sees what the release ships, nothing more

@attack("import_an_unshipped_chapter", xor={"failed"}, isolation=True,
        what="XOR imports chapter 1's reference (the ch02 assignment ships no earlier chapter) and prints it")
def _(b, d):
    submission(d, {"XOR": """
        import importlib, inspect
        for name in ("ch01.numpy_basics", "ch01", "ch03.activation"):
            try:
                mod = importlib.import_module(name)
                print("STOLEN", name, inspect.getsource(mod)[:300])
            except Exception:
                pass
        raise RuntimeError("nothing to copy")
        """})


@attack("walk_the_given_folder", xor={"failed"}, isolation=True,
        what="XOR reads every file of the given folder that the release does not ship, and the "
             "reference paths an earlier grader gave (/given/ch01, dlkata/data)")
def _(b, d):
    release = ROOT / "grader" / "source" / "ch02"
    shipped = sorted("/given/" + p.relative_to(release).as_posix() for p in release.rglob("*.py"))
    submission(d, {"XOR": f"""
        import os
        shipped = set({shipped!r})
        found = [os.path.join(p, f) for p, _, names in os.walk("/given") for f in names]
        found += ["/given/ch01/numpy_basics.py", "/given/dlkata/data/mnist.py", "/given/dlkata/data/digits.py"]
        for path in sorted(set(found) - shipped):
            try:
                print("STOLEN", path, open(path).read(200))
            except OSError:
                pass
        raise RuntimeError("nothing more than the release")
        """})


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    b = Batch(tmp_path_factory.mktemp("sandbox"))
    run_batch(b, "ch02", ATTACKS, "--budget", str(BUDGET))
    yield b
    b.close()


def _points():
    cat = catalogue.load()
    return {k.id: k.points for k in cat.katas_of("ch02")}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_scores_honestly(batch, name):
    a = ATTACKS[name]
    if a["isolation"] and not ISOLATED:
        pytest.skip(f"file-system and network isolation need Linux namespaces (mode here: {MODE})")
    rec = batch.records[name]
    katas = {k["id"]: k for k in rec["katas"]}
    points = _points()
    expected = a["scores"] if a["scores"] is not None else {k: ("full" if k != "ch02.xor" else 0) for k in ALL}
    for kid, want in expected.items():
        got = katas[kid]
        want_score = points[kid] if want == "full" else want
        assert got["score"] == want_score, f"{name}: {kid} scored {got['score']} ({got['status']}: {got['message']})"
    if a["xor"]:
        assert katas["ch02.xor"]["status"] in a["xor"], katas["ch02.xor"]
    assert rec["score"] == sum(k["score"] for k in rec["katas"])
    text = json.dumps(rec)
    assert "STOLEN" not in text and "BEGIN SOLUTION" not in text and "pwned" not in text


def test_the_batch_completed_with_results_files(batch):
    assert set(batch.records) == set(ATTACKS)
    for name in ATTACKS:
        gs = json.loads((batch.out / name / "results.json").read_text(encoding="utf-8"))
        assert set(gs) >= {"score", "max_score", "tests"}
        assert [t["max_score"] for t in gs["tests"]] == list(_points().values())
        assert all(t["status"] in ("passed", "failed") for t in gs["tests"])
        assert (batch.out / name / "katas.json").exists()


def test_reasons_are_named(batch):
    xor = {n: next(k for k in r["katas"] if k["id"] == "ch02.xor") for n, r in batch.records.items()}
    assert "took longer than" in xor["infinite_loop"]["message"]
    assert "sys.exit" in xor["sys_exit"]["message"]
    assert "exit status 0" in xor["os_exit"]["message"]
    assert "output" in xor["flood_output"]["message"]
    assert len(xor["flood_output"]["output"]) < 5000
    first = batch.records["import_time_loop"]["katas"][0]
    assert first["status"] == "timeout" and "importing" in first["message"]


@pytest.mark.skipif(not ISOLATED, reason="needs Linux namespaces")
def test_nothing_outside_the_worker_changed(batch):
    assert batch.gradebook.read_bytes() == batch.gradebook_bytes
    assert sorted(p.name for p in batch.secret.iterdir()) == ["gradebook.db"]
    assert batch.connections == []


def test_a_submission_has_a_time_budget(batch):
    """Sleeping just under the kata limit in every worker: cut at the budget, the reason named."""
    rec = batch.records["sleep_under_every_limit"]
    statuses = [k["status"] for k in rec["katas"]]
    assert "budget" in statuses, statuses
    assert set(statuses) <= {"passed", "budget", "timeout"}, statuses
    cut = next(k for k in rec["katas"] if k["status"] == "budget")
    assert cut["score"] == 0 and "time budget" in cut["message"] and f"{BUDGET_TOTAL:g} s" in cut["message"]
    assert rec["seconds"] < BUDGET_TOTAL + WALL + 10
    many = batch.records["many_files"]
    assert many["score"] == many["max"] and "too large" in many["problem"]


def test_nothing_left_in_the_temporary_folder(batch):
    """The run's TMPDIR (the system's temporary folder for it) is empty afterwards: no jail folder,
    no pytest basetemp, nothing a student's code wrote."""
    # (dlkata-uids/: the lease files of worker uids, shared by every run on purpose, made only
    # when /run is not writable)
    left = sorted(str(p.relative_to(batch.tmpdir)) for p in batch.tmpdir.rglob("*")
                  if not p.relative_to(batch.tmpdir).parts[0] == "dlkata-uids")
    assert left == []
    for p in ("/tmp/dlkata-litter.txt", "/var/tmp/dlkata-litter.txt", "/dev/shm/dlkata-litter.txt"):
        if ISOLATED:
            assert not os.path.exists(p), p


def test_no_process_left_behind(batch):
    left = _leftovers()
    if MODE == "plain":
        for pid, _, _ in left:      # a detached process escapes a process group: clean up, then skip
            try:
                os.kill(int(pid), 9)
            except OSError:
                pass
        pytest.skip("without a PID namespace a detached (setsid) process can outlive its worker")
    assert left == []


def _leftovers(wait: float = 10.0) -> list:
    """Processes of this run still there: its uid range or its tag, never another run's."""
    from tests.meta.conftest import processes_left
    return processes_left(lambda uid, cmd: (_UID_LEASE is not None and UID_BASE <= uid < UID_BASE + jail.UID_BLOCK)
                          or TAG in cmd, wait)


# ---------------------------------------------------------------- chapter 7: measurements and the tests' objects

CH07 = ("ch07.conv_output_size", "ch07.im2col", "ch07.col2im", "ch07.convolution", "ch07.pooling",
        "ch07.simple_convnet")
ATTACKS7: dict[str, dict] = {}


def attack7(name: str, *, scores: dict | None = None, status: dict | None = None, what: str = ""):
    def deco(fn):
        ATTACKS7[name] = {"build": fn, "scores": scores, "status": status or {}, "what": what}
        return fn
    return deco


def chapter7(dest: Path, util_body: str | None = None, prelude: str = "", convnet_suffix: str = "",
             layers_suffix: str = "") -> None:
    """The reference of chapter 7 with im2col's body replaced, code run at the import of util.py,
    and code appended to simple_convnet.py and layers.py."""
    pkg = dest / "ch07"
    pkg.mkdir(parents=True)
    for f in (ROOT / "solutions" / "ch07").glob("*.py"):
        (pkg / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    util = (pkg / "util.py").read_text(encoding="utf-8")
    if util_body is not None:
        i = util.index("def im2col(")
        a = util.index("\n", util.index("### BEGIN SOLUTION", i)) + 1
        b = util.rindex("\n", 0, util.index("### END SOLUTION", a)) + 1
        util = util[:a] + textwrap.indent(textwrap.dedent(util_body).strip("\n"), "    ") + "\n" + util[b:]
    if prelude:
        util = util.replace("import numpy as np\n", "import numpy as np\n" + textwrap.dedent(prelude), 1)
    (pkg / "util.py").write_text(util, encoding="utf-8")
    for name, suffix in (("simple_convnet.py", convnet_suffix), ("layers.py", layers_suffix)):
        if suffix:
            with open(pkg / name, "a", encoding="utf-8") as f:
                f.write(textwrap.dedent(suffix))


LOOP_IM2COL = """
N, C, H, W = input_data.shape
oh = (H + 2 * pad - filter_h) // stride + 1
ow = (W + 2 * pad - filter_w) // stride + 1
xp = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
rows = []
for n in range(N):
    for i in range(oh):
        for j in range(ow):
            rows.append(xp[n, :, i * stride:i * stride + filter_h, j * stride:j * stride + filter_w].reshape(-1))
return np.array(rows, dtype=np.float64).reshape(N * oh * ow, -1)
"""
FORGE_COUNT = """
import sys as _sys
_w = _sys.modules.get("dlkata.sandbox.worker")
if _w is not None:   # the worker counts python_lines: make it say 1
    _w.OPS["lines"] = lambda fn, args, kwargs: (fn(*args, **kwargs), 1)[1]
"""


@attack7("loop_im2col_forged_count", what="a loop over every output position, and the worker's line count "
                                           "patched to 1: the same verdict as make test (advice only)")
def _(b, d):
    chapter7(d, LOOP_IM2COL, prelude=FORGE_COUNT)


@attack7("wrong_im2col_forged_count", scores={"ch07.im2col": 0},
         what="a wrong im2col that switches off tracing (sys.settrace(None)) and patches the worker's count")
def _(b, d):
    chapter7(d, "import sys\nsys.settrace(None)\n" + LOOP_IM2COL.replace("return np.array(rows",
                                                                       "return -np.array(rows"),
             prelude=FORGE_COUNT)


NUDGED_CONV = """

    _true_forward = Convolution.forward


    def _sly_forward(self, x):
        # One element of x or W moved by less than 1e-3 since the last call: a numerical
        # gradient at work. The output of that last call makes its difference quotients 0.
        now = [np.array(x, dtype=float), np.array(self.W, dtype=float), np.array(self.b, dtype=float)]
        last = getattr(self, "_last", None)
        if last is not None and all(a.shape == b.shape for a, b in zip(now, last[0])) \
                and np.array_equal(now[2], last[0][2]):
            moved = np.concatenate([np.abs(a - b).ravel() for a, b in zip(now[:2], last[0][:2])])
            if np.count_nonzero(moved) == 1 and moved.max() < 1e-3:
                self.x_shape = x.shape
                return last[1]
        out = _true_forward(self, x)
        self._last = (now, out)
        return out


    def _no_backward(self, dout):
        # db right (its own test, and b's nudges are answered honestly); dW and dx: zeros,
        # "confirmed" by the nudges of x and W above
        self.db = np.sum(dout, axis=(0, 2, 3))
        self.dW = np.zeros_like(self.W)
        return np.zeros(self.x_shape)


    Convolution.forward = _sly_forward
    Convolution.backward = _no_backward
    """


@attack7("conv_forward_that_sees_the_nudge", scores={"ch07.convolution": 0},
         what="a Convolution whose forward repeats its last output when one number moved by a "
              "numerical gradient's h, and whose backward gives zeros for dx and dW")
def _(b, d):
    chapter7(d, layers_suffix=NUDGED_CONV)


def greedy_convnet(d: Path, ask: str) -> None:
    """SimpleConvNet first makes `ask` of the generator the test passes it (rng=...)."""
    chapter7(d, convnet_suffix=f"""

        _init = SimpleConvNet.__init__


        def _greedy(self, *args, **kwargs):
            rng = kwargs.get("rng")
            if rng is not None:
                rng.{ask}
            _init(self, *args, **kwargs)


        SimpleConvNet.__init__ = _greedy
        """)


@attack7("huge_draw_from_the_tests_generator", scores={k: ("full" if k != "ch07.simple_convnet" else 0) for k in CH07},
         status={"ch07.simple_convnet": {"memory"}},
         what="SimpleConvNet asks the rng the test passed for 10^10 normal numbers")
def _(b, d):
    greedy_convnet(d, "standard_normal(10 ** 10)")


@attack7("huge_array_from_the_tests_generator", scores={k: ("full" if k != "ch07.simple_convnet" else 0) for k in CH07},
         status={"ch07.simple_convnet": {"memory"}},
         what="SimpleConvNet asks the rng the test passed for a 10^5 × 10^5 array, positionally")
def _(b, d):
    greedy_convnet(d, "random((10 ** 5, 10 ** 5))")


@pytest.fixture(scope="module")
def batch7(tmp_path_factory):
    b = Batch(tmp_path_factory.mktemp("sandbox7"))
    run_batch(b, "ch07", ATTACKS7, "--wall", "20")
    b.local = _local_verdicts(["ch07"], [str(b.subs / n) for n in ATTACKS7])
    yield b
    b.close()


@pytest.mark.parametrize("name", list(ATTACKS7))
def test_chapter7_attack_scores_honestly(batch7, name):
    """Class 5: a measurement taken in the worker decides nothing (the verdicts of make test);
    class 2: a call on the tests' generator asking for too much scores that kata 0 ("memory")."""
    from dlkata.sandbox.grade import STATUS
    a = ATTACKS7[name]
    points = {k.id: k.points for k in catalogue.load().katas_of("ch07")}
    katas = {k["id"]: k for k in batch7.records[name]["katas"]}
    for kid, want in (a["scores"] or {}).items():
        want_score = points[kid] if want == "full" else want
        assert katas[kid]["score"] == want_score, (name, kid, katas[kid]["status"], katas[kid]["message"])
    for kid, kinds in a["status"].items():
        assert katas[kid]["status"] in kinds, (name, kid, katas[kid])
    if not a["status"]:   # no sandbox reason: exactly what make test says of the same code
        got = {kid: k["status"] for kid, k in katas.items()}
        want = {kid.split(":")[1]: STATUS[v] for kid, v in batch7.local.items() if kid.startswith(name + ":")}
        assert got == want
    assert "STOLEN" not in json.dumps(batch7.records[name])


def test_chapter7_batch_completed_and_left_nothing(batch7):
    assert set(batch7.records) == set(ATTACKS7)
    for name in ATTACKS7:
        assert (batch7.out / name / "results.json").exists()
    loop = next(k for k in batch7.records["loop_im2col_forged_count"]["katas"] if k["id"] == "ch07.im2col")
    assert loop["score"] == loop["max"]
    if MODE != "plain":
        assert _leftovers() == []


# ---------------------------------------------------------------- the same verdicts as make test

LOCAL = """
import json, sys
from dlkata.kata import catalogue
from dlkata.runner import engine, status
cat = catalogue.load()
out = {}
for tree in sys.argv[2:]:
    for ch in sys.argv[1].split(","):
        states = status.compute(engine.run(tree, [ch]), cat, [ch])
        out.update({f"{tree}:{k}": s.status for k, s in states.items()})
print(json.dumps(out))
"""


def test_imitations_get_the_verdicts_of_make_test(batch):
    """Class 1: what make test says of the same code, the sandbox says (tree by tree)."""
    from dlkata.sandbox.grade import STATUS
    local = _local_verdicts(["ch02"], [str(batch.subs / name) for name in IMITATIONS])
    want = {k: STATUS[v] for k, v in local.items()}
    got = {f"{n}:{k['id']}": k["status"] for n in IMITATIONS for k in batch.records[n]["katas"]}
    assert got == want
    xor = {n: next(k for k in batch.records[n]["katas"] if k["id"] == "ch02.xor") for n in IMITATIONS}
    assert "returned a Fake, not an int" in xor["imitates_a_number"]["message"]
    assert "returned a Shifty" in xor["converts_differently"]["message"]


def _local_verdicts(chapters: list[str], trees: list[str]) -> dict:
    """{tree folder name:kata id: make test's state} of each tree."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    local = subprocess.run([sys.executable, "-c", LOCAL, ",".join(chapters), *trees], cwd=ROOT,
                           capture_output=True, text=True, env=env, timeout=600)
    assert local.returncode == 0, local.stderr[-2000:]
    return {Path(k.split(":")[0]).name + ":" + k.split(":")[1]: v for k, v in json.loads(local.stdout).items()}


def _verdicts(chapters: list[str], trees: list[str]) -> tuple[dict, dict]:
    from dlkata.sandbox.grade import STATUS
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    want = {k: STATUS[v] for k, v in _local_verdicts(chapters, trees).items()}
    got = {}
    for ch in chapters:
        proc = subprocess.run([sys.executable, "-m", "dlkata.sandbox", ch, *trees, "--json", "--quiet",
                               "--mode", MODE], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        for rec in json.loads(proc.stdout):
            got.update({f"{rec['name']}:{k['id']}": k["status"] for k in rec["katas"]})
    return want, got


def test_reference_and_stubs_get_the_verdicts_of_make_test():
    """Chapters whose tests spy with monkeypatch (2, 3), drive objects in place (5) and count lines (7)."""
    want, got = _verdicts(["ch02", "ch03", "ch05", "ch07"], ["solutions", "exercises"])
    assert got == want


def test_a_second_pass_grades_only_the_katas_it_names():
    """make autograde grades a blocked kata again on the reference of what it builds on; that
    pass runs only those katas' tests (Submission.katas), not the whole chapter again."""
    code = textwrap.dedent(f"""
        import json, sys
        from pathlib import Path
        from dlkata.sandbox import grade
        sub = grade.Submission("ref", Path({str(ROOT / "solutions")!r}), frozenset({{"ch02.xor"}}))
        rec = grade.grade_many([sub], "ch02", jobs=1, mode={MODE!r}, progress=False)["ref"]
        print(json.dumps({{k["id"]: k["status"] for k in rec["katas"]}}))
        """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got.pop("ch02.xor") == "passed", proc.stderr[-2000:]
    assert set(got.values()) == {"no_tests"}


def test_the_grading_process_is_left_as_it_was():
    """pytest's configuration of a chapter is made once, in the grading process, and each
    forked grader runs its own copy: one grader's options (a second pass's katas) never reach
    the next, and the grading process keeps its import hooks, folder, environment and stdout."""
    code = textwrap.dedent(f"""
        import json, os, sys
        from pathlib import Path
        from dlkata.sandbox import grade
        hooks, cwd, env = list(sys.meta_path), os.getcwd(), dict(os.environ)
        ref, stubs = Path({str(ROOT / "solutions")!r}), Path({str(ROOT / "exercises")!r})
        got = []
        for subs in ([grade.Submission("a", ref, frozenset({{"ch02.xor"}})), grade.Submission("b", stubs)],
                     [grade.Submission("c", ref)]):
            recs = grade.grade_many(subs, "ch02", jobs=1, mode={MODE!r}, progress=False)
            got += [{{k["id"]: k["status"] for k in r["katas"]}} for r in recs.values()]
        assert sys.meta_path == hooks and os.getcwd() == cwd and dict(os.environ) == env
        print(json.dumps(got))
        """)
    proc = subprocess.run([sys.executable, "-c", code], cwd="/", capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    a, b, c = json.loads(proc.stdout)
    assert a.pop("ch02.xor") == "passed" and set(a.values()) == {"no_tests"}
    assert set(b.values()) == {"not_started"}
    assert set(c.values()) == {"passed"}


@pytest.mark.slow
def test_every_chapter_gets_the_verdicts_of_make_test():
    cat = catalogue.load()
    want, got = _verdicts([c for c in cat.chapter_ids() if cat.katas_of(c)], ["solutions", "exercises"])
    assert got == want


# ---------------------------------------------------------------- what the grader accepts from a worker

@pytest.fixture
def session():
    spec = Spec(mode=MODE, stage="/nonexistent", given=None, chapters={})
    s = Session(None, spec, Limits())
    s.label = "unit"
    return s


@pytest.mark.parametrize("payload, why", [
    ({"$a": [-1, "|O", [1], P.Blob(bytes(8))]}, "object arrays"),
    ({"$a": [-1, "<f8", [10 ** 6], P.Blob(bytes(8))]}, "data that does not match its shape"),
    ({"$a": [-1, "<f8", [1], "AAAAAAAAAAA="]}, "text (base64) where binary data belongs"),
    ({"$a": [5, "<f8", [1], P.Blob(bytes(8))]}, "an array id the grader never gave"),
    (P.Blob(bytes(8)), "binary data where a value belongs"),
    ({"$h": [1, "module", "x", None], "$t": []}, "two tags"),
    ({"$evil": 1}, "an unknown tag"),
    ({"$cb": 99}, "a grader function never given"),
    ({"$g": 99}, "a grader object never given"),
    ({"$d": [[[1, 2], 3]]}, "an unhashable key"),
    ({"$s": ["<U4", P.Blob(bytes(16))]}, "a string scalar"),
    ({"$b": [0, 8]}, "a binary reference the frame did not resolve"),
    (json.loads("[" * 70 + "]" * 70), "nesting too deep"),
])
def test_malformed_values_are_refused(session, payload, why):
    with pytest.raises(SandboxFailure) as e:
        session._decode(payload)
    assert e.value.kind == "protocol", why
    assert session.events["unit"][0] == "protocol"


def test_why_a_kata_scored_zero_is_said_in_the_students_language(session, monkeypatch, tmp_path):
    """The reason behind a zero (here a protocol violation, and a submission without its chapter)
    in Japanese with L=ja; dlkata.dev.english_only checks every fail(kind, why) says it so."""
    monkeypatch.setenv("DLKATA_LANG", "ja")
    with pytest.raises(SandboxFailure) as e:
        session._decode({"$evil": 1})
    assert "未知の値のタグ" in e.value.message
    from dlkata.sandbox import grade
    (tmp_path / "empty").mkdir()
    assert grade.stage_code(tmp_path / "empty", "ch02", tmp_path / "stage") == "提出物に ch02/ フォルダがありません"


def test_the_workers_own_words_are_said_in_the_students_language(monkeypatch, tmp_path):
    """The worker runs in English beside the student's code; what it says itself (an array too
    large to send back, a module missing from the submission...) reaches the student in their
    language: the worker sends the phrase's key and values, the grader says them."""
    import re
    from dlkata.sandbox.errors import remote_exception
    used = set(re.findall(r'phrased\([\w.]+, "(\w+)"', (ROOT / "dlkata/sandbox/worker.py").read_text()))
    used |= set(re.findall(r'PHRASES\["(\w+)"\]', (ROOT / "dlkata/sandbox/worker.py").read_text()))
    assert used and used <= set(P.PHRASES), used - set(P.PHRASES)
    monkeypatch.setenv("DLKATA_LANG", "ja")
    said = remote_exception({"type": "ValueError", "msg": "an array of 152 MB is too large to send back",
                             "phrase": ["too_large", {"mb": "152"}]})
    assert str(said) == "152 MB の配列は大きすぎて送り返せません"
    for bad in (["too_large", {}], ["nothing", {}], "too_large", ["too_large", {"mb": "{0}"}, 3]):
        assert str(remote_exception({"type": "ValueError", "msg": "as sent", "phrase": bad})) == "as sent"
    # For real: XOR returns 48 MB (45 MiB); the student reads why in Japanese.
    submission(tmp_path / "big", {"XOR": "return np.zeros(6_000_000)"})
    code = textwrap.dedent(f"""
        import json
        from pathlib import Path
        from dlkata.sandbox import grade
        rec = grade.grade_many([grade.Submission("big", Path({str(tmp_path / "big")!r}))], "ch02", jobs=1,
                               mode={MODE!r}, progress=False)["big"]
        print(json.dumps(rec, ensure_ascii=False))
        """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DLKATA_LANG": "ja"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    xor = next(k for k in json.loads(proc.stdout)["katas"] if k["id"] == "ch02.xor")
    assert xor["status"] == "failed" and "45 MB の配列は大きすぎて送り返せません" in json.dumps(xor, ensure_ascii=False), xor


def test_values_come_back_as_fresh_plain_objects(session):
    import numpy as np
    v = session._decode({"$t": [1, 2.5, "s", None, True, {"$c": [1, 2]},
                                {"$a": [-1, "<f8", [2], P.Blob(np.array([1.0, 2.0]).tobytes())]},
                                {"$s": ["<f8", P.Blob(np.float64(1).tobytes())]}, {"$od": [["a", 1]]}]})
    assert v[:5] == (1, 2.5, "s", None, True) and v[5] == 1 + 2j
    assert type(v[6]) is np.ndarray and v[6].tolist() == [1.0, 2.0] and v[6].flags.writeable
    assert type(v[7]) is np.float64 and v[7] == 1.0
    assert list(v[8].items()) == [("a", 1)]


# ---------------------------------------------------------------- the grader's own resources (class 2)

def test_a_frame_with_too_many_values_is_refused():
    reader = P.FrameReader()

    def frame(body, data=b""):
        return (len(body) + len(data) + 4).to_bytes(4, "big") + len(body).to_bytes(4, "big") + body + data

    reader.feed(frame(b"[" + b"0," * (P.MAX_ITEMS + 1) + b"0]"))
    with pytest.raises(P.ProtocolError, match="values in one message"):
        reader.pop()
    reader.feed(frame(b"[" * 100_000 + b"]" * 100_000))
    with pytest.raises(P.ProtocolError):
        reader.pop()


@pytest.mark.parametrize("body, data, why", [
    (b'{"ok":{"$b":[0,9]}}', bytes(8), "past the end of the binary data"),
    (b'{"ok":{"$b":[-1,2]}}', bytes(8), "a negative offset"),
    (b'{"ok":{"$b":[0,true]}}', bytes(8), "a length that is not a number"),
    (b'{"ok":{"$b":[0,1],"x":1}}', bytes(8), "a binary reference with another key"),
])
def test_binary_references_are_checked(body, data, why):
    """A frame names its binary data by offset and length: only inside the data that came with it."""
    reader = P.FrameReader()
    reader.feed((len(body) + len(data) + 4).to_bytes(4, "big") + len(body).to_bytes(4, "big") + body + data)
    if why == "a binary reference with another key":
        assert reader.pop() == {"ok": {"$b": [0, 1], "x": 1}}   # not a reference: the codec refuses it
        return
    with pytest.raises(P.ProtocolError, match="binary reference"):
        reader.pop()


def test_a_frame_whose_json_overruns_it_is_refused():
    reader = P.FrameReader()
    reader.feed((8).to_bytes(4, "big") + (100).to_bytes(4, "big") + b"null")
    with pytest.raises(P.ProtocolError, match="longer than the frame"):
        reader.pop()
    reader.feed((2).to_bytes(4, "big") + b"{}")    # too short for a JSON length: refused at once
    with pytest.raises(P.ProtocolError, match="no JSON length"):
        reader.pop()


def test_arrays_cross_as_binary_data():
    """Array contents travel after the JSON, byte for byte: no base64 (a third more to send, and
    an encoding on each side)."""
    import numpy as np

    a = np.arange(12.0).reshape(3, 4)
    f = P.frame({"ok": {"$a": [1, *P.array_payload(a)]}})
    assert a.tobytes() in f and len(f) < a.nbytes + 100
    reader = P.FrameReader()
    reader.feed(f)
    p = reader.pop()["ok"]["$a"]
    assert np.array_equal(P.array_from_payload(*p[1:]), a)
    assert len(str(p[3])) < 20    # where text was expected, it stays short


def test_calls_on_the_tests_generators_are_sized_before_they_run():
    import numpy as np

    from dlkata.sandbox.callbacks import MAX_DRAWN, drawn
    g = np.random.default_rng(0)
    assert drawn(g.standard_normal, [10 ** 10], {}) == 10 ** 10
    assert drawn(g.random, [], {"size": (10 ** 5, 10 ** 5)}) == 10 ** 10
    assert drawn(g.permutation, [10 ** 9], {}) == 10 ** 9
    assert drawn(np.random.RandomState(0).rand, [10 ** 5, 10 ** 5], {}) == 10 ** 10
    assert drawn(g.integers, [0, 10 ** 12], {}) == 0           # a bound, not a size
    assert drawn(g.choice, [5, 3], {}) <= MAX_DRAWN
    assert drawn(len, [10 ** 10], {}) == 0                      # not a generator's method


def test_generator_states_from_the_worker_are_checked():
    """The tests' generators cross by state (protocol.generator_state): a malformed one is refused."""
    import numpy as np

    g = np.random.default_rng(0)
    g.random(3)
    twin = P.new_generator(P.generator_state(g))
    assert twin.random() == g.random()
    for bad in ([1, 3, 0], [1, 3, 0, 0, 0], [1, 2, 0, 0], [-1, 3, 0, 0], [1 << 128, 3, 0, 0], [1, 3, 2, 0],
                [1, 3, 0, 1 << 32], [1.0, 3, 0, 0], [True, 3, 0, 0], "state", None):
        with pytest.raises(P.ProtocolError):
            P.generator_apply(g, bad)


def test_the_grader_bounds_its_own_address_space():
    code = ("from dlkata.sandbox.grade import bound_grader\n"
            "from dlkata.sandbox.zygote import Limits\n"
            "import numpy as np\n"
            "bound_grader(Limits(grader_mb=256))\n"
            "try:\n"
            "    np.ones(80_000_000)\n"
            "    print('unbounded')\n"
            "except MemoryError:\n"
            "    print('bounded')\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.strip() == "bounded", proc.stderr[-2000:]


def test_the_given_folder_is_what_the_release_ships(tmp_path):
    """Class 4: the worker's given folder holds the release's earlier chapters, dlkata files and
    shipped tests only (the tests without their hidden ones: helpers marked testing.portable)."""
    from dlkata.sandbox.grade import stage_given
    for chapter in ("ch02", "ch05"):
        dest = tmp_path / chapter
        dest.mkdir()
        stage_given(chapter, dest)
        release = ROOT / "grader" / "source" / chapter
        shipped = {p.relative_to(release) for p in release.rglob("*.py")}
        staged = {p.relative_to(dest) for p in dest.rglob("*") if p.is_file()}
        assert staged == shipped
        for rel in staged:
            assert (dest / rel).read_bytes() == (release / rel).read_bytes()
        assert "hidden=True" not in "".join(p.read_text(encoding="utf-8") for p in (dest / "tests").rglob("*.py"))
