"""Grade many submissions of one chapter, in parallel, with per-kata scores.

    results = grade_many([Submission("alice", Path("subs/alice")), ...], "ch02", out_dir=Path("out"))

A submission is a folder with the exercises layout (chNN/<module>.py). Each one is
graded in a trusted process forked from this one (so pytest and numpy are imported
once) that runs the chapter's own tests (tests/chNN, as `make test` does) with the
sandbox plugin: the student's code runs only in workers forked by a zygote, one per
kata. There is one zygote per parallel slot (default: one slot per core).

For each submission: a result dict (see `result_record`), and with out_dir,
out_dir/<name>/katas.json (ours) and out_dir/<name>/results.json (Gradescope's shape).
"""
from __future__ import annotations

import functools
import gc
import json
import os
import re
import select
import shutil
import signal
import stat
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from dlkata import diagnosis
from dlkata.i18n import pick, say
from dlkata.kata import catalogue
from dlkata.runner import engine, status
from dlkata.sandbox import jail, pytest_run
from dlkata.sandbox.session import Session
from dlkata.sandbox.zygote import Limits, Spec, Zygote, python_paths
from dlkata.testing import check_lines

MAX_SUBMISSION_BYTES = 8 << 20
CHAPTER_DIR = re.compile(r"^ch\d\d$")
MAX_FILES = 200

STATUS = {status.DONE: "passed", status.FAILING: "failed", status.TODO: "not_started",
          status.BLOCKED: "blocked", status.BROKEN: "import_error", status.NOTEST: "no_tests"}
REASONS = {"timeout": ("時間切れ", "timed out"), "crashed": ("異常終了", "crashed"),
           "exited": ("インタプリタを終了させました", "exited the interpreter"),
           "memory": ("メモリ不足", "ran out of memory"), "cpu": ("CPU 時間を使い切りました", "used up its CPU time"),
           "output": ("出力が多すぎます", "flooded its output"),
           "protocol": ("採点の手順を破りました", "broke the grading protocol"),
           "setup": ("サンドボックスの障害", "sandbox failure"), "stale": ("古いオブジェクト", "stale object"),
           "budget": ("提出全体の持ち時間を使い切りました", "out of the submission's time budget")}


@dataclass
class Submission:
    name: str
    path: Path          # a folder with chNN/ inside (or already chNN's contents: see stage())
    katas: frozenset[str] | None = None   # only these katas' tests (a second pass), else all


# ---------------------------------------------------------------- staging

def stage_code(src: Path, chapter: str, dest: Path) -> str | None:
    """Copy the submission's chapter package into dest/chNN: regular files only, bounded.

    Returns a problem to report, or None."""
    root = src / chapter if (src / chapter).is_dir() else None
    out = dest / chapter
    out.mkdir(parents=True)
    if root is None:
        return say(f"提出物に {chapter}/ フォルダがありません", f"no {chapter}/ folder in the submission")
    total = files = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel = Path(dirpath).relative_to(root)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))
                       and d != "__pycache__"]
        (out / rel).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            p = Path(dirpath) / name
            st = os.lstat(p)
            if not stat.S_ISREG(st.st_mode):
                continue
            total += st.st_size
            files += 1
            if total > MAX_SUBMISSION_BYTES or files > MAX_FILES:
                return say(f"提出物が大きすぎます (ファイル {MAX_FILES} 個または {MAX_SUBMISSION_BYTES >> 20} MB を超えています)",
                           f"the submission is too large (more than {MAX_FILES} files or {MAX_SUBMISSION_BYTES >> 20} MB)")
            shutil.copyfile(p, out / rel / name, follow_symlinks=False)
    if not (out / "__init__.py").exists():
        (out / "__init__.py").write_text("", encoding="utf-8")
    return None


