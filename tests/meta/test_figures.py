"""`make figures`: every registered figure is written as a valid PNG from the reference and
from a partly done tree (in a temporary copy, with DLKATA_FIGURES_QUICK=1: short training runs),
a stub leaves only its parts empty, and Ctrl-C during a figure's training keeps what was learned."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dlkata.kata import stubs

from tests.meta.test_learner import ROOT, _env, dlkata, solve, tree  # noqa: F401  (tree is a fixture)

pytest.importorskip("matplotlib")

QUICK = dict(DLKATA_FIGURES_QUICK="1")
# What issue 7 asks for; a chapter's new figure is tested as soon as it is registered.
EXPECTED = {"ch03.activations", "ch04.gradient_descent", "ch06.optimizer_paths", "ch06.weight_init_histograms",
            "ch06.overfitting_curves", "ch07.first_layer_filters"}


def _check_png(path: Path) -> None:
    import matplotlib.image

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    h, w = matplotlib.image.imread(path).shape[:2]
    assert h > 200 and w > 200


def test_the_registry_has_the_book_figures_and_each_names_real_katas():
    from dlkata.kata import catalogue
    from dlkata.figures import load_all

    figs = load_all()
    assert EXPECTED <= set(figs)
    known = catalogue.load().by_id
    for f in figs.values():
        assert f.needs and set(f.needs) <= set(known), f.id
        assert f.title.get("ja") and f.title.get("en"), f.id


def test_figures_from_the_reference(tree: Path):
    p = dlkata(tree, "figures", "--impl", "solutions", **QUICK)
    assert p.returncode == 0, p.stdout + p.stderr
    out = tree / "figures" / "reference"
    assert "figures/reference" in p.stdout
    from dlkata.figures import load_all
    for f in load_all().values():
        assert f"wrote figures/reference/{f.filename}" in p.stdout
        _check_png(out / f.filename)


def _stub(tree: Path, path: str, *katas: str) -> None:
    """The learner's file with only these katas still stubs (the rest as in the reference)."""
    (tree / "exercises" / path).write_text(stubs.stub_text(Path(path), only=set(katas)), encoding="utf-8")


def test_figures_from_a_partly_done_tree(tree: Path):
    ex = tree / "exercises"
    _stub(tree, "ch03/activation.py", "ch03.relu")
    _stub(tree, "ch06/optimizer.py", "ch06.momentum", "ch06.adagrad")
    solve(tree, "ch06.optimizer_path", "ch06.init_scale", "ch06.multi_layer_net",
          "ch07.conv_output_size", "ch07.simple_convnet")
    # still stubs: ch04, ch06.activation_distribution, ch06.multi_layer_net_extend and
    # ch06's layers, ch07's layers (Convolution, Pooling) and im2col.
    p = dlkata(tree, "figures", "ch03", "ch04", "ch06", "ch07", **QUICK)
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    assert "parts wait on ch03.relu" in out
    assert "parts wait on ch06.momentum, ch06.adagrad" in out
    # A figure whose katas are all stubs is still written: its panels empty and named.
    assert re.search(r"wrote figures/ch04_gradient_descent\.png.*\n  parts wait on ch04\.", out), out
    assert re.search(r"wrote figures/ch06_weight_init_histograms\.png.*\n  parts wait on .*ch06\.activation_distribution",
                     out), out
    assert re.search(r"wrote figures/ch06_overfitting_curves\.png.*\n  parts wait on ch06\.multi_layer_net_extend",
                     out), out
    assert re.search(r"wrote figures/ch07_first_layer_filters\.png.*\n  parts wait on ch07\.convolution", out), out
    for name in ("ch03_activations", "ch04_gradient_descent", "ch06_optimizer_paths", "ch06_weight_init_histograms",
                 "ch06_overfitting_curves", "ch07_first_layer_filters"):
        _check_png(tree / "figures" / f"{name}.png")

    # A kata the whole figure needs that is itself a stub: one empty panel naming it.
    _stub(tree, "ch07/util.py", "ch07.conv_output_size")
    (tree / "figures" / "ch07_first_layer_filters.png").unlink()
    p = dlkata(tree, "figures", "ch07", **QUICK)
    assert re.search(r"wrote figures/ch07_first_layer_filters\.png.*\n  parts wait on ch07\.conv_output_size",
                     p.stdout), p.stdout
    _check_png(tree / "figures" / "ch07_first_layer_filters.png")

    # An error in the learner's code (not a stub) is reported with the file and line; the rest is drawn.
    opt = ex / "ch06" / "optimizer.py"
    text = opt.read_text(encoding="utf-8")
    opt.write_text(text.replace("self.iter += 1", "self.iter += 1\n        raise ValueError('broken Adam')"),
                   encoding="utf-8")
    p = dlkata(tree, "figures", "ch06", lang="ja", **QUICK)
    assert p.returncode == 1
    assert "ValueError: broken Adam" in p.stdout and "optimizer.py:" in p.stdout
    assert "書き出しました" in p.stdout
    _check_png(tree / "figures" / "ch06_optimizer_paths.png")
    assert "ch05" in dlkata(tree, "figures", "ch05").stdout  # a chapter without figures says so


