"""Training checks under the sandbox: their loops run in the grading worker (dlkata.testing.sgd
and train), and the verdicts must stay those of `make test SLOW=1`.

Chapter 6's overfitting checks (full-batch SGD, weight decay, dropout) and chapter 7's
SimpleConvNet trained with chapter 6's Adam, on the reference and on a tree whose
gradient is wrong (scaled by 0.1: every step too short, so the nets do not learn enough
and the training checks fail), graded by the runner and by the sandbox.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

from dlkata.kata import catalogue
from dlkata.sandbox.grade import STATUS

ROOT = catalogue.ROOT

LOCAL = """
import json, sys
from dlkata.kata import catalogue
from dlkata.runner import engine, status
cat = catalogue.load()
out = {}
for tree in sys.argv[2:]:
    ch = sys.argv[1]
    states = status.compute(engine.run(tree, [ch]), cat, [ch])
    out.update({f"{tree}:{k}": s.status for k, s in states.items()})
print(json.dumps(out))
"""


def _weak_gradient(tmp, chapter: str, module: str) -> str:
    """The reference with gradient() returning a tenth of the true gradient."""
    tree = tmp / f"weak_{chapter}"
    shutil.copytree(ROOT / "solutions" / chapter, tree / chapter)
    path = tree / chapter / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(r"(\n    def gradient\(self, x[^)]*\)[^:]*:\n)", r"\1        return {k: 0.1 * v for k, v in "
                      r"self._true_gradient(x, t).items()}\n\n    def _true_gradient(self, x, t):\n", text, count=1)
    assert n == 1, "no gradient(self, x, t) method found"
    path.write_text(text, encoding="utf-8")
    return str(tree)


def _verdicts(chapter: str, trees: list[str], slow_katas: str = "") -> tuple[dict, dict]:
    """Statuses by the runner (make test SLOW=1) and by the sandbox (--slow); with slow_katas,
    only those katas' slow tests run (the other slow checks are not what a test is about)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DLKATA_SLOW": "1", "DLKATA_SLOW_KATAS": slow_katas}
    local = subprocess.run([sys.executable, "-c", LOCAL, chapter, *trees], cwd=ROOT, capture_output=True,
                           text=True, env=env, timeout=600)
    assert local.returncode == 0, local.stderr[-2000:]
    want = {k.split(":", 1)[0].rsplit("/", 1)[-1] + ":" + k.split(":", 1)[1]: STATUS[v]
            for k, v in json.loads(local.stdout).items()}
    proc = subprocess.run([sys.executable, "-m", "dlkata.sandbox", chapter, *trees, "--json", "--quiet", "--slow"],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = {f"{rec['name']}:{k['id']}": k["status"] for rec in json.loads(proc.stdout) for k in rec["katas"]}
    return want, got


def test_ch06_overfitting_checks(tmp_path):
    weak = _weak_gradient(tmp_path, "ch06", "multi_layer_net")
    want, got = _verdicts("ch06", [str(ROOT / "solutions"), weak],
                          slow_katas="ch06.multi_layer_net,ch06.multi_layer_net_extend")
    assert got == want
    assert got["solutions:ch06.multi_layer_net"] == got["solutions:ch06.multi_layer_net_extend"] == "passed"
    assert got["weak_ch06:ch06.multi_layer_net"] == "failed"


def test_ch07_training_with_adam(tmp_path):
    weak = _weak_gradient(tmp_path, "ch07", "simple_convnet")
    want, got = _verdicts("ch07", [str(ROOT / "solutions"), weak])
    assert got == want
    assert got["solutions:ch07.simple_convnet"] == "passed"
    assert got["weak_ch07:ch07.simple_convnet"] == "failed"


FORGED_TRAIN = """
    # Trains nothing: tells the tests' network (a helper that runs beside this code, see
    # dlkata.testing.portable) to report perfect accuracy and a falling loss, and logs fake calls.
    cls = type(network)
    cls.accuracy_of = classmethod(lambda c, params, x, t: 1.0)
    cls.accuracy = lambda self, x, t: 1.0
    losses = [1.0 / (i + 1) for i in range(iters_num)]
    if hasattr(network, "grad_calls"):
        for _ in range(iters_num):
            network.grad_calls.append((x_train[:batch_size], t_train[:batch_size], dict(network.params)))
    return losses, [1.0], [1.0]
"""


def test_helpers_that_run_beside_the_code_cannot_vouch_for_it(tmp_path):
    """ch04's TinyNet crosses by value and runs its methods in the worker (testing.portable): a
    train() that patches its class there to claim success, and forges its log, still fails,
    because the tests judge the parameters that came back with the class's code on their side."""
    tree = _with_body(tmp_path, "ch04", "train", "train", FORGED_TRAIN, "forged_ch04")
    want, got = _verdicts("ch04", [str(ROOT / "solutions"), tree])
    assert got == want
    assert got["solutions:ch04.train"] == got["solutions:ch04.gradient_descent"] == "passed"
    assert got["forged_ch04:ch04.train"] == "failed"


def _with_body(tmp, chapter: str, module: str, fn: str, body: str, name: str) -> str:
    """The reference of a chapter with one function's solution region replaced by body."""
    tree = tmp / name
    shutil.copytree(ROOT / "solutions" / chapter, tree / chapter)
    path = tree / chapter / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    a = text.index("\n", text.index("### BEGIN SOLUTION", text.index(f"def {fn}("))) + 1
    b = text.index("    ### END SOLUTION", a)
    path.write_text(text[:a] + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n" + text[b:],
                    encoding="utf-8")
    return str(tree)


def test_a_view_instead_of_a_copy_fails_in_the_sandbox_too(tmp_path):
    """A returned view comes back to the tests as a copy; writing into it and checking the input
    (expect_unchanged settles the arrays first) shows the view, as np.shares_memory does locally."""
    for chapter, module, fn, body in (("ch01", "numpy_basics", "flatten_batch", "return X.reshape(X.shape[0], -1)"),
                                      ("ch08", "augment", "flip_horizontal", "return x[:, :, :, ::-1]")):
        view = _with_body(tmp_path, chapter, module, fn, body, f"view_{chapter}")
        want, got = _verdicts(chapter, [view])
        assert got == want
        kata = f"{chapter}.flatten_batch" if chapter == "ch01" else f"{chapter}.flip"
        assert got[f"view_{chapter}:{kata}"] == "failed", got
