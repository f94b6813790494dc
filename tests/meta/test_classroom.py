"""The classroom: every chapter as an nbgrader assignment, from release to grades.

Fast checks of the generated notebooks (drift, structure, the split of modules and tests),
then nbgrader's own validation of every chapter's notebooks, then the whole course cycle
in a temporary course and exchange with four students, compared kata by kata with
`make test` (dlkata.runner.engine) on the same code.
"""
from __future__ import annotations

import ast
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from dlkata.kata import catalogue, stubs
from dlkata.runner import engine, status
from dlkata.classroom import notebooks
from dlkata.classroom.notebooks import gid

ROOT = catalogue.ROOT
CHAPTERS = notebooks.chapters_with_tests()
E2E = "ch02" if "ch02" in CHAPTERS else CHAPTERS[0]   # complete, fast, with katas that build on others
HIDDEN_WORDS = ("HIDDEN TESTS", "check_hidden", "tests_sha256")

pytest.importorskip("nbgrader")
from dlkata.classroom import commands as C  # noqa: E402  (needs nbgrader)


def _cells(nb: dict) -> dict[str, dict]:
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in nb["cells"]}


def _statements(source: str) -> list[str]:
    """A module's top-level statements, in any order (a main guard does not go into notebooks)."""
    return sorted(ast.dump(n) for n in ast.parse(source).body if not notebooks.is_main_guard(n))


# --------------------------------------------------------------------------- generated files

def test_generated_notebooks_do_not_drift():
    problems = notebooks.drift()
    assert not problems, "run `make notebooks`:\n" + "\n".join(problems)


