"""`make autograde` with the sandbox: broken and tampered notebooks in a real nbgrader course.

A temporary course releases chapter 2; notebooks are written straight into submitted/
(as `make collect` leaves them): the reference, the stubs, and notebooks that are broken
as files or tampered with. One `autograde` grades them all in parallel; each student's
score in nbgrader's gradebook must be what an honest reading gives, the batch must
complete, the gradebook stay sound, feedback and export work, and no process be left.
"""
from __future__ import annotations

import contextlib
import copy
import io
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
SHELL_MARK = f"/tmp/dlkata-shell-escape-ran-{os.getpid()}"


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

    nb = copy.deepcopy(reference)   # issue 11, class 1: an object that imitates the right number
    _replace_def(_answer(nb, "ch02.xor"), "XOR", """
def XOR(x1, x2):
    class Fake:
        shape = ()
        def __array__(self, dtype=None, copy=None):
            return np.asarray(x1 ^ x2, dtype=dtype)
        def __int__(self):
            return x1 ^ x2
        __index__ = __int__
        def __eq__(self, other):
            return other == (x1 ^ x2)
        __hash__ = object.__hash__
    AND(NAND(x1, x2), OR(x1, x2))
    return Fake()""")
    out["imitates_a_number"] = (notebooks.dumps(nb), TOTAL - POINTS["ch02.xor"])

    nb = copy.deepcopy(reference)   # class 2: a reply of millions of values written on the channel
    _replace_def(_answer(nb, "ch02.xor"), "XOR", """
def XOR(x1, x2):
    import os, time
    body = b'{"ok":[' + b'0,' * 3_000_000 + b'0]}'
    os.write(3, (len(body) + 4).to_bytes(4, "big") + len(body).to_bytes(4, "big") + body)
    time.sleep(30)""")
    out["oversized_reply"] = (notebooks.dumps(nb), TOTAL - POINTS["ch02.xor"])

    nb = copy.deepcopy(reference)   # class 4: chapter 1's reference, which this assignment does not ship
    _replace_def(_answer(nb, "ch02.xor"), "XOR", """
def XOR(x1, x2):
    import importlib, inspect
    for name in ("ch01.numpy_basics", "ch03.activation"):
        try:
            print("STOLEN", inspect.getsource(importlib.import_module(name))[:300])
        except Exception:
            pass
    for path in ("/given/ch01/numpy_basics.py", "/given/dlkata/data/digits.py"):
        try:
            print("STOLEN", open(path).read(300))
        except OSError:
            pass
    return 0""")
    out["unshipped_chapter"] = (notebooks.dumps(nb), TOTAL - POINTS["ch02.xor"])

    nb = copy.deepcopy(reference)   # IPython syntax around correct code: read as the kernel reads it
    cell = _answer(nb, "ch02.xor")
    lines = cell["source"].split("\n")
    cell["source"] = "\n".join(lines[:1] + ["%time _ = 1 + 1", "XOR?", "%matplotlib inline"] + lines[1:]
                                + ["%timeit -n 1 -r 1 XOR(0, 1)", "x_ok = %time XOR(1, 0)"])
    gates = _answer(nb, "ch02.gates")
    gates["source"] = "%%time\n" + gates["source"]
    out["ipython_magics"] = (notebooks.dumps(nb), TOTAL)

    nb = copy.deepcopy(reference)   # shell escapes: refused (a note is printed), the code still counts
    cell = _answer(nb, "ch02.xor")
    cell["source"] += (f"\n!touch {SHELL_MARK}\nlisting = !ls /\n\n\ndef _helper():\n    !touch {SHELL_MARK}\n"
                       f"    return 1\n\n\n_helper()\n")
    out["shell_escapes"] = (notebooks.dumps(nb), TOTAL)

    nb = copy.deepcopy(reference)   # leave the interpreter while the module is imported
    _answer(nb, "ch02.xor")["source"] += "\nimport os\nos._exit(3)\n"
    out["exit_at_import"] = (notebooks.dumps(nb), 0)
    return out


