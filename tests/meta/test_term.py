"""A term in the classroom: two chapters, a due date and an extension, and the students a
teacher meets (on time, late, missing, re-submitting, removed, overridden by hand, one bug
in a kata others build on), graded with the sandbox, exported, reported.

Submissions are written into submitted/ with their timestamp.txt, as `make collect`
leaves them (the exchange itself is covered by test_classroom.py). The class report is
opened in a real headless browser where Debian's chromium is installed.
"""
from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from dlkata.kata import catalogue
from dlkata.classroom import notebooks
from dlkata.classroom.notebooks import gid

pytest.importorskip("nbgrader")
from dlkata.classroom import commands as C  # noqa: E402
from dlkata.classroom import deadlines, report, submissions  # noqa: E402

ROOT = catalogue.ROOT
CHAPTERS = ["ch01", "ch02"]
DUE = "2026-01-10 23:59:00 UTC"
POINTS = {ch: {k.id: k.points for k in catalogue.load().katas_of(ch)} for ch in CHAPTERS}
TOTAL = {ch: sum(p.values()) for ch, p in POINTS.items()}


def _put(course, student: str, ch: str, nb: dict | None, when: str | None) -> None:
    d = course.root / "submitted" / student / ch
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    if when:
        (d / "timestamp.txt").write_text(when, encoding="utf-8")
    if nb is not None:
        (d / f"{ch}.ipynb").write_text(notebooks.dumps(nb), encoding="utf-8")


