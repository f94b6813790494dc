"""The notebook's side of an assignment: builds the chapter's modules from the cells and checks katas.

Shipped with every assignment as given, read-only code (dlkata/nbcheck.py next to the
notebook, with dlkata/testing.py and the manifest dlkata/assignment.json). It needs only
the standard library, numpy, pytest and pytest-check, like `make test`.

- setup() registers the chapter's modules (`ch05.layers`) and watches the cells you run:
  a cell whose first line is `# module ch05.layers ...`, or that defines a kata's function
  or class, also runs inside that module. So `import ch05.layers` in the tests sees exactly
  what your notebook defines, with the module's own globals, as exercises/ch05/layers.py would.
- check("ch05.affine") runs that kata's tests from the shipped test file with pytest, in this
  kernel, and raises KataFailed when one fails, so nbgrader scores the cell zero.
- check_hidden(...) lives in the hidden part of the test cell (only the graded copy has it).

Nothing is written to stderr for correct code: warnings and stray output of the tests are
captured, because nbgrader scores a test cell with any stderr output as zero.
"""
from __future__ import annotations

import __future__ as _future
import ast
import contextlib
import hashlib
import importlib
import importlib.abc
import importlib.util
import io
import json
import linecache
import os
import re
import sys
import traceback
import types
import warnings
from pathlib import Path

import pytest

