"""A course: its folder and exchange, a student's folder, and nbgrader's commands run in this process.

The classroom's lowest layer: commands.py (the make targets) and autograde.py (the
sandbox engine) both build on it.
"""
from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from dlkata.i18n import say
from dlkata.kata import catalogue

ROOT = catalogue.ROOT
COURSE_ID = "dlkata"
DEFAULT_COURSE = ROOT / "grader"
CONFIG = DEFAULT_COURSE / "nbgrader_config.py"


def ensure_path() -> None:
    """nbgrader runs `alembic` as a program: this environment's bin/ must be on PATH."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[:1] != [bindir]:
        os.environ["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p != bindir]])


def nbgrader(*args: str, cwd: Path | None = None) -> int:
    """Run `nbgrader <args>` in this process (as nbgrader's own tests do); returns the exit code."""
    ensure_path()
    from jupyter_core.application import NoStart
    from nbgrader.apps import NbGraderApp

    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    app = NbGraderApp.instance()
    try:
        with kernel_env():
            app.initialize(list(args))
            app.start()
        code = 0
    except NoStart:
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        app.reset()
        os.chdir(old)
    return code


@contextlib.contextmanager
def kernel_env():
    """Kernels inherit the environment: without PYTHONPATH (the Makefile sets it to the
    repository) a notebook imports what its assignment folder gives, not the repository."""
    saved = os.environ.pop("PYTHONPATH", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["PYTHONPATH"] = saved


class CourseError(RuntimeError):
    pass


def _run(*args: str, cwd: Path | None = None) -> None:
    code = nbgrader(*args, cwd=cwd)
    if code:
        raise CourseError(say(f"nbgrader {args[0]} が失敗しました (終了コード {code})",
                              f"nbgrader {args[0]} failed (exit code {code})"))


@dataclass
class Course:
    root: Path
    exchange: Path

    @classmethod
    def at(cls, course: str | Path | None = None, exchange: str | Path | None = None) -> "Course":
        root = Path(course or DEFAULT_COURSE).expanduser().resolve()
        ex = Path(exchange).expanduser().resolve() if exchange else root / "exchange"
        return cls(root, ex)

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def args(self) -> list[str]:
        return [f"--CourseDirectory.root={self.root}", f"--CourseDirectory.course_id={COURSE_ID}",
                f"--Exchange.root={self.exchange}"]

    def prepare(self) -> None:
        """A course folder with its nbgrader_config.py, and an exchange students can write to."""
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root / "nbgrader_config.py"
        if not config.exists():
            shutil.copyfile(CONFIG, config)
        if not self.exchange.exists():
            self.exchange.mkdir(parents=True)
            self.exchange.chmod(0o777)

    def teacher(self, *args: str) -> None:
        """An instructor's nbgrader command, run in the course folder so its config is read."""
        if not (self.root / "nbgrader_config.py").exists():
            raise CourseError(say(f"{self.root} はコースのフォルダではありません (nbgrader_config.py がありません)。"
                                  f"`make release chNN COURSE={self.root}` で作れます",
                                  f"{self.root} is not a course folder (no nbgrader_config.py); "
                                  f"`make release chNN COURSE={self.root}` makes one"))
        _run(*args, *self.args(), cwd=self.root)


@dataclass
class Student:
    id: str
    workdir: Path
    cache: Path | None = None

    @classmethod
    def of(cls, student: str | None, workdir: str | Path | None, cache: str | Path | None) -> "Student":
        """Defaults: assignments/<id>/ and a cache inside it, so students simulated on one
        machine (STUDENT=alice, STUDENT=bob) never share a folder or see each other's feedback."""
        sid = student or getpass.getuser()
        wd = Path(workdir or ROOT / "assignments" / sid).expanduser().resolve()
        return cls(sid, wd, Path(cache).expanduser().resolve() if cache else wd / ".nbgrader_cache")

    def run(self, course: Course, *args: str) -> None:
        """A student's nbgrader command: only the exchange, the course id and their own folder."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.write_config(course)
        extra = [f"--CourseDirectory.course_id={COURSE_ID}", f"--Exchange.root={course.exchange}",
                 f"--Exchange.assignment_dir={self.workdir}", f"--student={self.id}"]
        if self.cache:
            extra.append(f"--Exchange.cache={self.cache}")
        _run(*args, *extra, cwd=self.workdir)


    def write_config(self, course: Course) -> None:
        """The student's own nbgrader_config.py (course id and exchange), so plain `nbgrader
        list` or the Assignment List work in their folder and nbgrader does not warn "No
        nbgrader_config.py file found" on every command. An existing file is left alone."""
        conf = self.workdir / "nbgrader_config.py"
        if not conf.exists():
            conf.write_text(STUDENT_CONFIG.format(course=COURSE_ID, exchange=str(course.exchange)), encoding="utf-8")


STUDENT_CONFIG = """# A student's nbgrader settings for the dlkata course (written by `make fetch`).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course!r}
c.Exchange.root = {exchange!r}
"""


def kernel_problem() -> str | None:
    """Grading runs the notebook in the "python3" kernel: it must be a Python with numpy and pytest."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return say("python3 という名前の Jupyter カーネルがありません: `make kernel` を実行してください",
                   "no Jupyter kernel named python3: run `make kernel`")
    exe = spec.argv[0] if spec.argv else ""
    if exe in {"python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"}:
        return None  # jupyter_client runs this very interpreter (sys.executable)
    import subprocess
    probe = subprocess.run([exe, "-c", "import numpy, pytest, pytest_check, ipykernel"], capture_output=True)
    if probe.returncode:
        return say(f"python3 カーネルが動かす {exe} には numpy・pytest・pytest-check・ipykernel のどれかが欠けています: "
                   f"`make kernel` でこの環境のカーネルをインストールしてください",
                   f"the python3 kernel runs {exe}, which lacks numpy, pytest, pytest-check or ipykernel: "
                   f"run `make kernel` to install this environment's kernel")
    return None


@dataclass
class Graded:
    student: str
    ok: bool
    seconds: float
    score: float | None = None
    max_score: float | None = None
