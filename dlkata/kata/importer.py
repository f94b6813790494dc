"""Where `import ch05.layers` comes from.

The chapters under test come from IMPL (your exercises/, the reference, or any tree
with the same layout). Every other chapter comes from the reference, so that an
unfinished chapter 4 never fails chapter 5; DLKATA_OWN=1 uses your own instead.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import re
import sys
from pathlib import Path

from dlkata.kata.catalogue import ROOT

CHAPTER = re.compile(r"^ch\d\d$")


class ChapterFinder(importlib.abc.MetaPathFinder):
    def __init__(self, roots: dict[str, Path]):
        self.roots = roots

    def find_spec(self, fullname, path=None, target=None):
        root = self.roots.get(fullname)
        if root is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, [str(root)])
        if spec is None:
            raise ModuleNotFoundError(f"no {fullname}/ in {root}", name=fullname)
        return spec


def impl_root(value: str | None = None) -> Path:
    """IMPL as a directory: relative to the current folder if it exists there, else to the repo."""
    p = Path(value or os.environ.get("IMPL") or "exercises").expanduser()
    if not p.is_absolute() and not p.exists():
        p = ROOT / p
    return p.resolve()


def install(impl: Path, under_test: set[str] | None, own_earlier: bool = False,
            reference: Path = ROOT / "solutions") -> ChapterFinder:
    """Map every chapter package to its tree; under_test None means every chapter."""
    roots = {}
    for d in sorted(reference.iterdir()):
        if CHAPTER.match(d.name):
            mine = under_test is None or d.name in under_test or own_earlier
            roots[d.name] = impl if mine else reference
    for old in [f for f in sys.meta_path if isinstance(f, ChapterFinder)]:
        sys.meta_path.remove(old)
    finder = ChapterFinder(roots)
    sys.meta_path.insert(0, finder)
    for name in [m for m in sys.modules if CHAPTER.match(m.split(".")[0])]:
        del sys.modules[name]
    return finder
