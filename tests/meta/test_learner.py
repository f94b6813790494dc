"""The learner's commands, each run in a temporary copy of the tree: progress, watch, reset,
solution, both languages, import errors, and the training progress bar (figures: test_figures.py)."""
from __future__ import annotations

import io
import os
import queue
import re
import shutil
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dlkata.kata import catalogue, stubs, sources

ROOT = Path(__file__).resolve().parents[2]
COPY = ["dlkata", "solutions", "exercises", "tests", "catalogue.toml", "conftest.py", "pyproject.toml",
        "constraints.txt", "Makefile"]
PERCEPTRON = Path("ch02/perceptron.py")
REFERENCE_LINE = "total = np.sum(np.asarray(w, dtype=float) * np.asarray(x, dtype=float)) + b"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the repository (without the meta tests, caches and state) to run commands in."""
    dst = tmp_path / "kata"
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=ignore)
        elif src.exists():
            shutil.copy2(src, dst / name)
    # Only chapter 2's tests: the commands are exercised on its katas, and the other
    # chapters (written in parallel) show as "no tests" whatever state they are in.
    for d in (dst / "tests").iterdir():
        if d.is_dir() and d.name != "ch02":
            shutil.rmtree(d)
    return dst


def dlkata(tree: Path, *args: str, lang: str = "en", stdin: str = "", timeout: float = 120,
           **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dlkata", *args], cwd=tree, env=_env(tree, lang, **env),
                          input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def _env(tree: Path, lang: str = "en", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("IMPL", "DLKATA_OWN", "FORCE", "OUT", "LC_ALL")}
    env.update(PYTHONPATH=str(tree), DLKATA_LANG=lang, PYTHONUTF8="1", PYTHONUNBUFFERED="1", **extra)
    return env


def solve(tree: Path, *kata_ids: str, impl: str = "exercises") -> None:
    """Put the reference's code for these katas into the tree's learner file(s)."""
    cat = catalogue.load()
    for kid in kata_ids:
        k = cat.by_id[kid]
        dest = tree / impl / k.path
        reference = (ROOT / "solutions" / k.path).read_text(encoding="utf-8")
        dest.write_text(sources.replace(dest.read_text(encoding="utf-8"), reference, list(k.symbols)),
                        encoding="utf-8")


def kata_states(out: str) -> dict[str, str]:
    """kata id -> its mark (✓ ✗ · ⧗ ! ?) from a progress or test listing."""
    return {m.group(2): m.group(1) for m in re.finditer(r"^  (\S) (ch\d\d\.\w+) ", out, re.M)}


# ---------------------------------------------------------------- progress
def test_progress_counts_bars_and_next_kata(tree: Path):
    n = len(catalogue.load().katas)
    p = dlkata(tree, "progress")
    assert p.returncode == 0, p.stderr
    assert re.search(rf"Overall .*░ 0/{n} ", p.stdout)
    assert "next: ch02.perceptron" in p.stdout

    solve(tree, "ch02.perceptron")
    p = dlkata(tree, "progress")
    states = kata_states(p.stdout)
    assert states["ch02.perceptron"] == "✓" and states["ch02.gates"] == "·"
    assert re.search(r"^ch02 .*█.* 1/4$", p.stdout, re.M), p.stdout
    assert re.search(rf"Overall .* 1/{n} ", p.stdout)
    assert "next: ch02.gates" in p.stdout

    # The cache notices a saved file, and is not rewritten when nothing changed.
    solve(tree, "ch02.gates")
    p = dlkata(tree, "progress")
    assert re.search(r"^ch02 .* 2/4$", p.stdout, re.M) and "next: ch02.xor" in p.stdout
    cache = tree / ".dlkata" / "progress.json"
    before = cache.stat().st_mtime_ns
    again = dlkata(tree, "progress")
    assert cache.stat().st_mtime_ns == before
    assert kata_states(again.stdout) == kata_states(p.stdout)


def test_progress_and_messages_in_both_languages(tree: Path):
    ja = dlkata(tree, "progress", lang="ja").stdout
    en = dlkata(tree, "progress", lang="en").stdout
    assert "パーセプトロン 1 個" in ja and "全体" in ja and "次は ch02.perceptron" in ja and "未着手" in ja
    assert "A single perceptron" in en and "Overall" in en and "next: ch02.perceptron" in en
    assert "全体" not in en and "Overall" not in ja


def test_every_learner_message_has_both_languages_with_the_same_fields():
    from dlkata.i18n.messages import MESSAGES

    def fields(s: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}
    for key, texts in MESSAGES.items():
        assert set(texts) == {"ja", "en"}, key
        assert fields(texts["ja"]) == fields(texts["en"]), key


# ---------------------------------------------------------------- import errors
def test_a_syntax_error_is_shown_once_with_its_file_line_and_kata(tree: Path):
    dest = tree / "exercises" / PERCEPTRON
    text = (ROOT / "solutions" / PERCEPTRON).read_text(encoding="utf-8")
    broken = text.replace("def XOR(x1: int, x2: int) -> int:", "def XOR(x1: int, x2: int) -> int")
    dest.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("def XOR(x1: int, x2: int) -> int") + 1
    p = dlkata(tree, "test", "ch02")
    assert p.returncode == 1
    assert p.stdout.count("SyntaxError") == 1, p.stdout
    assert f"perceptron.py:{line}: def XOR(x1: int, x2: int) -> int" in p.stdout
    assert "ch02.xor's code" in p.stdout
    assert set(kata_states(p.stdout).values()) == {"!"}
    pj = dlkata(tree, "test", "ch02", lang="ja")
    assert "読み込めない" in pj.stdout and "ch02.xor のコードの中" in pj.stdout


# ---------------------------------------------------------------- reset
def reset(tree: Path, *words: str, answer: str = "", force: bool = False) -> int:
    """The reset command in this process, on the tree's exercises/ (backups go to the tree)."""
    from dlkata.learner import reset as reset_mod
    return reset_mod.main(list(words), tree / "exercises", force=force, stdin=io.StringIO(answer))


