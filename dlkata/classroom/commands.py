"""The classroom commands: python -m dlkata.classroom <command> [chapters] [options].

A teacher runs the course with nbgrader: `notebooks`, `release`, `collect`, `zipcollect`,
`autograde`, `feedback`, `grades`, `validate`. A student fetches and submits: `fetch`,
`submit`, `submit-exercises` (their exercises/ code, put into the notebook), `fetch-feedback`.

Every step is nbgrader's own command (the application `nbgrader <command>` runs), called
in this process so nbgrader is imported once; its gradebook, exchange and kernels are the
real ones. Collecting is the exception: the exchange and LMS downloads are written by
students, so `collecting.py` copies only what belongs to each submission. --course (COURSE=)
and --exchange (EXCHANGE=) point at any course folder and exchange; the defaults are grader/
and grader/exchange/.

Autograding goes through AUTOGRADERS, one function per engine (--engine, ENGINE=): "sandbox",
the default (dlkata.classroom.autograde: in parallel, the student's code confined, on one
machine or a Dask cluster with --dask), and "nbgrader", nbgrader's own `autograde`, run per
submission and timed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from dlkata.i18n import say
from dlkata.i18n.command_line import localize_argparse
from dlkata.kata import catalogue, importer
from dlkata.classroom import deadlines, notebooks
from dlkata.classroom.course import (COURSE_ID, DEFAULT_COURSE, ROOT, Course, CourseError, Graded, Student,
                                     ensure_path, kernel_env, kernel_problem, nbgrader)

def _chapters(words: list[str]) -> list[str]:
    have = notebooks.chapters_with_tests()
    if not words:
        return have
    bad = [w for w in words if w not in have]
    if bad:
        known = set(catalogue.load().chapter_ids())
        no_notebook = say("まだテストのないカタがあるため、ノートブックはありません",
                          "no tests for every kata yet, so no notebook")
        why = [f"{w}: {no_notebook if w in known else say('章ではありません', 'not a chapter')}" for w in bad]
        raise CourseError("; ".join(why))
    return words


# --------------------------------------------------------------------------- teacher

def release(course: Course, chapters: list[str], force: bool = False) -> None:
    """Generate the chapters' source folders, then nbgrader generate_assignment and release_assignment."""
    course.prepare()
    for ch in chapters:
        for p in notebooks.write_sources([ch], dest=course.root / "source"):
            print(say(f"{p} を書き出しました", f"wrote {p}"))
        course.teacher("generate_assignment", ch, "--force")
        course.teacher("release_assignment", ch, *(["--force"] if force else []))


def collect(course: Course, chapters: list[str]) -> bool:
    """The newest submission of each student from the exchange (dlkata.classroom.collecting:
    regular files only, every skipped entry reported). False when nothing could be collected."""
    from dlkata.classroom import collecting
    ok = True
    for ch in chapters:
        report = collecting.collect_exchange(course, ch, COURSE_ID)
        report.print()
        ok = ok and not report.failed
    return ok


def zipcollect(course: Course, chapters: list[str], files: list[str], regex: str | None = None) -> bool:
    """Submissions downloaded from an LMS (zip files, notebooks or folders) into submitted/
    (dlkata.classroom.collecting). False when nothing could be collected."""
    from dlkata.classroom import collecting
    if len(chapters) != 1:
        raise CourseError(say("zipcollect に指定できる章は 1 つだけです", "zipcollect takes one chapter"))
    try:
        report = collecting.collect_download(course, chapters[0], files, regex)
    except ValueError as e:
        raise CourseError(str(e)) from None
    report.print()
    return not report.failed


def _submitted(course: Course, ch: str) -> list[str]:
    return sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{ch}") if p.is_dir())