# This run's own workers (grade.run_uid_base, the zygote's tag): never another grading run's.
TAG = f"dlkata-sandbox-course-selfcheck-{os.getpid()}"
OWN_UIDS: list = []      # [first, last + 1] of the uid block leased for this module's grading


TS = "2026-01-01 00:00:00.000000 UTC"


def _inbound(course, folder: str, files: dict | None = None) -> Path:
    """A submission folder in the exchange's inbound, as `nbgrader submit` leaves it."""
    d = course.exchange / C.COURSE_ID / "inbound" / folder
    d.mkdir(parents=True)
    (d / "timestamp.txt").write_text(folder.split("+")[2] if folder.count("+") >= 2 else TS, encoding="utf-8")
    for name, text in (files or {}).items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(text, encoding="utf-8")
    return d


def _zip(path: Path, entries: dict) -> Path:
    """entries: name -> text, bytes, or ("symlink", target)."""
    import stat as _stat
    import zipfile
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            if isinstance(data, tuple):
                info = zipfile.ZipInfo(name)
                info.external_attr = (_stat.S_IFLNK | 0o777) << 16
                z.writestr(info, data[1])
            else:
                z.writestr(name, data)
    return path


def _collect_cases(course, ref: str, wrong: str, tmp: Path) -> dict:
    """Class 3 (collecting) and 7 (a submission's size): the exchange and LMS downloads as a
    determined student leaves them. name -> expected score (None: not collected at all)."""
    want: dict[str, float | None] = {}
    source_nb = course.root / "source" / CH / f"{CH}.ipynb"   # the teacher's, with the solutions
    # exchange: an honest student, submitting twice (the newer wins)
    _inbound(course, f"ex_honest+{CH}+2026-01-01 00:00:00.000000 UTC+r1", {f"{CH}.ipynb": wrong})
    _inbound(course, f"ex_honest+{CH}+2026-01-02 00:00:00.000000 UTC+r2", {f"{CH}.ipynb": ref})
    want["ex_honest"] = TOTAL
    # the notebook is a symbolic link to the teacher's source notebook: not copied
    d = _inbound(course, f"ex_symlink+{CH}+{TS}+r")
    os.symlink(source_nb, d / f"{CH}.ipynb")
    want["ex_symlink"] = 0
    # the submission folder is a link to another student's: not collected
    os.symlink(course.exchange / C.COURSE_ID / "inbound" / f"ex_honest+{CH}+2026-01-02 00:00:00.000000 UTC+r2",
               course.exchange / C.COURSE_ID / "inbound" / f"ex_linkdir+{CH}+{TS}+r")
    want["ex_linkdir"] = None
    # a hard link to the teacher's notebook (same file system): not copied
    d = _inbound(course, f"ex_hardlink+{CH}+{TS}+r")
    os.link(source_nb, d / f"{CH}.ipynb")
    want["ex_hardlink"] = 0
    # a named pipe next to an honest notebook, and one in place of a data file: collect does not hang
    d = _inbound(course, f"ex_fifo+{CH}+{TS}+r", {f"{CH}.ipynb": ref})
    os.mkfifo(d / "data.npy")
    (d / "sub").mkdir()
    os.mkfifo(d / "sub" / "pipe")
    want["ex_fifo"] = TOTAL
    # malformed names (and a file where a folder should be): skipped, the students after them collected
    for bad in (f"+{CH}+{TS}+r", f".hidden+{CH}+{TS}+r", f"ex_badtime+{CH}+yesterday+r", f"ex_x+{CH}"):
        (course.exchange / C.COURSE_ID / "inbound" / bad).mkdir()
    (course.exchange / C.COURSE_ID / "inbound" / f"ex_file+{CH}+{TS}+r").write_text("x", encoding="utf-8")
    want["ex_file"] = None
    # tens of thousands of small files: the notebook and a bounded number of files, quickly
    d = _inbound(course, f"zz_many_files+{CH}+{TS}+r", {f"{CH}.ipynb": ref})
    many = d / "many"
    many.mkdir()
    for i in range(20000):
        (many / f"f{i:05d}.txt").write_bytes(b"")
    want["zz_many_files"] = TOTAL
    # a large file: not copied
    d = _inbound(course, f"zz_big_file+{CH}+{TS}+r", {f"{CH}.ipynb": ref})
    with open(d / "big.bin", "wb") as f:
        f.truncate(40 << 20)
    want["zz_big_file"] = TOTAL

    # LMS: a first download
    first = _zip(tmp / "download1.zip", {
        f"lmsa_1234_5000_{CH}.ipynb": wrong,                         # re-submits in the 2nd download
        f"lmsb_1235_5001_{CH}.ipynb": ref,
        f"lmsnest_1236_5002_{CH}.zip": b"",                          # replaced below: a zip in the zip
        f"../../source/{CH}/lmsslip_1_2_{CH}.ipynb": wrong,           # a path out of the folder
        f"lmslink_1237_5003_{CH}.ipynb": ("symlink", str(source_nb)),  # a link to the teacher's notebook
        "readme.txt": "hello",
    })
    inner = _zip(tmp / "inner.zip", {f"lmsb_1235_9999_{CH}.ipynb": wrong, f"lmsvictim_1_2_{CH}.ipynb": wrong})
    import zipfile
    with zipfile.ZipFile(first, "a") as z:
        z.write(inner, f"lmsnest_1238_5004_{CH}.zip")
    want.update(lmsb=TOTAL, lmsnest=None, lmsslip=None, lmslink=None, lmsvictim=None)
    # the second download: everyone again; lmsa re-submitted late, named as Canvas names it
    second = _zip(tmp / "download2.zip", {
        f"lmsa_1234_5000_{CH}.ipynb": wrong,
        f"lmsa_late_1234_5678_{CH}-1.ipynb": ref,
        f"lmsb_1235_5001_{CH}.ipynb": ref,
    })
    want["lmsa"] = TOTAL
    return {"want": want, "downloads": [first, second]}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, released_ch02):
    from dlkata.sandbox import jail
    saved = {k: os.environ.get(k) for k in ("DLKATA_SANDBOX_UID_BASE", "DLKATA_SANDBOX_TAG")}
    base, lease = jail.lease_uids()
    os.environ["DLKATA_SANDBOX_TAG"] = TAG
    if lease is not None:
        os.environ["DLKATA_SANDBOX_UID_BASE"] = str(base)
        OWN_UIDS[:] = [base, base + jail.UID_BLOCK]
    try:
        yield _graded(tmp_path_factory, released_ch02)
    finally:
        if lease is not None:
            os.close(lease)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _graded(tmp_path_factory, released_ch02):
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
    wrong = cases["duplicated_cell"][0]   # XOR wrong: scores TOTAL - 1 wherever it lands
    collecting = _collect_cases(course, notebooks.dumps(reference), wrong, tmp)
    logs = []
    tc = time.perf_counter()
    for step in (lambda: C.collect(course, [CH]), lambda: C.zipcollect(course, [CH], [str(collecting["downloads"][0])]),
                 lambda: C.zipcollect(course, [CH], [str(collecting["downloads"][1])]),
                 lambda: C.collect(course, [CH])):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            ok = step()
        logs.append((ok, out.getvalue()))
    collect_s = time.perf_counter() - tc
    for name, want in collecting["want"].items():
        if want is not None:
            cases[name] = (None, want)
    t1 = time.perf_counter()
    result = C.autograde(course, [CH], engine="sandbox")
    t2 = time.perf_counter()
    return {"course": course, "cases": cases, "graded": {g.student: g for g in result},
            "scores": C.scores(course, CH, list(cases)), "release_s": t1 - t0, "grade_s": t2 - t1,
            "collect_logs": logs, "collect_s": collect_s, "collect_want": collecting["want"]}


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
    no_notebook = [n for n in graded["cases"]
                   if not (course.root / "submitted" / n / CH / f"{CH}.ipynb").exists()]
    assert len(pages) >= len(graded["cases"]) - len(no_notebook)   # a missing notebook has no page
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for word in HIDDEN_WORDS:   # (the patch_check student wrote "check_hidden" in an answer)
            assert word not in text or (word == "check_hidden" and "patch_check" in str(page)), (page, word)
    hidden = {}
    for path in {k.test_path for k in catalogue.load().katas_of(CH)}:
        hidden.update(notebooks.read_tests(ROOT, path).hidden)
    assert hidden, f"{CH} has no hidden test"
    shipped = "\n".join(notebooks.read_tests(ROOT, p).shipped for p in {k.test_path for k in catalogue.load().katas_of(CH)})
    secret = [l.strip() for t in hidden.values() for l in t.splitlines()
              if len(l.strip()) > 12 and l.strip() not in shipped]
    assert secret
    import html
    for page in pages:   # the chapter's real hidden tests: never in feedback, though they ran
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert not [l for l in secret if l in text], page
    graded_nb = (course.root / "autograded" / "reference" / CH / f"{CH}.ipynb").read_text(encoding="utf-8")
    assert "check_hidden" in graded_nb
    page = (course.root / "feedback" / "reference" / CH / f"{CH}.html").read_text(encoding="utf-8")
    assert ("tests pass" in page or "件に合格" in page) and "✓" in page   # the sandbox's verdict, test by test
    for k in KATAS:                                         # the summary names the katas
        assert f'<a href="#{gid(k, "tests")}">{k} ' in page


