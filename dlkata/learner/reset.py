"""`make reset ch05.affine` (or `make reset ch05`): back to the original stub, never losing work.

A kata's reset replaces only that kata's definitions (its catalogue symbols) in
your file with the pristine stub's; your other katas in the same file stay.
A chapter's reset restores its pristine files. Every file about to change is
first copied to backups/<time>/ next to your tree, and the path is printed.
"""
from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dlkata.kata import catalogue, stubs, sources
from dlkata.kata.catalogue import ROOT
from dlkata.i18n import pick, t

YES = {"y", "yes", "はい", "ｙ"}


@dataclass
class Change:
    rel: Path            # ch05/layers.py
    new: str             # the file's text after the reset
    what: str            # a line saying what happens


def plan(words: list[str], impl: Path) -> list[Change]:
    """What a reset of these chapters or katas would write (files that would not change are left out)."""
    cat = catalogue.load()
    changes: dict[Path, Change] = {}
    for w in words:
        if w in cat.chapter_ids():
            for rel in stubs.source_files():
                if rel.parts[0] == w:
                    changes[rel] = Change(rel, stubs.stub_text(rel), t("r_what_file", path=_show(impl / rel)))
        elif w in cat.by_id:
            k = cat.by_id[w]
            rel = Path(k.path)
            dest = impl / rel
            current = changes[rel].new if rel in changes else (
                dest.read_text(encoding="utf-8") if dest.exists() else None)
            pristine = stubs.stub_text(rel)
            new = pristine if current is None else sources.replace(current, pristine, list(k.symbols))
            what = t("r_what_kata", id=k.id, title=pick(k.title), symbols=", ".join(k.symbols), path=_show(dest))
            if rel in changes:
                what = changes[rel].what + "\n" + what
            changes[rel] = Change(rel, new, what)
        else:
            raise KeyError(w)
    return [c for c in changes.values()
            if not (impl / c.rel).exists() or (impl / c.rel).read_text(encoding="utf-8") != c.new]


def _show(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def backup_dir(impl: Path) -> Path:
    base = impl.parent / "backups" / time.strftime("%Y%m%d-%H%M%S")
    d, n = base, 1
    while d.exists():
        n += 1
        d = base.with_name(f"{base.name}-{n}")
    return d


def confirm(stdin=None) -> bool | None:
    """y/N from the terminal; None when there is no one to answer."""
    stdin = stdin or sys.stdin
    print(t("r_confirm"), end="", flush=True)
    line = stdin.readline()
    if not line:
        print()
        return None
    return line.strip().lower() in YES


def main(words: list[str], impl: Path, force: bool = False, stdin=None) -> int:
    if impl.resolve() == (ROOT / "solutions").resolve():
        print(t("r_reference", path=_show(impl)), file=sys.stderr)
        return 2
    changes = plan(words, impl)
    target = " ".join(words)
    if not changes:
        print(t("r_nothing", target=target))
        return 0
    for c in changes:
        print(c.what)
    if not force:
        answer = confirm(stdin)
        if not answer:
            print(t("r_no_tty") if answer is None else t("r_cancelled"))
            return 1
    saved = backup_dir(impl)
    for c in changes:
        dest = impl / c.rel
        if dest.exists():
            (saved / c.rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dest, saved / c.rel)
            print(t("r_saved", path=_show(saved / c.rel)))
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(c.new, encoding="utf-8")
    chapter = words[0].split(".")[0]
    print(t("r_done", target=target, chapter=chapter))
    return 0
