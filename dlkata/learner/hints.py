"""make hint: the next of a kata's escalating hints, remembered per learner in .dlkata/hints.json."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from dlkata.i18n import lang, pick, t
from dlkata.kata import catalogue

# Hints seen so far (and other per-learner state); DLKATA_STATE moves it, e.g. for tests.
STATE_DIR = Path(os.environ.get("DLKATA_STATE") or catalogue.ROOT / ".dlkata")


def cmd_hint(args) -> int:
    cat = catalogue.load()
    word = args.kata
    if word is not None and word not in cat.by_id and word not in cat.chapter_ids():
        print(t("unknown", w=word), file=sys.stderr)
        return 2
    kata = cat.by_id.get(word) if word else None
    if kata is None:  # no kata named: the next one (of the chapter, if one is named)
        kata = next_kata(word, args.impl, args.own)
        if kata is None:
            print(t("hint_all_done", what=word or t("hint_every")))
            return 0
    hints = kata.hints.get(lang()) or kata.hints.get("en") or ()
    seen_file = STATE_DIR / "hints.json"
    seen = json.loads(seen_file.read_text(encoding="utf-8")) if seen_file.exists() else {}
    n = 0 if args.restart else seen.get(kata.id, 0)
    n = min(n + 1, len(hints)) if args.level is None else max(1, min(args.level, len(hints)))
    print(t("hint_head", n=n, total=len(hints), id=kata.id, title=pick(kata.title), section=kata.section))
    print("  " + hints[n - 1].replace("\n", "\n  "))
    if n == len(hints):
        print(t("hint_last", id=kata.id))
    seen[kata.id] = n
    STATE_DIR.mkdir(exist_ok=True)
    seen_file.write_text(json.dumps(seen, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def next_kata(chapter: str | None, impl: str | None = None, own: bool = False):
    """The first kata in the book's order (of one chapter, or of all) that is not done yet,
    from the same cached results as make progress (only changed chapters run)."""
    from dlkata.kata import importer
    from dlkata.learner import progress
    from dlkata.runner import status

    cat = catalogue.load()
    chapters = [chapter] if chapter else cat.chapter_ids()
    results, _ = progress.results(importer.impl_root(impl), cat.chapter_ids(), own)
    states = status.compute(results, cat, cat.chapter_ids())
    nxt = progress.next_kata({k: v for k, v in states.items() if k.split(".")[0] in chapters}, cat)
    return nxt.kata if nxt else None