def test_no_process_left_behind(graded):
    from tests.meta.conftest import processes_left
    left = processes_left(lambda uid, cmd: TAG in cmd or bool(OWN_UIDS) and OWN_UIDS[0] <= uid < OWN_UIDS[1])
    assert left == []


def _outputs(name: str, course) -> str:
    nb = json.loads((course.root / "autograded" / name / CH / f"{CH}.ipynb").read_text(encoding="utf-8"))
    return json.dumps([c.get("outputs", []) for c in nb["cells"]])


def test_nothing_stolen_shows_and_imitations_are_named(graded):
    course = graded["course"]
    for name in ("unshipped_chapter", "imitates_a_number", "oversized_reply"):
        assert "STOLEN" not in _outputs(name, course)
    assert "returned a Fake" in _outputs("imitates_a_number", course)
    assert "values in one message" in _outputs("oversized_reply", course)


def test_the_most_written_notebooks_are_graded_first(graded, monkeypatch):
    """make autograde starts with the notebooks that have the most katas written (a stub fails in
    milliseconds, a written kata runs its tests): the run does not end on one long notebook
    graded alone. Notebooks it would not grade (missing, too big) are not even read for that."""
    from dlkata.classroom.autograde import NotebookPrep
    course = graded["course"]
    prep = NotebookPrep(course, CH)
    names = list(graded["cases"])
    for refused in ("huge", "missing_notebook"):
        assert prep.refused(prep.submitted(refused) / f"{CH}.ipynb") is not None
    read = []
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: (read.append(self), real(self, *a, **k))[1])
    order = prep.longest_first(names)
    assert sorted(order) == sorted(names)
    assert prep.unwritten("reference") == set()
    assert prep.unwritten("stubs") == set(KATAS)
    assert order.index("reference") < order.index("stubs") < order.index("bad_json")
    unread = [n for n in names if prep._stubs(n) is None]     # refused or not a notebook: graded in no time
    assert {"huge", "missing_notebook", "bad_json", "not_a_notebook"} <= set(unread)
    assert order[-len(unread):] == [n for n in names if n in unread]
    assert not [p for p in read if p.parent.parent.name in ("huge", "missing_notebook")]


