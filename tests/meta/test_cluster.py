"""`make autograde DASK=...`: grading on a real Dask cluster, one of its workers killed mid-batch.

A scheduler and two workers (`dask scheduler`, `dask worker --nworkers 1 --nthreads 1`,
this environment's own programs) listen on 127.0.0.1 at free ports. One released
chapter 2 course is copied twice: one copy is autograded on this machine, the other on
the cluster while one worker is killed as soon as the first result is back and it is
grading. Both gradebooks must hold the same grade for every cell; the run must say a
worker was lost; every process started is gone at the end. A scheduler that cannot be
reached is an error before anything is graded or changed.
"""
from __future__ import annotations

import copy
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from dlkata.classroom import notebooks
from dlkata.classroom.notebooks import gid
from dlkata.kata import catalogue

pytest.importorskip("nbgrader")
pytest.importorskip("distributed")
from dlkata.classroom import commands as C  # noqa: E402

ROOT = catalogue.ROOT
CH = "ch02"
KATAS = [k.id for k in catalogue.load().katas_of(CH)]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    from dlkata.dev.dask_local import LocalDask
    with LocalDask(workers=2, folder=tmp_path_factory.mktemp("dask")) as dask:
        yield dask


def _cases(reference: dict, released: dict) -> dict:
    """name -> (notebook text, score)."""
    partial = copy.deepcopy(reference)   # XOR still the stub: 1 kata short
    for cell in partial["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == gid("ch02.xor", "answer"):
            cell["source"] = next(c["source"] for c in released["cells"]
                                  if c["metadata"].get("nbgrader", {}).get("grade_id") == gid("ch02.xor", "answer"))
    ref = notebooks.dumps(reference)
    return {"ref1": ref, "ref2": ref, "partial": notebooks.dumps(partial),
            "stubs": notebooks.dumps(released), "broken": '{"cells": [ not json'}


def _grades(course) -> dict:
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(course.db_url, C.COURSE_ID) as gb:
        for sub in gb.assignment_submissions(CH):
            nb = gb.find_submission_notebook(CH, CH, sub.student_id)
            out[sub.student_id] = {g.name: (g.auto_score, g.max_score) for g in nb.grades}
    return out


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("courses")
    local = C.Course.at(tmp / "local", tmp / "exchange")
    C.release(local, [CH])
    released = notebooks.loads((local.root / "release" / CH / f"{CH}.ipynb").read_text(encoding="utf-8"))
    reference = notebooks.fill_notebook(copy.deepcopy(released), ROOT / "solutions", CH)
    for name, text in _cases(reference, released).items():
        d = local.root / "submitted" / name / CH
        d.mkdir(parents=True)
        (d / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC", encoding="utf-8")
        (d / f"{CH}.ipynb").write_text(text, encoding="utf-8")
    remote = C.Course.at(tmp / "remote", tmp / "exchange")
    shutil.copytree(local.root, remote.root)
    return local, remote


def test_unreachable_scheduler_changes_nothing(courses, monkeypatch, capsys):
    from dlkata.sandbox import cluster
    _, remote = courses
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2.0)
    db = remote.root / "gradebook.db"
    before = db.read_bytes()
    t0 = time.perf_counter()
    code = C.main(["autograde", CH, f"--course={remote.root}", "--dask=tcp://127.0.0.1:9"])
    assert code == 1 and time.perf_counter() - t0 < 15
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err and "nothing was graded" in err
    assert db.read_bytes() == before and not (remote.root / "autograded").exists()


def test_cluster_with_a_killed_worker_grades_as_one_machine(courses, dask_cluster, capsys):
    local, remote = courses
    client = dask_cluster.client
    pids = dask_cluster.worker_pids()        # worker address -> its process (a nanny's child)
    killed: list = []

    def kill_one_mid_batch():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            done = list((remote.root / "autograded").glob(f"*/{CH}/{CH}.ipynb"))
            busy = [w for w, keys in client.processing().items() if keys and w in pids]
            # the first result is back (the broken notebook is not sent: it is never a task)
            if len([p for p in done if p.parts[-3] != "broken"]) >= 1 and busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.05)

    t0 = time.perf_counter()
    C.autograde(local, [CH])
    t1 = time.perf_counter()
    killer = threading.Thread(target=kill_one_mid_batch, daemon=True)
    killer.start()
    graded = C.autograde(remote, [CH], dask=dask_cluster.address)
    t2 = time.perf_counter()
    killer.join()
    out = capsys.readouterr().out
    assert killed, "no worker was busy after the first result: nothing was killed"
    assert all(g.ok or g.student == "broken" for g in graded)
    want, got = _grades(local), _grades(remote)
    assert set(want) == {"ref1", "ref2", "partial", "stubs", "broken"}
    assert got == want
    assert all(score == mx for score, mx in want["ref1"].values())
    assert want["partial"][gid("ch02.xor", "tests")][0] == 0
    assert "left during the batch" in out or "lost during the batch" in out
    summary = next(line for line in out.splitlines() if "Dask worker(s) in" in line)
    with capsys.disabled():
        print(f"\n[cluster] {CH}: {len(want)} notebooks: one machine {t1 - t0:.1f} s, "
              f"2 Dask workers with {killed[0]} killed mid-batch {t2 - t1:.1f} s\n[cluster] {summary}")


def test_no_process_left_behind(dask_cluster):
    dask_cluster.close()
    time.sleep(0.5)
    from tests.meta.conftest import processes_left
    # (other checkouts' graders may run on this machine: only this checkout's count)
    left = processes_left(lambda uid, cmd: str(ROOT) in cmd and (
        "dlkata.sandbox import worker" in cmd or "dlkata.sandbox.cluster" in cmd or str(BIN / "dask") in cmd), wait=0)
    assert left == []
