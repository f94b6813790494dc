"""Grading on a Dask distributed cluster: the same sandbox, on other machines.

    client = connect("tcp://scheduler:8786")          # ClusterError before anything changes
    results = grade_many(client, subs, "ch05", on_result=save)

We do not run a queue of our own: Dask's scheduler places the tasks, retries the ones
whose worker died (its `allowed-failures`) and reports a task that killed too many.
What we add is what makes a task safe to retry:

- a task is pure: its input is the submission as bytes (no shared file system), the
  chapter, the limits and the fingerprint of the grader's code; its output is the result
  record. Its key is a hash of that input, so the same submission is one task, and a task
  run twice (a worker lost after it finished) gives the same verdict;
- on the worker the task hands the submission to a grading server, `python -m
  dlkata.sandbox.cluster` (a fresh interpreter started on the worker's first task and
  kept, never a fork of the threaded Dask worker), which grades with `grade.grade_many`:
  the tests in a trusted process, the student's code in a confined worker. The
  server dies with the Dask worker (parent-death signal), and so does its sandbox;
- here, in the teacher's process, each submission is prepared (a notebook sanitised
  against the gradebook and turned into module files), sent, and its record handled as it
  comes back, one at a time: `finish` and `on_result` (the gradebook) never run on a worker.

A worker machine needs a checkout of the same commit with its environment (`connect`
compares a fingerprint of the catalogue, tests, solutions and dlkata/), and Linux as root
or with unprivileged user namespaces for the confinement (`connect` refuses a worker that
could only grade in `plain` mode unless allow_plain).
"""
from __future__ import annotations

import atexit
import base64
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

from dlkata.i18n import pick
from dlkata.kata import catalogue
from dlkata.sandbox import grade, jail
from dlkata.sandbox.zygote import Limits

CONNECT_TIMEOUT = float(os.environ.get("DLKATA_DASK_TIMEOUT") or 10)
RETRIES = 2            # a task that raised (not a lost worker: Dask reschedules those itself)


class ClusterError(RuntimeError):
    """The cluster cannot grade (unreachable, no worker, another version, no confinement)."""


# ---------------------------------------------------------------- what must match on every worker

@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of what decides a verdict: the catalogue, tests/, solutions/ and dlkata/'s code."""
    root = catalogue.ROOT
    h = hashlib.sha256()
    files = [root / "catalogue.toml"]
    for top, pattern in (("tests", "*.py"), ("solutions", "*.py"), ("dlkata", "*.py")):
        files += sorted((root / top).rglob(pattern))
    for f in files:
        if "__pycache__" in f.parts:
            continue
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def worker_facts() -> dict:
    """Run on every worker by connect(): its code's fingerprint and the confinement it can set up."""
    return {"fingerprint": fingerprint(), "mode": jail.available_mode("auto"),
            "python": sys.version.split()[0], "host": os.uname().nodename}


def connect(address: str, *, timeout: float | None = None, allow_plain: bool = False):
    """A Dask client for the scheduler at address, with at least one fitting worker; else ClusterError."""
    timeout = timeout or CONNECT_TIMEOUT
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(pick(("Dask クラスタで採点するには dask の distributed パッケージが要ります: "
                                 "pip install -c constraints.txt -e '.[cluster]'",
                                 "grading on a Dask cluster needs dask's distributed package: "
                                 "pip install -c constraints.txt -e '.[cluster]'"))) from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterError(pick((f"Dask のスケジューラ {address} に {timeout:g} 秒以内につながりません "
                                 f"({type(e).__name__}: {e}); 採点も変更もまだ何もしていません",
                                 f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                                 f"({type(e).__name__}: {e}); nothing was graded or changed"))) from None
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise ClusterError(pick((f"Dask のスケジューラ {address} にワーカーがいません ({timeout:g} 秒待ちました); "
                                     f"起動してください: dask worker {address}",
                                     f"the Dask scheduler at {address} has no worker (waited {timeout:g} s); "
                                     f"start some: dask worker {address}"))) from None
        facts = client.run(worker_facts)
        mine = fingerprint()
        other = sorted(w for w, f in facts.items() if f["fingerprint"] != mine)
        if other:
            raise ClusterError(pick((f"{len(other)} 台のワーカーが、カタのテストか dlkata の別の版で動いています "
                                     f"({', '.join(other[:3])}): どのワーカーにも同じコミットのチェックアウトが要ります",
                                     f"{len(other)} worker(s) run another version of the katas' tests or of dlkata "
                                     f"({', '.join(other[:3])}): every worker needs a checkout of the same commit")))
        plain = sorted(w for w, f in facts.items() if f["mode"] == "plain")
        if plain and not allow_plain:
            raise ClusterError(pick((f"{len(plain)} 台のワーカーが学生のコードを閉じ込められません (root でも、"
                                     f"特権なしのユーザー名前空間でもありません): {', '.join(plain[:3])}; docs/grading.md を参照",
                                     f"{len(plain)} worker(s) cannot confine the student's code (neither root nor "
                                     f"unprivileged user namespaces): {', '.join(plain[:3])}; see docs/grading.md")))
    except BaseException:
        client.close()
        raise
    return client


