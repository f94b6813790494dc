"""The classroom commands: python -m dlkata.classroom <command> [chapters] [options].

A teacher runs the course with nbgrader: `notebooks`, `release`, `collect`, `zipcollect`,
`autograde`, `feedback`, `grades`, `validate`. A student fetches and submits: `fetch`,
`submit`, `submit-exercises` (their exercises/ code, put into the notebook), `fetch-feedback`.

Every step is nbgrader's own command (the application `nbgrader <command>` runs), called
in this process so nbgrader is imported once; its gradebook, exchange and kernels are the
real ones. --course (COURSE=) and --exchange (EXCHANGE=) point at any course folder and
exchange; the defaults are grader/ and grader/exchange/.

Autograding goes through AUTOGRADERS, one function per engine: today nbgrader's own
`autograde`, run per submission and timed; a sandboxed parallel engine can be added
there and chosen with --engine without changing the targets.
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import time
from pathlib import Path

from dlkata.kata import catalogue, importer
from dlkata.classroom import notebooks
from dlkata.classroom.course import (COURSE_ID, DEFAULT_COURSE, ROOT, Course, CourseError, Graded, Student,
                                     ensure_path, kernel_env, kernel_problem, nbgrader)

def _chapters(words: list[str]) -> list[str]:
    have = notebooks.chapters_with_tests()
    if not words:
        return have
    bad = [w for w in words if w not in have]
    if bad:
        known = set(catalogue.load().chapter_ids())
        why = [f"{w}: {'no tests for every kata yet, so no notebook' if w in known else 'not a chapter'}" for w in bad]
        raise CourseError("; ".join(why))
    return words


# --------------------------------------------------------------------------- teacher

def release(course: Course, chapters: list[str], force: bool = False) -> None:
    """Generate the chapters' source folders, then nbgrader generate_assignment and release_assignment."""
    course.prepare()
    for ch in chapters:
        for p in notebooks.write_sources([ch], dest=course.root / "source"):
            print(f"wrote {p}")
        course.teacher("generate_assignment", ch, "--force")
        course.teacher("release_assignment", ch, *(["--force"] if force else []))


def collect(course: Course, chapters: list[str]) -> None:
    for ch in chapters:
        course.teacher("collect", ch, "--update")


def zipcollect(course: Course, chapters: list[str], files: list[str], regex: str | None = None) -> None:
    """Submissions downloaded from an LMS (zip files or notebooks) into submitted/, by nbgrader zip_collect."""
    if len(chapters) != 1:
        raise CourseError("zipcollect takes one chapter")
    ch = chapters[0]
    archive = course.root / "downloaded" / ch / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    for f in files:
        src = Path(f).expanduser()
        if src.is_dir():
            for p in src.iterdir():
                if p.is_file():
                    shutil.copy2(p, archive / p.name)
        else:
            shutil.copy2(src, archive / src.name)
    extra = [f"--FileNameCollectorPlugin.named_regexp={regex}"] if regex else []
    course.teacher("zip_collect", ch, "--force", *extra)


def _submitted(course: Course, ch: str) -> list[str]:
    return sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{ch}") if p.is_dir())


def autograde_nbgrader(course: Course, ch: str, students: list[str]) -> list[Graded]:
    """nbgrader autograde, one submission at a time (so each is timed and one failure stays its own)."""
    out = []
    for s in students:
        t0 = time.perf_counter()
        code = nbgrader("autograde", ch, f"--student={s}", "--force", *course.args(), cwd=course.root)
        out.append(Graded(s, code == 0, time.perf_counter() - t0))
    return out


def autograde_sandbox(course: Course, ch: str, students: list[str], client=None) -> list[Graded]:
    """The sandboxed engine (dlkata.sandbox, docs/grading.md): the notebooks' code in confined
    workers, the tests outside, submissions in parallel (on this machine, or on a Dask cluster
    with client); nbgrader's gradebook as usual."""
    from dlkata.classroom.autograde import autograde as sandboxed
    return sandboxed(course, ch, students, client=client)


AUTOGRADERS = {"nbgrader": autograde_nbgrader, "sandbox": autograde_sandbox}
DEFAULT_ENGINE = os.environ.get("ENGINE") or "sandbox"


def scores(course: Course, ch: str, students: list[str]) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(course.db_url, COURSE_ID) as gb:
        for s in students:
            try:
                sub = gb.find_submission(ch, s)
            except MissingEntry:
                continue
            out[s] = (float(sub.score), float(sub.max_score))
    return out


def connect_cluster(address: str):
    """A Dask client, or a CourseError that says why not (before anything is graded or changed)."""
    from dlkata.sandbox import cluster
    try:
        return cluster.connect(address)
    except cluster.ClusterError as e:
        raise CourseError(str(e)) from None