def test_timing_is_reported(graded, capsys):
    n = len(graded["cases"])
    with capsys.disabled():
        print(f"\n[sandbox course] {CH}: release {graded['release_s']:.1f} s; autograde of {n} notebooks "
              f"{graded['grade_s']:.1f} s ({graded['grade_s'] / n:.2f} s per notebook, parallel)")
    assert graded["grade_s"] < 120


# ---------------------------------------------------------------- collecting (make collect, make zipcollect)

def test_collect_takes_only_regular_files_of_each_submission(graded):
    course = graded["course"]
    sub = course.root / "submitted"
    for name, want in graded["collect_want"].items():
        assert (sub / name / CH).is_dir() == (want is not None), name
    assert not (sub / "ex_symlink" / CH / f"{CH}.ipynb").exists()
    assert not (sub / "ex_hardlink" / CH / f"{CH}.ipynb").exists()
    assert not list(course.root.rglob(f"lmsslip_*")), "a zip entry was written outside the download's folder"
    for p in sub.rglob("*"):
        assert p.is_dir() or (p.is_file() and not p.is_symlink() and os.lstat(p).st_nlink == 1), p
    assert len(list((sub / "zz_many_files" / CH).rglob("*"))) <= 110
    assert (sub / "zz_many_files" / CH / "timestamp.txt").read_text(encoding="utf-8") == TS   # files before folders
    assert not (sub / "zz_big_file" / CH / "big.bin").exists()
    assert not [p for p in sub.iterdir() if p.name.startswith(".")]