def test_untouched_chapter_still_gets_its_figures_with_named_empty_panels(tree: Path):
    p = dlkata(tree, "figures", "ch06", **QUICK)
    assert p.returncode == 0, p.stdout + p.stderr
    from dlkata.figures import load_all
    for f in [f for f in load_all().values() if f.chapter == "ch06"]:
        assert re.search(rf"wrote figures/{f.filename}.*\n  parts wait on ch06\.", p.stdout), p.stdout
        _check_png(tree / "figures" / f.filename)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_figures_of_a_chapter_without_figures_installs_nothing(tree: Path):
    # A python that is not the environment's: anything the Makefile tries to install shows up.
    fake = tree / "fakevenv" / "bin"
    fake.mkdir(parents=True)
    log = tree / "calls.log"
    (fake / "python").write_text(f"#!/bin/sh\necho \"$*\" >> {log}\nexec {sys.executable} \"$@\"\n")
    (fake / "python").chmod(0o755)
    (tree / "fakevenv" / ".learner").touch()
    p = subprocess.run(["make", "figures", "ch05", f"VENV={fake.parent}"], cwd=tree, env=_env(tree),
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "no figures for ch05" in p.stdout, p.stdout + p.stderr
    assert p.returncode != 0 and "Error" not in p.stderr, p.stderr
    assert "pip" not in log.read_text() and "import matplotlib" not in log.read_text()


CTRL_C = """
import sys
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from dlkata import figures, training
from dlkata.kata import importer

update = training.Training.update
def interrupted(self, *args, **kw):          # Ctrl-C arrives at step 3 of these runs
    update(self, *args, **kw)
    if self.steps == 3 and self.desc in ("weight decay λ=0.03", "SimpleConvNet"):
        raise KeyboardInterrupt
training.Training.update = interrupted
impl, figs = importer.impl_root("solutions"), figures.load_all()
for name in ("ch06.overfitting_curves", "ch07.first_layer_filters"):
    importer.install(impl, {figs[name].chapter})
    result, messages = figures.draw_one(figs[name], impl, Path("figures"))
    print(result, *messages, sep="\\n")
"""


def test_ctrl_c_in_a_figures_training_keeps_what_was_learned(tree: Path):
    p = subprocess.run([sys.executable, "-c", CTRL_C], cwd=tree, env=_env(tree, **QUICK), capture_output=True,
                       text=True, encoding="utf-8", timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stderr.count("stopped at step 3/") == 2, p.stderr
    assert p.stdout.count("wrote\n") == 2, p.stdout
    for name in ("ch06_overfitting_curves", "ch07_first_layer_filters"):
        _check_png(tree / "figures" / f"{name}.png")
