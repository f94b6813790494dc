"""`make solution ch05.affine`: the reference of a kata, once its tests pass on your code.

Before that it says how far the kata is and gives the next hint (as `make hint`).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from dlkata.kata import catalogue, stubs, sources
from dlkata.runner import engine, status as S
from dlkata.i18n import pick, t
from dlkata.kata.regions import strip_markers
from dlkata.learner.progress import has_tests, impl_label
from dlkata.runner.report import label


def reference_text(kata: catalogue.Kata) -> str:
    """The kata's definitions from solutions/, without the marker lines."""
    src = (stubs.SOLUTIONS / kata.path).read_text(encoding="utf-8")
    parts = [sources.segment(src, s) for s in kata.symbols]
    return "\n\n".join(strip_markers(p).rstrip("\n") for p in parts if p)


def main(kata_id: str, impl: Path, own: bool = False) -> int:
    cat = catalogue.load()
    kata = cat.by_id[kata_id]
    if not has_tests(kata.chapter):
        print(t("s_no_tests", id=kata.id))
        return 1
    results = engine.run(impl, [kata.chapter], own_earlier=own)
    st = S.compute(results, cat, [kata.chapter])[kata.id]
    if st.status == S.DONE:
        print(t("s_head", id=kata.id, title=pick(kata.title), section=kata.section, path=kata.path,
                mine=f"{impl_label(impl)}/{kata.path}"))
        print()
        print(reference_text(kata))
        return 0
    if st.status == S.NOTEST:
        print(t("s_no_tests", id=kata.id))
        return 1
    print(t("s_not_yet", id=kata.id, state=label(st)))
    print()
    from dlkata.learner.hints import cmd_hint
    cmd_hint(argparse.Namespace(kata=kata.id, level=None, restart=False))
    return 1