def test_reset_asks_backs_up_and_keeps_the_other_katas(tree: Path, capsys):
    solve(tree, "ch02.perceptron", "ch02.gates", "ch02.xor", "ch02.fit_perceptron")
    dest = tree / "exercises" / PERCEPTRON
    mine = dest.read_text(encoding="utf-8") + "\n# my notes: 日本語のメモ\n"
    dest.write_text(mine, encoding="utf-8")

    assert reset(tree, "ch02.gates", answer="n\n") == 1
    assert "nothing changed" in capsys.readouterr().out
    assert dest.read_text(encoding="utf-8") == mine and not (tree / "backups").exists()
    assert reset(tree, "ch02.gates", answer="") == 1  # no one to answer: nothing changes either
    assert dest.read_text(encoding="utf-8") == mine

    assert reset(tree, "ch02.gates", answer="y\n") == 0
    out = capsys.readouterr().out
    saved = list((tree / "backups").rglob("perceptron.py"))
    assert len(saved) == 1 and saved[0].read_text(encoding="utf-8") == mine
    assert saved[0].name in out and saved[0].parent.parent.name in out  # the printed path
    now = dest.read_text(encoding="utf-8")
    for name in ("AND", "NAND", "OR"):
        assert sources.segment(now, name) == sources.segment(stubs.stub_text(PERCEPTRON), name)
    for name in ("perceptron", "XOR", "fit_perceptron"):
        assert sources.segment(now, name) == sources.segment(mine, name)
    assert "# my notes: 日本語のメモ" in now
    states = kata_states(dlkata(tree, "test", "ch02").stdout)
    assert states["ch02.perceptron"] == "✓" and states["ch02.fit_perceptron"] == "✓"
    assert states["ch02.gates"] == "·" and states["ch02.xor"] in "⧗✗"


def test_reset_of_a_chapter_restores_the_pristine_files(tree: Path, capsys):
    dest = tree / "exercises" / PERCEPTRON
    dest.write_text((ROOT / "solutions" / PERCEPTRON).read_text(encoding="utf-8"), encoding="utf-8")
    assert reset(tree, "ch02", force=True) == 0
    assert dest.read_text(encoding="utf-8") == stubs.stub_text(PERCEPTRON)
    assert len(list((tree / "backups").rglob("perceptron.py"))) == 1
    assert reset(tree, "ch02", force=True) == 0
    assert "nothing to reset" in capsys.readouterr().out
    assert reset_refuses_the_reference()