from dlkata.i18n import pick, say
from dlkata.testing import check_lines

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent                     # the assignment folder
HEADER = re.compile(r"^#\s*module\s+(ch\d\d\.[A-Za-z_]\w*)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
_state: dict = {"manifest": None, "runs": 0, "ready": False}


class KataFailed(AssertionError):
    """A kata's tests failed. Shown as one line: the details are printed above it."""

    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


def manifest() -> dict:
    if _state["manifest"] is None:
        _state["manifest"] = json.loads((HERE / "assignment.json").read_text(encoding="utf-8"))
    return _state["manifest"]


# --------------------------------------------------------------------------- modules from cells

def setup() -> None:
    """Register the chapter's modules and watch the cells that define them."""
    root = str(ROOT)
    while root in sys.path:
        sys.path.remove(root)
    sys.path.insert(0, root)
    for f in [f for f in sys.meta_path if type(f).__name__ == "_NotebookModules"]:
        sys.meta_path.remove(f)
    sys.meta_path.insert(0, _NotebookModules())
    problems = []
    for name in manifest()["modules"]:
        try:
            _module(name)
        except Exception as exc:  # noqa: BLE001 - say so; the test cells will fail with the details
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
    ip = _ipython()
    if ip is not None:
        callbacks = ip.events.callbacks["post_run_cell"]
        for cb in list(callbacks):
            if getattr(cb, "__name__", "") == "_after_cell" and getattr(cb, "__module__", "") == __name__:
                ip.events.unregister("post_run_cell", cb)
        ip.events.register("post_run_cell", _after_cell)
    _state["ready"] = True
    for line in problems:
        print(say(f"(dlkata) モジュールを用意できません: {line}", f"(dlkata) could not start module {line}"))


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


class _NotebookModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the chapter's modules (and its package) as the notebook builds them.

    A module starts as its stubs (as in exercises/), so every name exists before its
    answer cell has run; `import ch07.util` inside another stub finds it here too.
    """

    def find_spec(self, fullname, path=None, target=None):
        mods = manifest()["modules"]
        if fullname in mods:
            return importlib.util.spec_from_loader(fullname, self, origin=f"<notebook: {fullname}>")
        if any(m.startswith(fullname + ".") for m in mods):
            spec = importlib.util.spec_from_loader(fullname, self, is_package=True)
            spec.submodule_search_locations = [str(ROOT / fullname)]  # given files of the chapter, if any
            return spec
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__dlkata_notebook__ = True
        stub = manifest()["modules"].get(module.__name__, {}).get("stub")
        if stub:
            _exec(stub, module, f"<{module.__name__}: stubs>")


def _module(name: str) -> types.ModuleType:
    """The notebook's module `name`, imported (from its stubs) on first use."""
    mod = sys.modules.get(name)
    if mod is not None and getattr(mod, "__dlkata_notebook__", False):
        return mod
    chapter = name.split(".")[0]
    for other in [m for m in sys.modules if m == chapter or m.startswith(chapter + ".")]:
        if not getattr(sys.modules[other], "__dlkata_notebook__", False):
            del sys.modules[other]   # a chapter package from elsewhere: the notebook's own wins
    return importlib.import_module(name)


def _exec(code: str, mod: types.ModuleType, filename: str) -> None:
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    flags = 0
    for value in list(vars(mod).values()):
        if isinstance(value, _future._Feature):
            flags |= value.compiler_flag
    exec(compile(code, filename, "exec", flags=flags, dont_inherit=True), mod.__dict__)  # noqa: S102


def targets(source: str) -> list[str]:
    """The modules a cell belongs to: named by its header line, else by the kata symbols it defines."""
    mods = manifest()["modules"]
    first = next((line for line in source.splitlines() if line.strip()), "")
    m = HEADER.match(first)
    if m and m.group(1) in mods:
        return [m.group(1)]
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return []
    names = [n.name for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    owner = {s: mod for mod, info in mods.items() for s in info["symbols"]}
    return list(dict.fromkeys(owner[n] for n in names if n in owner))


def load_cell(raw: str) -> list[str]:
    """Run a cell's code inside the module(s) it belongs to; returns their names."""
    ip = _ipython()
    code = ip.transform_cell(raw) if ip is not None else raw
    names = targets(code)
    for name in names:
        mod = _module(name)
        _state["runs"] += 1
        if "get_ipython(" in code and ip is not None:
            mod.__dict__.setdefault("get_ipython", ip.get_ipython)
        _exec(code, mod, f"<{name}: cell {_state['runs']}>")
    return names


def _after_cell(result) -> None:
    info = getattr(result, "info", None)
    raw = getattr(info, "raw_cell", None)
    if not raw or not getattr(result, "success", False):
        return
    try:
        load_cell(raw)
    except Exception as exc:  # noqa: BLE001 - the learner's code; say so and go on
        print(say(f"(dlkata) このセルは実行されましたが、モジュールの中ではありません: {type(exc).__name__}: {exc}",
                  f"(dlkata) this cell ran, but not inside its module: {type(exc).__name__}: {exc}"))


# --------------------------------------------------------------------------- running the tests

class _Collector:
    """A pytest plugin: keeps one kata's tests and records each outcome with dlkata.testing's details."""

    def __init__(self, kata: str, hidden_only: bool):
        self.kata = kata
        self.hidden_only = hidden_only
        self.results: list[dict] = []
        self.errors: list[str] = []

    def pytest_collection_modifyitems(self, session, config, items):
        keep, drop = [], []
        for item in items:
            m = item.get_closest_marker("kata")
            kata, hidden = (m.args[0] if m and m.args else None), bool(m and m.kwargs.get("hidden"))
            (keep if kata == self.kata and (hidden or not self.hidden_only) else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = keep

    def pytest_collectreport(self, report):
        if report.failed:
            text = ANSI.sub("", str(report.longrepr)).strip().splitlines()
            line = next((l[1:].strip() for l in reversed(text) if l.startswith("E ")), text[-1] if text else "")
            self.errors.append(line)

    def pytest_runtest_setup(self, item):
        _testing().FAILURES.clear()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.skipped or not (call.when == "call" or (call.when == "setup" and report.failed)):
            return
        exc = call.excinfo.value if call.excinfo is not None else None
        failures = list(_testing().FAILURES)
        info = None
        if report.failed:
            if isinstance(exc, NotImplementedError):
                info = {"kind": "todo", "message": str(exc)}
            elif failures:
                info = dict(kind="check", count=len(failures), **failures[0])
            elif exc is not None:
                info = {"kind": "error", "type": type(exc).__name__, "message": str(exc).strip()[:500],
                        "where": _learner_frame(call.excinfo.tb)}
        self.results.append({"test": item.nodeid.split("::", 1)[-1], "outcome": report.outcome,
                             "failure": info})


def _testing():
    return importlib.import_module("dlkata.testing")


def _learner_frame(tb) -> str:
    frames = [f for f in traceback.extract_tb(tb) if f.filename.startswith("<ch")]
    if not frames:
        return ""
    f = frames[-1]
    return f"{f.filename[1:-1]}, line {f.lineno}: {(f.line or '').strip()}"


def _purge_tests() -> None:
    tests = str(ROOT / "tests")
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None) or ""
        if name == "tests" or name.startswith("tests.") or f.startswith(tests):
            del sys.modules[name]


@contextlib.contextmanager
def _quiet():
    """No stderr, no warnings shown, while the tests run: nbgrader would score them as failure."""
    err = io.StringIO()
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(err):
            warnings.simplefilter("ignore")
            yield err
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved


def run(kata: str, path: Path, hidden_only: bool = False) -> tuple[list[dict], list[str]]:
    """Run kata's tests in the test file at path, in this process: (results, collection errors)."""
    if not _state["ready"]:
        setup()
        print(say("(dlkata) 最初のコードセルが実行されていませんでした: 実行してから、解答のセルをもう一度実行しましょう",
                  "(dlkata) the first code cell had not run: run it, then your answer cells again"))
    for name in manifest()["modules"]:
        _module(name)
    _purge_tests()
    collector = _Collector(kata, hidden_only)
    args = [str(path), "-p", "no:cacheprovider", "-p", "no:faulthandler", "-p", "no:terminal",
            "-p", "no:stepwise", "-p", "pytest_check.plugin", "--capture=sys",
            f"--rootdir={ROOT}", "-c", str(HERE / "pytest.ini"), f"--confcutdir={ROOT}",
            "--import-mode=prepend"]
    with _quiet() as err:
        code = pytest.main(args, plugins=[collector])
    _purge_tests()
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        collector.errors.append(say(f"pytest を実行できません ({code.name}): ", f"pytest could not run ({code.name}): ")
                                + " ".join(err.getvalue().split())[-300:])
    return collector.results, collector.errors


def _show(kata: str, results: list[dict], errors: list[str], hidden: bool) -> list[str]:
    lines = []
    for e in errors:
        lines.append("  ! " + say(f"テストがあなたのコードを import できません: {e}", f"the tests cannot import your code: {e}"))
    for r in results:
        ok = r["outcome"] == "passed"
        name = r["test"] if not hidden else say("非公開テスト ", "hidden test ") + r["test"].rsplit("::", 1)[-1]
        lines.append(f"  {'✓' if ok else '✗'} {name}")
        f = r.get("failure")
        if ok or not f or hidden:
            continue
        if f["kind"] == "todo":
            lines.append("      " + say("まだ書かれていません", "not written yet") + f": NotImplementedError {f['message']}".rstrip())
        elif f["kind"] == "check":
            lines += ["      " + line for line in check_lines(f)]
            if f.get("count", 1) > 1:
                lines.append("      " + say(f"(このテストでは他に {f['count'] - 1} 個の期待が外れています)",
                                        f"(and {f['count'] - 1} more failed expectation(s) in this test)"))
        else:
            lines.append(f"      {f['type']}: {f['message']}")
            if f.get("where"):
                lines.append("        " + say("場所", "at") + f" {f['where']}")
    return lines


def check(kata: str) -> None:
    """Run the kata's tests (the same as `make test <kata>`); raise KataFailed if any fails."""
    m = manifest()
    info = m["katas"][kata]
    path = ROOT / m["modules"][info["module"]]["test_file"]
    results, errors = run(kata, path)
    passed = sum(r["outcome"] == "passed" for r in results)
    title = pick(info["title"])
    print(f"{kata} (§{info['section']}) {title}")
    print("\n".join(_show(kata, results, errors, hidden=False)))
    if errors or not results or passed < len(results):
        why = (say("テストがモジュールを import できません", "the tests cannot import the module") if errors else
               say("テストが 1 つも実行されませんでした", "no test ran") if not results else
               say(f"合格したテスト {passed}/{len(results)}", f"{passed}/{len(results)} tests pass"))
        raise KataFailed(f"{kata}: {why} / " + say("不合格", "failed"))
    print(say(f"合格: テスト {passed}/{len(results)}", f"OK: {passed}/{len(results)} tests pass"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_text(encoding="utf-8").replace("\r\n", "\n").encode("utf-8")).hexdigest()


def check_hidden(kata: str, tests_sha256: str, source: str = "") -> None:
    """Checks students do not see before grading: the shipped tests are the ones released, and the
    kata's hidden tests (if it has any) pass. Failures are named, never shown."""
    m = manifest()
    info = m["katas"][kata]
    path = ROOT / m["modules"][info["module"]]["test_file"]
    if sha256(path) != tests_sha256:
        rel = path.relative_to(ROOT).as_posix()
        raise KataFailed(f"{kata}: " + say(f"{rel} は配布したファイルではありません", f"{rel} is not the file that was released"))
    if not source:
        return
    hidden = path.with_name(f"test_hidden_{kata.replace('.', '_')}.py")
    hidden.write_text(path.read_text(encoding="utf-8") + "\n\n" + source, encoding="utf-8")
    try:
        results, errors = run(kata, hidden, hidden_only=True)
    finally:
        hidden.unlink()
    passed = sum(r["outcome"] == "passed" for r in results)
    if errors or not results or passed < len(results):
        print("\n".join(_show(kata, results, [e.split(":")[0] for e in errors], hidden=True)))
        n = len(results) - passed + len(errors)
        raise KataFailed(f"{kata}: " + say(f"非公開テスト {n} 個が不合格", f"{n} hidden test(s) fail"))
