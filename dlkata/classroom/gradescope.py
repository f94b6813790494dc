"""Gradescope: an autograder zip that grades a chapter with our tests and sandbox.

    python -m dlkata.classroom.gradescope build ch05 [--out gradescope-ch05.zip]   (make gradescope ch05)
    python -m dlkata.classroom.gradescope run ch05 [--root /autograder]           (what run_autograder runs)

The zip has Gradescope's layout: `setup.sh` (run once when Gradescope builds the image: a
Python 3.11+ environment with the project's pinned dependencies), `run_autograder` (run for
each submission) and what they need: dlkata/, the catalogue, the chapter's tests, the
reference of the earlier chapters (what the assignment gives anyway; never this chapter's),
and the assignment's manifest, which tells which notebook cell belongs to which module.

A submission is the chapter's notebook (`ch05.ipynb`, or the only notebook uploaded) or a
.py tree (`ch05/layers.py` ..., or the module files themselves). It is graded as `make
autograde` grades a notebook: the answer cells turned into module files, the chapter's
tests (training checks included) in a trusted process, the student's code in a confined
worker per kata. `results/results.json` gets one test per kata with our feedback (the
first failure with call, actual and expected); a hidden test's failure is named, never shown.

Gradescope runs the autograder as root in a container: when the container refuses the
namespaces the jail needs, the sandbox grades in `plain` mode (the tests still run outside
the student's process; files and network are not confined) and says so in the results.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import stat
import sys
import time
import tomllib
import zipfile
from pathlib import Path

from dlkata.i18n import say
from dlkata.i18n.command_line import localize_argparse
from dlkata.kata import catalogue

ROOT = catalogue.ROOT
MANIFEST = "assignment.json"           # in the zip's root: the chapter's modules and katas
ROOT_ENV = "DLKATA_GRADESCOPE_ROOT"    # Gradescope's /autograder, moved (the tests use a temporary one)
NOTEBOOK_LIMIT = 5 << 20

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, in /autograder/source, when it builds the autograder image.
set -euo pipefail
cd "$(dirname "$0")"
PY=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3.11 python3.11-venv
    PY=python3.11
fi
"$PY" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install -q -c constraints.txt {requirements}
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission: /autograder/submission/ in, /autograder/results/results.json out.
# {root_env} moves /autograder; DLKATA_PYTHON names another interpreter than setup.sh's.
set -uo pipefail
ROOT="${{{root_env}:-/autograder}}"
PY="${{DLKATA_PYTHON:-$ROOT/venv/bin/python}}"
cd "$ROOT/source"
PYTHONPATH="$ROOT/source" exec "$PY" -m dlkata.classroom.gradescope run {chapter} --root "$ROOT"
"""


# ---------------------------------------------------------------- make gradescope chNN

def _files(chapter: str) -> dict[str, Path]:
    """zip path -> file in the repository: what grading one chapter needs, nothing more."""
    out: dict[str, Path] = {}

    def add_tree(top: Path, pattern: str = "*") -> None:
        for p in sorted(top.rglob(pattern)):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                out[p.relative_to(ROOT).as_posix()] = p

    add_tree(ROOT / "dlkata", "*.py")
    for name in ("catalogue.toml", "conftest.py", "pyproject.toml", "constraints.txt", "tests/__init__.py"):
        out[name] = ROOT / name
    add_tree(ROOT / "tests" / chapter)
    for ch in catalogue.load().chapter_ids():
        if ch < chapter and (ROOT / "solutions" / ch).is_dir():
            add_tree(ROOT / "solutions" / ch)
    # What the release gives the student's code (sandbox.grade.stage_given reads it from here).
    release = ROOT / "grader" / "source" / chapter
    for p in sorted(release.rglob("*.py")):
        top = p.relative_to(release).parts[0]
        if "__pycache__" not in p.parts and (top == "dlkata" or (top.startswith("ch") and top < chapter)):
            out[p.relative_to(ROOT).as_posix()] = p
    out[MANIFEST] = release / "dlkata" / "assignment.json"
    return out


