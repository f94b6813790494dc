"""`make autograde` with the sandbox: broken and tampered notebooks in a real nbgrader course.

A temporary course releases chapter 2; notebooks are written straight into submitted/
(as `make collect` leaves them): the reference, the stubs, and notebooks that are broken
as files or tampered with. One `autograde` grades them all in parallel; each student's
score in nbgrader's gradebook must be what an honest reading gives, the batch must
complete, the gradebook stay sound, feedback and export work, and no process be left.
"""
from __future__ import annotations

import copy
import csv
import json
import os
import re
import sqlite3
import time
from pathlib import Path

import pytest

from dlkata.kata import catalogue
from dlkata.classroom import notebooks
from dlkata.classroom.notebooks import gid

pytest.importorskip("nbgrader")
from dlkata.classroom import commands as C  # noqa: E402

ROOT = catalogue.ROOT
CH = "ch02"
KATAS = [k.id for k in catalogue.load().katas_of(CH)]
POINTS = {k.id: k.points for k in catalogue.load().katas_of(CH)}
TOTAL = sum(POINTS.values())
HIDDEN_WORDS = ("HIDDEN TESTS", "check_hidden", "tests_sha256")


def _answer(nb: dict, kata: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid(kata, "answer"))


def _replace_def(cell: dict, name: str, body: str) -> None:
    """Replace function `name` in an answer cell by a new definition (signature kept simple)."""
    src = cell["source"]
    start = src.index(f"def {name}(")
    nxt = re.search(r"^(def |class )", src[start + 1:], re.M)
    end = start + 1 + nxt.start() if nxt else len(src)
    cell["source"] = src[:start] + body.strip("\n") + "\n\n\n" + src[end:]


