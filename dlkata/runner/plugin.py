"""pytest plugin: maps chapters to trees, tags each test with its kata, and records outcomes.

Loaded by the root conftest.py, so plain `pytest tests/ch05` behaves like `make test ch05`.
"""
from __future__ import annotations

import importlib
import json
import os
import re
import traceback
from pathlib import Path

import pytest

from dlkata.kata import catalogue, importer
from dlkata import diagnosis, testing
from dlkata.i18n import say

TODO = re.compile(r"^(ch\d\d\.[a-z0-9_]+) \(§")
RESULTS = pytest.StashKey[list]()
_CONFIG: list = [None]  # pytest_collectreport gets no config; this run's is kept here
MODULE_ERRORS = pytest.StashKey[dict]()


def pytest_addoption(parser):
    g = parser.getgroup("dlkata")
    g.addoption("--impl", default=None, help=say("テストするツリー (exercises、solutions、またはパス)。環境変数 IMPL",
                                                  "tree to test (exercises, solutions, or a path); env IMPL"))
    g.addoption("--own-earlier", action="store_true", default=os.environ.get("DLKATA_OWN") == "1",
                help=say("前の章もお手本でなく自分のツリーから。環境変数 DLKATA_OWN=1",
                         "earlier chapters from your tree instead of the reference; env DLKATA_OWN=1"))
    g.addoption("--chapters", default=None, help=say("テストする章をコンマ区切りで (既定はパスから)", "comma-separated chapters under test (default: from the paths)"))
    g.addoption("--dlkata-out", default=None, help=say("テストごとの結果を JSON でここに書く", "write per-test results as JSON here"))
    g.addoption("--dlkata-summary", action="store_true", default=False,
                help=say("実行のあとカタごとのまとめを表示", "print the per-kata summary after the run"))
    g.addoption("--dlkata-katas", default=None,
                help=say("コンマ区切りのカタ: そのテストだけを実行 (間違いカタログの自己チェック)",
                         "comma-separated katas: run only their tests (the mistake self-check)"))
    g.addoption("--slow", action="store_true", default=os.environ.get("DLKATA_SLOW") == "1",
                help=say("時間のかかる学習のチェック (slow の印) も実行。環境変数 DLKATA_SLOW=1",
                         "also run the longer training checks (marked slow); env DLKATA_SLOW=1"))
    g.addoption("--slow-katas", default=os.environ.get("DLKATA_SLOW_KATAS") or None,
                help=say("--slow と一緒に: これらのカタの slow のテストだけ (分離の自己チェック)。環境変数 DLKATA_SLOW_KATAS",
                         "with --slow: only these katas' slow tests (the isolation self-check); env DLKATA_SLOW_KATAS"))


def _chapters_under_test(config) -> set[str] | None:
    if config.getoption("chapters"):
        return set(config.getoption("chapters").split(","))
    found = set()
    for arg in config.args:
        m = re.search(r"(?:^|/)(ch\d\d)(?:/|$|\.|::)", arg.replace("\\", "/"))
        if not m:
            return None  # a whole-suite run: every chapter from IMPL
        found.add(m.group(1))
    return found or None


def pytest_configure(config):
    config.stash[RESULTS] = []
    config.stash[MODULE_ERRORS] = {}
    _CONFIG[0] = config
    # Without pytest's terminal (make test without V=1) nobody reads its tracebacks, and building
    # them is slow. Ask whether it is blocked: its reporter registers itself only after this hook.
    if config.getoption("dlkata_out") and config.pluginmanager.is_blocked("terminal"):
        config.option.tbstyle = "no"
    impl = importer.impl_root(config.getoption("impl"))
    config._dlkata_impl = impl
    config._dlkata_under_test = _chapters_under_test(config)
    importer.install(impl, config._dlkata_under_test, config.getoption("own_earlier"))


def _relative(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(catalogue.ROOT))
    except ValueError:
        return path


