"""nbgrader preprocessors the course's nbgrader_config.py names.

RestoreMissingCells: students delete cells. nbgrader's own OverwriteCells.add_missing_cells
puts back deleted *test* cells, after the cell that preceded them in the source, but it only
finds that cell if it is an answer or test cell still present; with the answer cell deleted
too, it fails the whole submission (KeyError). This runs first and puts back every other
deleted cell (given code, task text, answer cells, as released) where it was, so nbgrader's
option always finds its place and a deleted answer simply scores zero.
"""
from __future__ import annotations

import contextlib
import math
import os
import sys
from collections import namedtuple

from nbconvert.exporters import NotebookExporter
from nbformat.notebooknode import NotebookNode, from_dict
from traitlets import Bool, Float, List

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters.base import NbGraderException
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor, OverwriteCells, SaveAutoGrades


class LatePenaltyPerDay(LateSubmissionPlugin):
    """A late policy for nbgrader_config.py: `percent_per_day` of the score off for each
    started day late (24 h), never more than the score. Select it with
    c.AssignLatePenalties.plugin_class = "dlkata.classroom.nbgrader_plugins.LatePenaltyPerDay"."""
    percent_per_day = Float(10.0).tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days = math.ceil(total_seconds_late / 86400)
        return min(score, score * days * self.percent_per_day / 100)