def autograde(course: Course, chapters: list[str], students: list[str] | None = None,
              engine: str = DEFAULT_ENGINE, dask: str | None = None) -> list[Graded]:
    """dask: the address of a Dask scheduler (tcp://host:8786) to grade on its workers."""
    problem = kernel_problem() if engine == "nbgrader" else None
    if dask and engine != "sandbox":
        problem = "DASK= grades with the sandbox engine only (not ENGINE=nbgrader)"
    if problem:
        raise CourseError(problem)
    client = connect_cluster(dask) if dask else None
    try:
        return _autograde(course, chapters, students, engine, client)
    finally:
        if client is not None:
            client.close()


def _autograde(course, chapters, students, engine, client) -> list[Graded]:
    results = []
    for ch in chapters:
        who = students or _submitted(course, ch)
        if not who:
            print(f"{ch}: nothing submitted (collect first)")
            continue
        graded = AUTOGRADERS[engine](course, ch, who, client) if client else AUTOGRADERS[engine](course, ch, who)
        got = scores(course, ch, who)
        print(f"\n{ch}: autograded {len(graded)} submission(s) with {engine}")
        for g in graded:
            g.score, g.max_score = got.get(g.student, (None, None))
            mark = f"{g.score:g}/{g.max_score:g}" if g.score is not None else "not graded"
            print(f"  {g.student:<20} {mark:>10}  {g.seconds:6.2f} s{'' if g.ok else '  FAILED (see the log above)'}")
        if graded:
            print(f"  {sum(g.seconds for g in graded) / len(graded):.2f} s per notebook")
        results += graded
    return results


def feedback(course: Course, chapters: list[str]) -> None:
    """Generate the feedback (HTML, hidden tests removed) and release it to the exchange.

    Submissions collected from an LMS did not come through the exchange (nbgrader's
    release_feedback needs their exchange secret): their feedback stays in feedback/ to
    be returned through the LMS."""
    for ch in chapters:
        course.teacher("generate_feedback", ch, "--force")
        who = _submitted(course, ch)
        via_exchange = [s for s in who if (course.root / "submitted" / s / ch / "submission_secret.txt").exists()]
        if via_exchange == who:
            course.teacher("release_feedback", ch)
        else:
            for s in via_exchange:
                course.teacher("release_feedback", ch, f"--student={s}")
        for s in sorted(set(who) - set(via_exchange)):
            print(f"{ch}: feedback for {s} (not submitted through the exchange): "
                  f"{course.root / 'feedback' / s / ch / (ch + '.html')}")


def grades(course: Course, out: Path | None = None) -> tuple[Path, Path]:
    """nbgrader export (grades.csv: one row per submission) and katas.csv (one row per kata)."""
    from nbgrader.api import Gradebook

    out = out or course.root / "grades.csv"
    course.teacher("export", f"--to={out}")
    per_kata = out.with_name("katas.csv")
    cat = catalogue.load()
    ids = {notebooks.gid(k.id, "tests"): k.id for k in cat.katas}
    with Gradebook(course.db_url, COURSE_ID) as gb, open(per_kata, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["assignment", "student_id", "kata", "score", "max_score"])
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                for nb in sub.notebooks:
                    for g in nb.grades:
                        if g.name in ids:
                            w.writerow([assignment.name, sub.student.id, ids[g.name], f"{g.score:g}", f"{g.max_score:g}"])
    print(f"wrote {out} and {per_kata}")
    return out, per_kata


def validate_notebook(path: Path, invert: bool = False, course: Course | None = None) -> dict:
    """nbgrader's Validator on one notebook, with the course's settings (timeout)."""
    ensure_path()
    from nbgrader.validator import Validator
    from traitlets.config.loader import PyFileConfigLoader

    config_dir = (course.root if course else DEFAULT_COURSE)
    if not (config_dir / "nbgrader_config.py").exists():
        config_dir = DEFAULT_COURSE
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(config_dir)).load_config()
    v = Validator(config=cfg)
    v.invert = invert
    with kernel_env():
        return v.validate(str(path))


def validate(course: Course, chapters: list[str]) -> list[str]:
    """Source notebooks pass (nbgrader validate); released ones fail every test cell (--invert)."""
    problems = []
    for ch in chapters:
        src = course.root / "source" / ch / f"{ch}.ipynb"
        res = validate_notebook(src, course=course)
        bad = res.get("failed", []) + res.get("changed", []) + res.get("type_changed", [])
        print(f"{ch}: source {'passes' if not bad else f'FAILS {len(bad)} cell(s)'}")
        problems += [f"{ch} source: {c.get('raw_error', c.get('source', ''))[:300]}" for c in bad]
        rel = course.root / "release" / ch / f"{ch}.ipynb"
        if rel.exists():
            res = validate_notebook(rel, invert=True, course=course)
            passed = res.get("passed", []) + res.get("changed", [])
            print(f"{ch}: released stubs {'fail every test cell' if not passed else f'PASS {len(passed)} cell(s)'}")
            problems += [f"{ch} release passes: {c['source'][:200]}" for c in passed]
        else:
            print(f"{ch}: not released in {course.root}, so the stubs were not checked (make release {ch})")
    return problems


# --------------------------------------------------------------------------- student

