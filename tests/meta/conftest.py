"""One released course for the classroom tests: releasing costs seconds per chapter
(nbgrader's gradebook, generate_assignment, release_assignment), so ch02 is released once
per session and each test module grades in its own copy of it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def released_ch02(tmp_path_factory):
    """A course folder and exchange with ch02 generated and released (copy it: copy_course)."""
    pytest.importorskip("nbgrader")
    from dlkata.classroom import commands as C
    base = tmp_path_factory.mktemp("released")
    course = C.Course.at(base / "course", base / "exchange")
    C.release(course, ["ch02"])
    return course


def copy_course(template, dest: Path):
    """A fresh course at dest/course with dest/exchange, as released in the template."""
    from dlkata.classroom import commands as C
    shutil.copytree(template.root, dest / "course", symlinks=True)
    shutil.copytree(template.exchange, dest / "exchange", symlinks=True)
    return C.Course.at(dest / "course", dest / "exchange")