def requirements() -> list[str]:
    """The learner's dependencies (what grading needs), pinned by constraints.txt at install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [d.split(">")[0].split("=")[0].split("<")[0].strip() for d in project["dependencies"]]


def build(chapter: str, out: Path) -> Path:
    """Write the autograder zip for the chapter; returns its path."""
    if chapter not in catalogue.load().chapter_ids():
        raise SystemExit(f"unknown chapter {chapter!r}")
    files = _files(chapter)
    if not files[MANIFEST].exists():
        raise SystemExit(f"{files[MANIFEST]} is missing: run `make notebooks`")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("setup.sh", SETUP_SH.format(requirements=" ".join(requirements()))),
                           ("run_autograder", RUN_AUTOGRADER.format(root_env=ROOT_ENV, chapter=chapter))):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | 0o755) << 16
            z.writestr(info, text)
        for name, path in sorted(files.items()):
            z.write(path, name)
    return out


# ---------------------------------------------------------------- run_autograder

def confinement() -> str:
    """The strongest sandbox mode that works here (a container may refuse namespaces)."""
    from dlkata.sandbox import jail
    mode = jail.available_mode("auto")
    if mode == "plain":
        return mode
    flags = jail.CLONE_NEWNS | jail.CLONE_NEWPID | jail.CLONE_NEWNET | jail.CLONE_NEWIPC
    if mode == "userns":
        flags |= jail.CLONE_NEWUSER
    pid = os.fork()
    if pid == 0:
        try:
            jail.unshare(flags)
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return mode if os.waitstatus_to_exitcode(status) == 0 else "plain"


def find_submission(folder: Path, chapter: str, modules: list[str]) -> tuple[str, Path | None]:
    """("notebook", path) | ("tree", folder holding chNN/ or the module files) | ("none", None)."""
    notebooks = [p for p in sorted(folder.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts
                 and p.is_file() and not p.is_symlink()]
    named = [p for p in notebooks if p.name == f"{chapter}.ipynb"]
    if named or len(notebooks) == 1:
        return "notebook", (named or notebooks)[0]
    if (folder / chapter).is_dir():
        return "tree", folder
    files = {m.split(".")[-1] + ".py" for m in modules}
    found = [p for p in sorted(folder.rglob("*.py")) if p.name in files and not p.is_symlink()]
    if found:
        return "tree", found[0].parent
    if notebooks:
        return "notebook", notebooks[0]
    return "none", None


def prepare_for(kind: str, path: Path | None, chapter: str, manifest: dict):
    """grade_many's prepare: the submission's chapter package written into the stage."""
    from dlkata.classroom import notebooks
    from dlkata.sandbox import grade

    def prepare(sub, stage: Path, scratch: Path):
        if kind == "none":
            return (say(f"採点するものがありません: {chapter}.ipynb か、.py ファイルの {chapter}/ フォルダをアップロードしてください",
                        f"nothing to grade: upload {chapter}.ipynb, or the {chapter}/ folder of .py files"), False)
        if kind == "tree":
            if (path / chapter).is_dir():
                return grade.stage_code(path, chapter, stage), True
            # the module files themselves (layers.py ...): they are the chapter's package
            wrap = scratch / "tree"
            shutil.copytree(path, wrap / chapter, symlinks=True, ignore=shutil.ignore_patterns("*.ipynb"))
            return grade.stage_code(wrap, chapter, stage), True
        if path.stat().st_size > NOTEBOOK_LIMIT:
            return say(f"ノートブックが {NOTEBOOK_LIMIT >> 20} MB を超えています: 採点しません",
                       f"the notebook is larger than {NOTEBOOK_LIMIT >> 20} MB: not graded"), False
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
                raise ValueError("no list of cells")
            files = notebooks.notebook_to_tree(nb, manifest)
        except Exception as e:  # noqa: BLE001 - not JSON, not a notebook, not UTF-8 ...
            return say(f"ノートブックとして読めないファイルです ({type(e).__name__}: {str(e)[:200]})",
                       f"the file is not a readable notebook ({type(e).__name__}: {str(e)[:200]})"), False
        pkg = stage / chapter
        pkg.mkdir(parents=True, exist_ok=True)
        (pkg / "__init__.py").write_text("", encoding="utf-8")
        for rel, text in files.items():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_text(text, encoding="utf-8")
        return None, True

    return prepare


def results_json(record: dict, mode: str) -> dict:
    """Gradescope's results.json from our record: one test per kata, visible; our stdout hidden."""
    from dlkata.sandbox import grade
    out = grade.gradescope(record)
    for t in out["tests"]:
        t["visibility"] = "visible"
    out["stdout_visibility"] = "hidden"
    if mode == "plain":
        out["output"] += ("\n(graded without namespaces: this container refused them; the tests still ran "
                          "outside your code's process)")
    return out


def run(chapter: str, root: Path) -> dict:
    """Grade root/submission, write root/results/results.json; returns what was written."""
    from dlkata.sandbox import grade

    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        manifest = json.loads((ROOT / MANIFEST).read_text(encoding="utf-8"))
        kind, path = find_submission(root / "submission", chapter, list(manifest["modules"]))
        mode = confinement()
        record = grade.grade_many([grade.Submission("submission", root / "submission")], chapter, jobs=1,
                                  mode=mode, progress=False, slow=True,
                                  prepare=prepare_for(kind, path, chapter, manifest))["submission"]
        out = results_json(record, mode)
    except Exception as e:  # noqa: BLE001 - Gradescope must get a results.json whatever happens
        out = {"score": 0, "execution_time": round(time.perf_counter() - start, 3),
               "output": f"the autograder failed: {type(e).__name__}: {e}; please tell your teacher",
               "tests": []}
    (results / "results.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    localize_argparse()
    p = argparse.ArgumentParser(prog="python -m dlkata.classroom.gradescope", description=say(
        "build: 章の Gradescope 用オートグレーダ (zip) を作ります (make gradescope chNN)。"
        "run: Gradescope の上で、提出を同じテストとサンドボックスで採点し results/results.json を書きます。",
        "build: the chapter's Gradescope autograder zip (make gradescope chNN). run: on Gradescope, "
        "grade the submission with the same tests and sandbox and write results/results.json."))
    p.add_argument("command", choices=["build", "run"])
    p.add_argument("chapter")
    p.add_argument("--out", type=Path, default=None, help=say("build: 作る zip (既定は gradescope-chNN.zip)", "build: the zip (default gradescope-chNN.zip)"))
    p.add_argument("--root", type=Path, default=Path(os.environ.get(ROOT_ENV) or "/autograder"),
                   help=say("run: submission/ と results/ がある Gradescope のフォルダ", "run: Gradescope's folder holding submission/ and results/"))
    a = p.parse_args(argv)
    if a.command == "build":
        out = build(a.chapter, a.out or ROOT / f"gradescope-{a.chapter}.zip")
        print(f"wrote {out}: upload it as the autograder of a Gradescope programming assignment")
        return 0
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    out = run(a.chapter, a.root)
    print(f"{a.chapter}: {out['score']}/{out.get('max_score', '?')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
