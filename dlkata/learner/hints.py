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
    kata = cat.by_id.get(args.kata)
    if kata is None:
        print(t("unknown", w=args.kata), file=sys.stderr)
        return 2
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