def stage_given(chapter: str, dest: Path) -> list[str]:
    """What the chapter's released assignment gives (read-only), nothing more: the files of
    earlier chapters it ships, dlkata's public modules and the tests it ships (without the
    hidden ones), as `make notebooks` wrote them into grader/source/chNN/ (never a hidden
    test, never a reference it does not ship)."""
    release = catalogue.ROOT / "grader" / "source" / chapter
    if not release.is_dir():
        raise FileNotFoundError(f"{release} is missing: run make notebooks")
    given = set()
    for src in sorted(release.rglob("*.py")):
        rel = src.relative_to(release)
        top = rel.parts[0]
        if len(rel.parts) < 2 or not (top in ("dlkata", "tests") or CHAPTER_DIR.match(top) and top < chapter):
            continue
        if "__pycache__" in rel.parts or src.is_symlink():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest / rel)
        if top != "dlkata":
            given.add(top)
    (dest / "dlkata").mkdir(exist_ok=True)
    os.chmod(dest, 0o755)
    for dirpath, dirnames, filenames in os.walk(dest):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o755)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o644)
    return sorted(given)


# ---------------------------------------------------------------- one submission (in a forked child)

def _no_tests() -> str:
    return say("テストが 1 つも実行されませんでした", "no tests ran")


def _message(st: status.KataState) -> str:
    text = _failure_message(st)
    if st.diagnosis and st.status == status.FAILING:  # the classic mistake it makes
        text += "\n" + diagnosis.line(st.diagnosis)
    return text


def _failure_message(st: status.KataState) -> str:
    f = st.failure or {}
    kind = f.get("kind")
    if st.status == status.DONE:
        done = say(f"{st.total} 個のテストすべてに合格", f"all {st.total} tests passed")
        if st.advice:   # measured in the student's worker: shown, never scored
            return done + say("。助言: ", "; advice: ") + "\n".join(check_lines(st.advice))
        return done
    if st.status == status.BLOCKED:
        return say(f"{st.blocked_by} 待ち: 先にそのカタを仕上げましょう", f"blocked by {st.blocked_by}: finish that kata first")
    if kind == "todo":
        return say("未着手 (スタブのまま)", "not started (still the stub)")
    if kind == "check":
        return "\n".join(check_lines(f))
    if kind == "import":
        return (say("import できません", "cannot import")
                + f": {f.get('where', '')}: {f.get('type', '')}: {f.get('message', '')}").strip()
    if kind == "hidden":
        return say(f"非公開テストが不合格: {f.get('test', '')} (非公開テストは名前だけで中身は見せません)",
                   f"a hidden test fails: {f.get('test', '')} (hidden tests are named, not shown)")
    if kind == "error":
        where = f" (at {f['where']})" if f.get("where") else ""
        return f"{f.get('type', 'Error')}: {f.get('message', '')}{where}"
    if st.status == status.NOTEST:
        return _no_tests()
    return ""


def _clean_where(text: str) -> str:
    return text.replace("<submission>/", "").replace("/sub/", "").replace("/given/", "given:")


def _test_list(results: list[dict], kata: str, hidden: set) -> list[dict]:
    """Every test of the kata, in order: name, outcome, and the failure as data (hidden: named only)."""
    out = []
    for r in results:
        if r.get("kata") != kata:
            continue
        f = r.get("failure") or None
        out.append({"name": r["nodeid"].split("::", 1)[-1], "passed": r["outcome"] == "passed",
                    "hidden": r["nodeid"] in hidden, "failure": f})
    return out


def result_record(name: str, chapter: str, states: dict, session: Session | None,
                  problem: str | None = None, elapsed: float = 0.0,
                  results: list[dict] | None = None, hidden: set | None = None) -> dict:
    cat = catalogue.load()
    katas = []
    events = session.events if session else {}
    outputs = session.output if session else {}
    keep = session.limits.keep_output if session else 4000
    collect_ev = events.get("collect")
    for kata in cat.katas_of(chapter):
        st = states.get(kata.id)
        state = st.status if st else status.NOTEST
        rec = {"id": kata.id, "title": pick(kata.title), "section": kata.section,
               "status": STATUS.get(state, state), "score": kata.points if state == status.DONE else 0,
               "max": kata.points, "message": _clean_where(_message(st)) if st else _no_tests(),
               "tests": {"passed": st.passed if st else 0, "total": st.total if st else 0},
               "blocked_by": st.blocked_by if st else None,
               "test_list": _test_list(results or [], kata.id, hidden or set()),
               "diagnosis": st.diagnosis if st else None}
        ev = events.get(kata.id)
        if ev is None and collect_ev is not None and state in (status.BROKEN, status.NOTEST):
            ev = (collect_ev[0], say("モジュールの import 中: ", "while importing the module: ") + collect_ev[1])
        if ev is not None:
            rec["status"], rec["score"] = ev[0], 0
            rec["message"] = f"{pick(REASONS.get(ev[0], ev[0]))}: {ev[1]}"
        if problem and state in (status.BROKEN, status.NOTEST):
            rec["message"] = problem
            rec["status"] = "missing"
        text, total = outputs.get(kata.id, ["", 0])
        if total > len(text.encode("utf-8")):
            text += "\n" + say(f"[... 出力は全部で {total} バイト、{keep} 文字に切り詰めました]",
                               f"[... {total} bytes of output in all, cut to {keep} characters]")
        rec["output"] = text
        if session is not None:
            rec["seconds"] = round(session.times.get(kata.id, 0.0), 3)
        katas.append(rec)
    score = sum(k["score"] for k in katas)
    return {"name": name, "chapter": chapter, "score": score, "max": sum(k["max"] for k in katas),
            "katas": katas, "problem": problem, "seconds": round(elapsed, 3),
            "import_output": outputs.get("collect", ["", 0])[0]}


