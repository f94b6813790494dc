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


def processes_left(mine, wait: float = 10.0) -> list[tuple[str, int, str]]:
    """(pid, uid, command line) of the live processes that mine(uid, cmdline) claims, after up
    to `wait` seconds (the kernel ends a PID namespace's processes asynchronously). A check
    looks only at what it started: mine names its own uid block, tag or checkout."""
    import os
    import re
    import time
    end = time.monotonic() + wait
    while True:
        left = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if re.search(r"^State:\s+[ZX]", status, re.M):
                continue
            uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
            if mine(uid, cmd):
                left.append((pid, uid, cmd[:100]))
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.2)