class RefuseUnconfined(NotebookExporter):
    """nbgrader's own autograde (formgrader's Autograde button, plain `nbgrader autograde`)
    would run the student's code unconfined, with the teacher's rights. As the exporter of
    nbgrader's Autograde (`c.Autograde.exporter_class`), this stops it before it touches
    anything (nbgrader makes the exporter before the first submission) with the command to
    run instead, unless the teacher chose that engine (`make autograde ch05 ENGINE=nbgrader`
    sets DLKATA_ENGINE=nbgrader)."""

    MESSAGE = ("this course grades in the sandbox: run `make autograde chNN` (e.g. make autograde ch05) in the "
               "course's repository. nbgrader's own autograde, which formgrader's Autograde button runs, would "
               "run the students' code unconfined; `make autograde chNN ENGINE=nbgrader` if you mean it.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if os.environ.get("DLKATA_ENGINE") != "nbgrader":
            self.log.error(self.MESSAGE)   # nbgrader's command exits 1; formgrader shows the log
            raise NbGraderException(self.MESSAGE)


class RestoreMissingCells(NbGraderPreprocessor):
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            try:
                source = gb.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return nb, resources
            grade_ids = {c.name for c in source.grade_cells}
            solution_ids = {c.name for c in source.solution_cells}
            order = [c for c in source.source_cells]
            present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
            for i, sc in enumerate(order):
                if sc.name in present or sc.name in grade_ids:
                    continue  # present, or a test cell: nbgrader's add_missing_cells restores those
                self.log.warning("Cell %s was deleted from the submission; putting it back as released", sc.name)
                cell = self._cell(sc, sc.name in solution_ids)
                where = 0
                for prev in reversed(order[:i]):
                    idx = next((j for j, c in enumerate(nb.cells)
                                if c.metadata.get("nbgrader", {}).get("grade_id") == prev.name), None)
                    if idx is not None:
                        where = idx + 1
                        break
                nb.cells.insert(where, cell)
                present.add(sc.name)
        return nb, resources

    @staticmethod
    def _cell(sc, solution: bool) -> NotebookNode:
        meta = {"nbgrader": {"grade": False, "grade_id": sc.name, "locked": sc.locked, "solution": solution,
                             "schema_version": 3, "checksum": sc.checksum, "cell_type": sc.cell_type}}
        if sc.locked:
            meta.update(deletable=False, editable=False)
        cell = {"cell_type": sc.cell_type, "id": sc.name[:64], "metadata": meta, "source": sc.source}
        if sc.cell_type == "code":
            cell.update(execution_count=None, outputs=[])
        return from_dict(cell)


_RealGradebook = Gradebook   # this module's own `Gradebook` is replaced while serving() (RestoreMissingCells)


# Read-only copies of gradebook rows (a preprocessor that tried to change one would fail,
# not change what the next notebook is compared with).
_Cell = namedtuple("_Cell", "name cell_type source checksum locked")
_Graded = namedtuple("_Graded", "name max_score cell_type")
_Named = namedtuple("_Named", "name")
_Notebook = namedtuple("_Notebook", "name kernelspec source_cells grade_cells solution_cells task_cells")


def _copy(rows, cls) -> tuple:
    return tuple(cls(*(getattr(r, f) for f in cls._fields)) for r in rows)


class _StandIn:
    """What serving() puts where a preprocessor opens the gradebook: `Gradebook(db_url)` of
    this gradebook gives it, and leaving the preprocessor's `with` does not close it."""
    db_url: str

    def __call__(self, db_url, *args, **kwargs):
        return self if db_url == self.db_url and not args and not kwargs else _RealGradebook(db_url, *args, **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


class SharedGradebook(_StandIn):
    """An open gradebook shared with preprocessors that would each open their own (25 ms
    each); its owner closes it."""

    def __init__(self, gb, db_url: str):
        self._gb, self.db_url = gb, db_url

    def __getattr__(self, name):
        return getattr(self._gb, name)


class ReleasedGradebook(_StandIn):
    """What sanitising a notebook reads from the gradebook, read once: one notebook of one
    assignment as released (its source cells, grade, solution and task cells, kernelspec).

    Each sanitising preprocessor opened the gradebook (25 ms) and queried it once or twice
    per cell (1-2 ms each): 0.25 s of the 0.32 s a chapter 6 notebook took to prepare, in
    every forked grader. This copy is made before they fork and answers the same lookups
    with the same values, or the same MissingEntry; anything else asked of it goes to the
    real gradebook (a course may configure other preprocessors). See serving()."""

    def __init__(self, db_url: str, notebook: str, assignment: str):
        self.db_url, self.key = db_url, (notebook, assignment)
        self._real = None
        with _RealGradebook(db_url) as gb:
            try:
                nb = gb.find_notebook(notebook, assignment)
            except MissingEntry as e:
                self._missing, self._notebook = e, None
                return
            self._missing = None
            self._notebook = _Notebook(nb.name, nb.kernelspec, _copy(nb.source_cells, _Cell),
                                       _copy(nb.grade_cells, _Graded), _copy(nb.solution_cells, _Named),
                                       _copy(nb.task_cells, _Graded))
        self._source = {c.name: c for c in self._notebook.source_cells}
        # find_graded_cell: a grade cell, else a task cell of that name (as nbgrader looks)
        self._graded = {c.name: c for c in self._notebook.task_cells}
        self._graded.update({c.name: c for c in self._notebook.grade_cells})

    def _this(self, notebook: str, assignment: str) -> bool:
        if (notebook, assignment) != self.key:
            return False
        if self._missing is not None:
            raise self._missing
        return True

    def find_notebook(self, name: str, assignment: str):
        return self._notebook if self._this(name, assignment) else self.real.find_notebook(name, assignment)

    def _row(self, kind: str, rows: dict, name: str, notebook: str, assignment: str):
        if not self._this(notebook, assignment):
            return getattr(self.real, f"find_{kind}")(name, notebook, assignment)
        if name not in rows:
            raise MissingEntry(f"No such {kind.replace('_', ' ')}: {assignment}/{notebook}/{name}")
        return rows[name]

    def find_source_cell(self, name: str, notebook: str, assignment: str):
        return self._row("source_cell", self._source, name, notebook, assignment)

    def find_graded_cell(self, name: str, notebook: str, assignment: str):
        return self._row("graded_cell", self._graded, name, notebook, assignment)

    @property
    def real(self):
        if self._real is None:
            self._real = _RealGradebook(self.db_url)
        return self._real

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.real, name)

    def __exit__(self, *exc):
        if self._real is not None:
            self._real.close()
            self._real = None


@contextlib.contextmanager
def serving(stand_in: _StandIn, preprocessors: list):
    """While the preprocessors run, `Gradebook(db_url)` in the modules that define them (and
    their nbgrader base classes) gives `stand_in`. They open the gradebook by that module-level
    name; a process runs one notebook's preprocessors at a time, in one thread."""
    modules = {sys.modules[k.__module__] for pp in preprocessors for k in type(pp).__mro__}
    patched = [m for m in modules if getattr(m, "Gradebook", None) is _RealGradebook]
    for m in patched:
        m.Gradebook = stand_in
    try:
        yield
    finally:
        for m in patched:
            m.Gradebook = _RealGradebook
        stand_in.__exit__()


class _SchemaChecked:
    """jsonschema, whose validate() checks the schema itself only once: nbgrader's cell
    metadata check (CheckCellMetadata) calls jsonschema.validate(meta, its schema) for every
    cell, and validate() first checks that schema against the metaschema (0.17 s of the
    0.19 s a chapter 6 notebook's check took). Same result and errors: the schema is still
    checked, once."""

    def __init__(self, module):
        self._module = module
        self._validators: dict[int, tuple] = {}

    def validate(self, instance, schema, cls=None, *args, **kwargs):
        if cls is not None or args or kwargs:
            return self._module.validate(instance, schema, cls, *args, **kwargs)
        held = self._validators.get(id(schema))
        if held is None or held[0] is not schema:
            cls = self._module.validators.validator_for(schema)
            cls.check_schema(schema)
            held = self._validators[id(schema)] = (schema, cls(schema))
        error = self._module.exceptions.best_match(held[1].iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name):
        return getattr(self._module, name)


def check_schema_once() -> None:
    """Make nbgrader's cell metadata check use _SchemaChecked (in this process)."""
    from nbgrader.nbgraderformat import common
    if not isinstance(common.jsonschema, _SchemaChecked):
        common.jsonschema = _SchemaChecked(common.jsonschema)


def _without_hidden(source: str) -> str:
    """A test cell's source as released: the hidden-tests region taken out (ClearHiddenTests)."""
    out, hidden = [], False
    for line in source.splitlines():
        if "BEGIN HIDDEN TESTS" in line:
            hidden = True
        elif "END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out).strip()


class _OneLookup:
    """The gradebook, with one source cell already looked up (nbgrader's preprocess_cell asks
    for it again: each lookup is an ORM query, 1 ms, twice per cell of every notebook)."""

    def __init__(self, gb, key: tuple, found):
        self._gb, self._key, self._found = gb, key, found

    def find_source_cell(self, *key):
        return self._found if key == self._key else self._gb.find_source_cell(*key)

    def __getattr__(self, name):
        return getattr(self._gb, name)


class QuietOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells, without its false alarm: a test cell with hidden tests
    never has the gradebook's checksum (the release strips the hidden part), so nbgrader
    warned "Attribute 'checksum' ... has changed!" for every such cell of every student.
    Only a locked cell that differs from what was released is worth a warning now.

    And a cell whose grade_id was never released (a student edited it) becomes a plain
    cell: nbgrader removed only its grade_id, and its own add_missing_cells then failed on
    the rest of its nbgrader metadata (KeyError), so the whole notebook went ungraded."""

    def preprocess_cell(self, cell, resources, cell_index):
        self._released_as = None
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid is None:
            return super().preprocess_cell(cell, resources, cell_index)
        key = (gid, self.notebook_id, self.assignment_id)
        try:
            found = self.gradebook.find_source_cell(*key)
            self._released_as = cell.source.strip() == _without_hidden(found.source)
        except MissingEntry:
            self.log.warning("Cell '%s' was never released: graded as a plain cell", gid)
            del cell.metadata["nbgrader"]
            return cell, resources
        gb, self.gradebook = self.gradebook, _OneLookup(self.gradebook, key, found)
        try:
            return super().preprocess_cell(cell, resources, cell_index)
        finally:
            self.gradebook = gb

    def report_change(self, name, attr, old, new):
        if attr == "checksum" and self._released_as:
            self.log.debug("cell %s: hidden tests put back", name)
            return
        super().report_change(name, attr, old, new)


class _SubmittedRows:
    """The gradebook, with one submitted notebook's grade and comment rows fetched in two
    queries: nbgrader's _add_score and _add_comment look each up by name (a six-table join,
    1-2 ms, 38 of them for a chapter 6 notebook). A name it does not hold is MissingEntry,
    as in find_grade and find_comment."""

    def __init__(self, gb, key: tuple):
        from sqlalchemy.orm import joinedload

        from nbgrader.api import Comment, Grade
        self._gb, self._key = gb, key
        notebook, assignment, student = key
        sub = gb.find_submission_notebook(notebook, assignment, student)
        self._rows = {kind: {r.cell.name: r for r in gb.db.query(cls).options(joinedload(cls.cell))
                             .filter(cls.notebook_id == sub.id)}
                      for kind, cls in (("grade", Grade), ("comment", Comment))}

    def _find(self, kind: str, name: str, key: tuple):
        if key != self._key:
            return getattr(self._gb, f"find_{kind}")(name, *key)
        if name not in self._rows[kind]:
            raise MissingEntry(f"No such {kind}: {'/'.join(key)}/{name}")
        return self._rows[kind][name]

    def find_grade(self, name, *key):
        return self._find("grade", name, key)

    def find_comment(self, name, *key):
        return self._find("comment", name, key)

    def __getattr__(self, name):
        return getattr(self._gb, name)


class SaveAutoGradesOnce(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, committing once per notebook: it commits after every grade and
    comment (38 commits for a chapter 6 notebook). The gradebook gets a notebook's grades
    together, or none of them if grading it fails half-way. The rows it updates are fetched
    together too (_SubmittedRows)."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.student_id, self.db_url = info["student"], info["db_url"]
        gb = Gradebook(self.db_url)
        with gb:
            self.gradebook = _SubmittedRows(gb, (self.notebook_id, self.assignment_id, self.student_id))
            db = gb.db
            db.commit = db.flush        # what _add_score and _add_comment call after each cell
            try:
                nb, resources = super(SaveAutoGrades, self).preprocess(nb, resources)
            finally:
                del db.commit
            db.commit()
        return nb, resources


class ClearHiddenTestsInFeedback(ClearHiddenTests):
    """nbgrader's ClearHiddenTests for the feedback. nbgrader's preprocessors redeclare
    display_data_priority without config=True, so HTMLExporter's setting of it made every
    `make feedback` warn "Config option `display_data_priority` not recognized by
    ClearHiddenTests". Declaring it configurable (as nbgrader's GetGrades does) ends that."""
    display_data_priority = List(["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
                                  "image/jpeg", "text/plain"]).tag(config=True)
