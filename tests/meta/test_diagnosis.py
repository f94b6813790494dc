"""Feedback that names what is wrong: the generic diagnosis of a failing array (dlkata.testing)
and the catalogue of classic mistakes (dlkata.diagnosis, dlkata.dev.mistakes)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dlkata import diagnosis, testing
from dlkata.classroom import notebooks
from dlkata.dev import mistakes
from dlkata.kata import catalogue
from dlkata.runner import engine, report, status
from dlkata.testing import explain, fingerprint, says

ROOT = catalogue.ROOT


def keys(why: list) -> list[str]:
    return [k for k, _ in why]


def params(why: list, key: str) -> dict:
    return next(p for k, p in why if k == key)


# ---------------------------------------------------------------- generic diagnosis, pattern by pattern

def test_shape_differs():
    why = explain(np.ones((2, 3)), np.full(3, 5.0))
    assert keys(why) == ["shape"] and params(why, "shape") == {"actual": (2, 3), "expected": (3,)}


def test_transpose_of_another_shape():
    e = np.arange(6.0).reshape(2, 3)
    assert keys(explain(e.T, e)) == ["shape", "transpose"]


def test_transpose_of_a_square_matrix():
    e = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert keys(explain(e.T, e))[-1] == "transpose"


def test_reshape_not_transpose():
    e = np.arange(6.0).reshape(2, 3)
    assert keys(explain(e.reshape(3, 2), e)) == ["shape", "reshape"]


def test_missing_reduction():
    dout = np.arange(12.0).reshape(3, 4)
    why = explain(dout, dout.sum(axis=0))
    assert params(why, "reduce") == {"how": "sum", "axis": 0}


def test_dtype_differs():
    why = explain(np.array([True, False]), np.array([1, 1]))
    assert "dtype" in keys(why)


def test_count_first_index_and_largest_error():
    e = np.zeros((3, 4))
    a = e.copy()
    a[1, 2], a[2, 3] = 0.5, -2.0
    why = explain(a, e)
    assert params(why, "count") == {"n": 2, "total": 12, "index": "1, 2", "a": "0.5", "e": "0"}
    largest = params(why, "largest")
    assert largest["index"] == "2, 3" and largest["err"] == 2.0


def test_constant_factor_names_the_batch_size():
    e = np.random.default_rng(0).normal(size=(4, 3))
    why = explain(e * 4, e)
    assert params(why, "factor")["factor"] == "4" and params(why, "factor")["n"] == 4
    why = explain(e / 4, e)
    p = params(why, "factor")
    assert p["factor"] == "0.25" and p["n"] == 4 and p["inv"]
    assert "1/4" in says("factor", p, "en") and "1/4" in says("factor", p, "ja")


def test_opposite_sign():
    e = np.random.default_rng(1).normal(size=(2, 3))
    assert keys(explain(-e, e))[-1] == "sign"


def test_constant_offset():
    e = np.arange(6.0)
    assert params(explain(e + 0.5, e), "offset") == {"offset": 0.5}


def test_same_values_in_another_order():
    e = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert keys(explain(e[::-1], e))[-1] == "order"


def test_nan_or_inf_is_an_overflow():
    why = explain(np.array([np.nan, np.inf, 0.5]), np.array([0.2, 0.3, 0.5]))
    assert params(why, "nan") == {"n": 2}
    assert "overflow" in says("nan", {"n": 2}, "en") and "オーバーフロー" in says("nan", {"n": 2}, "ja")


def test_all_zeros():
    assert keys(explain(np.zeros(3), np.array([1.0, 2.0, 4.0])))[-1] == "zeros"


def test_output_equal_to_an_input_is_not_computed():
    x = np.array([1.0, -2.0, 3.0])
    why = explain(x, np.maximum(0, x), inputs={"x": x})
    assert keys(why)[0] == "is_input" and params(why, "is_input") == {"name": "x"}


def test_input_changed_in_place(monkeypatch):
    monkeypatch.setattr(testing.check, "fail", lambda msg: None)  # record, without failing this test
    monkeypatch.setattr(testing, "FAILURES", [])
    x = np.array([[1.0, -2.0], [-3.0, 4.0]])
    before = x.copy()
    assert testing.expect_unchanged(x, before, call="relu(x)", name="x")
    x[x < 0] = 0
    assert not testing.expect_unchanged(x, before, call="relu(x)", name="x")
    (key, p), = testing.FAILURES[-1]["why"]
    assert key == "in_place" and p["n"] == 2 and p["index"] == "0, 1" and p["a"] == "0" and p["e"] == "-2"
    assert "changed in place" in says(key, p, "en") and "書き換え" in says(key, p, "ja")


def test_check_lines_show_the_diagnosis(monkeypatch):
    monkeypatch.setattr(testing.check, "fail", lambda msg: None)
    monkeypatch.setattr(testing, "FAILURES", [])
    e = np.random.default_rng(3).normal(size=(3, 2))
    testing.expect_close(e * 3, e, call="layer.backward(dout)")
    monkeypatch.setenv("DLKATA_LANG", "en")
    lines = testing.check_lines(testing.FAILURES[-1])
    assert lines[0] == "layer.backward(dout)" and "3 times" in lines[-1]
    monkeypatch.setenv("DLKATA_LANG", "ja")
    assert "3 倍" in testing.check_lines(testing.FAILURES[-1])[-1]


def test_no_pattern_for_unrelated_values():
    a, e = np.array([1.0, 5.0, 2.0]), np.array([3.0, 1.0, 4.0])
    assert keys(explain(a, e)) == ["count", "largest"]


def test_every_message_exists_in_both_languages():
    from dlkata.i18n import MESSAGES
    keys = [k for k in MESSAGES if k.startswith(("why_", "diagnosis_"))]
    assert len(keys) > 15
    for key in keys:
        assert set(MESSAGES[key]) == {"ja", "en"}, key


def test_a_diagnosis_never_breaks_on_odd_values():
    for a, e in [("text", np.zeros(2)), (np.zeros(2), None), (object(), 3), (np.zeros(0), np.zeros(0))]:
        assert isinstance(explain(a, e), list)


# ---------------------------------------------------------------- fingerprints and matching

def test_fingerprint_survives_rounding_noise_only():
    x = np.random.default_rng(2).normal(size=(3, 4))
    fp = fingerprint("f(x)", "", x)
    assert fingerprint("f(x)", "", x * (1 + 1e-13)) == fp
    assert fingerprint("f(x)", "", x + np.where(x == x.max(), 1e-20, 0)) == fp
    assert fingerprint("f(x)", "", x * 1.001) != fp
    assert fingerprint("g(x)", "", x) != fp
    assert fingerprint("f(x)", "max relative error 1.2e-01 > 1e-06", x) == \
        fingerprint("f(x)", "max relative error 3.4e-01 > 1e-06", x)


def _mistake(mid, tests):
    return {"id": mid, "kata": "ch09.k", "section": "9.1", "ja": "日本語 " + mid, "en": "English " + mid,
            "tests": tests}


def test_match_exact_likely_and_none():
    a = _mistake("ch09.k.a", {"T::t1": ["V:1", "V:2"], "T::t2": []})
    b = _mistake("ch09.k.b", {"T::t1": ["V:1", "V:3"], "T::t2": []})
    c = _mistake("ch09.k.c", {"T::t1": [], "T::t2": ["E:ValueError"]})
    assert diagnosis.match({"T::t1": ["V:2", "V:1"], "T::t2": []}, [a, b, c])["id"] == "ch09.k.a"
    assert diagnosis.match({"T::t1": ["V:2", "V:1"], "T::t2": []}, [a, b, c])["exact"]
    likely = diagnosis.match({"T::t1": ["V:2", "V:9"], "T::t2": []}, [a, b, c])
    assert likely["id"] == "ch09.k.a" and not likely["exact"]
    assert diagnosis.match({"T::t1": ["V:1", "V:9"], "T::t2": []}, [a, b, c]) is None  # a tie
    assert diagnosis.match({"T::t1": ["V:7"], "T::t2": []}, [a, b, c]) is None
    assert diagnosis.match({"T::t1": [], "T::t2": ["E:ValueError"]}, [a, b, c])["id"] == "ch09.k.c"
    assert diagnosis.match({"T::t1": ["T:ch09.k"], "T::t2": []}, [a, b, c]) is None      # a stub
    assert diagnosis.match({"T::t1": [], "T::t2": []}, [a, b, c]) is None                # passing


def test_match_ignores_tests_only_one_side_ran():
    a = _mistake("ch09.k.a", {"T::t1": ["V:1"], "T::hidden": ["V:5"]})
    assert diagnosis.match({"T::t1": ["V:1"], "T::slow": ["V:8"]}, [a])["exact"]


def test_line_in_each_language():
    d = diagnosis._result(_mistake("ch09.k.a", {}), True)
    assert diagnosis.line(d, "ja") == "診断: 日本語 ch09.k.a (§9.1)"
    assert diagnosis.line(d, "en") == "diagnosis: English ch09.k.a (§9.1)"
    assert diagnosis.line({**d, "exact": False}, "en").startswith("likely: ")


# ---------------------------------------------------------------- the catalogue

def test_every_chapter_has_mistakes_and_they_apply_once():
    cat = catalogue.load()
    for ch in [c for c in cat.chapter_ids() if cat.katas_of(c)]:
        ms = mistakes.load(ch)
        assert ms, f"{ch} has no catalogued mistakes"
        assert mistakes.lint(ms) == []


def test_an_edit_that_does_not_apply_exactly_once_is_refused():
    m = mistakes.Mistake("ch03.softmax.x", "ch03.softmax", "3.5.2", (("np.sum", "np.mean"),), "ja", "en")
    assert "np.mean(e" in mistakes.apply(m)
    m = mistakes.Mistake("ch03.softmax.x", "ch03.softmax", "3.5.2", (("x", "y"),), "ja", "en")
    with pytest.raises(ValueError, match="not once"):
        mistakes.apply(m)
    m = mistakes.Mistake("ch03.relu.x", "ch03.relu", "3.2.7", (("np.exp(-x)", "np.exp(x)"),), "ja", "en")
    with pytest.raises(ValueError, match="0 times"):
        mistakes.apply(m)


def _tree_with(tmp_path: Path, ids: list[str]) -> Path:
    """The reference tree with the named mistakes applied (at most one per file)."""
    cat = catalogue.load()
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "solutions", tree, ignore=shutil.ignore_patterns("__pycache__"))
    for mid in ids:
        m = next(m for m in mistakes.load(mid.split(".")[0]) if m.id == mid)
        (tree / cat.by_id[m.kata].path).write_text(mistakes.apply(m), encoding="utf-8")
    return tree


def test_make_test_names_the_mistake_in_the_learners_language(tmp_path, monkeypatch):
    tree = _tree_with(tmp_path, ["ch05.softmax_with_loss.no_batch_division"])
    results = engine.run(tree, ["ch05"])
    cat = catalogue.load()
    states = status.compute(results, cat, ["ch05"])
    st = states["ch05.softmax_with_loss"]
    assert st.status == status.FAILING and st.diagnosis["id"] == "ch05.softmax_with_loss.no_batch_division"
    for lang, word in (("ja", "診断: "), ("en", "diagnosis: ")):
        monkeypatch.setenv("DLKATA_LANG", lang)
        lines = report.render(states, cat, ["ch05"], [k.id for k in cat.katas_of("ch05")])
        said = [line for line in lines if word in line]
        assert len(said) == 1 and st.diagnosis[lang] in said[0]
    assert all(s.diagnosis is None for k, s in states.items() if k != "ch05.softmax_with_loss")


def test_the_notebooks_check_names_the_mistake(tmp_path):
    m = next(m for m in mistakes.load("ch05") if m.id == "ch05.affine.db_not_summed")
    text = mistakes.apply(m)
    cell = "import numpy as np\n" + text[text.index("class Affine"):text.index("class SoftmaxWithLoss")]
    dest = tmp_path / "ch05"
    shutil.copytree(notebooks.SOURCE / "ch05", dest)
    script = ("import sys; sys.path.insert(0, '.')\n"
              "from dlkata import nbcheck\nnbcheck.setup()\n"
              f"nbcheck.load_cell({cell!r})\n"
              "try:\n    nbcheck.check('ch05.affine')\nexcept nbcheck.KataFailed as e:\n    print('FAILED', e)\n")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "DLKATA_LANG": "en"}
    out = subprocess.run([sys.executable, "-c", script], cwd=dest, capture_output=True, text=True, env=env,
                         timeout=120)
    assert "FAILED" in out.stdout, out.stdout + out.stderr
    assert f"diagnosis: {m.en}" in out.stdout


def test_grading_feedback_names_the_mistake():
    from dlkata.sandbox import grade
    kata = catalogue.load().by_id["ch03.softmax"]
    d = {"id": "ch03.softmax.no_max", "kata": kata.id, "section": "3.5.2", "ja": "最大値", "en": "the max",
         "exact": True}
    st = status.KataState(kata, status.FAILING, 4, 6, failure={"kind": "check", "call": "softmax(x)"},
                          diagnosis=d)
    for lang, said in (("ja", "診断: 最大値 (§3.5.2)"), ("en", "diagnosis: the max (§3.5.2)")):
        os.environ["DLKATA_LANG"] = lang
        try:
            assert grade._message(st).splitlines()[-1] == said
        finally:
            del os.environ["DLKATA_LANG"]


def test_stored_fingerprints_cover_every_catalogued_mistake():
    for ch in mistakes.chapters():
        stored = json.loads(mistakes.prints_path(ch).read_text(encoding="utf-8"))["mistakes"]
        assert [m["id"] for m in stored] == [m.id for m in mistakes.load(ch)]


def test_the_self_check_catches_uncaught_twin_and_misnamed_mistakes():
    a = mistakes.Mistake("ch03.relu.a", "ch03.relu", "3.2.7", (), "ja", "en")
    b = mistakes.Mistake("ch03.relu.b", "ch03.relu", "3.2.7", (), "ja", "en")
    failing = [{"nodeid": "tests/ch03/test_activation.py::TestRelu::test_values", "kata": "ch03.relu",
                "outcome": "failed", "failure": {"kind": "check"}, "fps": ["V:1"]}]
    passing = [{**failing[0], "outcome": "passed", "failure": None, "fps": []}]
    stored = {"ch03.relu": [mistakes.record(a, failing), mistakes.record(b, failing)]}
    problems = mistakes.check_results([a, b], {"ch03.relu.a": failing, "ch03.relu.b": failing}, stored)
    assert problems == ["ch03.relu.a: the diagnosis names nothing (it fails exactly as ch03.relu.b)",
                        "ch03.relu.b: the diagnosis names nothing (it fails exactly as ch03.relu.a)"]
    stored = {"ch03.relu": [mistakes.record(a, failing)]}
    assert mistakes.check_results([a], {"ch03.relu.a": failing}, stored) == []
    assert "not caught" in mistakes.check_results([a], {"ch03.relu.a": passing}, stored)[0]


def test_grading_in_the_sandbox_names_the_same_mistakes(tmp_path):
    ids = ["ch03.softmax.no_max", "ch03.init_network.w1_transposed"]
    tree = _tree_with(tmp_path, ids)
    sub = tmp_path / "student"
    shutil.copytree(tree / "ch03", sub / "ch03")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DLKATA_LANG": "en"}
    proc = subprocess.run([sys.executable, "-m", "dlkata.sandbox", "ch03", str(sub), "--json", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    katas = {k["id"]: k for k in json.loads(proc.stdout)[0]["katas"]}
    for mid in ids:
        k = katas[mid.rsplit(".", 1)[0]]
        assert k["diagnosis"]["id"] == mid and k["message"].splitlines()[-1].startswith("diagnosis: ")
    assert all(k["diagnosis"] is None for kid, k in katas.items() if kid not in ("ch03.softmax", "ch03.init_network"))