def _notebooks(reference: dict, released: dict, gradebook: Path) -> dict:
    """name -> notebook text (None: no notebook file), with what an honest reading scores."""
    ref = notebooks.dumps(reference)
    out: dict[str, tuple] = {}
    out["reference"] = (ref, TOTAL)
    out["stubs"] = (notebooks.dumps(released), 0)
    out["bad_json"] = ('{"cells": [ this is not json', 0)
    out["not_a_notebook"] = (json.dumps({"cells": 3, "hello": "world"}), 0)
    huge = copy.deepcopy(reference)
    huge["cells"].append({"cell_type": "markdown", "id": "padding", "metadata": {},
                          "source": "x" * (6 << 20)})
    out["huge"] = (notebooks.dumps(huge), 0)
    out["missing_notebook"] = (None, 0)

    nb = copy.deepcopy(reference)   # every test cell deleted: nbgrader puts them back
    nb["cells"] = [c for c in nb["cells"] if not c["metadata"].get("nbgrader", {}).get("grade")]
    out["deleted_test_cells"] = (notebooks.dumps(nb), TOTAL)

    nb = copy.deepcopy(reference)   # test cells retyped and worth 100 points each
    for c in nb["cells"]:
        meta = c["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            c["source"] = "pass  # no tests here"
            meta["points"] = 100
    out["retyped_test_cells"] = (notebooks.dumps(nb), TOTAL)

    nb = copy.deepcopy(reference)   # a test cell turned into markdown; an answer cell made a grade cell
    for c in nb["cells"]:
        meta = c["metadata"].get("nbgrader", {})
        if meta.get("grade_id") == gid(KATAS[0], "tests"):
            c["cell_type"] = "markdown"
            c.pop("outputs", None)
            c.pop("execution_count", None)
        if meta.get("grade_id") == gid("ch02.xor", "answer"):
            meta.update(grade=True, points=50)
    out["tampered_metadata"] = (notebooks.dumps(nb), TOTAL)

    nb = copy.deepcopy(reference)   # a duplicate of XOR's answer cell, later, with a wrong XOR
    dup = copy.deepcopy(_answer(nb, "ch02.xor"))
    _replace_def(dup, "XOR", "def XOR(x1, x2):\n    return 0")
    nb["cells"].append(dup)
    out["duplicated_cell"] = (notebooks.dumps(nb), TOTAL - POINTS["ch02.xor"])

    nb = copy.deepcopy(reference)   # not valid Python: the module cannot be imported
    _answer(nb, "ch02.xor")["source"] += "\ndef broken(:\n"
    out["syntax_error"] = (notebooks.dumps(nb), 0)

    nb = copy.deepcopy(reference)   # make the test cells pass whatever happens, and a wrong XOR
    _replace_def(_answer(nb, "ch02.xor"), "XOR", """
import dlkata.nbcheck as _nbcheck
_nbcheck.check = lambda kata: None
_nbcheck.check_hidden = lambda *a, **k: None


def XOR(x1, x2):
    return 0""")
    out["patch_check"] = (notebooks.dumps(nb), TOTAL - POINTS["ch02.xor"])

    nb = copy.deepcopy(reference)   # write the gradebook from inside XOR
    _replace_def(_answer(nb, "ch02.xor"), "XOR", f"""
def XOR(x1, x2):
    import sqlite3
    con = sqlite3.connect({str(gradebook)!r})
    con.execute("update grade set auto_score = 100")
    con.commit()
    return AND(NAND(x1, x2), OR(x1, x2))""")
    out["write_gradebook"] = (notebooks.dumps(nb), TOTAL - POINTS["ch02.xor"])

    nb = copy.deepcopy(reference)   # leave the interpreter while the module is imported
    _answer(nb, "ch02.xor")["source"] += "\nimport os\nos._exit(3)\n"
    out["exit_at_import"] = (notebooks.dumps(nb), 0)
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory, released_ch02):
    from tests.meta.conftest import copy_course
    tmp = tmp_path_factory.mktemp("course")
    t0 = time.perf_counter()
    course = copy_course(released_ch02, tmp)   # ch02 as released (once per session)
    released = notebooks.loads((course.root / "release" / CH / f"{CH}.ipynb").read_text(encoding="utf-8"))
    reference = notebooks.fill_notebook(copy.deepcopy(released), ROOT / "solutions", CH)
    cases = _notebooks(reference, released, course.root / "gradebook.db")
    for name, (text, _) in cases.items():
        d = course.root / "submitted" / name / CH
        d.mkdir(parents=True)
        (d / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC", encoding="utf-8")
        if text is not None:
            (d / f"{CH}.ipynb").write_text(text, encoding="utf-8")
    t1 = time.perf_counter()
    result = C.autograde(course, [CH], engine="sandbox")
    t2 = time.perf_counter()
    return {"course": course, "cases": cases, "graded": {g.student: g for g in result},
            "scores": C.scores(course, CH, list(cases)), "release_s": t1 - t0, "grade_s": t2 - t1}


def test_every_submission_is_graded_honestly(graded):
    assert set(graded["graded"]) == set(graded["cases"])
    wrong = {}
    for name, (_, want) in graded["cases"].items():
        score, max_score = graded["scores"].get(name, (None, None))
        if (score, max_score) != (want, TOTAL):
            wrong[name] = (score, max_score, want)
    assert wrong == {}


def test_per_kata_grades_and_reasons(graded):
    from nbgrader.api import Gradebook
    course = graded["course"]
    with Gradebook(course.db_url, C.COURSE_ID) as gb:
        nb = gb.find_submission_notebook(CH, CH, "duplicated_cell")
        by_cell = {g.name: g.score for g in nb.grades}
    assert by_cell[gid("ch02.xor", "tests")] == 0
    assert all(by_cell[gid(k, "tests")] == POINTS[k] for k in KATAS if k != "ch02.xor")
    text = (course.root / "autograded" / "bad_json" / CH / f"{CH}.ipynb").read_text(encoding="utf-8")
    assert "not a readable notebook" in text
    text = (course.root / "autograded" / "huge" / CH / f"{CH}.ipynb").read_text(encoding="utf-8")
    assert "not graded" in text
    text = (course.root / "autograded" / "exit_at_import" / CH / f"{CH}.ipynb").read_text(encoding="utf-8")
    assert "exited the interpreter" in text


def test_the_gradebook_stays_sound(graded):
    db = graded["course"].root / "gradebook.db"
    con = sqlite3.connect(db)
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert con.execute("select max(auto_score) from grade").fetchone()[0] <= max(POINTS.values())
    finally:
        con.close()


def test_export_and_feedback_work(graded):
    course = graded["course"]
    grades_csv, katas_csv = C.grades(course)[:2]
    rows = {r["student_id"]: r for r in csv.DictReader(open(grades_csv, encoding="utf-8"))}
    assert float(rows["reference"]["score"]) == TOTAL and float(rows["stubs"]["score"]) == 0
    C.feedback(course, [CH])
    pages = list((course.root / "feedback").rglob("*.html"))
    assert len(pages) >= len(graded["cases"]) - 1   # the missing notebook has no page
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for word in HIDDEN_WORDS:   # (the patch_check student wrote "check_hidden" in an answer)
            assert word not in text or (word == "check_hidden" and "patch_check" in str(page)), (page, word)
    page = (course.root / "feedback" / "reference" / CH / f"{CH}.html").read_text(encoding="utf-8")
    assert ("tests pass" in page or "件に合格" in page) and "✓" in page   # the sandbox's verdict, test by test
    for k in KATAS:                                         # the summary names the katas
        assert f'<a href="#{gid(k, "tests")}">{k} ' in page


def test_no_process_left_behind(graded):
    left = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"dlkata.sandbox import worker" in cmd:
                left.append(pid)
    assert left == []


def test_timing_is_reported(graded, capsys):
    n = len(graded["cases"])
    with capsys.disabled():
        print(f"\n[sandbox course] {CH}: release {graded['release_s']:.1f} s; autograde of {n} notebooks "
              f"{graded['grade_s']:.1f} s ({graded['grade_s'] / n:.2f} s per notebook, parallel)")
    assert graded["grade_s"] < 120