def test_collect_reports_every_skipped_entry_and_finishes(graded):
    logs = graded["collect_logs"]
    assert all(ok for ok, _ in logs), logs
    text = "\n".join(out for _, out in logs)
    for why in ("a symbolic link", "a named pipe", "a hard link", "malformed name", "not a valid student id",
                "not a timestamp", "not a submission folder", "zip inside the download", "outside the download",
                "more than 100 files", "more than 20 MB", "an older file of lmsa", "not a notebook"):
        assert why in text, why
    assert "collected zz_many_files" in text and "collected lmsa (late)" in text
    # the second collect finds nothing newer, the second download changed only lmsa
    assert "0 collected" in logs[3][1] and "collected lmsb" not in logs[2][1]
    assert graded["collect_s"] < 20


def test_a_second_download_and_a_late_resubmission(graded):
    course = graded["course"]
    info = json.loads((course.root / "submitted" / "lmsa" / CH / "lms.json").read_text(encoding="utf-8"))
    assert info["late"] is True and "-1.ipynb" in info["from"]
    assert not json.loads((course.root / "submitted" / "lmsb" / CH / "lms.json").read_text(encoding="utf-8"))["late"]
    assert len(list((course.root / "downloaded" / CH / "archive").glob("*.zip"))) == 2


def test_collect_fails_only_when_nothing_could_be_collected(tmp_path, capsys):
    course = C.Course.at(tmp_path / "course", tmp_path / "exchange")
    inbound = course.exchange / C.COURSE_ID / "inbound"
    inbound.mkdir(parents=True)
    assert C.collect(course, [CH]) is True            # nothing submitted: nothing to complain about
    os.symlink("/etc", inbound / f"alice+{CH}+{TS}+r")
    assert C.collect(course, [CH]) is False           # only a skipped entry
    assert "a symbolic link" in capsys.readouterr().out
    d = inbound / f"bob+{CH}+{TS}+r"
    d.mkdir()
    (d / f"{CH}.ipynb").write_text("{}", encoding="utf-8")
    assert C.collect(course, [CH]) is True            # bob collected, alice's link reported


def test_ipython_syntax_is_read_as_the_kernel_reads_it(graded):
    course = graded["course"]
    assert not os.path.exists(SHELL_MARK)
    text = (course.root / "autograded" / "shell_escapes" / CH / f"{CH}.ipynb").read_text(encoding="utf-8")
    assert "not run when grading: !touch" in text and "not run when grading: !ls /" in text