def gradescope(record: dict) -> dict:
    """Gradescope's results.json: score, max_score, and one test per kata."""
    tests = []
    for k in record["katas"]:
        out = k["message"] + (("\n\noutput:\n" + k["output"]) if k["output"] else "")
        tests.append({"name": f"{k['id']} — {k['title']} (§{k['section']})", "score": k["score"],
                      "max_score": k["max"], "status": "passed" if k["score"] == k["max"] else "failed",
                      "output": out})
    return {"score": record["score"], "max_score": record["max"], "execution_time": record["seconds"],
            "output": record["problem"] or f"{record['name']}: {record['score']}/{record['max']}",
            "tests": tests}


def bound_grader(limits: Limits) -> None:
    """Bound the trusted grader of one submission (this forked process): its address space may
    grow by limits.grader_mb, whatever the student's code makes it receive or compute."""
    import resource
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            size = next(int(line.split()[1]) << 10 for line in f if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        size = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss << 10
    cap = size + (limits.grader_mb << 20)
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        pass


def prepare_stage(sub: Submission, chapter: str, stage: Path, scratch: Path, prepare=None) -> tuple:
    """Write the student's chapter into stage: (problem or None, gradable)."""
    if prepare is None:
        return stage_code(Path(sub.path), chapter, stage), True
    try:
        return prepare(sub, stage, scratch)
    except Exception as e:  # noqa: BLE001 - a submission the preparation chokes on: its own reason
        return say(f"提出物を読めませんでした ({type(e).__name__}: {str(e)[:300]})",
                   f"the submission could not be read ({type(e).__name__}: {str(e)[:300]})"), False


def ungradable_record(name: str, chapter: str, problem: str | None, elapsed: float = 0.0) -> dict:
    """Every kata 0 and `missing`, with the reason: nothing of the submission could be graded."""
    record = result_record(name, chapter, {}, None, problem, elapsed)
    for k in record["katas"]:
        k["status"], k["message"] = "missing", problem or "nothing to grade"
    return record


def progress_bar(total: int, chapter: str):
    """The one progress bar of a batch (on one machine or on a cluster)."""
    from tqdm import tqdm
    return tqdm(total=total, desc=f"grading {chapter}", unit="sub", file=sys.stderr)


def _grade_in_child(sub: Submission, chapter: str, stage: Path, scratch: Path,
                    zygote: Zygote, spec: Spec, limits: Limits, slot: int,
                    out_file: Path, slow: bool = False, prepare=None, finish=None) -> None:
    """Runs in a process forked for this submission; writes the record to out_file.

    prepare(sub, stage, scratch) -> (problem, gradable) writes the student's chapter into
    stage (default: copy it from sub.path); finish(sub, record, scratch) runs last."""
    start = time.perf_counter()
    bound_grader(limits)
    problem, gradable = prepare_stage(sub, chapter, stage, scratch, prepare)
    if not gradable:
        record = ungradable_record(sub.name, chapter, problem, time.perf_counter() - start)
    else:
        record = _run_tests(sub, chapter, problem, zygote, spec, limits, slot, out_file, slow, start)
    if finish is not None:
        finish(sub, record, scratch)
    out_file.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _run_tests(sub, chapter, problem, zygote, spec, limits, slot, out_file, slow, start) -> dict:
    from dlkata.sandbox import plugin
    cat = catalogue.load()
    # Everything this grader writes stays in the run's work folder (removed at the end), never
    # in the system's temporary folder: an empty --impl (never the student's code on this
    # side) and pytest's basetemp (tmp_path of the tests).
    empty = out_file.with_suffix(".empty")
    empty.mkdir()
    session = Session(zygote, spec, limits, slot=slot, budget=limits.budget_for(len(cat.katas_of(chapter))))
    plugin.CONTEXT.update(session=session, graded={chapter})
    res = out_file.with_suffix(".tests.json")
    os.chdir(catalogue.ROOT)
    debug = bool(os.environ.get("DLKATA_SANDBOX_DEBUG"))
    if not debug:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    try:
        pytest_run.run(pytest_run.prepare(chapter, debug), impl=str(empty), out=str(res),
                       basetemp=str(out_file.with_suffix(".pytest")), slow=slow, katas=sub.katas)
    finally:
        session.stop()
    results = json.loads(res.read_text(encoding="utf-8")) if res.exists() else []
    hidden = plugin.CONTEXT.get("hidden", set())
    for r in results:   # a hidden test is named, never shown (its call and values would leak)
        if r["nodeid"] in hidden and r.get("failure"):
            r["failure"] = {"kind": "hidden", "test": r["nodeid"].rsplit("::", 1)[-1],
                            "todo": r["failure"].get("kind") == "todo", "kata": r["failure"].get("kata")}
            if r["failure"]["todo"]:
                r["failure"]["kind"] = "todo"
                r["failure"]["message"] = ""
    states = status.compute(results, cat, [chapter])
    shutil.rmtree(empty, ignore_errors=True)
    return result_record(sub.name, chapter, states, session, problem, time.perf_counter() - start,
                         results, hidden)


# ---------------------------------------------------------------- many submissions

def pin_zygote(pid: int, slot: int) -> None:
    """Keep a slot's grader and its workers (forked by its zygote) on one CPU: they take turns,
    one waiting while the other runs, and a wake-up on the same CPU costs a fifth of one
    across CPUs (bench/grading.py). The zygote goes to the CPU the fewest processes are pinned
    to (other slots, other grading runs, other Dask workers on this machine); its graders
    follow it (pin_grader)."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
        counts = jail.pinned_per_cpu(cpus)
        os.sched_setaffinity(pid, {min(cpus, key=lambda c: (counts[c], (c - slot) % len(cpus)))})
    except (AttributeError, OSError, ValueError):
        pass   # not Linux, or not allowed: the scheduler decides


def pin_grader(zygote_pid: int) -> None:
    """This forked grader on its zygote's CPU, with one BLAS thread (on one CPU, a test's own
    np.linalg would only spin OpenBLAS threads against each other)."""
    try:
        cpus = os.sched_getaffinity(zygote_pid)
        if len(cpus) != 1:
            return
        os.sched_setaffinity(0, cpus)
    except (AttributeError, OSError):
        return
    _blas().limit(limits=1)


@functools.cache
def _blas():
    """threadpoolctl's view of the BLAS libraries, made once here (12 ms), not in every grader."""
    before = os.environ.get("KMP_DUPLICATE_LIB_OK")
    from threadpoolctl import ThreadpoolController
    if before is None:   # its import sets this for Intel's OpenMP: not in the grading process
        os.environ.pop("KMP_DUPLICATE_LIB_OK", None)
    return ThreadpoolController()