def _with_stub(reference: dict, released: dict, kata: str) -> dict:
    """The reference with one kata's answer cell back to the stub."""
    nb = copy.deepcopy(reference)
    stub = next(c for c in released["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid(kata, "answer"))
    nb["cells"] = [copy.deepcopy(stub) if c["metadata"].get("nbgrader", {}).get("grade_id") == gid(kata, "answer")
                   else c for c in nb["cells"]]
    return nb


@pytest.fixture(scope="module")
def term(tmp_path_factory, released_ch02):
    from tests.meta.conftest import copy_course
    tmp = tmp_path_factory.mktemp("term")
    t0 = time.perf_counter()
    course = copy_course(released_ch02, tmp)
    C.release(course, ["ch01"])
    conf = course.root / "nbgrader_config.py"   # this course takes 10 % per started day late
    conf.write_text(conf.read_text(encoding="utf-8") + '\nc.AssignLatePenalties.plugin_class = '
                    '"dlkata.classroom.nbgrader_plugins.LatePenaltyPerDay"\n', encoding="utf-8")
    roster = tmp / "students.csv"
    roster.write_text("id,first_name,last_name,email,lms_user_id\n" + "".join(
        f"{s},{s.title()},Student,{s}@example.org,{1000 + i}\n"
        for i, s in enumerate(["alice", "bob", "carol", "dave", "erin", "frank", "grace"])), encoding="utf-8")
    assert C.main(["roster", f"--course={course.root}", f"--exchange={course.exchange}", f"--file={roster}"]) == 0
    ref, rel = {}, {}
    for ch in CHAPTERS:
        deadlines.set_duedate(course, ch, DUE)
        rel[ch] = notebooks.loads((course.root / "release" / ch / f"{ch}.ipynb").read_text(encoding="utf-8"))
        ref[ch] = notebooks.fill_notebook(copy.deepcopy(rel[ch]), ROOT / "solutions", ch)
    deadlines.grant(course, "ch02", "frank", 48)
    on_time, late = "2026-01-09 12:00:00.000000 UTC", "2026-01-11 10:00:00.000000 UTC"
    for ch in CHAPTERS:
        _put(course, "alice", ch, ref[ch], on_time)
        _put(course, "dave", ch, rel[ch], on_time)             # the stubs; re-submits ch02 below
        _put(course, "frank", ch, ref[ch], late)               # late, but ch02 has a 48 h extension
    _put(course, "bob", "ch02", ref["ch02"], late)             # 10 h late: 10 % off
    _put(course, "erin", "ch02", ref["ch02"], on_time)         # removed below
    _put(course, "grace", "ch02", _with_stub(ref["ch02"], rel["ch02"], "ch02.gates"), on_time)
    _put(course, "heidi", "ch02", ref["ch02"], None)           # from an LMS: no submission time
    t1 = time.perf_counter()
    first = C.autograde(course, CHAPTERS, engine="sandbox")
    t2 = time.perf_counter()
    submissions.remove(course, "ch02", "erin")
    fixed = tmp / "dave.ipynb"
    fixed.write_text(notebooks.dumps(ref["ch02"]), encoding="utf-8")
    submissions.replace(course, "ch02", "dave", fixed, "2026-01-10 20:00 UTC")
    C.autograde(course, ["ch02"], ["dave", "erin"], engine="sandbox")
    from nbgrader.api import Gradebook
    with Gradebook(course.db_url, C.COURSE_ID) as gb:     # a manual override: alice loses a point
        g = gb.find_grade(gid("ch01.products", "tests"), "ch01", "ch01", "alice")
        g.manual_score = 0
        gb.db.commit()
    paths = C.grades(course)
    page = report.write(course, "ch02")
    t3 = time.perf_counter()
    read = {p.name: list(csv.DictReader(open(p, encoding="utf-8"))) for p in paths}
    return {"course": course, "first": first, "csv": read, "report": page, "tmp": tmp,
            "times": {"release": t1 - t0, "grade": t2 - t1, "rest": t3 - t2}}


def _text(outputs) -> str:
    return "".join("".join(o.get("text", "")) for o in outputs)


def _row(term, ch, student):
    return next(r for r in term["csv"]["grades.csv"] if r["assignment"] == ch and r["student_id"] == student)


def test_grades_csv_has_every_student_missing_is_missing(term):
    g = term["csv"]["grades.csv"]
    assert {(r["assignment"], r["student_id"]) for r in g} == {
        (ch, s) for ch in CHAPTERS for s in ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]}
    carol = _row(term, "ch01", "carol")
    assert carol["status"] == "missing" and carol["score"] == "" and carol["raw_score"] == ""
    assert _row(term, "ch01", "grace")["status"] == "missing"
    erin = _row(term, "ch02", "erin")           # removed: missing again, not the old score
    assert erin["status"] == "missing" and erin["score"] == ""
    assert _row(term, "ch01", "bob")["status"] == "missing"
    assert list((term["course"].root / "removed").glob("*/erin/ch02/submitted/ch02.ipynb"))
    assert not (term["course"].root / "autograded" / "erin" / "ch02").exists()


def test_late_flags_and_penalties(term):
    assert _row(term, "ch02", "alice")["status"] == "on time"
    bob = _row(term, "ch02", "bob")
    assert bob["status"] == "late" and float(bob["seconds_late"]) == 10 * 3600 + 60
    assert float(bob["late_submission_penalty"]) == pytest.approx(0.1 * TOTAL["ch02"])
    assert float(bob["score"]) == pytest.approx(0.9 * TOTAL["ch02"])
    assert _row(term, "ch01", "frank")["status"] == "late"       # no extension for ch01
    frank = _row(term, "ch02", "frank")
    assert frank["status"] == "on time" and frank["score"] == f"{TOTAL['ch02']:g}"
    heidi = _row(term, "ch02", "heidi")
    assert heidi["status"] == "no time" and heidi["score"] == f"{TOTAL['ch02']:g}"


def test_resubmission_and_manual_override(term):
    dave1 = _row(term, "ch01", "dave")
    assert dave1["score"] == "0" and dave1["status"] == "on time"   # a real zero, not missing
    dave2 = _row(term, "ch02", "dave")
    assert dave2["score"] == f"{TOTAL['ch02']:g}" and dave2["timestamp"].startswith("2026-01-10 20:00")
    assert _row(term, "ch01", "alice")["score"] == f"{TOTAL['ch01'] - POINTS['ch01']['ch01.products']:g}"


def test_katas_csv_and_dependent_katas(term):
    k = {(r["assignment"], r["student_id"], r["kata"]): r for r in term["csv"]["katas.csv"]}
    assert k[("ch01", "carol", "ch01.products")]["status"] == "missing"
    assert k[("ch01", "carol", "ch01.products")]["score"] == ""
    # grace's gates is the stub; xor builds on it and is graded on the reference gates
    assert k[("ch02", "grace", "ch02.gates")]["score"] == "0"
    assert k[("ch02", "grace", "ch02.xor")]["score"] == f"{POINTS['ch02']['ch02.xor']:g}"
    assert k[("ch02", "grace", "ch02.perceptron")]["score"] == f"{POINTS['ch02']['ch02.perceptron']:g}"
    graded = json.loads((term["course"].root / "autograded" / "grace" / "ch02" / "katas.json").read_text())
    xor = next(x for x in graded["katas"] if x["id"] == "ch02.xor")
    assert xor["on_reference"] == ["ch02.gates"]
    results = json.loads((term["course"].root / "autograded" / "grace" / "ch02" / "results.json").read_text())
    assert results["score"] == TOTAL["ch02"] - POINTS["ch02"]["ch02.gates"]


def test_lms_exports(term):
    canvas = term["csv"]["canvas.csv"]
    assert canvas[0]["Student"] == "Points Possible" and canvas[0]["ch02"] == f"{TOTAL['ch02']:g}"
    rows = {r["SIS Login ID"]: r for r in canvas[1:]}
    assert rows["carol"]["ch01"] == "" and rows["carol"]["ID"] == "1002"
    assert float(rows["bob"]["ch02"]) == pytest.approx(0.9 * TOTAL["ch02"])
    moodle = {r["Username"]: r for r in term["csv"]["moodle.csv"]}
    assert moodle["erin"]["ch02"] == "" and moodle["erin"]["Email address"] == "erin@example.org"
    assert moodle["alice"]["ch02"] == f"{TOTAL['ch02']:g}"


def test_feedback_shows_every_test_in_both_languages(term, monkeypatch):
    """The graded notebook's test cells: every test with ✓/✗, a stub as "not written yet",
    never a module file the student did not see; in Japanese or English (L=)."""
    from dlkata.classroom import autograde
    from dlkata.i18n.messages import MESSAGES

    root = term["course"].root
    nb = json.loads((root / "autograded" / "dave" / "ch01" / "ch01.ipynb").read_text())
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid("ch01.products", "tests"))
    text = _text(cell["outputs"])
    assert "✗ " in text and ".py:" not in text
    assert any(MESSAGES["g_todo"][lang] in text for lang in ("ja", "en")), text
    record = json.loads((root / "autograded" / "dave" / "ch01" / "katas.json").read_text())
    manifest = json.loads((root / "source" / "ch01" / "dlkata" / "assignment.json").read_text())
    k = next(x for x in record["katas"] if x["id"] == "ch01.products")
    for lang in ("ja", "en"):
        monkeypatch.setenv("DLKATA_LANG", lang)
        lines = "\n".join(autograde.kata_lines(k["id"], manifest["katas"][k["id"]], k))
        assert MESSAGES["g_todo"][lang] in lines and manifest["katas"][k["id"]]["title"][lang] in lines
    grace = json.loads((root / "autograded" / "grace" / "ch02" / "katas.json").read_text())
    xor = next(x for x in grace["katas"] if x["id"] == "ch02.xor")
    monkeypatch.setenv("DLKATA_LANG", "en")
    assert "graded with the reference ch02.gates" in "\n".join(autograde.kata_lines("ch02.xor", {"title": {"en": "XOR"}, "section": "2.4"}, xor))
    nb = json.loads((root / "autograded" / "alice" / "ch02" / "ch02.ipynb").read_text())
    assert "✓ " in _text(o for c in nb["cells"] for o in c.get("outputs", []))