def autograde_nbgrader(course: Course, ch: str, students: list[str]) -> list[Graded]:
    """nbgrader autograde, one submission at a time (so each is timed and one failure stays its own)."""
    from nbgrader.api import Gradebook, MissingEntry

    out = []
    os.environ["DLKATA_ENGINE"] = "nbgrader"   # the teacher chose it: RefuseUnconfined lets it run
    try:
        for s in students:
            with Gradebook(course.db_url, COURSE_ID) as gb:   # a recorded extension, before nbgrader's penalty
                try:
                    gb.find_submission(ch, s)
                    deadlines.apply_extension(gb, course, ch, s)
                except MissingEntry:
                    pass
            shutil.rmtree(course.root / "autograded" / s / ch, ignore_errors=True)   # made again (quietly)
            t0 = time.perf_counter()
            code = nbgrader("autograde", ch, f"--student={s}", "--force", *course.args(), cwd=course.root)
            out.append(Graded(s, code == 0, time.perf_counter() - t0))
    finally:
        os.environ.pop("DLKATA_ENGINE", None)
    return out


def autograde_sandbox(course: Course, ch: str, students: list[str], dependents: str | None = None,
                      client=None) -> list[Graded]:
    """The sandboxed engine (dlkata.sandbox, docs/grading.md): the notebooks' code in confined
    workers, the tests outside, submissions in parallel (on this machine, or on a Dask cluster
    with client); nbgrader's gradebook as usual."""
    from dlkata.classroom.autograde import autograde as sandboxed
    return sandboxed(course, ch, students, dependents=dependents, client=client)


AUTOGRADERS = {"nbgrader": autograde_nbgrader, "sandbox": autograde_sandbox}
DEFAULT_ENGINE = os.environ.get("ENGINE") or "sandbox"


def scores(course: Course, ch: str, students: list[str]) -> dict[str, tuple[float, float]]:
    return {s: (v[0], v[1]) for s, v in standing(course, ch, students).items()}