# ---------------------------------------------------------------- on the worker

_server: subprocess.Popen | None = None
_server_lock = threading.Lock()


def grade_remote(chapter: str, name: str, files: dict[str, bytes], problem: str | None, slow: bool,
                 limits: dict, want: str, katas: list[str] | None = None) -> dict:
    """The Dask task: grade one submission given as {relative path: bytes}; returns its record.

    It runs in the worker's grading server (`python -m dlkata.sandbox.cluster`, started on
    the worker's first task and kept: numpy, pytest and the zygote are loaded once), which
    grades as grade.grade_many does on one machine."""
    global _server
    if fingerprint() != want:
        raise ClusterError(pick((f"このワーカーは採点の別の版で動いています ({fingerprint()} != {want})",
                                 f"this worker runs another version of the grader ({fingerprint()} != {want})")))
    request = {"chapter": chapter, "name": name, "problem": problem, "slow": slow, "limits": limits, "katas": katas,
               "files": {rel: base64.b64encode(data).decode("ascii") for rel, data in files.items()}}
    with _server_lock:
        if _server is None or _server.poll() is not None:
            _server = subprocess.Popen([sys.executable, "-m", "dlkata.sandbox.cluster"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, cwd=str(catalogue.ROOT), preexec_fn=_die_with_parent)
            atexit.register(_stop_server, _server)
        try:
            _server.stdin.write(json.dumps(request).encode() + b"\n")
            _server.stdin.flush()
            line = _server.stdout.readline()
        except OSError:
            line = b""
        if not line:
            _server.kill()
            code = _server.wait()
            _server = None
            raise ClusterError(pick((f"採点サーバーが終了しました (終了コード {code}); Dask がタスクをやり直します",
                                     f"the grading server ended (status {code}); Dask retries the task")))
    record = json.loads(line)
    record["worker"] = _worker_address()
    return record


def _stop_server(server: subprocess.Popen) -> None:
    """When the Dask worker's interpreter ends: end of input, so the server closes its zygotes and
    removes its folder (if the worker is killed instead, the next server sweeps it up)."""
    try:
        server.stdin.close()
        server.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        server.kill()


def _die_with_parent() -> None:
    # The thread that starts the server lives as long as the worker, so its death is the worker's.
    if sys.platform.startswith("linux"):
        import signal
        jail.prctl(jail.PR_SET_PDEATHSIG, signal.SIGKILL)


def _worker_address() -> str:
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return ""


def serve() -> None:
    """`python -m dlkata.sandbox.cluster`: one request a line on stdin, one record a line out."""
    reply = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)   # whatever else is printed never mixes with the replies
    zygotes: list = []
    # The zygotes' folder, kept across requests so that they serve every request (a zygote costs
    # an interpreter start, numpy and pytest: about 0.3 s a submission otherwise).
    _sweep_dead_servers()
    root = Path(tempfile.mkdtemp(prefix=f"dlkata-server-{os.getpid()}-"))
    os.chmod(root, 0o711)
    try:
        for line in sys.stdin:
            req = json.loads(line)
            try:
                rec = _grade_request(req, zygotes, root)
            except Exception:  # noqa: BLE001 - start the zygotes afresh; the task fails and is retried
                for z in zygotes:
                    if z is not None:
                        z.close()
                zygotes.clear()
                raise
            reply.write(json.dumps(rec, ensure_ascii=False) + "\n")
            reply.flush()
    finally:
        for z in zygotes:
            if z is not None:
                z.close()
        shutil.rmtree(root, ignore_errors=True)


def _sweep_dead_servers() -> None:
    """Remove the folders of grading servers that are gone: a server ends by SIGKILL with its
    Dask worker (PR_SET_PDEATHSIG), before it can remove its own."""
    base = Path(tempfile.gettempdir())
    for d in base.glob("dlkata-server-*-*"):
        pid = d.name.split("-")[2]
        try:
            if not pid.isdigit() or d.is_symlink() or d.stat().st_uid != os.geteuid():
                continue
        except OSError:
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


def _grade_request(req: dict, zygotes: list, root: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="dlkata-sub-") as tmp:
        def write_files(sub, stage: Path, scratch: Path):
            for rel, data in req["files"].items():
                dest = (stage / rel).resolve()
                if not dest.is_relative_to(stage.resolve()):
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(base64.b64decode(data))
            return req["problem"], True
        only = req.get("katas")
        sub = grade.Submission(req["name"], Path(tmp), frozenset(only) if only else None)
        results = grade.grade_many([sub], req["chapter"], jobs=1, limits=Limits(**req["limits"]), progress=False,
                                   slow=req["slow"], prepare=write_files, zygotes=zygotes, work_root=root)
    return results[req["name"]]


# ---------------------------------------------------------------- here: send, collect, one at a time

def _files(stage: Path) -> dict[str, bytes]:
    return {p.relative_to(stage).as_posix(): p.read_bytes()
            for p in sorted(stage.rglob("*")) if p.is_file() and not p.is_symlink()}