def fetch(course: Course, student: Student, chapters: list[str]) -> None:
    for ch in chapters:
        student.run(course, "fetch_assignment", ch)
        print(f"{ch}: {student.workdir / ch / (ch + '.ipynb')}")


def submit(course: Course, student: Student, chapters: list[str]) -> None:
    for ch in chapters:
        student.run(course, "submit", ch)


def submit_exercises(course: Course, student: Student, chapters: list[str], impl: Path) -> None:
    """Put the learner's code for each chapter (impl/chNN, as for `make test`) into the
    chapter's notebook and submit it. The notebook they had is kept as a .bak file."""
    for ch in chapters:
        folder = student.workdir / ch
        path = folder / f"{ch}.ipynb"
        if not path.exists():
            student.run(course, "fetch_assignment", ch)
        text = path.read_text(encoding="utf-8")
        nb = notebooks.fill_notebook(notebooks.loads(text), impl, ch)
        new = notebooks.dumps(nb)
        if new != text:
            backup = student.workdir / f"{ch}.ipynb.{time.strftime('%Y%m%d-%H%M%S')}.bak"
            backup.write_text(text, encoding="utf-8")
            path.write_text(new, encoding="utf-8")
            print(f"{ch}: your code from {impl / ch} is in {path} (the previous notebook: {backup})")
        student.run(course, "submit", ch)


def fetch_feedback(course: Course, student: Student, chapters: list[str]) -> None:
    for ch in chapters:
        student.run(course, "fetch_feedback", ch)
        for p in sorted((student.workdir / ch / "feedback").rglob("*.html")):
            print(p)


# --------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dlkata.classroom", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["notebooks", "release", "fetch", "submit", "submit-exercises",
                                       "collect", "zipcollect", "autograde", "feedback", "fetch-feedback",
                                       "grades", "validate"])
    p.add_argument("chapters", nargs="*")
    p.add_argument("--course", default=os.environ.get("COURSE") or None, help="course folder (default grader/)")
    p.add_argument("--exchange", default=os.environ.get("EXCHANGE") or None,
                   help="exchange folder (default <course>/exchange)")
    p.add_argument("--student", default=os.environ.get("STUDENT") or None, help="student id (default: your user name)")
    p.add_argument("--workdir", default=os.environ.get("WORKDIR") or None,
                   help="a student's folder for fetched assignments (default assignments/<student>)")
    p.add_argument("--cache", default=os.environ.get("CACHE") or None,
                   help="a student's nbgrader cache (default <workdir>/.nbgrader_cache)")
    p.add_argument("--impl", default=None, help="submit-exercises: the tree to submit (default exercises)")
    p.add_argument("--zip", nargs="*", default=[], help="zipcollect: zip files, notebooks or folders")
    p.add_argument("--regex", default=os.environ.get("ZIPREGEX") or None, help="zipcollect: file name regex")
    p.add_argument("--engine", default=DEFAULT_ENGINE, choices=sorted(AUTOGRADERS),
                   help="autograde: sandbox (default; ENGINE=) or nbgrader's own autograde")
    p.add_argument("--dask", default=os.environ.get("DASK") or None,
                   help="autograde: grade on the Dask cluster whose scheduler is at this address (DASK=tcp://host:8786)")
    p.add_argument("--force", action="store_true", help="release: replace an assignment already released")
    p.add_argument("--check", action="store_true", help="notebooks: only say where they drifted")
    a = p.parse_args(argv)

    try:
        if a.command == "notebooks":
            if a.check:
                problems = notebooks.drift()
                for line in problems:
                    print(line)
                if problems:
                    print("grader/source/ drifted from the catalogue, solutions/ or tests/: run `make notebooks`")
                return 1 if problems else 0
            for path in notebooks.write_sources(_chapters(a.chapters)):
                print(f"wrote {path.relative_to(ROOT)}")
            return 0
        course = Course.at(a.course, a.exchange)
        student = Student.of(a.student, a.workdir, a.cache)
        if a.command == "grades":
            grades(course)
            return 0
        chapters = _chapters(a.chapters)
        if a.command == "release":
            release(course, chapters, a.force)
        elif a.command == "fetch":
            fetch(course, student, chapters)
        elif a.command == "submit":
            submit(course, student, chapters)
        elif a.command == "submit-exercises":
            submit_exercises(course, student, chapters, importer.impl_root(a.impl))
        elif a.command == "collect":
            collect(course, chapters)
        elif a.command == "zipcollect":
            if not a.zip:
                raise CourseError("zipcollect needs the downloaded files: ZIP=<zip, notebook or folder>")
            zipcollect(course, chapters, a.zip, a.regex)
        elif a.command == "autograde":
            results = autograde(course, chapters, [a.student] if a.student else None, a.engine, a.dask)
            return 0 if all(g.ok for g in results) else 1
        elif a.command == "feedback":
            feedback(course, chapters)
        elif a.command == "fetch-feedback":
            fetch_feedback(course, student, chapters)
        elif a.command == "validate":
            problems = validate(course, chapters)
            for line in problems:
                print(line)
            return 1 if problems else 0
    except CourseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
