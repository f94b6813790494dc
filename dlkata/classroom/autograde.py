"""The sandbox as the course's autograder: `make autograde chNN` (dlkata.classroom, engine "sandbox").

For each collected notebook, in parallel (one forked grader per submission):

1. read it (a file that is not a notebook, or far larger than the assignment's, is not
   graded: every kata scores 0 with the reason);
2. sanitise it with the course's own nbgrader preprocessors (`Autograde.sanitize_preprocessors`
   of its nbgrader_config.py: locked cells and test cells restored from the gradebook,
   deleted cells put back, duplicated ids removed, metadata checked);
3. turn its cells back into module files (`notebooks.notebook_to_tree`) and grade them
   with the sandbox: the chapter's tests (slow ones included, as a test cell runs them)
   in a trusted process, the student's code in a confined worker;
4. write the autograded notebook nbgrader would: each test cell's output is the kata's
   verdict (an error output when it fails, so nbgrader scores the cell 0).

Then here, one submission at a time (the gradebook is SQLite): the student and the
submission (with its timestamp) are created or updated and nbgrader's own SaveAutoGrades
(one transaction per notebook) and AssignLatePenalties score the grade cells from that
notebook. Export, formgrader and `make feedback` read what nbgrader's autograde would have left.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import time
from pathlib import Path

from dlkata.i18n import pick, say, t
from dlkata.kata import catalogue
from dlkata.classroom import course as C
from dlkata.classroom import notebooks
from dlkata.sandbox import grade
from dlkata.sandbox.zygote import Limits
from dlkata.testing import check_lines

NOTEBOOK_FLOOR = 5 << 20      # a notebook may always be this large
NOTEBOOK_FACTOR = 10          # ... or this many times the released one
COPY_LIMIT = 20 << 20         # other files of a submission copied into autograded/ ...
COPY_FILES = 100              # ... and how many of them


def load_config(course):
    """The course's nbgrader_config.py, with its folder, course id and exchange."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = Config()
    conf = course.root / "nbgrader_config.py"
    if conf.exists():
        cfg.merge(PyFileConfigLoader(conf.name, path=str(course.root)).load_config())
    cfg.CourseDirectory.root = str(course.root)
    cfg.CourseDirectory.course_id = C.COURSE_ID
    cfg.Exchange.root = str(course.exchange)
    return cfg


def _classes(names, default) -> list:
    from traitlets.utils.importstring import import_item
    return [import_item(n) if isinstance(n, str) else n for n in (names or default)]


def sanitize_preprocessors(cfg) -> list:
    from nbgrader.converters.autograde import Autograde
    names = cfg.Autograde.get("sanitize_preprocessors") if "Autograde" in cfg else None
    return [cls(config=cfg) for cls in _classes(names, Autograde.sanitize_preprocessors.default_value)]


def resources(course, ch: str, student: str) -> dict:
    return {"nbgrader": {"db_url": course.db_url, "assignment": ch, "notebook": ch, "student": student,
                         "course_id": C.COURSE_ID}, "unique_key": ch}


# ---------------------------------------------------------------- in each forked grader