def test_class_report_is_written(term):
    page = term["report"]
    assert page.exists()
    text = page.read_text(encoding="utf-8")
    assert "<svg" in text and "ch02.xor" in text
    katas = list(csv.DictReader(open(page.parent / "katas.csv", encoding="utf-8")))
    rates = {r["kata"]: (int(r["passed"]), int(r["graded"])) for r in katas}
    assert rates["ch02.gates"] == (5, 6)   # alice, bob, dave (again), frank, heidi pass; grace does not
    print(f"term: {term['times']}")


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_class_report_in_a_real_browser(term):
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does): the report page "
                    "was written but not opened in a browser")
    shot = term["tmp"] / "report.png"
    profile = term["tmp"] / "chromium-profile"
    proc = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile}", "--window-size=900,1200", f"--screenshot={shot}",
                           term["report"].as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.exists(), proc.stderr[-2000:]
    keep = os.environ.get("DLKATA_REPORT_SHOT")
    if keep:
        shutil.copyfile(shot, keep)
    assert _not_blank(shot)


def _not_blank(path: Path) -> bool:
    """More than a blank page: several colours, and a fair share of non-white pixels (text, bars)."""
    from PIL import Image   # Pillow comes with matplotlib (the dev extra)
    img = Image.open(path).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    ink = sum(n for n, c in colours if c != (255, 255, 255))
    return len(colours) > 3 and ink > 0.01 * img.width * img.height


def test_nbgrader_own_autograde_refuses_and_touches_nothing(term, capfd):
    """formgrader's Autograde button runs nbgrader's autograde: it stops, names the command,
    and leaves the sandbox's graded notebook and score in place."""
    course = term["course"]
    graded = course.root / "autograded" / "alice" / "ch02" / "ch02.ipynb"
    before = (graded.read_bytes(), C.scores(course, "ch02", ["alice"]))
    code = C.nbgrader("autograde", "ch02", "--student=alice", "--force", *course.args(), cwd=course.root)
    assert code != 0
    assert "make autograde" in capfd.readouterr().err
    assert (graded.read_bytes(), C.scores(course, "ch02", ["alice"])) == before