def standing(course: Course, ch: str, students: list[str]) -> dict[str, tuple[float, float, float, str]]:
    """student -> (score after the late penalty, max score, penalty, lateness) from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(course.db_url, COURSE_ID) as gb:
        for s in students:
            try:
                sub = gb.find_submission(ch, s)
            except MissingEntry:
                continue
            penalty = float(sub.late_submission_penalty or 0.0)
            out[s] = (max(0.0, float(sub.score) - penalty), float(sub.max_score), penalty, deadlines.lateness(sub))
    return out


def connect_cluster(address: str):
    """A Dask client, or a CourseError that says why not (before anything is graded or changed)."""
    from dlkata.sandbox import cluster
    try:
        return cluster.connect(address)
    except cluster.ClusterError as e:
        raise CourseError(str(e)) from None


def autograde(course: Course, chapters: list[str], students: list[str] | None = None,
              engine: str = DEFAULT_ENGINE, dependents: str | None = None, dask: str | None = None) -> list[Graded]:
    """dask: the address of a Dask scheduler (tcp://host:8786) to grade on its workers."""
    problem = kernel_problem() if engine == "nbgrader" else None
    if dask and engine != "sandbox":
        problem = say("DASK= で採点できるのは sandbox エンジンだけです (ENGINE=nbgrader では使えません)",
                      "DASK= grades with the sandbox engine only (not ENGINE=nbgrader)")
    if problem:
        raise CourseError(problem)
    client = connect_cluster(dask) if dask else None
    try:
        return _autograde(course, chapters, students, engine, dependents, client)
    finally:
        if client is not None:
            client.close()


def _autograde(course, chapters, students, engine, dependents, client) -> list[Graded]:
    from dlkata.classroom import submissions

    results = []
    for ch in chapters:
        submissions.drop_gone(course, ch, students)
        who = [s for s in students if (course.root / "submitted" / s / ch).is_dir()] if students else _submitted(course, ch)
        for s in sorted(set(students or []) - set(who)):
            print(say(f"{ch}: {s} には {ch} の提出がありません ({course.root / 'submitted' / s / ch} がありません): "
                      f"{s} は {ch} 未提出として、何も採点しません",
                      f"{ch}: {s} has no submission of {ch} (no {course.root / 'submitted' / s / ch}): "
                      f"{s} is missing for {ch}, nothing graded"))
        if not who:
            print(say(f"{ch}: 提出がありません (先に collect してください)", f"{ch}: nothing submitted (collect first)"))
            continue
        if engine == "sandbox":
            graded = autograde_sandbox(course, ch, who, dependents, client)
        else:
            graded = AUTOGRADERS[engine](course, ch, who)
        got = standing(course, ch, who)
        print(say(f"\n{ch}: {engine} で {len(graded)} 件の提出を自動採点しました",
                  f"\n{ch}: autograded {len(graded)} submission(s) with {engine}"))
        for g in graded:
            score, g.max_score, penalty, late = got.get(g.student, (None, None, 0.0, ""))
            g.score = score
            mark = f"{score:g}/{g.max_score:g}" if score is not None else say("未採点", "not graded")
            flag = ""
            if late == deadlines.NO_TIME:
                flag = say("  提出時刻がありません (LMS からのダウンロード？): 遅れたかどうかわかりません",
                           "  no submission time (LMS download?): cannot tell whether it is late")
            elif late:
                flag = f"  {late}" + (say(f"、減点 -{penalty:g}", f", penalty -{penalty:g}") if penalty
                                      else say("、減点なし (コースの遅れ提出の規定)", ", no penalty (the course's late policy)"))
            failed = "" if g.ok else say("  失敗 (上のログを参照)", "  FAILED (see the log above)")
            print(f"  {g.student:<20} {mark:>10}  {g.seconds:6.2f} s{flag}{failed}")
        if graded:
            per = sum(g.seconds for g in graded) / len(graded)
            print(say(f"  ノートブック 1 冊あたり {per:.2f} 秒", f"  {per:.2f} s per notebook"))
        results += graded
    return results


def feedback(course: Course, chapters: list[str]) -> None:
    """Generate the feedback (HTML, hidden tests removed) and release it to the exchange.

    Submissions collected from an LMS did not come through the exchange (nbgrader's
    release_feedback needs their exchange secret): their feedback stays in feedback/ to
    be returned through the LMS."""
    for ch in chapters:
        for old in (course.root / "feedback").glob(f"*/{ch}"):
            shutil.rmtree(old)   # made again from autograded/ (nbgrader would warn about each one)
        course.teacher("generate_feedback", ch, "--force")
        who = _submitted(course, ch)
        for page in (course.root / "feedback").glob(f"*/{ch}/*.html"):
            name_test_cells(page)
        via_exchange = [s for s in who if (course.root / "submitted" / s / ch / "submission_secret.txt").exists()]
        if via_exchange == who:
            course.teacher("release_feedback", ch)
        else:
            for s in via_exchange:
                course.teacher("release_feedback", ch, f"--student={s}")
        for s in sorted(set(who) - set(via_exchange)):
            print(say(f"{ch}: {s} へのフィードバック (exchange を通さない提出): "
                      f"{course.root / 'feedback' / s / ch / (ch + '.html')}",
                      f"{ch}: feedback for {s} (not submitted through the exchange): "
                      f"{course.root / 'feedback' / s / ch / (ch + '.html')}"))


def name_test_cells(html_path: Path) -> None:
    """nbgrader's feedback lists every test cell as "Test cell": name the kata instead."""
    import html as _html
    import re

    text = html_path.read_text(encoding="utf-8")
    cat = catalogue.load()

    def name(m):
        kata = next((k for k in cat.katas if notebooks.gid(k.id, "tests") == m.group(1)), None)
        if kata is None:
            return m.group(0)
        title = kata.title.get("ja") or kata.title.get("en", "")
        return f'<a href="#{m.group(1)}">{_html.escape(f"{kata.id} {title}")}</a>'

    new = re.sub(r'<a href="#([\w-]+)">Test cell</a>', name, text)
    if new != text:
        html_path.write_text(new, encoding="utf-8")


def grades(course: Course, out: Path | None = None) -> list[Path]:
    """grades.csv (one row per student and chapter: missing is missing, late is flagged),
    katas.csv (one row per kata), canvas.csv and moodle.csv (LMS imports)."""
    from dlkata.classroom import export
    paths = export.write_grades(course, out)
    files = ", ".join(str(p) for p in paths)
    print(say(f"{files} を書き出しました", f"wrote {files}"))
    return paths


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
        print(say(f"{ch}: ソースは合格です", f"{ch}: source passes") if not bad
              else say(f"{ch}: ソースの {len(bad)} セルが不合格です", f"{ch}: source FAILS {len(bad)} cell(s)"))
        for c in bad:
            error = c.get('raw_error', c.get('source', ''))[:300]
            problems.append(say(f"{ch} ソース: {error}", f"{ch} source: {error}"))
        rel = course.root / "release" / ch / f"{ch}.ipynb"
        if rel.exists():
            res = validate_notebook(rel, invert=True, course=course)
            passed = res.get("passed", []) + res.get("changed", [])
            print(say(f"{ch}: 配布したスタブはどのテストセルにも通りません", f"{ch}: released stubs fail every test cell")
                  if not passed else
                  say(f"{ch}: 配布したスタブで {len(passed)} セルが合格してしまいます", f"{ch}: released stubs PASS {len(passed)} cell(s)"))
            for c in passed:
                source = c['source'][:200]
                problems.append(say(f"{ch} 配布版で合格してしまうセル: {source}", f"{ch} release passes: {source}"))
        else:
            print(say(f"{ch}: {course.root} では未配布なので、スタブは確かめていません (make release {ch})",
                      f"{ch}: not released in {course.root}, so the stubs were not checked (make release {ch})"))
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
            print(say(f"{ch}: {impl / ch} のコードを {path} に入れました (以前のノートブック: {backup})",
                      f"{ch}: your code from {impl / ch} is in {path} (the previous notebook: {backup})"))
        student.run(course, "submit", ch)


def fetch_feedback(course: Course, student: Student, chapters: list[str]) -> None:
    for ch in chapters:
        student.run(course, "fetch_feedback", ch)
        for p in sorted((student.workdir / ch / "feedback").rglob("*.html")):
            print(p)


# --------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    localize_argparse()
    p = argparse.ArgumentParser(prog="python -m dlkata.classroom", description=say(
        "nbgrader で授業を回すコマンド。先生: notebooks, release, collect, zipcollect, autograde, feedback, "
        "grades, validate, duedate, extension, roster, remove, replace, report。学生: fetch, submit, "
        "submit-exercises, fetch-feedback, student-config。ふつうは make の同じ名前のターゲットから使います (make help)。",
        "Run a course with nbgrader. Teachers: notebooks, release, collect, zipcollect, autograde, feedback, "
        "grades, validate, duedate, extension, roster, remove, replace, report. Students: fetch, submit, "
        "submit-exercises, fetch-feedback, student-config. Usually reached through the make targets of the "
        "same names (make help)."))
    p.add_argument("command", choices=["notebooks", "release", "fetch", "submit", "submit-exercises",
                                       "collect", "zipcollect", "autograde", "feedback", "fetch-feedback",
                                       "grades", "validate", "duedate", "extension", "roster", "remove",
                                       "replace", "report", "student-config"])
    p.add_argument("chapters", nargs="*")
    p.add_argument("--course", default=os.environ.get("COURSE") or None, help=say("授業のフォルダ (既定は grader/)", "course folder (default grader/)"))
    p.add_argument("--exchange", default=os.environ.get("EXCHANGE") or None,
                   help=say("提出をやりとりするフォルダ (既定は <course>/exchange)", "exchange folder (default <course>/exchange)"))
    p.add_argument("--student", default=os.environ.get("STUDENT") or None, help=say("学生 ID (既定はユーザ名)", "student id (default: your user name)"))
    p.add_argument("--workdir", default=os.environ.get("WORKDIR") or None,
                   help=say("学生が受け取った課題のフォルダ (既定は assignments/<student>)",
                            "a student's folder for fetched assignments (default assignments/<student>)"))
    p.add_argument("--cache", default=os.environ.get("CACHE") or None,
                   help=say("学生の nbgrader キャッシュ (既定は <workdir>/.nbgrader_cache)",
                            "a student's nbgrader cache (default <workdir>/.nbgrader_cache)"))
    p.add_argument("--impl", default=None, help=say("submit-exercises: 提出するツリー (既定は exercises)", "submit-exercises: the tree to submit (default exercises)"))
    p.add_argument("--zip", nargs="*", default=[], help=say("zipcollect: zip ファイル、ノートブック、フォルダ", "zipcollect: zip files, notebooks or folders"))
    p.add_argument("--regex", default=os.environ.get("ZIPREGEX") or None, help=say("zipcollect: ファイル名の正規表現", "zipcollect: file name regex"))
    p.add_argument("--engine", default=DEFAULT_ENGINE, choices=sorted(AUTOGRADERS),
                   help=say("autograde: sandbox (既定、ENGINE=) か nbgrader 自身の autograde",
                            "autograde: sandbox (default; ENGINE=) or nbgrader's own autograde"))
    p.add_argument("--dependents", default=os.environ.get("DEPENDENTS") or None, choices=["reference", "zero"],
                   help=say("autograde: 前提のカタが失敗したカタを、前提のお手本で採点する (既定) か 0 点にするか",
                            "autograde: a kata whose prerequisite fails is graded on the reference (default) or scores 0"))
    p.add_argument("--due", default=os.environ.get("DUE") or None, help=say('duedate: 例 "2026-05-01 23:59 UTC"', 'duedate: e.g. "2026-05-01 23:59 UTC"'))
    p.add_argument("--hours", type=float, default=None, help=say("extension: STUDENT の締切を延ばす時間 (0 で取り消し)", "extension: hours more for STUDENT (0 takes it back)"))
    p.add_argument("--file", default=os.environ.get("FILE") or None,
                   help=say("replace: STUDENT の提出にするノートブック。roster: 学生の CSV",
                            "replace: the notebook that becomes STUDENT's submission; roster: a CSV of students"))
    p.add_argument("--time", default=os.environ.get("TIME") or None, help=say("replace: 提出の日時 (既定は今)", "replace: when it was submitted (default now)"))
    p.add_argument("--dask", default=os.environ.get("DASK") or None,
                   help=say("autograde: このアドレスのスケジューラの Dask クラスタで採点 (DASK=tcp://host:8786)",
                            "autograde: grade on the Dask cluster whose scheduler is at this address (DASK=tcp://host:8786)"))
    p.add_argument("--force", action="store_true", help=say("release: 配布済みの課題を置き換える", "release: replace an assignment already released"))
    p.add_argument("--check", action="store_true", help=say("notebooks: どこがずれたかを言うだけ", "notebooks: only say where they drifted"))
    a = p.parse_args(argv)

    try:
        if a.command == "notebooks":
            if a.check:
                problems = notebooks.drift()
                for line in problems:
                    print(line)
                if problems:
                    print(say("grader/source/ がカタログ・solutions/・tests/ とずれています: `make notebooks` を実行してください",
                              "grader/source/ drifted from the catalogue, solutions/ or tests/: run `make notebooks`"))
                return 1 if problems else 0
            for path in notebooks.write_sources(_chapters(a.chapters)):
                rel = path.relative_to(ROOT)
                print(say(f"{rel} を書き出しました", f"wrote {rel}"))
            return 0
        course = Course.at(a.course, a.exchange)
        student = Student.of(a.student, a.workdir, a.cache)
        if a.command == "grades":
            grades(course)
            return 0
        if a.command == "student-config":   # make student-lab: the student's folder and nbgrader settings
            student.workdir.mkdir(parents=True, exist_ok=True)
            student.write_config(course)
            print(say(f"{student.id}: {student.workdir} (Assignment List はここから取得・提出します)",
                      f"{student.id}: {student.workdir} (the assignment list fetches and submits from here)"))
            return 0
        if a.command == "roster":
            if not a.file:
                raise CourseError(say("roster には FILE=<csv> (列は id,first_name,last_name,email[,lms_user_id])が必要です",
                                      "roster needs FILE=<csv> with columns id,first_name,last_name,email[,lms_user_id]"))
            course.teacher("db", "student", "import", str(Path(a.file).expanduser().resolve()))
            return 0
        chapters = _chapters(a.chapters)
        one = [a.student] if a.student else None
        if a.command in ("extension", "remove", "replace") and not a.student:
            raise CourseError(say(f"{a.command} には STUDENT=<id> が必要です", f"{a.command} needs STUDENT=<id>"))
        if a.command in ("duedate", "extension", "remove", "replace") and len(chapters) != 1:
            raise CourseError(say(f"{a.command} に指定できる章は 1 つだけです (例: make {a.command} ch05)",
                                  f"{a.command} takes one chapter, e.g. make {a.command} ch05"))
        if a.command == "release":
            release(course, chapters, a.force)
        elif a.command == "fetch":
            fetch(course, student, chapters)
        elif a.command == "submit":
            submit(course, student, chapters)
        elif a.command == "submit-exercises":
            submit_exercises(course, student, chapters, importer.impl_root(a.impl))
        elif a.command == "collect":
            return 0 if collect(course, chapters) else 1
        elif a.command == "zipcollect":
            if not a.zip:
                raise CourseError(say("zipcollect にはダウンロードしたファイルが必要です: ZIP=<zip・ノートブック・フォルダ>",
                                      "zipcollect needs the downloaded files: ZIP=<zip, notebook or folder>"))
            return 0 if zipcollect(course, chapters, a.zip, a.regex) else 1
        elif a.command == "duedate":
            if not a.due:
                raise CourseError(say('duedate には DUE="2026-05-01 23:59 UTC" が必要です (タイムゾーン名やオフセットでも書けます)',
                                      'duedate needs DUE="2026-05-01 23:59 UTC" (a time zone name or offset works too)'))
            deadlines.set_duedate(course, chapters[0], a.due)
        elif a.command == "extension":
            if a.hours is None:
                raise CourseError(say("extension には HOURS=<時間> が必要です (0 で取り消し)",
                                      "extension needs HOURS=<hours> (0 takes it back)"))
            deadlines.grant(course, chapters[0], a.student, a.hours)
        elif a.command == "remove":
            from dlkata.classroom import submissions
            submissions.remove(course, chapters[0], a.student)
        elif a.command == "replace":
            if not a.file:
                raise CourseError(say("replace には FILE=<ノートブック> が必要です", "replace needs FILE=<notebook>"))
            from dlkata.classroom import submissions
            submissions.replace(course, chapters[0], a.student, Path(a.file), a.time)
        elif a.command == "report":
            from dlkata.classroom import export, report
            graded = sorted({r.assignment for r in export.rows(course)})
            for ch in (chapters if a.chapters else graded):
                report.write(course, ch)
            if not (a.chapters or graded):
                print(say("成績のある章はまだありません (先に make autograde chNN を実行してください)",
                          "no chapter has grades yet (make autograde chNN first)"))
        elif a.command == "autograde":
            results = autograde(course, chapters, one, a.engine, a.dependents, a.dask)
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
        print(say(f"エラー: {e}", f"error: {e}"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