def default_jobs() -> int:
    return min(os.cpu_count() or 1, MAX_JOBS)


MAX_JOBS = 64          # slots of one run: each has 1000 worker uids in the run's block (jail.UID_BLOCK)


def run_uids() -> tuple[int, int | None]:
    """(first worker uid, lease fd or None) of this run: a block of its own (jail.lease_uids).
    DLKATA_SANDBOX_UID_BASE names a block the caller has leased itself (a self-check that then
    looks for its own workers by their uids)."""
    env = os.environ.get("DLKATA_SANDBOX_UID_BASE", "")
    if env.isdigit():
        return int(env), None
    return jail.lease_uids()


def grade_many(subs: list[Submission], chapter: str, *, jobs: int | None = None,
               limits: Limits | None = None, mode: str = "auto", out_dir: Path | None = None,
               progress: bool = True, on_result=None, slow: bool = False, prepare=None,
               finish=None, zygotes: list | None = None, work_root: Path | None = None) -> dict[str, dict]:
    """Grade every submission; returns {name: record}. Never raises for a student's code.

    slow=True also runs the longer training checks (make test SLOW=1; what a notebook's
    test cells run). prepare and finish: see _grade_in_child (they run in the forked
    grader of each submission, in parallel); on_result(record) runs here, one at a time.
    zygotes: a list the caller keeps (and closes) to reuse the zygotes from one call to the next
    (a zygote never holds a student's code: it only forks workers); they serve the next call if
    it has the same work_root, a folder the caller keeps (mode 0o711) where each call makes its
    work folder and the zygotes their jails' mount points."""
    limits = limits or Limits()
    mode = jail.available_mode(mode)
    cat = catalogue.load()
    if chapter not in cat.chapter_ids():
        raise KeyError(chapter)
    names = [s.name for s in subs]
    if len(set(names)) != len(names):
        raise ValueError("submission names must be unique")
    jobs = max(1, min(jobs or default_jobs(), len(subs) or 1, MAX_JOBS))
    uid_base, uid_lease = run_uids()
    work = Path(tempfile.mkdtemp(prefix="dlkata-grade-", dir=work_root))
    zygote_dir = str(work_root or work)
    os.chmod(work, 0o700)
    results: dict[str, dict] = {}
    own_zygotes = zygotes is None
    zygotes = [None] * jobs if zygotes is None else zygotes
    zygotes.extend([None] * (jobs - len(zygotes)))
    running: dict[int, tuple] = {}   # pid -> (slot, submission, out_file, started)
    bar = None

    def zygote_of(slot: int) -> Zygote:
        """The slot's zygote: a kept one serves only if it makes its jails in this call's folder."""
        z = zygotes[slot]
        if z is None or not z.alive() or z.tmpdir != zygote_dir:
            if z is not None:
                z.close()
            z = zygotes[slot] = Zygote(tmpdir=zygote_dir)
            pin_zygote(z.proc.pid, slot)
        return z

    try:
        # The zygotes start first: their interpreters import numpy (0.3 s) while this process
        # gets the batch ready.
        for slot in range(min(jobs, len(subs))):
            zygote_of(slot)
        # What every forked grader would otherwise import, compile or build itself.
        engine.preload()
        engine.prerewrite(chapter)
        _blas()
        pytest_run.prepare(chapter, bool(os.environ.get("DLKATA_SANDBOX_DEBUG")))
        # Objects made so far are never collected in the forked graders: without this, their
        # first collections walk (and so copy, page by page) the whole inherited heap.
        gc.collect()
        gc.freeze()
        given_dir = work / "given"
        given_dir.mkdir()
        given = stage_given(chapter, given_dir)   # never empty: dlkata/ at least
        os.chmod(work, 0o711)     # the jail's builder (root) reads the stages; nobody lists them
        binds, links = jail.host_paths(python_paths())
        chapters = {chapter: "sub", **{g: "given" for g in given}}
        queue = list(enumerate(subs))
        free = list(range(jobs))
        if progress:
            bar = progress_bar(len(subs), chapter)
        per_sub_limit = (len(cat.katas_of(chapter)) + 2) * (limits.wall + 10) + 60
        if limits.budget:
            per_sub_limit = min(per_sub_limit, limits.budget_for(len(cat.katas_of(chapter))) + 2 * limits.wall + 60)
        done: list[dict] = []     # records reaped, handled once the freed slots have work again
        while queue or running or done:
            while queue and free:
                slot = free.pop(0)
                i, sub = queue.pop(0)
                zygote = zygote_of(slot)
                stage = work / f"s{i}"
                stage.mkdir(mode=0o700)
                scratch = work / f"x{i}"
                scratch.mkdir(mode=0o700)
                spec = Spec(mode=mode, stage=str(stage), given=str(given_dir),
                            chapters=chapters, binds=binds, links=links, uid_base=uid_base,
                            workdir_parent=str(work) if mode == "plain" else None)
                out_file = work / f"r{i}.json"
                pid = os.fork()
                if pid == 0:
                    code = 0
                    try:
                        signal.signal(signal.SIGINT, signal.SIG_DFL)
                        if sys.platform.startswith("linux"):
                            jail.prctl(jail.PR_SET_PDEATHSIG, signal.SIGKILL)
                        pin_grader(zygote.proc.pid)
                        _grade_in_child(sub, chapter, stage, scratch, zygote, spec, limits, slot,
                                        out_file, slow, prepare, finish)
                    except BaseException:  # noqa: BLE001
                        import traceback
                        try:
                            out_file.with_suffix(".err").write_text(traceback.format_exc())
                        except OSError:
                            pass
                        code = 1
                    finally:
                        os._exit(code)
                running[pid] = (slot, sub, out_file, time.monotonic())
            # The next submission is already grading while this process writes a finished one's
            # results (on_result: the gradebook, 0.1-0.2 s a notebook): no slot waits for it.
            for rec in done:
                results[rec["name"]] = rec
                if out_dir is not None:
                    write_results(rec, Path(out_dir))
                if on_result is not None:
                    on_result(rec)
                if bar is not None:
                    bar.update(1)
            done.clear()
            if not running:
                continue
            pid, st = _wait_any(running, per_sub_limit)
            slot, sub, out_file, _ = running.pop(pid)
            free.append(slot)
            if out_file.exists():
                rec = json.loads(out_file.read_text(encoding="utf-8"))
            else:
                err = out_file.with_suffix(".err")
                why = err.read_text()[-1500:] if err.exists() else f"grader process ended with status {st}"
                rec = grader_error(sub.name, chapter, why)
                # The zygote may hold a half-finished exchange: start the slot afresh.
                if zygotes[slot] is not None:
                    zygotes[slot].close()
                    zygotes[slot] = None
            done.append(rec)
    finally:
        for pid in list(running):
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
        for z in zygotes if own_zygotes else ():
            if z is not None:
                z.close()
        if bar is not None:
            bar.close()
        shutil.rmtree(work, ignore_errors=True)
        if uid_lease is not None:
            os.close(uid_lease)
        gc.unfreeze()
    return {n: results[n] for n in names if n in results}