def test_a_notebooks_grades_are_saved_as_nbgrader_saves_them(term, tmp_path):
    """SaveAutoGradesOnce (one transaction, the rows fetched in two queries) leaves the gradebook
    as nbgrader's SaveAutoGrades does: every grade and comment of the notebook, with a manual
    score kept (alice's ch01 override), a failed test cell, and an answer left as released."""
    import nbformat
    from nbgrader.api import Comment, Gradebook, Grade
    from nbgrader.preprocessors import SaveAutoGrades

    from dlkata.classroom import autograde
    from dlkata.classroom.nbgrader_plugins import SaveAutoGradesOnce
    course = term["course"]
    cfg = autograde.load_config(course)
    released = nbformat.read(str(course.root / "release" / "ch01" / "ch01.ipynb"), as_version=4)
    stub = {c.metadata["nbgrader"]["grade_id"]: c.source for c in released.cells if "nbgrader" in c.metadata}
    tables = {}
    for name, cls in (("nbgrader", SaveAutoGrades), ("ours", SaveAutoGradesOnce)):
        db = tmp_path / f"{name}.db"
        shutil.copy(course.root / "gradebook.db", db)
        for ch in ("ch01", "ch02"):
            nb = nbformat.read(str(course.root / "autograded" / "alice" / ch / f"{ch}.ipynb"), as_version=4)
            graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
            graded[-1].outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=[])]
            if ch == "ch01":   # an answer handed in as released: "No response."
                answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
                answer.source = stub[answer.metadata["nbgrader"]["grade_id"]]
            res = autograde.resources(course, ch, "alice")
            res["nbgrader"]["db_url"] = f"sqlite:///{db}"
            cls(config=cfg).preprocess(nb, res)
        with Gradebook(f"sqlite:///{db}") as gb:
            tables[name] = (sorted(((g.notebook.notebook.name, g.cell.name, g.auto_score, g.manual_score,
                                     g.needs_manual_grade) for g in gb.db.query(Grade)), key=repr),
                            sorted(((c.notebook.notebook.name, c.cell.name, c.auto_comment, c.manual_comment)
                                    for c in gb.db.query(Comment)), key=repr))
    assert tables["ours"] == tables["nbgrader"]
    grades, comments = tables["ours"]
    assert any(g[3] is not None and g[4] for g in grades)          # the override: needs a look
    assert any(g[2] == 0 for g in grades) and any(c[2] == "No response." for c in comments)


def test_a_notebooks_grades_are_saved_together(term, tmp_path):
    """make autograde writes a notebook's grades in one transaction (SaveAutoGradesOnce): when
    saving fails half-way (here a test cell the gradebook does not know), none of them is kept."""
    import nbformat
    from nbformat.v4 import new_code_cell

    from dlkata.classroom import autograde
    from dlkata.classroom.nbgrader_plugins import SaveAutoGradesOnce
    course = term["course"]
    before = C.scores(course, "ch02", ["alice"])
    assert before["alice"][0] > 0
    nb = nbformat.read(str(course.root / "autograded" / "alice" / "ch02" / "ch02.ipynb"), as_version=4)
    first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    first.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=[])]
    unknown = new_code_cell("pass", metadata={"nbgrader": {"grade": True, "grade_id": "not-in-the-gradebook",
                                                           "locked": True, "points": 1, "schema_version": 3,
                                                           "solution": False, "task": False}})
    nb.cells.append(unknown)
    cfg = autograde.load_config(course)
    with pytest.raises(Exception):
        SaveAutoGradesOnce(config=cfg).preprocess(nb, autograde.resources(course, "ch02", "alice"))
    assert C.scores(course, "ch02", ["alice"]) == before
    # the same through make autograde's writer, whose one connection the late penalty shares
    from tests.meta.conftest import copy_course
    copy = copy_course(course, tmp_path)
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, str(bad))
    with pytest.raises(Exception):
        autograde._save_grades(copy, "ch02", "alice", bad, cfg, None)
    assert C.scores(copy, "ch02", ["alice"]) == before
    # a run's gradebook (one engine for all its notebooks) goes on after a notebook it could not save
    from nbgrader.api import Gradebook
    gb = Gradebook(copy.db_url, C.COURSE_ID)
    try:
        with pytest.raises(Exception):
            autograde._save_grades(copy, "ch02", "alice", bad, cfg, None, gb)
        others = C.scores(copy, "ch02", ["bob"])
        good = course.root / "autograded" / "bob" / "ch02" / "ch02.ipynb"
        autograde._save_grades(copy, "ch02", "bob", good, cfg, None, gb)   # nothing of alice's goes with it
    finally:
        gb.close()
        gb.engine.dispose()
    assert C.scores(copy, "ch02", ["alice", "bob"]) == {**before, **others}
