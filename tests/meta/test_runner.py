"""The learner's runner: one line per kata, the first failure with call/actual/expected, exit status."""
import os
import re
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


# ---------------------------------------------------------------- issue 13: the runner's rough edges
@pytest.fixture
def mine(tmp_path):
    """A learner's copy of the whole exercises/ tree, to put reference code (or mistakes) in."""
    shutil.copytree(ROOT / "exercises", tmp_path / "mine", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "mine"


def put(mine, *kata_ids):
    """The reference's code for these katas in the learner's files."""
    from tests.meta.test_learner import solve as solve_in
    solve_in(mine.parent, *kata_ids, impl=mine.name)


def edit(mine, path, old, new):
    p = mine / path
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


LAYERS = ["ch05.mul_layer", "ch05.add_layer", "ch05.relu_layer", "ch05.sigmoid_layer", "ch05.affine",
          "ch05.softmax_with_loss"]
SWAPPED = ('self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])',
           'self.layers["Affine1"] = Affine(self.params["W2"], self.params["b1"])')


def net_calling_affine_wrongly(mine):
    """Every layer done; the network hands its first Affine the second layer's weights."""
    put(mine, *LAYERS, "ch05.two_layer_net")
    edit(mine, "ch05/two_layer_net.py", *SWAPPED)


def lines_of(out):
    return {m.group(1): line for line in out.splitlines() if (m := re.match(r"^  \S (ch\d\d\.\w+) ", line))}


def test_verbose_shows_the_whole_traceback_with_the_learners_frames(mine):
    net_calling_affine_wrongly(mine)
    p = run("test", "ch05.two_layer_net", "--impl", str(mine), "--verbose")
    assert p.returncode == 1
    out = p.stdout
    assert "FAILURES" in out, out[-3000:]
    assert f"{mine}/ch05/two_layer_net.py:" in out and ": in predict" in out  # the learner's calling frame
    assert f"{mine}/ch05/layers.py:" in out and "ValueError" in out           # and the innermost one
    assert "failing (2 of 9 tests pass)" in out                                # then the usual report


def test_a_syntax_error_leaves_the_other_files_katas_running(mine):
    put(mine, *LAYERS, "ch05.gradient_check")
    edit(mine, "ch05/two_layer_net.py", "def predict(self, x: np.ndarray) -> np.ndarray:",
         "def predict(self, x: np.ndarray) -> np.ndarray")
    p = run("test", "ch05", "--impl", str(mine))
    assert p.returncode == 1
    states = lines_of(p.stdout)
    for kid in LAYERS:
        assert "done" in states[kid], p.stdout
    assert "cannot import" in states["ch05.two_layer_net"]
    assert "blocked by ch05.two_layer_net" in states["ch05.gradient_check"]
    assert p.stdout.count("SyntaxError") == 1, p.stdout
    assert "ch05/two_layer_net.py:" in p.stdout and "tests/ch05/test_gradient_check.py" not in p.stdout


def test_an_error_inside_a_finished_kata_points_at_the_learners_call(mine):
    net_calling_affine_wrongly(mine)
    p = run("test", "ch05", "--impl", str(mine))
    out = p.stdout
    assert "failing" in lines_of(out)["ch05.two_layer_net"] and "done" in lines_of(out)["ch05.affine"]
    assert re.search(r"at .*ch05/layers\.py:\d+ in forward: ", out), out
    assert re.search(r"called from .*ch05/two_layer_net\.py:\d+ in predict: x = layer\.forward\(x\)", out), out
    assert "ch05.affine passes its own tests: look at how it is called here" in out


def test_failing_says_how_many_tests_pass_in_both_languages(mine):
    net_calling_affine_wrongly(mine)
    assert "failing (2 of 9 tests pass)" in run("test", "ch05.two_layer_net", "--impl", str(mine)).stdout
    ja = run("test", "ch05.two_layer_net", "--impl", str(mine), env={"DLKATA_LANG": "ja"}).stdout
    assert "失敗 (テスト 9 個中 2 個が通過)" in ja and "呼び出し元:" in ja


def test_blocked_only_by_a_stub_the_failing_test_hit(mine):
    # im2col that works its sizes out itself (never calling the unwritten conv_output_size)
    # and gets the column order wrong: failing, with its own failure, not "blocked".
    put(mine, "ch07.im2col")
    edit(mine, "ch07/util.py", "out_h = conv_output_size(H, filter_h, stride, pad)",
         "out_h = (H + 2 * pad - filter_h) // stride + 1")
    edit(mine, "ch07/util.py", "out_w = conv_output_size(W, filter_w, stride, pad)",
         "out_w = (W + 2 * pad - filter_w) // stride + 1")
    edit(mine, "ch07/util.py", "windows.transpose(0, 4, 5, 1, 2, 3)", "windows.transpose(0, 4, 5, 1, 3, 2)")
    p = run("test", "ch07.conv_output_size", "ch07.im2col", "--impl", str(mine))
    states = lines_of(p.stdout)
    assert "not started" in states["ch07.conv_output_size"]
    assert "failing" in states["ch07.im2col"] and "blocked by" not in p.stdout, p.stdout
    assert "✗ ch07.im2col" in p.stdout  # its first failure is shown

    # The same im2col calling the stub is blocked by it.
    put(mine, "ch07.im2col")
    p = run("test", "ch07.im2col", "--impl", str(mine))
    assert "blocked by ch07.conv_output_size" in lines_of(p.stdout)["ch07.im2col"]


def test_long_blocked_by_texts_keep_the_columns(mine):
    put(mine, "ch05.mul_layer", "ch05.add_layer", "ch05.relu_layer", "ch05.sigmoid_layer", "ch05.affine",
        "ch05.two_layer_net")  # the network hits the softmax_with_loss stub
    p = run("test", "ch05", "--impl", str(mine))
    lines = lines_of(p.stdout)
    assert "blocked by ch05.softmax_with_loss" in lines["ch05.two_layer_net"]
    cat = catalogue.load()
    starts = {kid: line.index(cat.by_id[kid].title["en"]) for kid, line in lines.items()}
    assert len(set(starts.values())) == 1, p.stdout


def test_plain_pytest_of_one_file_blocks_nothing_on_other_files(mine):
    net_calling_affine_wrongly(mine)
    e = {**os.environ, "PYTHONPATH": str(ROOT), "DLKATA_LANG": "en"}
    p = subprocess.run([sys.executable, "-m", "pytest", "tests/ch05/test_two_layer_net.py", f"--impl={mine}", "-q"],
                       cwd=ROOT, capture_output=True, text=True, env=e, timeout=120)
    assert "failing (2 of 9 tests pass)" in p.stdout, p.stdout
    assert "blocked" not in lines_of(p.stdout)["ch05.two_layer_net"]
    assert "ch05.affine" not in lines_of(p.stdout)  # the other files' katas did not run: not listed


def test_json_has_each_katas_state_expectations_error_and_diagnosis(mine):
    import json
    net_calling_affine_wrongly(mine)
    edit(mine, "ch05/layers.py", "self.mask = x <= 0", "self.mask = x < 0")
    p = run("test", "ch05", "--impl", str(mine), "--json")
    assert p.returncode == 1
    doc = json.loads(p.stdout)
    katas = {k["id"]: k for k in doc["katas"]}
    assert list(katas) == [k.id for k in catalogue.load().katas_of("ch05")]
    assert doc["summary"]["katas"] == len(katas) and doc["summary"]["done"] == 5  # the five other layers
    assert all("diagnosis" in k for k in katas.values())
    relu = katas["ch05.relu_layer"]
    assert relu["state"] == "failing" and relu["error"] is None
    first = relu["expectations"][0]
    assert {"call", "actual", "expected", "note", "test", "lines"} <= set(first)
    assert first["call"] == "layer.backward(dout)" and first["test"].startswith("tests/ch05/test_layers.py::")
    net = katas["ch05.two_layer_net"]
    assert net["state"] == "failing" and net["blocked_by"] is None
    assert net["error"]["type"] == "ValueError" and net["error"]["in"] == "ch05.affine"
    assert net["error"]["caller"]["source"] == "x = layer.forward(x)"
    assert katas["ch05.affine"]["state"] == "done" and katas["ch05.affine"]["expectations"] == []
    assert katas["ch05.gradient_check"]["state"] == "todo" and katas["ch05.gradient_check"]["stub"] == "ch05.gradient_check"