def _wait_any(running: dict, limit: float) -> tuple[int, int]:
    """Wait for a grading child; kill one that exceeds the per-submission safety limit.

    Woken by the child's end (a pidfd, Linux 5.3+), not by polling: a slot is refilled the
    moment its grader ends."""
    while True:
        for pid in running:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                return done, st
        now = time.monotonic()
        for p, (_, _, _, started) in running.items():
            if now - started > limit:
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        next_limit = min(started for _, _, _, started in running.values()) + limit - now
        _sleep_until_one_ends(list(running), max(0.0, min(1.0, next_limit)) + 0.001)


def _sleep_until_one_ends(pids: list[int], timeout: float) -> None:
    fds = []
    try:
        for pid in pids:
            fds.append(os.pidfd_open(pid))
    except (AttributeError, OSError):   # no pidfds: poll
        for fd in fds:
            os.close(fd)
        time.sleep(min(timeout, 0.005))
        return
    try:
        select.select(fds, [], [], timeout)
    finally:
        for fd in fds:
            os.close(fd)


def grader_error(name: str, chapter: str, why: str) -> dict:
    cat = catalogue.load()
    katas = [{"id": k.id, "title": k.title.get("en", ""), "section": k.section, "status": "grader_error",
              "score": 0, "max": k.points, "message": "the grader failed on this submission; grade it again",
              "tests": {"passed": 0, "total": 0}, "output": ""} for k in cat.katas_of(chapter)]
    return {"name": name, "chapter": chapter, "score": 0, "max": sum(k["max"] for k in katas), "katas": katas,
            "problem": "grader error: " + why, "seconds": 0.0, "import_output": ""}


def write_results(record: dict, out_dir: Path) -> Path:
    d = out_dir / record["name"]
    d.mkdir(parents=True, exist_ok=True)
    (d / "katas.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    (d / "results.json").write_text(json.dumps(gradescope(record), ensure_ascii=False, indent=1),
                                    encoding="utf-8")
    return d


def grade_one(path: Path, chapter: str, name: str | None = None, **kw) -> dict:
    name = name or Path(path).name
    return grade_many([Submission(name, Path(path))], chapter, progress=False, **kw)[name]


__all__ = ["Submission", "grade_many", "grade_one", "write_results", "gradescope", "asdict"]
