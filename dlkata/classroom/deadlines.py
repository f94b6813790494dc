"""Due dates and extensions, kept where nbgrader reads them: the gradebook.

`make duedate ch05 DUE="2026-05-01 23:59 Asia/Tokyo"` sets the assignment's due date
(nbgrader's `assignment.duedate`); `make extension ch05 STUDENT=bob HOURS=48` gives one
student more time (nbgrader's `submitted_assignment.extension`). An extension granted
before the student submits waits in <course>/extensions.json and is written into the
gradebook when that submission is graded. nbgrader's AssignLatePenalties then applies
the course's late policy (nbgrader_config.py, `LateSubmissionPlugin.penalty_method`, or
our LatePenaltyPerDay) to every late submission.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from dlkata.classroom.course import COURSE_ID, Course, CourseError
from dlkata.i18n import say


def parse_time(text: str) -> datetime:
    """A date as a teacher writes it ("2026-05-01 23:59 UTC", "2026-05-01T23:59+09:00",
    "2026-05-01 23:59 Asia/Tokyo"), as nbgrader stores it: naive UTC."""
    from nbgrader.utils import parse_utc
    try:
        return parse_utc(text)
    except Exception as e:  # noqa: BLE001 - dateutil's many errors: one message
        raise CourseError(say(f"日付ではありません: {text!r} ({e})。例えば \"2026-05-01 23:59 UTC\" のように書いてください",
                              f"not a date: {text!r} ({e}); write e.g. \"2026-05-01 23:59 UTC\"")) from e


def set_duedate(course: Course, ch: str, due: str) -> datetime:
    from nbgrader.api import Gradebook
    when = parse_time(due)
    with Gradebook(course.db_url, COURSE_ID) as gb:
        gb.update_or_create_assignment(ch, duedate=when)
    print(say(f"{ch}: 締め切り {when:%Y-%m-%d %H:%M} UTC (採点済みの提出に反映するには再採点: make autograde {ch})",
              f"{ch}: due {when:%Y-%m-%d %H:%M} UTC (re-grade to apply it to what was graded: make autograde {ch})"))
    return when


def _extensions_file(course: Course):
    return course.root / "extensions.json"


def extensions(course: Course) -> dict[str, dict[str, float]]:
    path = _extensions_file(course)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def grant(course: Course, ch: str, student: str, hours: float) -> None:
    """Record an extension (0 takes it back) and write it into a graded submission at once."""
    from nbgrader.api import Gradebook, MissingEntry
    table = extensions(course)
    if hours:
        table.setdefault(ch, {})[student] = hours
    else:
        table.get(ch, {}).pop(student, None)
    _extensions_file(course).write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    with Gradebook(course.db_url, COURSE_ID) as gb:
        try:
            gb.find_submission(ch, student)
            gb.update_or_create_submission(ch, student, extension=timedelta(hours=hours) if hours else None)
            note = say(f" (減点に反映するには再採点: make autograde {ch} STUDENT={student})",
                       f" (re-grade to apply the penalty: make autograde {ch} STUDENT={student})")
        except MissingEntry:
            note = say(" (提出を採点するときに適用します)", " (applied when the submission is graded)")
    print(say(f"{ch}: {student}: {hours:g} 時間の延長{note}", f"{ch}: {student}: extension of {hours:g} hour(s){note}"))


def apply_extension(gb, course: Course, ch: str, student: str) -> None:
    """Called before the late penalty is computed: the recorded extension, if any, into the gradebook."""
    hours = extensions(course).get(ch, {}).get(student)
    gb.update_or_create_submission(ch, student, extension=timedelta(hours=hours) if hours else None)


NO_TIME = "no time"   # lateness() of a submission with no recorded time (a marker, not shown as such)


def lateness(sub) -> str:
    """How late a gradebook submission is, as a teacher reads it: "", "late 1 d 2 h" (遅れ 1 日
    2 時間) or NO_TIME (a submission with no recorded time, e.g. from an LMS download)."""
    if sub.timestamp is None:
        return NO_TIME if sub.assignment.duedate is not None else ""
    seconds = sub.total_seconds_late
    if seconds <= 0:
        return ""
    how_long = human(seconds)   # already in the chosen language
    return say(f"遅れ {how_long}", f"late {how_long}")


def human(seconds: float) -> str:
    d, rest = divmod(int(seconds), 86400)
    h, rest = divmod(rest, 3600)
    m = rest // 60
    parts = [say(f"{d} 日", f"{d} d")] if d else []
    if h or d:
        parts.append(say(f"{h} 時間", f"{h} h"))
    if not d:
        parts.append(say(f"{m} 分", f"{m} min"))
    return " ".join(parts)


def utc_now() -> str:
    """A timestamp.txt as nbgrader writes it."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