def reset_refuses_the_reference() -> bool:
    from dlkata.learner import reset as reset_mod
    return reset_mod.main(["ch02"], ROOT / "solutions", force=True) == 2


def test_reset_works_on_a_file_that_does_not_parse(tree: Path):
    solve(tree, "ch02.perceptron", "ch02.xor")
    dest = tree / "exercises" / PERCEPTRON
    dest.write_text(dest.read_text(encoding="utf-8").replace("s2 = OR(x1, x2)", "s2 = OR(x1, x2"),
                    encoding="utf-8")
    assert reset(tree, "ch02.xor", force=True) == 0
    now = dest.read_text(encoding="utf-8")
    compile(now, "perceptron.py", "exec")
    assert sources.segment(now, "XOR") == sources.segment(stubs.stub_text(PERCEPTRON), "XOR")
    assert REFERENCE_LINE in now  # ch02.perceptron's work is still there


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_reset_and_progress_through_the_makefile(tree: Path):
    solve(tree, "ch02.perceptron")
    env = _env(tree)
    venv = f"VENV={Path(sys.executable).parent.parent}"
    p = subprocess.run(["make", "-s", "reset", "ch02.perceptron", "FORCE=1", venv], cwd=tree, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (tree / "exercises" / PERCEPTRON).read_text(encoding="utf-8") == stubs.stub_text(PERCEPTRON)
    p = subprocess.run(["make", "-s", "progress", "L=ja", venv], cwd=tree, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert p.returncode == 0 and "次は ch02.perceptron" in p.stdout, p.stdout + p.stderr


# ---------------------------------------------------------------- solution
def test_solution_only_after_the_kata_passes(tree: Path):
    p = dlkata(tree, "solution", "ch02.perceptron")
    assert p.returncode == 1
    assert "not done yet" in p.stdout and "Hint 1/" in p.stdout
    assert REFERENCE_LINE not in p.stdout

    pj = dlkata(tree, "solution", "ch02.perceptron", lang="ja")
    assert "まだ完了していません" in pj.stdout and "ヒント 2/" in pj.stdout

    solve(tree, "ch02.perceptron")
    p = dlkata(tree, "solution", "ch02.perceptron")
    assert p.returncode == 0, p.stdout + p.stderr
    assert REFERENCE_LINE in p.stdout and "SOLUTION" not in p.stdout
    assert "def AND" not in p.stdout  # only this kata's code
    assert dlkata(tree, "solution", "ch02").returncode == 2


# ---------------------------------------------------------------- watch
def test_watch_reruns_after_a_change_and_on_enter(tree: Path):
    proc = subprocess.Popen([sys.executable, "-m", "dlkata", "watch", "ch02", "--interval", "0.2",
                             "--max-seconds", "90"], cwd=tree, env=_env(tree), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()

    def wait_for(pattern: str, seconds: float = 45) -> str:
        end = time.monotonic() + seconds
        seen = []
        while time.monotonic() < end:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no {pattern!r} within {seconds} s; got:\n" + "".join(seen))

    try:
        assert "0 done" in wait_for(r"^4 katas:")
        wait_for(r"^watching exercises")
        solve(tree, "ch02.perceptron")
        wait_for(r"changed: ch02/perceptron.py")
        assert "1 done" in wait_for(r"^4 katas:")
        wait_for(r"^watching exercises")
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert "1 done" in wait_for(r"^4 katas:")
        proc.stdin.write("q\n")
        proc.stdin.flush()
        wait_for(r"stopped watching")
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_watch_reruns_only_the_chapters_a_change_can_alter():
    from dlkata.learner.watch import Runs
    runs = Runs.__new__(Runs)
    runs.chapters, runs.own = ["ch02", "ch03", "ch05"], False
    assert runs.affected(["ch03/activation.py"]) == ["ch03"]
    assert runs.affected(["ch04/gradient.py"]) == []
    runs.own = True  # later chapters import your earlier ones
    assert runs.affected(["ch03/activation.py"]) == ["ch03", "ch05"]
    assert runs.affected(["notes.py"]) == ["ch02", "ch03", "ch05"]


def test_a_run_prepared_ahead_gives_the_same_results_as_a_fresh_one(tree: Path):
    from dlkata.runner import engine
    solve(tree, "ch02.perceptron")
    impl = tree / "exercises"
    fresh = engine.run(impl, ["ch02"])
    prepared = engine.Prepared(impl, "ch02")
    solve(tree, "ch02.gates")  # saved after the run was forked: it must see the new code
    again = prepared.run()
    assert [r["nodeid"] for r in again] == [r["nodeid"] for r in fresh]
    outcome = {r["nodeid"]: r["outcome"] for r in again}
    gates = [r["nodeid"] for r in fresh if r["kata"] == "ch02.gates"]
    assert gates and all(outcome[n] == "passed" for n in gates)
    assert all(r["outcome"] == "failed" for r in fresh if r["kata"] == "ch02.gates")
    engine.Prepared(impl, "ch02").close()  # one never started goes away quietly


# ---------------------------------------------------------------- hint: the next kata
def test_hint_without_a_kata_is_the_next_katas(tree: Path, tmp_path: Path):
    env = {"DLKATA_STATE": str(tmp_path / "state")}
    p = dlkata(tree, "hint", **env)
    assert p.returncode == 0, p.stderr
    assert "Hint 1/3 for ch02.perceptron" in p.stdout
    solve(tree, "ch02.perceptron")
    assert "Hint 1/" in (out := dlkata(tree, "hint", "ch02", **env).stdout) and "for ch02.gates" in out
    assert "for ch02.gates" in dlkata(tree, "hint", **env).stdout
    solve(tree, "ch02.gates", "ch02.xor", "ch02.fit_perceptron")
    assert "every kata of ch02 with tests is done" in dlkata(tree, "hint", "ch02", **env).stdout
    assert dlkata(tree, "hint", "ch99", **env).returncode == 2


# ---------------------------------------------------------------- make: no error line, JSON=1
def make(tree: Path, *args: str) -> subprocess.CompletedProcess:
    venv = f"VENV={Path(sys.executable).parent.parent}"
    return subprocess.run(["make", *args, venv], cwd=tree, env=_env(tree), capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_an_unfinished_make_test_fails_without_makes_error_line(tree: Path):
    p = make(tree, "test", "ch02")
    assert "4 katas: 0 done" in p.stdout
    assert p.returncode != 0                     # scripts still see it
    assert "Error" not in p.stderr and "***" not in p.stderr + p.stdout, p.stderr
    solve(tree, "ch02.perceptron", "ch02.gates", "ch02.xor", "ch02.fit_perceptron")
    assert make(tree, "test", "ch02").returncode == 0
    p = make(tree, "-s", "test", "ch02.nothing")
    assert p.returncode != 0 and "unknown chapter or kata" in p.stderr and "***" not in p.stderr
    # From a shell script: a non-zero status, no line from make.
    (tree / "exercises" / PERCEPTRON).write_text(stubs.stub_text(PERCEPTRON), encoding="utf-8")
    script = subprocess.run(["sh", "-c", f"make test ch02.perceptron VENV={Path(sys.executable).parent.parent}; "
                                         "echo status=$?"], cwd=tree, env=_env(tree), capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert re.search(r"status=[1-9]", script.stdout) and "***" not in script.stderr, script.stdout + script.stderr


@pytest.mark.skipif(shutil.which("make") is None or os.name != "posix", reason="make and a terminal needed")
def test_ctrl_c_stops_make_watch_without_makes_error_line(tree: Path):
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:  # the child: make watch on a terminal, as a learner runs it
        os.chdir(tree)
        os.execvpe("make", ["make", "watch", "ch02", f"VENV={Path(sys.executable).parent.parent}"], _env(tree))
    out = b""

    def read_until(pattern: bytes, seconds: float) -> None:
        nonlocal out
        end = time.monotonic() + seconds
        while time.monotonic() < end and pattern not in out:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    out += os.read(fd, 65536)
                except OSError:
                    return
    try:
        read_until(b"watching", 60)
        os.write(fd, b"\x03")
        read_until(b"stopped watching", 20)
        read_until(b"***", 2)
    finally:
        if not os.waitpid(pid, os.WNOHANG)[0]:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert "stopped watching" in text and "***" not in text and "Interrupt" not in text, text[-500:]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_json(tree: Path):
    import json
    solve(tree, "ch02.perceptron")
    doc = json.loads(make(tree, "-s", "test", "ch02", "JSON=1").stdout)
    states = {k["id"]: k["state"] for k in doc["katas"]}
    assert states == {"ch02.perceptron": "done", "ch02.gates": "todo", "ch02.xor": "todo",
                      "ch02.fit_perceptron": "todo"}


# ---------------------------------------------------------------- training bar
def test_training_bar_shows_the_loss_and_ctrl_c_keeps_the_weights(capsys):
    import numpy as np

    from dlkata.training import Training, run

    w = np.zeros(3)
    bar = io.StringIO()
    with Training(100, desc="fit", disable=False, file=bar, mininterval=0) as tr:
        for i in tr:
            if i == 37:
                raise KeyboardInterrupt
            w += 1.0
            tr.update(loss=1.0 / (i + 1))
    assert tr.interrupted and tr.steps == 37 and len(tr.losses) == 37
    assert np.all(w == 37.0)  # what was learned is kept
    assert "loss=" in bar.getvalue() and "fit" in bar.getvalue()
    assert "37/100" in capsys.readouterr().err

    out = io.StringIO()
    with Training(3, disable=False, file=bar) as tr:
        for i in tr:
            tr.write(f"line {i}", file=out)   # printed lines do not break the bar
            tr.update(loss=1.0)
    assert out.getvalue() == "line 0\nline 1\nline 2\n"

    done = run(lambda i: 0.5 ** i, 10, desc="quiet", file=io.StringIO())
    assert not done.interrupted and done.steps == 10 and done.losses[-1] == 0.5 ** 9
    with pytest.raises(ValueError):
        with Training(5, disable=True):
            raise ValueError("other errors pass through")


# ---------------------------------------------------------------- sources (what reset builds on)
def test_sources_replace_handles_decorators_classes_and_missing_names():
    pristine = ("import x\n\n\n@dec\ndef f():\n    raise NotImplementedError\n    # trailing comment\n\n\n"
                "class C:\n    def m(self):\n        raise NotImplementedError\n\n\ndef g():\n    pass\n")
    mine = "import x\n\n\n@dec\ndef f():\n    return 1\n\n\ndef g():\n    return 2\n"
    out = sources.replace(mine, pristine, ["f", "C"])
    assert sources.segment(out, "f") == sources.segment(pristine, "f")
    assert sources.segment(out, "C") == sources.segment(pristine, "C")
    assert sources.segment(out, "g") == "def g():\n    return 2\n"
    assert list(sources.spans(out)) == ["f", "C", "g"]
    assert sources.symbol_at(out, out.splitlines().index("    return 2") + 1) == "g"


def test_make_help_speaks_the_learners_language():
    """`make help` (what a learner types first) in Japanese with L=ja or a Japanese locale, in
    English otherwise: line for line the same commands, every Japanese line in Japanese."""
    env = {k: v for k, v in os.environ.items() if k not in ("L", "DLKATA_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}

    def helptext(**extra) -> list[str]:
        out = subprocess.run(["make", "-s", "--no-print-directory", "help"], cwd=ROOT, capture_output=True,
                             text=True, env={**env, "LANG": "C.UTF-8", **extra}, check=True).stdout
        return out.splitlines()

    en, ja = helptext(), helptext(L="ja")
    assert helptext(LANG="ja_JP.UTF-8") == ja and helptext(LANG="ja_JP.UTF-8", DLKATA_LANG="en") == en
    assert len(en) == len(ja) > 20 and en[0] == "For learners:"
    command = re.compile(r"make [\w-]+(?: ch\d\d[\w.]*)?")
    for e, j in zip(en, ja):
        assert command.findall(e) == command.findall(j), (e, j)
        assert e == j or re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", j), j   # (a line of commands alone is both)
