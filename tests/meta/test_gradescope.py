"""`make gradescope ch02`: the autograder zip, run as Gradescope runs it.

The zip is unpacked into source/ of a temporary root laid out as Gradescope's /autograder
(source/, submission/, results/); its own `run_autograder` grades, with
DLKATA_GRADESCOPE_ROOT pointing at that root, a complete notebook, a partial .py tree (a
wrong XOR), the module files uploaded loose, and a notebook that is not JSON.
results/results.json must hold one test per kata with our feedback, and no hidden test.
"""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dlkata.classroom import gradescope, notebooks
from dlkata.kata import catalogue

ROOT = catalogue.ROOT
CH = "ch02"
KATAS = {k.id: k.points for k in catalogue.load().katas_of(CH)}
TOTAL = sum(KATAS.values())
HIDDEN_WORDS = ("HIDDEN TESTS", "check_hidden", "tests_sha256")


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gradescope")
    zpath = gradescope.build(CH, tmp / f"gradescope-{CH}.zip")
    source = tmp / "source"
    with zipfile.ZipFile(zpath) as z:
        names = z.namelist()
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in z.infolist()}
        z.extractall(source)
    for script in ("run_autograder", "setup.sh"):
        (source / script).chmod(modes[script])
    return {"source": source, "names": names, "modes": modes, "tmp": tmp}


def _grade(autograder, name: str, files: dict[str, str | bytes]) -> dict:
    root = autograder["tmp"] / name
    (root / "submission").mkdir(parents=True)
    (root / "source").symlink_to(autograder["source"])
    for rel, data in files.items():
        p = root / "submission" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({gradescope.ROOT_ENV: str(root), "DLKATA_PYTHON": sys.executable})
    proc = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def _by_kata(results: dict) -> dict:
    return {t["name"].split(" ")[0]: t for t in results["tests"]}


def _tree(xor_body: str | None = None) -> dict[str, str]:
    files = {}
    for p in sorted((ROOT / "solutions" / CH).glob("*.py")):
        text = p.read_text(encoding="utf-8")
        if xor_body and "def XOR(" in text:
            text = re.sub(r"def XOR\(.*?(?=\n(def |class |if __name__)|\Z)", xor_body, text, flags=re.S)
        files[p.name] = text
    return files


def test_the_zip_has_gradescopes_layout(autograder):
    names = autograder["names"]
    assert {"setup.sh", "run_autograder", "assignment.json", "catalogue.toml"} <= set(names)
    assert autograder["modes"]["run_autograder"] & 0o111 and autograder["modes"]["setup.sh"] & 0o111
    assert any(n.startswith(f"tests/{CH}/") for n in names)
    assert any(n.startswith("solutions/ch01/") for n in names)
    # the reference of the graded chapter and later ones never ship
    assert not [n for n in names if n.startswith("solutions/") and not n.startswith("solutions/ch01/")]
    setup = (autograder["source"] / "setup.sh").read_text()
    assert "constraints.txt" in setup and "numpy" in setup


def test_complete_notebook(autograder):
    released = notebooks.loads((ROOT / "grader" / "source" / CH / f"{CH}.ipynb").read_text(encoding="utf-8"))
    nb = notebooks.fill_notebook(copy.deepcopy(released), ROOT / "solutions", CH)
    res = _grade(autograder, "complete", {f"{CH}.ipynb": notebooks.dumps(nb)})
    assert (res["score"], res["max_score"]) == (TOTAL, TOTAL)
    tests = _by_kata(res)
    assert set(tests) == set(KATAS)
    for kata, t in tests.items():
        assert (t["score"], t["max_score"], t["status"], t["visibility"]) == (KATAS[kata], KATAS[kata], "passed",
                                                                                "visible")
        assert "tests passed" in t["output"]


def test_partial_py_tree(autograder):
    wrong = "def XOR(x1, x2):\n    return 0\n\n"
    files = {f"{CH}/{name}": text for name, text in _tree(wrong).items()}
    res = _grade(autograder, "partial", files)
    tests = _by_kata(res)
    assert res["score"] == TOTAL - KATAS["ch02.xor"]
    xor = tests["ch02.xor"]
    assert (xor["score"], xor["status"]) == (0, "failed")
    assert "XOR(" in xor["output"] and "expected" in xor["output"].lower()   # call, actual, expected
    assert all(tests[k]["score"] == KATAS[k] for k in KATAS if k != "ch02.xor")
    text = json.dumps(res)
    assert not any(word in text for word in HIDDEN_WORDS)


def test_loose_module_files(autograder):
    res = _grade(autograder, "loose", _tree())
    assert res["score"] == TOTAL


def test_broken_notebook(autograder):
    res = _grade(autograder, "broken", {f"{CH}.ipynb": '{"cells": [ this is not json'})
    assert (res["score"], res["max_score"]) == (0, TOTAL)
    assert len(res["tests"]) == len(KATAS)
    assert all(t["score"] == 0 and "not a readable notebook" in t["output"] for t in res["tests"])


def test_nothing_uploaded(autograder):
    res = _grade(autograder, "empty", {"README.txt": "hello"})
    assert res["score"] == 0 and all("nothing to grade" in t["output"] for t in res["tests"])
