"""nbgrader preprocessors the course's nbgrader_config.py names.

RestoreMissingCells: students delete cells. nbgrader's own OverwriteCells.add_missing_cells
puts back deleted *test* cells, after the cell that preceded them in the source, but it only
finds that cell if it is an answer or test cell still present; with the answer cell deleted
too, it fails the whole submission (KeyError). This runs first and puts back every other
deleted cell (given code, task text, answer cells, as released) where it was, so nbgrader's
option always finds its place and a deleted answer simply scores zero.
"""
from __future__ import annotations

from nbformat.notebooknode import NotebookNode, from_dict
from traitlets import Bool

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor


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