class NotebookPrep:
    """prepare/finish for grade_many: notebook in, module files out; verdicts back in."""

    def __init__(self, course, ch: str):
        self.course, self.ch = course, ch
        self.cfg = load_config(course)
        self.manifest = json.loads((course.root / "source" / ch / "dlkata" / "assignment.json")
                                   .read_text(encoding="utf-8"))
        self.released = course.root / "release" / ch / f"{ch}.ipynb"
        if not self.released.exists():
            raise FileNotFoundError(f"{self.released}: release {ch} first")
        self.limit = max(NOTEBOOK_FLOOR, NOTEBOOK_FACTOR * self.released.stat().st_size)
        from dlkata.classroom.nbgrader_plugins import ReleasedGradebook, check_schema_once
        check_schema_once()   # before the graders fork: each checks every cell of its notebook
        self.gradebook = ReleasedGradebook(course.db_url, ch, ch)   # what sanitising reads, read once
        import nbformat
        self.released_cells = {c.metadata["nbgrader"]["grade_id"]: c
                               for c in nbformat.read(str(self.released), as_version=4).cells
                               if "nbgrader" in c.metadata}
        self.substitute: dict[str, set[str]] = {}   # student -> katas graded on the reference
        self.first: dict[str, dict] = {}            # student -> the first pass's record
        self._unwritten: dict[str, set[str] | None] = {}

    def unwritten(self, student: str) -> set[str]:
        """Katas whose answer cell in the submitted notebook is still the released stub (read once)."""
        return self._stubs(student) or set()

    def longest_first(self, students: list[str]) -> list[str]:
        """The students in the order to grade them: most katas written first. A stub fails in
        milliseconds while a written kata runs its tests and training checks, so the run does
        not end on one long notebook graded alone while the other cores wait. A notebook that
        cannot be read is graded in no time: last."""
        everything = len(self.manifest["katas"])
        return sorted(students, key=lambda s: everything if self._stubs(s) is None else len(self._stubs(s)))

    def _stubs(self, student: str) -> set[str] | None:
        """unwritten(), read once; None for a notebook that is not read (see refused) or not readable."""
        if student not in self._unwritten:
            self._unwritten[student] = self._read_unwritten(student)
        return self._unwritten[student]

    def _read_unwritten(self, student: str) -> set[str] | None:
        path = self.submitted(student) / f"{self.ch}.ipynb"
        if self.refused(path):
            return None   # prepare says why; nothing of it is read here
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
            cells = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in nb["cells"]
                     if isinstance(c.get("metadata", {}).get("nbgrader"), dict) and "grade_id" in c["metadata"]["nbgrader"]}
        except Exception:  # noqa: BLE001 - unreadable: graded (and reported) as it is
            return None
        return {k for k in self.manifest["katas"]
                if (g := notebooks.gid(k, "answer")) in self.released_cells
                and cells.get(g) == self.released_cells[g].source}

    def with_reference(self, nb: dict, katas: set[str]) -> dict:
        """The notebook with the answer cells of these katas taken from the course's source
        (the reference): what a dependent kata is graded on when the kata it builds on fails."""
        src = notebooks.loads((self.course.root / "source" / self.ch / f"{self.ch}.ipynb").read_text(encoding="utf-8"))
        ref = {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in src["cells"]}
        want = {notebooks.gid(k, "answer") for k in katas}
        out = dict(nb)
        out["cells"] = [ref[g] if (g := c.get("metadata", {}).get("nbgrader", {}).get("grade_id")) in want
                        and g in ref else c for c in nb["cells"]]
        return out

    def blocked(self, student: str) -> frozenset[str]:
        """The katas of the student's first pass that were blocked: what a second pass grades."""
        return frozenset(k["id"] for k in self.first[student]["katas"] if k["status"] == "blocked")

    def submitted(self, student: str) -> Path:
        return self.course.root / "submitted" / student / self.ch

    def _sanitize(self, nb, student: str):
        from dlkata.classroom.nbgrader_plugins import serving
        res = resources(self.course, self.ch, student)
        pps = sanitize_preprocessors(self.cfg)
        with serving(self.gradebook, pps):
            for pp in pps:
                nb, res = pp.preprocess(nb, res)
        return nb

    def refused(self, path: Path) -> str | None:
        """Why a submitted notebook is not read at all (missing, a symlink, too big), or None."""
        if not path.is_file() or path.is_symlink():
            return say(f"{self.ch}.ipynb が提出されていません", f"no {self.ch}.ipynb was submitted")
        if path.stat().st_size > self.limit:
            kb, limit = path.stat().st_size >> 10, self.limit >> 10
            return say(f"ノートブックが {kb} KB あり、{limit} KB (配布したものの {NOTEBOOK_FACTOR} 倍) を超えています: 採点しません",
                       f"the notebook is {kb} KB, more than {limit} KB ({NOTEBOOK_FACTOR}× the assignment's): not graded")
        return None

    def prepare(self, sub: grade.Submission, stage: Path, scratch: Path):
        import nbformat

        path = self.submitted(sub.name) / f"{self.ch}.ipynb"
        nb = None
        problem = self.refused(path)
        if problem is None:
            try:
                nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
            except Exception as e:  # noqa: BLE001 - not JSON, not a notebook, not UTF-8...
                problem = say(f"ノートブックとして読めないファイルです ({type(e).__name__}: {str(e)[:200]})",
                              f"the file is not a readable notebook ({type(e).__name__}: {str(e)[:200]})")
            if nb is not None:
                try:
                    nb = self._sanitize(repair_cells(nb, self.released_cells), sub.name)
                except Exception as e:  # noqa: BLE001 - nbgrader refuses it (e.g. CheckCellMetadata)
                    problem = say(f"nbgrader がこのノートブックのセルを元に戻せません ({type(e).__name__}: {str(e)[:300]})",
                                  f"nbgrader cannot restore this notebook's cells ({type(e).__name__}: {str(e)[:300]})")
                    nb = None
        if nb is None:
            # Nothing to grade: the released notebook stands in, so the gradebook and the
            # feedback still have every cell (scored 0, with the reason).
            nb = self._sanitize(nbformat.read(str(self.released), as_version=4), sub.name)
            nbformat.write(nb, str(scratch / "graded.ipynb"))
            (scratch / "problem.txt").write_text(problem or "", encoding="utf-8")
            return problem, False
        nbformat.write(nb, str(scratch / "graded.ipynb"))
        code = json.loads((scratch / "graded.ipynb").read_text(encoding="utf-8"))   # as written, without a second nbformat.writes
        if self.substitute.get(sub.name):
            code = self.with_reference(code, self.substitute[sub.name])
        files = notebooks.notebook_to_tree(code, self.manifest)
        pkg = stage / self.ch
        pkg.mkdir(parents=True, exist_ok=True)
        (pkg / "__init__.py").write_text("", encoding="utf-8")
        for rel, text in files.items():
            out = stage / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        return None, True

    def finish(self, sub: grade.Submission, record: dict, scratch: Path) -> None:
        import nbformat

        graded = scratch / "graded.ipynb"
        if not graded.exists():
            return
        if sub.name in self.first:
            merge_on_reference(self.first[sub.name], record, self.substitute[sub.name])
        nb = nbformat.read(str(graded), as_version=4)
        inject(nb, record, self.manifest)
        dest = self.course.root / "autograded" / sub.name / self.ch
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        # What nbgrader's autograde puts next to the notebook: the submission's other files,
        # then the assignment's own files over them.
        _copy_files(self.submitted(sub.name), dest)
        _copy_files(self.course.root / "source" / self.ch, dest)
        nbformat.write(nb, str(dest / f"{self.ch}.ipynb"))
        # Per submission, for an LMS or a script: Gradescope's results.json, and ours.
        (dest / "results.json").write_text(json.dumps(grade.gradescope(record), ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        (dest / "katas.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        record["autograded"] = str(dest / f"{self.ch}.ipynb")


DEPENDENTS = ("reference", "zero")


def needs_reference(record: dict, unwritten: set[str] = frozenset()) -> set[str]:
    """The katas to take from the reference so that the blocked katas of this record can
    be graded on their own: what each builds on (same chapter) that did not pass. A blocked
    kata the student has not written (its answer cell is the stub) needs no second look."""
    cat = catalogue.load()
    passed = {k["id"] for k in record["katas"] if k["score"] == k["max"]}
    out: set[str] = set()
    for k in record["katas"]:
        if k["status"] == "blocked" and k["id"] not in unwritten:
            out |= {p for p in cat.prerequisites(k["id"]) if p not in passed}
            if k.get("blocked_by") and k["blocked_by"] not in passed:
                out.add(k["blocked_by"])
    return out


def merge_on_reference(first: dict, second: dict, used: set[str]) -> None:
    """second (graded with the reference of `used`) becomes the record: the katas taken from
    the reference keep their own first verdict, the blocked ones get their second one."""
    firsts = {k["id"]: k for k in first["katas"]}
    katas = []
    for k in second["katas"]:
        one = firsts[k["id"]]
        if one["status"] == "blocked":
            k = dict(k, on_reference=sorted(used & set(catalogue.load().prerequisites(k["id"])) or used))
        else:
            k = one
        katas.append(k)
    second["katas"] = katas
    second["score"] = sum(k["score"] for k in katas)
    second["seconds"] = round(first.get("seconds", 0) + second.get("seconds", 0), 3)


def repair_cells(nb, released: dict):
    """Before nbgrader's sanitising (which fails a notebook on these): every cell whose nbgrader
    metadata names a released cell gets that cell's metadata and type back; a second cell with
    the same grade_id, or one with an id that was never released, becomes an ordinary cell
    (its code still counts, in order, as in a kernel); duplicate cell ids get new ones."""
    import copy as _copy
    import uuid

    from nbformat.v4 import new_code_cell, new_markdown_cell, new_raw_cell

    seen: set[str] = set()
    ids: set[str] = set()
    cells = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        gid_ = meta.get("grade_id") if isinstance(meta, dict) else None
        if meta is not None:
            if isinstance(gid_, str) and gid_ in released and gid_ not in seen:
                want = released[gid_]
                if cell.cell_type != want.cell_type:
                    make = {"code": new_code_cell, "markdown": new_markdown_cell}.get(want.cell_type, new_raw_cell)
                    new = make(source=cell.get("source", ""))
                    new.metadata = cell.get("metadata", {})
                    cell = new
                cell.metadata["nbgrader"] = _copy.deepcopy(want.metadata["nbgrader"])
                seen.add(gid_)
            else:
                del cell.metadata["nbgrader"]
        cid = cell.get("id")
        if not isinstance(cid, str) or cid in ids:
            cell["id"] = uuid.uuid4().hex[:16]
        ids.add(cell["id"])
        cells.append(cell)
    nb.cells = cells
    return nb


def _copy_files(src: Path, dest: Path) -> None:
    """Regular files other than notebooks, bounded (nbgrader's ignore list: checkpoints, caches, feedback)."""
    if not src.is_dir():
        return
    total = files = 0
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        dirnames[:] = [d for d in dirnames if d not in (".ipynb_checkpoints", "__pycache__", "feedback")
                       and not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            p = Path(dirpath) / name
            st = os.lstat(p)
            if not stat.S_ISREG(st.st_mode) or name.endswith((".ipynb", ".pyc")):
                continue
            total += st.st_size
            files += 1
            if total > COPY_LIMIT or files > COPY_FILES:
                return
            out = dest / p.relative_to(src)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, out)


_WHERE = re.compile(r"^(?:.*[\\/])?[\w.-]+\.py:\d+(?: in (?P<fn>[\w.<>]+))?")


def where_in_notebook(where: str, source: str = "") -> str:
    """A place in the student's code as a notebook student knows it: the function and the
    line, never the module file (ch05/layers.py:29) they never saw."""
    m = _WHERE.match(where or "")
    fn = m.group("fn") if m else None
    place = f"{fn}()" if fn else ""
    if source:
        place = f"{place}: {source.strip()}" if place else source.strip()
    return place


def is_todo(failure: dict) -> bool:
    """A failure that is a stub still raising (nbgrader's stub raises a bare NotImplementedError)."""
    return (failure.get("kind") == "todo" or (failure.get("kind") == "hidden" and bool(failure.get("todo")))
            or failure.get("type") == "NotImplementedError")


def test_lines(kata: dict) -> list[str]:
    """Every test of a kata as the notebook shows it: ✓/✗, the name, and for a failure what
    went wrong (not written yet, call/actual/expected, the error and where), in the language
    chosen with L= (as every message of the grading)."""
    lines = []
    for test in kata.get("test_list") or []:
        lines.append(f"  {'✓' if test['passed'] else '✗'} {test['name']}")
        f = test.get("failure")
        if test["passed"] or not f:
            continue
        kind = f.get("kind")
        if is_todo(f):
            lines.append("      " + t("g_todo"))
        elif test.get("hidden") or kind == "hidden":
            lines.append("      " + t("g_hidden"))
        elif kind == "check":
            lines += ["      " + x for x in check_lines(f)]
        elif kind == "import":
            lines.append("      " + t("g_import", message=f"{f.get('type', '')}: {f.get('message', '')}"))
        else:
            lines.append("      " + t("g_error", type=f.get("type", "Error"), message=f.get("message", "")))
            place = where_in_notebook(f.get("where", ""), f.get("source", ""))
            if place:
                lines.append("        " + t("g_in", where=place))
    return lines


TEST_BY_TEST = ("passed", "failed", "not_started", "blocked", "import_error")


def kata_lines(kata_id: str, info: dict, k: dict) -> list[str]:
    title = pick(info["title"])
    lines = [f"{kata_id} (§{info['section']}) {title}",
             t("g_tests", passed=k["tests"]["passed"], total=k["tests"]["total"])]
    if k.get("on_reference"):
        lines.append(t("g_on_reference", other=", ".join(k["on_reference"])))
    # The tests one by one, as the notebook shows them; what the sandbox saw instead when
    # the code never got that far (it timed out, crashed, exited, ran out of memory ...).
    listed = test_lines(k) if k["status"] in TEST_BY_TEST else []
    if listed:
        lines += listed
    elif k["score"] != k["max"]:
        lines += ["  " + strip_paths(line) for line in k["message"].splitlines()]
    if k["status"] == "blocked" and k.get("blocked_by"):
        lines.append(t("g_blocked", other=k["blocked_by"]))
    if k["status"] == "missing":
        lines = lines[:1] + [t("g_missing", why=k["message"])]
    if k.get("output"):
        lines += [t("g_printed"), k["output"]]
    return lines


def strip_paths(text: str) -> str:
    return re.sub(r"\(at [^)]*\.py:\d+(?: in (\w+))?\)", lambda m: f"(in {m.group(1)}())" if m.group(1) else "", text)


def inject(nb, record: dict, manifest: dict) -> None:
    """Each test cell's output becomes its kata's verdict, test by test as the notebook's
    check() shows it, in the chosen language (L=); a failing kata's output is an error."""
    from nbformat.v4 import new_output

    by_kata = {k["id"]: k for k in record["katas"]}
    imported = (record.get("import_output") or "").strip()   # e.g. the note on a refused `!cmd`
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        kata_id = next((k for k in manifest["katas"] if notebooks.gid(k, "tests") == meta.get("grade_id")), None)
        k = by_kata.get(kata_id)
        if k is None:
            continue
        lines = kata_lines(kata_id, manifest["katas"][kata_id], k)
        if imported:   # shown once, under the first kata
            lines += [say("読み込まれたときのあなたのコードの出力:", "your code printed when it was imported:"), imported]
            imported = ""
        text = "\n".join(lines) + "\n"
        cell.outputs = [new_output("stream", name="stdout", text=text)]
        if k["score"] == k["max"]:
            cell.outputs.append(new_output("stream", name="stdout", text=t("g_ok") + "\n"))
        else:
            first = next((line.strip() for line in text.splitlines()[2:] if line.strip().startswith("✗")),
                         k["status"])
            cell.outputs.append(new_output("error", ename="KataFailed",
                                           evalue=f"{kata_id}: {first[:300]} — {t('g_failed')}",
                                           traceback=[f"KataFailed: {kata_id}: {t('g_failed')}"]))
        cell.execution_count = 1


# ---------------------------------------------------------------- here: the gradebook, one at a time

def save_grades(course, ch: str, student: str, notebook: Path, cfg, gb=None) -> tuple[float, float]:
    """Create/update the submission and score its grade cells from the autograded notebook,
    with nbgrader's own SaveAutoGrades (in one transaction) and AssignLatePenalties.

    gb: an open nbgrader Gradebook to use (a run's, see autograde), else one is opened here."""
    import warnings

    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=cfg)
    timestamp = coursedir.get_existing_timestamp(str(course.root / "submitted" / student / ch))
    with warnings.catch_warnings():
        # nbgrader's own autograde makes SQLAlchemy say the same (its API's autoflush): noise here
        warnings.filterwarnings("ignore", message=".*not in session.*")
        return _save_grades(course, ch, student, notebook, cfg, timestamp, gb)


def _save_grades(course, ch, student, notebook, cfg, timestamp, gb=None) -> tuple[float, float]:
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties

    from dlkata.classroom import deadlines
    from dlkata.classroom.nbgrader_plugins import SaveAutoGradesOnce, SharedGradebook, serving
    nb = nbformat.read(str(notebook), as_version=4)
    res = resources(course, ch, student)
    gb = gb or Gradebook(course.db_url, C.COURSE_ID)
    # One session for all of it, ended whatever happens (what is not committed is rolled back).
    # A run's gradebook keeps its engine for the next notebook: opening one (18 ms) and
    # compiling its statements again (35 ms a ch06 notebook) are paid once a run.
    with contextlib.closing(gb):
        gb.update_or_create_student(student)
        if timestamp:
            gb.update_or_create_submission(ch, student, timestamp=timestamp)
        else:
            gb.update_or_create_submission(ch, student)
        deadlines.apply_extension(gb, course, ch, student)
        pps = [SaveAutoGradesOnce(config=cfg), AssignLatePenalties(config=cfg)]
        with serving(SharedGradebook(gb, course.db_url), pps):
            for pp in pps:
                nb, res = pp.preprocess(nb, res)
        sub = gb.find_submission(ch, student)
        return float(sub.score), float(sub.max_score)


def dependents_policy(cfg, override: str | None = None) -> str:
    """How a kata that builds on a failing one is graded (nbgrader_config.py:
    c.DlkataGrading.dependent_katas, or DEPENDENTS=): "reference" (default) grades it with
    the reference of what it builds on; "zero" scores it 0 as blocked (all-or-nothing)."""
    value = override or (cfg.DlkataGrading.get("dependent_katas") if "DlkataGrading" in cfg else None) or "reference"
    if value not in DEPENDENTS:
        raise C.CourseError(say(f"依存するカタの採点方法 (dependent_katas): {value!r} は {', '.join(DEPENDENTS)} のどれでもありません",
                                f"dependent katas: {value!r} is not one of {', '.join(DEPENDENTS)}"))
    return value


def autograde(course, ch: str, students: list[str], *, jobs: int | None = None,
              limits: Limits | None = None, mode: str = "auto", progress: bool = True,
              out_dir: Path | None = None, dependents: str | None = None, client=None):
    """Grade every submitted notebook of the chapter; returns dlkata.classroom.course.Graded per student.

    With client (a Dask client from dlkata.sandbox.cluster.connect) the notebooks are prepared
    here, graded on the cluster's workers, and the gradebook written here as on one machine."""

    from nbgrader.api import Gradebook

    prep = NotebookPrep(course, ch)
    policy = dependents_policy(prep.cfg, dependents)
    book: list = []     # the run's gradebook, opened at the first notebook to save
    graded: list = []
    failures: dict[str, str] = {}
    notes: dict[str, str] = {}
    started = time.perf_counter()

    def on_result(rec: dict) -> None:
        ok = "autograded" in rec and not any(k["status"] == "grader_error" for k in rec["katas"])
        if ok and policy == "reference" and rec["name"] not in prep.first:
            use = needs_reference(rec, prep.unwritten(rec["name"]))
            if use:   # graded again below, with the reference of these katas
                prep.first[rec["name"]], prep.substitute[rec["name"]] = rec, use
                return
        if ok:
            try:
                if not book:
                    book.append(Gradebook(course.db_url, C.COURSE_ID))
                save_grades(course, ch, rec["name"], Path(rec["autograded"]), prep.cfg, book[0])
            except Exception as e:  # noqa: BLE001 - one submission's gradebook trouble stays its own
                ok = False
                failures[rec["name"]] = f"{type(e).__name__}: {e}"
        else:
            failures[rec["name"]] = rec.get("problem") or say("採点処理が失敗しました", "the grader failed")
        if ok and rec.get("problem"):
            notes[rec["name"]] = rec["problem"]
        seconds = rec["seconds"] + (prep.first[rec["name"]]["seconds"] if rec["name"] in prep.first else 0)
        graded.append(C.Graded(rec["name"], ok, seconds))

    def run(names: list[str], again: bool = False) -> None:
        # A second pass grades only the katas that were blocked (merge_on_reference keeps the
        # first verdict of every other one): ch06's training checks are not run twice.
        subs = [grade.Submission(s, prep.submitted(s), prep.blocked(s) if again else None) for s in names]
        if client is not None:
            from dlkata.sandbox import cluster
            cluster.grade_many(client, subs, ch, limits=limits, out_dir=out_dir, progress=progress,
                               on_result=on_result, slow=True, prepare=prep.prepare, finish=prep.finish)
        else:
            grade.grade_many(subs, ch, jobs=jobs, limits=limits, mode=mode, out_dir=out_dir, progress=progress,
                             on_result=on_result, slow=True, prepare=prep.prepare, finish=prep.finish)

    try:
        run(prep.longest_first(students))
        if prep.first:
            print(f"{ch}: {len(prep.first)} submission(s) with katas blocked by a failing one: grading those "
                  f"katas again on the reference of what they build on (DEPENDENTS=zero: all-or-nothing)")
            run(sorted(prep.first), again=True)
    finally:
        for gb in book:
            gb.close()
            gb.engine.dispose()
    for name, why in sorted(notes.items()):
        print(f"{ch}: {name}: every kata scores 0: {why}")
    for name, why in sorted(failures.items()):
        print(f"{ch}: {name} not graded: {why}")
    wall = time.perf_counter() - started
    if graded:
        print(f"{ch}: {len(graded)} notebook(s) in {wall:.1f} s with the sandbox{' on the cluster' if client else ''} "
              f"({wall / len(graded):.2f} s per notebook, wall)")
    order = {s: i for i, s in enumerate(students)}
    return sorted(graded, key=lambda g: order.get(g.student, 0))


__all__ = ["autograde", "NotebookPrep", "inject", "save_grades", "load_config", "catalogue"]