def test_every_chapter_with_tests_has_a_notebook():
    assert CHAPTERS, "no chapter has tests"
    for ch in CHAPTERS:
        assert (notebooks.SOURCE / ch / f"{ch}.ipynb").exists()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_has_a_task_answer_and_test_cell_per_kata(chapter):
    from nbformat import from_dict
    from nbgrader.nbgraderformat import MetadataValidator

    nb = notebooks.loads((notebooks.SOURCE / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    cells = _cells(nb)
    validator = MetadataValidator()
    for cell in nb["cells"]:
        validator.validate_cell(from_dict(cell))  # nbgrader's schema for cell metadata
        assert re.fullmatch(r"[A-Za-z0-9_-]+", cell["metadata"]["nbgrader"]["grade_id"])
    cat = catalogue.load()
    for k in cat.katas_of(chapter):
        task, answer, tests = (cells[gid(k.id, s)] for s in ("task", "answer", "tests"))
        assert k.title["ja"] in task["source"] and k.title["en"] in task["source"]
        assert f"§{k.section}" in task["source"]
        for text in k.conventions.values():
            assert text in task["source"]
        assert answer["metadata"]["nbgrader"]["solution"] and not answer["metadata"]["nbgrader"]["locked"]
        assert "BEGIN SOLUTION" in answer["source"] and "END SOLUTION" in answer["source"]
        meta = tests["metadata"]["nbgrader"]
        assert meta["grade"] and meta["locked"] and meta["points"] == k.points
        assert f'check("{k.id}")' in tests["source"]
        assert "### BEGIN HIDDEN TESTS" in tests["source"] and "### END HIDDEN TESTS" in tests["source"]
        order = list(cells)
        assert order.index(gid(k.id, "task")) + 1 == order.index(gid(k.id, "answer"))
        assert order.index(gid(k.id, "answer")) + 1 == order.index(gid(k.id, "tests"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_cells_make_the_reference_modules(chapter):
    """Given cells + answer cells = the reference module, statement for statement."""
    folder = notebooks.SOURCE / chapter
    nb = notebooks.loads((folder / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "dlkata" / "assignment.json").read_text(encoding="utf-8"))
    tree = notebooks.notebook_to_tree(nb, manifest)
    for rel, text in tree.items():
        assert _statements(text) == _statements((ROOT / "solutions" / rel).read_text(encoding="utf-8")), rel


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_learner_code_goes_into_the_notebook(chapter, tmp_path):
    """submit-exercises: a learner's files, with a helper of their own, land in the answer cells."""
    stubs.write_tree(tmp_path, chapters={chapter})
    cat = catalogue.load()
    first = cat.katas_of(chapter)[0]
    path = tmp_path / first.path
    text = path.read_text(encoding="utf-8")
    helper = "\n\ndef _my_helper(v):\n    return v\n\n"
    sym = first.symbols[0]
    at = re.search(rf"^(def|class) {sym}\b", text, re.M).start()
    path.write_text(text[:at] + helper.lstrip("\n") + "\n" + text[at:], encoding="utf-8")
    folder = notebooks.SOURCE / chapter
    nb = notebooks.loads((folder / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    nb = notebooks.fill_notebook(nb, tmp_path, chapter)
    assert "_my_helper" in _cells(nb)[gid(first.id, "answer")]["source"]
    manifest = json.loads((folder / "dlkata" / "assignment.json").read_text(encoding="utf-8"))
    for rel, got in notebooks.notebook_to_tree(nb, manifest).items():
        assert _statements(got) == _statements((tmp_path / rel).read_text(encoding="utf-8")), rel


def _scratch_root(tmp_path: Path, tests: dict[str, str]) -> Path:
    """A copy of the catalogue and the reference, with tests written for the occasion."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "catalogue.toml", root / "catalogue.toml")
    shutil.copytree(ROOT / "solutions", root / "solutions")
    (root / "tests").mkdir()
    (root / "tests" / "__init__.py").write_text("", encoding="utf-8")
    for rel, text in tests.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _presence_tests(chapter: str, root: Path | None = None) -> dict[str, str]:
    """A test per kata that the kata's names exist in the module the notebook builds."""
    cat = catalogue.load()
    files: dict[str, list[str]] = {}
    for k in cat.katas_of(chapter):
        body = files.setdefault(k.test_path, [f"import {k.module} as mod\nfrom dlkata.testing import expect_true, kata\n"])
        body.append(f'\n\n@kata("{k.id}")\ndef test_{k.id.split(".")[1]}_exists():\n'
                    f'    for name in {list(k.symbols)!r}:\n'
                    f'        expect_true(hasattr(mod, name), call=name, note="defined")\n')
    return {rel: "".join(parts) for rel, parts in files.items()}


def test_later_chapter_ships_earlier_chapters_as_given_code(tmp_path):
    """A chapter that imports earlier ones (ch05 needs ch03 and ch04) ships their reference."""
    cat = catalogue.load()
    chapter = next((ch for ch in cat.chapter_ids() for m in cat.modules_of(ch)
                    if re.search(r"^from ch(?!%s)\d\d" % ch[2:],
                                 (ROOT / "solutions" / (m.replace(".", "/") + ".py")).read_text(encoding="utf-8"), re.M)),
                   None)
    if chapter is None:
        pytest.skip("no chapter imports an earlier one")
    root = _scratch_root(tmp_path, _presence_tests(chapter))
    files = notebooks.build_assignment(chapter, root)
    for m in cat.modules_of(chapter):
        assert m.replace(".", "/") + ".py" not in files, "the chapter's own modules come from the notebook"
        for imp in re.findall(r"^from (ch\d\d\.\w+) import", (ROOT / "solutions" / (m.replace(".", "/") + ".py"))
                              .read_text(encoding="utf-8"), re.M):
            if not imp.startswith(chapter):
                given = files[imp.replace(".", "/") + ".py"]
                assert "BEGIN SOLUTION" not in given and "Given with the" in given
                assert imp.split(".")[0] + "/__init__.py" in files
    dest = tmp_path / "source" / chapter
    for rel, text in files.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, encoding="utf-8")
    res = C.validate_notebook(dest / f"{chapter}.ipynb")
    assert not res, res  # the source notebook passes in a real kernel: imports of given code work


def test_hidden_tests_stay_out_of_what_students_get(tmp_path):
    """@kata(..., hidden=True) tests leave the shipped test file for the hidden part of the test cell,
    run there when grading, and fail the cell when they fail."""
    chapter = E2E
    cat = catalogue.load()
    kata = cat.katas_of(chapter)[-1]
    tests = {kata.test_path: (ROOT / kata.test_path).read_text(encoding="utf-8")}
    hidden = (f'\n\n@kata("{kata.id}", hidden=True)\nclass TestSecretly:\n'
              f'    def test_names_exist(self):\n'
              f'        import {kata.module} as m\n'
              f'        expect_true(all(hasattr(m, n) for n in {list(kata.symbols)!r}), call="names", note="defined")\n'
              f'        assert HIDDEN_SWITCH, "the hidden test fails"\n')
    tests[kata.test_path] = tests[kata.test_path].rstrip("\n") + "\n\nHIDDEN_SWITCH = True\n" + hidden
    if "expect_true" not in tests[kata.test_path].split("class")[0]:
        tests[kata.test_path] = "from dlkata.testing import expect_true\n" + tests[kata.test_path]
    root = _scratch_root(tmp_path, tests)
    files = notebooks.build_assignment(chapter, root)
    assert "TestSecretly" not in files[kata.test_path]
    cell = _cells(notebooks.loads(files[f"{chapter}.ipynb"]))[gid(kata.id, "tests")]["source"]
    visible = cell.split("### BEGIN HIDDEN TESTS")[0]
    assert "TestSecretly" not in visible and "TestSecretly" in cell
    for switch, expect_pass in ((True, True), (False, False)):
        dest = tmp_path / f"source-{switch}" / chapter
        for rel, text in files.items():
            if rel == kata.test_path:
                text = text.replace("HIDDEN_SWITCH = True", f"HIDDEN_SWITCH = {switch}")
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_text(text, encoding="utf-8")
        if not switch:  # the shipped file must stay the released one: re-hash it into the cell
            nb = notebooks.loads((dest / f"{chapter}.ipynb").read_text(encoding="utf-8"))
            sha = notebooks.text_sha256((dest / kata.test_path).read_text(encoding="utf-8"))
            for c in nb["cells"]:
                c["source"] = re.sub(r'tests_sha256="\w+"', f'tests_sha256="{sha}"', c["source"])
            (dest / f"{chapter}.ipynb").write_text(notebooks.dumps(nb), encoding="utf-8")
        res = C.validate_notebook(dest / f"{chapter}.ipynb")
        failed = [c["source"] for c in res.get("failed", [])]
        assert (not failed) if expect_pass else (len(failed) == 1 and f'check("{kata.id}")' in failed[0]), failed


def _hidden(chapter: str) -> dict[str, str]:
    """kata -> the source of its hidden tests, as the chapter's test files have them."""
    cat = catalogue.load()
    out: dict[str, str] = {}
    for path in sorted({k.test_path for k in cat.katas_of(chapter)}):
        out.update(notebooks.read_tests(ROOT, path).hidden)
    return out


def _hidden_lines(text: str, chapter: str = "") -> list[str]:
    """The lines of hidden tests that give them away: not short, not also in a shipped test file."""
    cat = catalogue.load()
    shipped = "\n".join(notebooks.read_tests(ROOT, p).shipped for p in
                        sorted({k.test_path for k in cat.katas_of(chapter)})) if chapter else ""
    return [l.strip() for l in text.splitlines() if len(l.strip()) > 12 and l.strip() not in shipped]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_real_hidden_tests_kept_out_of_the_shipped_files(chapter):
    """Every chapter has a hidden test: in the hidden part of its kata's test cell, nowhere else."""
    hidden = _hidden(chapter)
    assert hidden, f"{chapter} has no @kata(..., hidden=True) test"
    folder = notebooks.SOURCE / chapter
    cells = _cells(notebooks.loads((folder / f"{chapter}.ipynb").read_text(encoding="utf-8")))
    shipped = "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.py"))
    for kata, text in hidden.items():
        visible, _, secret = cells[gid(kata, "tests")]["source"].partition("### BEGIN HIDDEN TESTS")
        for line in _hidden_lines(text, chapter):
            assert line in secret and line not in visible, (kata, line)
            assert line not in shipped, (kata, line)
        other = [c["source"] for g, c in cells.items() if g != gid(kata, "tests")]
        assert not any(_hidden_lines(text, chapter)[0] in src for src in other)


def test_cell_metadata_is_checked_as_nbgrader_checks_it():
    """check_schema_once (make autograde) keeps nbgrader's verdicts on cell metadata: the same
    error for a bad cell, none for a good one; only the schema's own check is done once."""
    import jsonschema
    from nbformat import from_dict
    from nbgrader.nbgraderformat import MetadataValidator, common

    from dlkata.classroom.nbgrader_plugins import _SchemaChecked
    schema = MetadataValidator().schema
    good = {"grade": True, "grade_id": "ch02-xor-tests", "locked": True, "points": 2, "schema_version": 3,
            "solution": False, "task": False}
    bad = dict(good, points="two")
    shim = _SchemaChecked(jsonschema)
    assert shim.validate(good, schema) is None and shim.validate(good, schema) is None
    with pytest.raises(jsonschema.ValidationError) as ours:
        shim.validate(bad, schema)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        jsonschema.validate(bad, schema)
    assert str(ours.value) == str(theirs.value)
    before = common.jsonschema
    try:
        common.jsonschema = shim
        with pytest.raises(jsonschema.ValidationError):
            MetadataValidator().validate_cell(from_dict({"cell_type": "code", "metadata": {"nbgrader": bad},
                                                         "source": "", "outputs": [], "execution_count": None}))
    finally:
        common.jsonschema = before


def _tampered(nb):
    """A released notebook as students hand it in: each edit one the sanitising must undo."""
    import copy
    out = {"as released": nb}

    def edit(name, fn):
        n = copy.deepcopy(nb)
        fn(n)
        out[name] = n

    def cell(n, gid):
        return next(c for c in n.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)

    edit("given code changed", lambda n: setattr(cell(n, "ch02-perceptron-given"), "source", "x = 1"))
    edit("test cell emptied", lambda n: setattr(cell(n, "ch02-gates-tests"), "source", "pass"))
    edit("points raised", lambda n: cell(n, "ch02-xor-tests").metadata.nbgrader.update(points=99))
    edit("unlocked", lambda n: cell(n, "ch02-setup").metadata.nbgrader.update(locked=False))
    edit("task text made code", lambda n: setattr(cell(n, "ch02-gates-task"), "cell_type", "code")
         or cell(n, "ch02-gates-task").update(outputs=[], execution_count=None))
    edit("answer and its tests deleted", lambda n: setattr(n, "cells", [
        c for c in n.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in ("ch02-xor-answer", "ch02-xor-tests")]))
    edit("an id nbgrader never released", lambda n: cell(n, "ch02-setup").metadata.nbgrader.update(grade_id="made-up"))
    edit("another kernel", lambda n: n.metadata.update(kernelspec={"name": "evil", "display_name": "x", "language": "python"}))
    return out


def test_sanitising_reads_the_gradebook_once_and_gets_what_nbgrader_gets(released_ch02, tmp_path):
    """make autograde sanitises every notebook from ReleasedGradebook (the released notebook's
    rows, read before the graders fork) instead of querying the gradebook per cell: for each
    way a student tampers with the notebook, the result is nbgrader's with the real gradebook,
    and the preprocessors' modules get the real Gradebook back."""
    import nbformat
    import nbgrader.preprocessors.overwritecells as oc
    from nbgrader.api import Gradebook

    from dlkata.classroom import autograde as AG
    from dlkata.classroom import nbgrader_plugins as plugins
    from tests.meta.conftest import copy_course
    course = copy_course(released_ch02, tmp_path)
    prep = AG.NotebookPrep(course, "ch02")
    released = nbformat.read(str(prep.released), as_version=4)
    for what, nb in _tampered(released).items():
        want, res = nbformat.from_dict(json.loads(json.dumps(nb))), AG.resources(course, "ch02", "s1")
        for pp in AG.sanitize_preprocessors(prep.cfg):
            want, res = pp.preprocess(want, res)
        got = prep._sanitize(nbformat.from_dict(json.loads(json.dumps(nb))), "s1")
        assert got == want, what    # (not nbformat.writes: it gives a restored cell a random id)
        if what == "an id nbgrader never released":   # a plain cell now; the released one put back
            ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in got.cells]
            assert "made-up" not in ids and "ch02-setup" in ids
    assert oc.Gradebook is Gradebook and plugins.Gradebook is Gradebook
    # another notebook or assignment is asked of the real gradebook, MissingEntry and all
    from nbgrader.api import MissingEntry
    with prep.gradebook as gb:
        assert gb.find_source_cell("ch02-setup", "ch02", "ch02").locked is True
        with pytest.raises(MissingEntry):
            gb.find_source_cell("nope", "ch02", "ch02")
        with pytest.raises(MissingEntry):
            gb.find_notebook("ch02", "ch99")
        assert gb.find_assignment("ch02").name == "ch02"     # not copied: the real gradebook's


def test_course_config_sets_the_traps_off():
    """Execute.timeout (not ExecutePreprocessor's), add_missing_cells, no hidden tests in feedback."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(C.DEFAULT_COURSE)).load_config()
    assert cfg.Execute.timeout == 60 and "ExecutePreprocessor" not in cfg
    assert cfg.OverwriteCells.add_missing_cells is True
    sanitize = cfg.Autograde.sanitize_preprocessors
    assert sanitize.index("dlkata.classroom.nbgrader_plugins.RestoreMissingCells") < sanitize.index(
        "dlkata.classroom.nbgrader_plugins.QuietOverwriteCells")
    # formgrader's Autograde button (nbgrader's own engine) refuses, naming the command
    assert cfg.Autograde.exporter_class == "dlkata.classroom.nbgrader_plugins.RefuseUnconfined"
    assert "dlkata.classroom.nbgrader_plugins.ClearHiddenTestsInFeedback" in cfg.GenerateFeedback.preprocessors
    assert re.match(cfg.FileNameCollectorPlugin.named_regexp, "/x/downloaded/ch02/extracted/s123_x_y_ch02.ipynb")


def test_warnings_of_correct_code_do_not_zero_a_cell(tmp_path):
    """nbgrader scores any stderr in a test cell as zero: a correct answer that warns still passes."""
    chapter = E2E
    dest = tmp_path / chapter
    shutil.copytree(notebooks.SOURCE / chapter, dest)
    nb = notebooks.loads((dest / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    for c in nb["cells"]:
        if c["metadata"].get("dlkata", {}).get("role") == "answer":
            # every function of the answer first does something numpy warns about
            c["source"] = re.sub(r"(\n( +)### BEGIN SOLUTION\n)",
                                 r"\1\2import numpy as _np, warnings as _w\n"
                                 r"\2_np.log(_np.zeros(1)); _w.warn('careful', RuntimeWarning)\n"
                                 r"\2print('a line on stderr', file=__import__('sys').stderr)\n",
                                 c["source"])
            assert "_np.log" in c["source"]
    (dest / f"{chapter}.ipynb").write_text(notebooks.dumps(nb), encoding="utf-8")
    res = C.validate_notebook(dest / f"{chapter}.ipynb")
    assert not res, [c.get("raw_error", "")[:300] for c in res.get("failed", [])]


# --------------------------------------------------------------------------- nbgrader validate

def test_validate_source_passes_and_release_fails_every_test_cell(tmp_path):
    """`nbgrader validate` on every chapter's source notebook; `--invert` on every released one.
    `make validate` (python -m dlkata.classroom validate), one process per core."""
    course = C.Course.at(tmp_path / "course", tmp_path / "exchange")
    course.prepare()
    for ch in CHAPTERS:
        notebooks.write_sources([ch], dest=course.root / "source")
        course.teacher("generate_assignment", ch, "--force")
    n = max(1, min(os.cpu_count() or 1, len(CHAPTERS)))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "dlkata.classroom", "validate", *CHAPTERS[i::n],
                               f"--course={course.root}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, env=env, cwd=ROOT) for i in range(n)]
    outs = [(p.communicate(timeout=900)[0], p.returncode) for p in procs]
    report = "\n".join(out for out, _ in outs)
    assert all(code == 0 for _, code in outs), report
    for ch in CHAPTERS:
        assert f"{ch}: source passes" in report and f"{ch}: released stubs fail every test cell" in report, report
        # the released assignment (what nbgrader generated) holds none of the chapter's hidden tests
        released = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                             for p in (course.root / "release" / ch).rglob("*") if p.is_file())
        for kata, text in _hidden(ch).items():
            for line in _hidden_lines(text, ch):
                assert line not in released, (ch, kata, line)


# --------------------------------------------------------------------------- same verdicts

def _verdicts(tree: Path, chapter: str, monkeypatch) -> dict[str, bool]:
    """What `make test chNN SLOW=1` says of a tree: kata -> done. Grading runs every test of a
    kata, the longer training checks too, so it is compared with SLOW=1."""
    monkeypatch.setenv("DLKATA_SLOW", "1")
    cat = catalogue.load()
    states = status.compute(engine.run(tree, [chapter]), cat, [chapter])
    return {k: st.status == status.DONE for k, st in states.items()}


def notebook_and_runner(chapter: str, work: str) -> tuple[dict, dict, list]:
    """Every other kata of chapter done: (make test SLOW=1's verdicts, the notebook's test cells'
    verdicts, the stubbed katas). Runs in a process of its own (see agreement below)."""
    os.environ["DLKATA_SLOW"] = "1"
    ids = [k.id for k in catalogue.load().katas_of(chapter)]
    stubbed = set(ids[1::2])
    tree = Path(work) / "tree"
    stubs.write_tree(tree, only=stubbed, chapters={chapter})
    cat = catalogue.load()
    states = status.compute(engine.run(tree, [chapter]), cat, [chapter])
    expected = {k: st.status == status.DONE for k, st in states.items()}
    dest = Path(work) / chapter
    shutil.copytree(notebooks.SOURCE / chapter, dest)
    nb = notebooks.fill_notebook(notebooks.loads((dest / f"{chapter}.ipynb").read_text(encoding="utf-8")),
                                 tree, chapter)
    (dest / f"{chapter}.ipynb").write_text(notebooks.dumps(nb), encoding="utf-8")
    res = C.validate_notebook(dest / f"{chapter}.ipynb")
    failed = {m.group(1) for c in res.get("failed", []) for m in [re.search(r'check\("([\w.]+)"\)', c["source"])] if m}
    return expected, {k: k not in failed for k in ids}, sorted(stubbed)


@pytest.fixture(scope="module")
def agreement(tmp_path_factory):
    """notebook_and_runner for every chapter, two at a time (each runs a kernel: most of the
    time is the kernel's start and the tests; two processes keep both cores busy)."""
    import concurrent.futures
    import multiprocessing
    base = tmp_path_factory.mktemp("agree")
    ctx = multiprocessing.get_context("spawn")   # not a fork of this process and its threads
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1), mp_context=ctx) as pool:
        futures = {ch: pool.submit(notebook_and_runner, ch, str(base / ch)) for ch in CHAPTERS}
        return {ch: f.result(timeout=900) for ch, f in futures.items()}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_and_make_test_agree_kata_by_kata(chapter, agreement):
    """Every other kata done (so some are blocked by a stub they build on): the notebook's test
    cells pass for exactly the katas `make test` calls done, on the same code."""
    expected, got, stubbed = agreement[chapter]
    assert got == expected
    assert not any(expected[k] for k in stubbed)


# --------------------------------------------------------------------------- the course, end to end


def text_of(page: Path) -> str:
    """A feedback page as text (HTML entities and highlighting spans taken out)."""
    import html
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def test_course_end_to_end(tmp_path, capsys, monkeypatch, released_ch02):
    """Release; four students fetch and submit (complete from the reference via submit-exercises,
    half done in the notebook with test cells deleted and retyped, untouched, and one through an
    LMS zip); collect; autograde; feedback; export. Grades and per-kata scores match `make test`."""
    start = time.perf_counter()
    chapter = E2E
    cat = catalogue.load()
    katas = cat.katas_of(chapter)
    ids = [k.id for k in katas]
    points = {k.id: k.points for k in katas}
    half = set(ids[: max(1, len(ids) // 2)])
    late = set(ids) - half

    trees = {"full": ROOT / "solutions"}
    for name, stubbed in (("half", late), ("none", set(ids)), ("lms", half)):
        trees[name] = tmp_path / "trees" / name
        stubs.write_tree(trees[name], only=stubbed, chapters={chapter})
    expected = {name: _verdicts(tree, chapter, monkeypatch) for name, tree in trees.items()}
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no alembic on PATH: the course commands must cope
    assert all(expected["full"].values()) and not any(expected["none"].values())
    assert {k for k, done in expected["half"].items() if done} == half

    if chapter == "ch02":   # released once per session (tests/meta/conftest.py)
        from tests.meta.conftest import copy_course
        course = copy_course(released_ch02, tmp_path)
    else:
        course = C.Course.at(tmp_path / "course", tmp_path / "exchange")
        C.release(course, [chapter])
    assert (course.exchange / C.COURSE_ID / "outbound" / chapter / f"{chapter}.ipynb").exists()

    def student(name):
        return C.Student(name, tmp_path / "home" / name, tmp_path / "home" / name / ".cache")

    # full: works in exercises/ (here the reference) and submits with one command
    C.submit_exercises(course, student("full"), [chapter], trees["full"])
    # half: does half the katas in the notebook, deletes and retypes test cells
    s = student("half")
    C.fetch(course, s, [chapter])
    path = s.workdir / chapter / f"{chapter}.ipynb"
    nb = notebooks.fill_notebook(notebooks.loads(path.read_text(encoding="utf-8")), ROOT / "solutions",
                                 chapter, only=half)
    first, undone = ids[0], sorted(late)[0]
    nb["cells"] = [c for c in nb["cells"] if c["metadata"]["nbgrader"]["grade_id"] not in
                   {gid(first, "tests"), gid(undone, "answer"), gid(undone, "tests")}]
    retyped = [c for c in nb["cells"] if c["metadata"]["nbgrader"]["grade_id"] == gid(ids[1], "tests")]
    if retyped:
        retyped[0]["source"] = "pass  # the tests were in the way"
    path.write_text(notebooks.dumps(nb), encoding="utf-8")
    C.submit(course, s, [chapter])
    # none: submits what was released
    C.fetch(course, student("none"), [chapter])
    C.submit(course, student("none"), [chapter])
    # lms: the other half, downloaded from an LMS as a zip
    released = course.root / "release" / chapter / f"{chapter}.ipynb"
    nb = notebooks.fill_notebook(notebooks.loads(released.read_text(encoding="utf-8")), trees["lms"], chapter)
    archive = tmp_path / "lms-download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"lms_1234_assignsubmission_{chapter}.ipynb", notebooks.dumps(nb))

    C.collect(course, [chapter])
    C.zipcollect(course, [chapter], [str(archive)])
    assert C._submitted(course, chapter) == ["full", "half", "lms", "none"]

    t_grade = time.perf_counter()
    graded = C.autograde(course, [chapter])
    grading = time.perf_counter() - t_grade
    assert all(g.ok for g in graded), [g for g in graded if not g.ok]

    C.feedback(course, [chapter])
    C.fetch_feedback(course, student("half"), [chapter])
    grades_csv, katas_csv = C.grades(course)[:2]

    total = sum(points.values())
    rows = {r["student_id"]: r for r in csv.DictReader(open(grades_csv, encoding="utf-8"))}
    assert float(rows["full"]["score"]) == total
    assert float(rows["half"]["score"]) == sum(points[k] for k in half)
    assert float(rows["none"]["score"]) == 0
    assert float(rows["full"]["max_score"]) == total
    # the same verdict per kata as `make test` on the same code, except that a kata blocked
    # by an unfinished one it builds on is graded on the reference of that one (the default)
    expected["lms"] = {k: k in late for k in ids}
    got: dict[str, dict[str, bool]] = {}
    for r in csv.DictReader(open(katas_csv, encoding="utf-8")):
        got.setdefault(r["student_id"], {})[r["kata"]] = float(r["score"]) == float(r["max_score"])
    for name in trees:
        assert got[name] == expected[name], name

    # feedback: the students' own output, never the hidden part of the test cells
    pages = list((course.root / "feedback").rglob("*.html")) + list((tmp_path / "home").rglob("feedback/*/*.html"))
    assert len(pages) == 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f"{ids[-1]} (§" in text, page  # the test cell's output
        for word in HIDDEN_WORDS:
            assert word not in text, (page, word)
        shown = text_of(page)
        for hidden_text in _hidden(chapter).values():   # the chapter's real hidden tests
            for line in _hidden_lines(hidden_text, chapter):
                assert line not in shown, (page, line)
    # ...while the graded copy still ran them
    graded_nb = (course.root / "autograded" / "full" / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8")
    assert "check_hidden" in graded_nb
    assert all(f"class {name}" in graded_nb for name in
               [re.search(r"class (\w+)", t).group(1) for t in _hidden(chapter).values()])

    wall = time.perf_counter() - start
    with capsys.disabled():
        per = ", ".join(f"{g.student} {g.seconds:.1f} s" for g in graded)
        print(f"\n[classroom e2e] {chapter}: autograde {grading:.1f} s for {len(graded)} notebooks ({per}); "
              f"whole cycle {wall:.1f} s")
    assert wall < 120


# --------------------------------------------------------------------------- IPython syntax in cells

def test_ipython_syntax_becomes_plain_python_as_the_kernel_reads_it():
    """The sandbox runs module files: %time, %%time, !cmd and f? are read with IPython's own
    transformer; timed code runs once, shell escapes and other magics print a note; lines stay put."""
    from dlkata.classroom.ipython_cells import NOTE, as_python

    src = "# module ch02.perceptron\n%time y = f(1)\nx = %time f(2)\nf?\n!rm -rf /\nz = !ls\n%timeit -n 1 -r 1 f(3)\n"
    out = as_python(src)
    assert out.splitlines()[0] == "# module ch02.perceptron" and len(out.splitlines()) == len(src.splitlines())
    scope: dict = {"f": lambda v: v * 10}
    printed = []
    scope["print"] = printed.append
    exec(compile(out, "cell", "exec"), scope)   # noqa: S102 - the test's own text
    assert scope["y"] == 10 and scope["x"] == 20 and scope["z"] is None
    assert printed == [NOTE + "f?", NOTE + "!rm -rf /", NOTE + "!ls"]
    cell = "%%time\n# module ch02.perceptron\ndef g():\n    !echo hi\n    return 1\n"
    out = as_python(cell)
    assert out.splitlines()[1] == "# module ch02.perceptron" and "get_ipython" not in out
    assert as_python("%%bash\nrm -rf /\n").startswith(f"print({NOTE + '%%bash'!r})")
    plain = "def f(x):\n    '''Is it?'''\n    return x  # why?\n"
    assert as_python(plain) == plain


def test_student_jupyter_has_no_teacher_tools():
    """make student-lab: formgrader, Create Assignment, the course list and the nbgrader menu
    are off (ids nbgrader's lab extension really has); the assignment list and validate stay."""
    import sys
    conf = ROOT / "grader" / "student"
    server = json.loads((conf / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    assert server["nbgrader.server_extensions.formgrader"] is False
    assert server["nbgrader.server_extensions.assignment_list"] is True
    assert server["nbgrader.server_extensions.validate_assignment"] is True
    off = json.loads((conf / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert {"@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:menu"} <= set(off)
    static = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "static"
    if static.is_dir():
        js = "".join(p.read_text(encoding="utf-8", errors="replace") for p in static.glob("*.js"))
        for plugin in off:
            assert f'"{plugin}"' in js, plugin
        assert '"@jupyter/nbgrader:assignment-list"' in js and '"@jupyter/nbgrader:validate-assignment"' in js
