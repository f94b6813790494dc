"""The learner's runner: one line per kata, the first failure with call/actual/expected, exit status."""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from dlkata.kata import catalogue, regions

ROOT = catalogue.ROOT


def run(*args, env=None):
    e = {**os.environ, "PYTHONPATH": str(ROOT), "DLKATA_LANG": "en", **(env or {})}
    return subprocess.run([sys.executable, "-m", "dlkata", *args], cwd=ROOT, capture_output=True,
                          text=True, env=e, timeout=120)


@pytest.fixture
def tree(tmp_path):
    """A learner's copy of exercises/ch02 to edit."""
    dest = tmp_path / "mine"
    shutil.copytree(ROOT / "exercises" / "ch02", dest / "ch02")
    return dest


def solve(tree, name, body):
    path = tree / "ch02" / "perceptron.py"
    text = path.read_text(encoding="utf-8")
    stub = f'    # YOUR CODE HERE\n    raise NotImplementedError("{name}'
    start = text.index(stub)
    end = text.index("\n", text.index("raise NotImplementedError", start)) + 1
    path.write_text(text[:start] + textwrap.indent(body, "    ") + "\n" + text[end:], encoding="utf-8")


def test_untouched_exercises_are_not_started():
    p = run("test", "ch02")
    assert p.returncode == 1
    assert p.stdout.count("not started") == 5  # four katas and the summary
    assert "next: ch02.perceptron" in p.stdout


def test_reference_is_all_done():
    p = run("test", "ch02", "--impl", "solutions")
    assert p.returncode == 0, p.stdout
    assert "4 done" in p.stdout


def test_first_failure_shows_call_actual_expected_and_hint(tree):
    solve(tree, "ch02.perceptron", "return 1 if np.sum(w * x) + b >= 0 else 0")
    p = run("test", "ch02", "--impl", str(tree))
    assert p.returncode == 1
    out = p.stdout
    assert "✗ ch02.perceptron" in out
    assert "perceptron([1, 1], w=[0.5, 0.5], b=-1.0)" in out
    assert "actual:   1" in out and "expected: 0" in out
    assert "hint: make hint ch02.perceptron" in out
    assert "Traceback" not in out


def test_unfinished_prerequisite_blocks(tree):
    solve(tree, "ch02.perceptron", "return 0 if np.sum(w * x) + b <= 0 else 1")
    solve(tree, "ch02.xor", "return AND(NAND(x1, x2), OR(x1, x2))")
    p = run("test", "ch02.xor", "--impl", str(tree))
    assert "blocked by ch02.gates" in p.stdout
    assert "1 blocked" in p.stdout


def test_one_kata_is_shown_alone(tree):
    solve(tree, "ch02.perceptron", "return 0 if np.sum(w * x) + b <= 0 else 1")
    p = run("test", "ch02.perceptron", "--impl", str(tree))
    assert p.returncode == 0
    assert "ch02.gates" not in p.stdout
    assert "1 katas: 1 done" in p.stdout


def test_syntax_error_names_file_and_line(tree):
    path = tree / "ch02" / "perceptron.py"
    path.write_text(path.read_text(encoding="utf-8").replace("def XOR(", "def XOR((", 1), encoding="utf-8")
    p = run("test", "ch02", "--impl", str(tree))
    assert p.returncode == 1
    assert "SyntaxError" in p.stdout
    assert "perceptron.py:" in p.stdout


def test_unknown_target_is_a_clear_error():
    p = run("test", "ch99.nothing")
    assert p.returncode == 2
    assert "unknown chapter or kata" in p.stderr


def test_hints_escalate_and_remember(tmp_path):
    env = {"DLKATA_STATE": str(tmp_path)}
    first = run("hint", "ch02.perceptron", env=env).stdout
    second = run("hint", "ch02.perceptron", env=env).stdout
    assert "Hint 1/3" in first and "Hint 2/3" in second
    ja = run("hint", "ch02.perceptron", "--restart", env={**env, "DLKATA_LANG": "ja"}).stdout
    assert "ヒント 1/3" in ja


def test_stub_keeps_everything_outside_regions():
    src = "def f(x):\n    '''doc'''\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    found = regions.find_regions(src)
    kata = type("K", (), {"id": "ch01.f", "section": "1.5"})
    out = regions.make_stub(src, found, lambda r: kata)
    assert out.startswith("def f(x):\n    '''doc'''\n    # YOUR CODE HERE\n")
    assert 'raise NotImplementedError("ch01.f (§1.5): f を書きましょう / write f")' in out


@pytest.mark.parametrize("src", [
    "def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    pass\n    ### END SOLUTION\n",
    "def f():\n    ### BEGIN SOLUTION\n    pass\n",
    "### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n",
])
def test_bad_markers_are_refused(src):
    with pytest.raises(regions.MarkerError):
        regions.find_regions(src)
