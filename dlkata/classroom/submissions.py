"""One submission out of the course, or another in its place, with nothing lost.

`make remove ch05 STUDENT=bob` moves submitted/bob/ch05 (and what was made from it:
autograded/, feedback/) into removed/<time>/ and deletes the grade from the gradebook, so
bob is "missing" again rather than keeping an old score. `make replace ch05 STUDENT=bob
FILE=bob.ipynb [TIME="2026-05-02 10:00 UTC"]` does the same, then puts the new notebook in
as the submission (submitted now, or at TIME). `make autograde` also notices a submission
whose folder is gone and removes its grade, saying so.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from dlkata.classroom import deadlines
from dlkata.classroom.course import COURSE_ID, Course, CourseError
from dlkata.i18n import say

STEPS = ("submitted", "autograded", "feedback")


def forget_grade(course: Course, ch: str, student: str) -> bool:
    """Delete the student's submission of ch from the gradebook (grades, comments); True if there was one."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(course.db_url, COURSE_ID) as gb:
        try:
            gb.remove_submission(ch, student)
        except MissingEntry:
            return False
    return True


def remove(course: Course, ch: str, student: str, quiet: bool = False) -> Path | None:
    """Move the student's files of ch into removed/<time>/ and forget the grade; returns the backup."""
    backup = course.root / "removed" / time.strftime("%Y%m%d-%H%M%S") / student / ch
    moved = False
    for step in STEPS:
        src = course.root / step / student / ch
        if src.exists():
            dest = backup / step
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(dest))
            moved = True
    had_grade = forget_grade(course, ch, student)
    if not (moved or had_grade):
        raise CourseError(say(f"{ch}: {course.root} に {student} の提出はありません (何も削除していません)",
                              f"{ch}: {student} has no submission in {course.root} (nothing removed)"))
    if not quiet:
        kept = say(f"。ファイルは {backup} に残してあります", f"; the files are kept in {backup}") if moved else ""
        grade = say("成績とともに", " with its grade") if had_grade else ""
        print(say(f"{ch}: {student} の提出を{grade}取り除きました{kept}", f"{ch}: {student}'s submission removed{grade}{kept}"))
    return backup if moved else None


def replace(course: Course, ch: str, student: str, notebook: Path, when: str | None = None) -> Path:
    """The notebook becomes the student's submission of ch (the old one kept in removed/)."""
    notebook = Path(notebook).expanduser()
    if not notebook.is_file():
        raise CourseError(say(f"{notebook}: ファイルがありません (FILE= には {student} の提出にするノートブックを指定します)",
                              f"{notebook}: no such file (FILE= the notebook to submit for {student})"))
    try:
        remove(course, ch, student, quiet=True)
        old = say(" (以前の提出は removed/ にあります)", " (the previous one is in removed/)")
    except CourseError:
        old = ""
    dest = course.root / "submitted" / student / ch
    dest.mkdir(parents=True)
    shutil.copyfile(notebook, dest / f"{ch}.ipynb")
    stamp = (deadlines.parse_time(when).strftime("%Y-%m-%d %H:%M:%S.%f UTC") if when else deadlines.utc_now())
    (dest / "timestamp.txt").write_text(stamp, encoding="utf-8")
    print(say(f"{ch}: {notebook} を {student} の提出にしました。提出時刻 {stamp}{old}。次は make autograde {ch} STUDENT={student}",
              f"{ch}: {notebook} is {student}'s submission, submitted {stamp}{old}; now: make autograde {ch} STUDENT={student}"))
    return dest


def gone(course: Course, ch: str) -> list[str]:
    """Students with a grade for ch in the gradebook whose submitted folder is gone."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(course.db_url, COURSE_ID) as gb:
        try:
            subs = gb.find_assignment(ch).submissions
        except MissingEntry:
            return []
        names = [s.student.id for s in subs]
    return sorted(n for n in names if not (course.root / "submitted" / n / ch).is_dir())


def drop_gone(course: Course, ch: str, students: list[str] | None = None) -> list[str]:
    """Forget the grades of submissions whose folder was deleted by hand, and say so."""
    dropped = []
    for s in gone(course, ch):
        if students and s not in students:
            continue
        forget_grade(course, ch, s)
        for step in ("autograded", "feedback"):
            shutil.rmtree(course.root / step / s / ch, ignore_errors=True)
        print(say(f"{ch}: {s}: 提出がなくなっています ({course.root / 'submitted' / s / ch} がありません): "
                  f"成績を削除しました。{s} は {ch} 未提出です",
                  f"{ch}: {s}: the submission is gone (no {course.root / 'submitted' / s / ch}): "
                  f"its grade was removed, {s} is missing for {ch}"))
        dropped.append(s)
    return dropped