def _import_error(exc: BaseException, impl: Path) -> dict:
    if isinstance(exc, SyntaxError):
        return {"kind": "import", "type": type(exc).__name__, "message": exc.msg or str(exc),
                "where": f"{_relative(exc.filename or '?')}:{exc.lineno}",
                "source": (exc.text or "").rstrip(), "col": exc.offset, "file": exc.filename,
                "in": _owner_at(exc.filename or "", exc.lineno or 0, impl)}
    return {"kind": "import", "type": type(exc).__name__, "message": str(exc),
            **_located(exc.__traceback__, impl)}


def _located(tb, impl: Path) -> dict:
    """Where an error happened: the innermost frame in the learner's tree (else the innermost
    at all), the kata whose code holds it ("in"), and, when that code was called from another
    kata's code (the learner's network calling their own Affine wrongly), the calling frame."""
    frames = traceback.extract_tb(tb)
    mine = [f for f in frames if _inside(f.filename, impl)]
    f = (mine or frames or [None])[-1]
    if f is None:
        return {"where": "?", "source": ""}
    out = _frame(f)
    if not mine:
        return out
    owner = _owner(f, impl)
    if owner:
        out["in"] = owner
    for g in reversed(mine[:-1]):
        other = _owner(g, impl)
        if other != owner or (other is None and g.filename != f.filename):
            out["caller"] = {**_frame(g), **({"in": other} if other else {})}
            break
    return out


def _inside(filename: str, impl: Path) -> bool:
    return str(Path(filename).resolve()).startswith(str(impl) + os.sep)


def _frame(f: traceback.FrameSummary) -> dict:
    return {"where": f"{_relative(f.filename)}:{f.lineno} in {f.name}", "source": (f.line or "").strip()}


def _owner(f: traceback.FrameSummary, impl: Path) -> str | None:
    return _owner_at(f.filename, f.lineno or 0, impl)


def _owner_at(filename: str, lineno: int, impl: Path) -> str | None:
    """The kata whose symbols hold this line of a file in the learner's tree (None: no kata's)."""
    from dlkata.kata.sources import symbol_at
    if not _inside(filename, impl):
        return None
    module = ".".join(Path(filename).resolve().relative_to(impl).with_suffix("").parts)
    try:
        symbol = symbol_at(Path(filename).read_text(encoding="utf-8"), lineno)
    except (OSError, ValueError):
        return None
    kata = catalogue.load().owner(module, symbol) if symbol else None
    return kata.id if kata else None


def _test_frame(tb) -> str:
    frames = [f for f in traceback.extract_tb(tb) if "/tests/" in f.filename.replace("\\", "/")]
    if not frames:
        return ""
    f = frames[-1]
    return f"{_relative(f.filename)}:{f.lineno}: {(f.line or '').strip()}"


def pytest_sessionstart(session):
    """Import the learner's modules once, so a broken file is named with its line."""
    config = session.config
    cat = catalogue.load()
    chapters = config._dlkata_under_test or cat.chapter_ids()
    for ch in chapters:
        for module in cat.modules_of(ch):
            try:
                importlib.import_module(module)
            except Exception as exc:  # noqa: BLE001 - any failure is the learner's to see
                err = config.stash[MODULE_ERRORS][module] = _import_error(exc, config._dlkata_impl)
                err["module"] = module


def _kata_of(item) -> str | None:
    m = item.get_closest_marker("kata")
    return m.args[0] if m and m.args else None


