"""Grades out of the gradebook: grades.csv, katas.csv, and files Canvas and Moodle import.

Every student of the gradebook (those who submitted something, and those of the roster:
`make roster FILE=students.csv`) has a row per chapter. A student with no submission is
"missing", never 0: the score cells are empty and the status says so. grades.csv has
nbgrader's export columns and two more: status (on time, late, no time, missing) and
seconds_late.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from dlkata.classroom import deadlines, notebooks
from dlkata.classroom.course import COURSE_ID, Course
from dlkata.kata import catalogue

GRADE_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                 "raw_score", "late_submission_penalty", "score", "max_score", "status", "seconds_late"]
MISSING, ON_TIME, LATE, NO_TIME = "missing", "on time", "late", "no time"


@dataclass
class Row:
    assignment: str
    student: object          # nbgrader.api.Student
    max_score: float
    duedate: object = None
    timestamp: object = None
    raw: float | None = None
    penalty: float | None = None
    status: str = MISSING
    seconds_late: float = 0.0
    katas: dict | None = None    # kata id -> (score, max)

    @property
    def score(self) -> float | None:
        return None if self.raw is None else max(0.0, self.raw - (self.penalty or 0.0))


def _num(x) -> str:
    return "" if x is None else f"{x:g}"


def rows(course: Course) -> list[Row]:
    """One row per (chapter, student), chapters in catalogue order."""
    from nbgrader.api import Gradebook, MissingEntry

    ids = {notebooks.gid(k.id, "tests"): k.id for k in catalogue.load().katas}
    out = []
    with Gradebook(course.db_url, COURSE_ID) as gb:
        for a in sorted(gb.assignments, key=lambda a: a.name):
            for st in sorted(gb.students, key=lambda s: s.id):
                r = Row(a.name, st, float(a.max_score), duedate=a.duedate)
                try:
                    sub = gb.find_submission(a.name, st.id)
                except MissingEntry:
                    out.append(r)
                    continue
                r.timestamp, r.raw = sub.timestamp, float(sub.score)
                r.penalty = float(sub.late_submission_penalty or 0.0)
                r.seconds_late = float(sub.total_seconds_late)
                flag = deadlines.lateness(sub)
                r.status = NO_TIME if flag == deadlines.NO_TIME else LATE if flag else ON_TIME
                r.katas = {ids[g.name]: (float(g.score), float(g.max_score))
                           for nb in sub.notebooks for g in nb.grades if g.name in ids}
                out.append(r)
    return out


def write_grades(course: Course, out: Path | None = None) -> list[Path]:
    """grades.csv, katas.csv, canvas.csv, moodle.csv next to each other; returns their paths."""
    out = out or course.root / "grades.csv"
    table = rows(course)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(GRADE_COLUMNS)
        for r in table:
            s = r.student
            w.writerow([r.assignment, r.duedate or "", r.timestamp or "", s.id, s.last_name or "", s.first_name or "",
                        s.email or "", _num(r.raw), _num(r.penalty), _num(r.score), _num(r.max_score), r.status,
                        f"{r.seconds_late:.0f}" if r.raw is not None else ""])
    katas = out.with_name("katas.csv")
    cat = catalogue.load()
    with open(katas, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["assignment", "student_id", "kata", "score", "max_score", "status"])
        for r in table:
            for k in cat.katas_of(r.assignment):
                got = (r.katas or {}).get(k.id)
                if got is None:
                    w.writerow([r.assignment, r.student.id, k.id, "", f"{k.points:g}", MISSING])
                else:
                    w.writerow([r.assignment, r.student.id, k.id, f"{got[0]:g}", f"{got[1]:g}", r.status])
    paths = [out, katas, write_canvas(table, out.with_name("canvas.csv")),
             write_moodle(table, out.with_name("moodle.csv"))]
    return paths


def _by_student(table: list[Row]) -> tuple[list[str], dict]:
    chapters = sorted({r.assignment for r in table})
    people: dict[str, dict] = {}
    for r in table:
        people.setdefault(r.student.id, {"student": r.student})[r.assignment] = r
    return chapters, people


def write_canvas(table: list[Row], path: Path) -> Path:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one
    column per assignment; the second row gives the points possible. Canvas matches a row by
    ID (the roster's lms_user_id) or SIS Login ID (the student id); an empty cell is no grade."""
    chapters, people = _by_student(table)
    maxes = {r.assignment: r.max_score for r in table}
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *chapters])
        w.writerow(["Points Possible", "", "", "", "", *[f"{maxes[c]:g}" for c in chapters]])
        for sid, d in sorted(people.items()):
            s = d["student"]
            name = ", ".join(x for x in (s.last_name, s.first_name) if x) or sid
            w.writerow([name, s.lms_user_id or "", "", sid, "", *[_num(d[c].score) for c in chapters]])
    return path


def write_moodle(table: list[Row], path: Path) -> Path:
    """Moodle's "Import grades from CSV": map "Username" (or "Email address") to the user,
    and each chapter column to a grade item; empty cells are skipped by Moodle."""
    chapters, people = _by_student(table)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Username", "Email address", "First name", "Last name", *chapters])
        for sid, d in sorted(people.items()):
            s = d["student"]
            w.writerow([sid, s.email or "", s.first_name or "", s.last_name or "",
                        *[_num(d[c].score) for c in chapters]])
    return path