def task_key(chapter: str, name: str, files: dict[str, bytes], problem: str | None, slow: bool, limits: dict,
             want: str, katas: list[str] | None = None) -> str:
    """Same input, same key: Dask runs a resubmitted identical task once."""
    h = hashlib.sha256(json.dumps([chapter, name, problem, slow, limits, want, katas]).encode())
    for rel, data in files.items():
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return f"dlkata-grade-{chapter}-{h.hexdigest()[:24]}"


def grade_many(client, subs: list, chapter: str, *, limits: Limits | None = None, out_dir: Path | None = None,
               progress: bool = True, on_result=None, slow: bool = False, prepare=None, finish=None,
               say=print) -> dict[str, dict]:
    """grade.grade_many's contract on a Dask cluster: prepare here, grade there, finish and
    on_result here, one record at a time. Returns {name: record}."""
    from distributed import as_completed

    limits = limits or Limits()
    lim = asdict(limits)
    want = fingerprint()
    names = [s.name for s in subs]
    if len(set(names)) != len(names):
        raise ValueError("submission names must be unique")
    work = Path(tempfile.mkdtemp(prefix="dlkata-cluster-"))
    os.chmod(work, 0o700)
    bar = grade.progress_bar(len(subs), chapter) if progress else None
    say_ = bar.write if bar is not None else say
    results: dict[str, dict] = {}
    pending: dict = {}
    done = as_completed(loop=client.loop)
    seen = set(client.scheduler_info()["workers"])
    lost: list[str] = []
    used: set[str] = set()

    here = [0.0]   # seconds of this process's own work: preparing, finishing, on_result

    def handle(sub, scratch: Path, rec: dict) -> None:
        t = time.perf_counter()
        if finish is not None:
            finish(sub, rec, scratch)
        results[sub.name] = rec
        if out_dir is not None:
            grade.write_results(rec, Path(out_dir))
        if on_result is not None:
            on_result(rec)
        here[0] += time.perf_counter() - t
        if bar is not None:
            bar.update(1)

    def check_workers() -> None:
        now = set(client.scheduler_info()["workers"])
        for w in sorted(seen - now):
            lost.append(w)
            say_(pick((f"cluster: ワーカー {w} が途中でいなくなりました。Dask がその提出をほかのワーカーで採点し直します",
                       f"cluster: worker {w} left during the batch; Dask grades its submissions again on the others")))
        seen.clear()
        seen.update(now)

    def collect(block: bool) -> None:
        if block or done.has_ready():
            for fut in done.next_batch(block=block):
                sub, scratch = pending.pop(fut.key)
                try:
                    rec = fut.result()
                    used.add(rec.get("worker", ""))
                except Exception as e:  # noqa: BLE001 - one submission's trouble stays its own
                    rec = grade.grader_error(sub.name, chapter, f"on the cluster: {type(e).__name__}: {e}")
                fut.release()
                check_workers()
                handle(sub, scratch, rec)

    started = time.perf_counter()
    try:
        for i, sub in enumerate(subs):
            stage, scratch = work / f"s{i}", work / f"x{i}"
            stage.mkdir(mode=0o700)
            scratch.mkdir(mode=0o700)
            t0 = time.perf_counter()
            problem, gradable = grade.prepare_stage(sub, chapter, stage, scratch, prepare)
            here[0] += time.perf_counter() - t0
            if not gradable:
                handle(sub, scratch, grade.ungradable_record(sub.name, chapter, problem, time.perf_counter() - t0))
                continue
            files = _files(stage)
            only = sorted(sub.katas) if sub.katas else None
            key = task_key(chapter, sub.name, files, problem, slow, lim, want, only)
            fut = client.submit(grade_remote, chapter, sub.name, files, problem, slow, lim, want, only,
                                key=key, pure=True, retries=RETRIES)
            pending[fut.key] = (sub, scratch)
            done.add(fut)
            shutil.rmtree(stage, ignore_errors=True)
            collect(block=False)
        while pending:
            collect(block=True)
    finally:
        for key in list(pending):
            try:
                client.cancel([key])
            except Exception:  # noqa: BLE001 - the client may be gone
                pass
        if bar is not None:
            bar.close()
        shutil.rmtree(work, ignore_errors=True)
    wall = time.perf_counter() - started
    workers = sorted(w for w in used if w)
    per = here[0] / max(1, len(results))
    say(pick((f"{chapter}: {len(results)} 件の提出を {len(workers)} 台の Dask ワーカーで {wall:.1f} 秒で採点しました "
              f"(ここでの準備と記録: 提出 1 件あたり {per:.2f} 秒)"
              + (f"; 途中で {len(lost)} 台のワーカーがいなくなり、その提出は採点し直しました" if lost else ""),
              f"{chapter}: {len(results)} submission(s) graded on {len(workers)} Dask worker(s) in {wall:.1f} s "
              f"(here, preparing and recording: {per:.2f} s per submission)"
              + (f"; {len(lost)} worker(s) lost during the batch, their submissions graded again" if lost else ""))))
    return {n: results[n] for n in names if n in results}


if __name__ == "__main__":
    serve()