def pytest_runtest_setup(item):
    testing.fresh_test()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped or _kata_of(item) is None and not item.nodeid.startswith("tests/ch"):
        return
    if report.when == "call" or (report.when == "setup" and report.failed):
        failure = None
        exc = call.excinfo.value if call.excinfo is not None else None
        m = TODO.match(str(exc)) if isinstance(exc, NotImplementedError) else None
        if m:
            failure = {"kind": "todo", "kata": m.group(1), "message": str(exc),
                       "test": _test_frame(call.excinfo.tb)}
        elif testing.FAILURES:
            failure = dict(kind="check", **testing.FAILURES[0])
        elif exc is not None and not isinstance(exc, pytest.skip.Exception):
            failure = {"kind": "error", "type": type(exc).__name__, "message": str(exc).strip()[:500],
                       **_located(call.excinfo.tb, item.config._dlkata_impl), "test": _test_frame(call.excinfo.tb)}
        elif report.failed:
            failure = {"kind": "error", "type": "Failure", "message": str(report.longrepr)[-500:],
                       "where": "", "source": "", "test": ""}
        item.config.stash[RESULTS].append({
            "nodeid": item.nodeid, "kata": _kata_of(item), "outcome": report.outcome,
            "failure": failure if report.failed else None,
            "checks": len(testing.FAILURES), "advice": list(testing.ADVICE),
            "expectations": [{k: v for k, v in e.items() if k != "fp"} for e in testing.FAILURES],
            "fps": diagnosis.failure_prints(failure, testing.FAILURES)})


def pytest_collectreport(report):
    if report.failed and report.nodeid.endswith(".py"):
        config = _CONFIG[0]
        path = report.nodeid.replace("\\", "/")
        m = re.match(r"tests/(ch\d\d)/test_(\w+)\.py$", path)
        module = f"{m.group(1)}.{m.group(2)}" if m else None
        errors = config.stash[MODULE_ERRORS]
        # The learner's module that failed to import: the test file's own, or another one it imports.
        failure = next((errors[m] for m in [module, *_chapter_imports(path)] if m in errors), None) or {
            "kind": "import", "type": "CollectError", "where": path, "source": "",
            "message": str(report.longrepr).strip().splitlines()[-1][:500]}
        for kata in catalogue.load().katas:
            if kata.module == module:
                config.stash[RESULTS].append({"nodeid": path, "kata": kata.id, "outcome": "failed",
                                              "failure": failure, "checks": 0})


def _chapter_imports(test_file: str) -> list[str]:
    """The chapter modules (ch05.layers, ...) a test file imports, in order."""
    import ast
    try:
        tree = ast.parse((catalogue.ROOT / test_file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    names = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    return [m for m in names if re.match(r"ch\d\d\.", m)]


def pytest_collection_modifyitems(session, config, items):
    only = config.getoption("dlkata_katas")
    if only:
        keep = set(only.split(","))
        drop = [i for i in items if _kata_of(i) not in keep]
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = [i for i in items if _kata_of(i) in keep]
    slow_katas = config.getoption("slow_katas")
    if config.getoption("slow") and slow_katas is not None:
        keep = set(slow_katas.split(","))
        drop = [i for i in items if i.get_closest_marker("slow") and _kata_of(i) not in keep]
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = [i for i in items if i not in drop]
    if not config.getoption("slow"):
        skip = pytest.mark.skip(reason=say("長めの学習の確認: make test ... SLOW=1 で実行",
                                           "a longer training check: make test ... SLOW=1"))
        for item in items:
            if item.get_closest_marker("slow"):
                item.add_marker(skip)
    unknown = [i.nodeid for i in items if i.nodeid.startswith("tests/ch") and _kata_of(i) not in catalogue.load().by_id]
    if unknown:
        raise pytest.UsageError("tests without a known kata marker: " + ", ".join(unknown[:5]))


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    out = config.getoption("dlkata_out")
    if out:
        Path(out).write_text(json.dumps(config.stash[RESULTS]), encoding="utf-8")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.getoption("dlkata_summary") or (config.stash[RESULTS] and not config.getoption("dlkata_out")):
        from dlkata.runner import report, status
        cat = catalogue.load()
        chapters = sorted({r["kata"].split(".")[0] for r in config.stash[RESULTS] if r["kata"]})
        if not chapters:  # e.g. tests/meta: no kata ran
            return
        states = status.compute(config.stash[RESULTS], cat, chapters)
        ran = {r["kata"] for r in config.stash[RESULTS]}  # one test file: only its katas
        terminalreporter.write_line("")
        for line in report.render(states, cat, chapters, [k.id for k in cat.katas if k.id in ran]):
            terminalreporter.write_line(line)
