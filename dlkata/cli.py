"""The commands behind the Makefile: python -m dlkata test|hint|exercises|..."""
from __future__ import annotations

import argparse
import os
import sys
import time

from dlkata.kata import catalogue, stubs, importer
from dlkata.runner import engine, json_report, report, status
from dlkata.i18n import say, t
from dlkata.i18n.command_line import localize_argparse
from dlkata.learner import commands as learner_commands, hints

def _select(words: list[str]) -> tuple[list[str], list[str]]:
    cat = catalogue.load()
    try:
        return cat.select(words)
    except KeyError as e:
        print(t("unknown", w=e.args[0]), file=sys.stderr)
        raise SystemExit(2) from None


def cmd_test(args) -> int:
    cat = catalogue.load()
    chapters, shown = _select(args.targets)
    impl = importer.impl_root(args.impl)
    start = time.perf_counter()
    results = engine.run(impl, chapters, own_earlier=args.own, verbose=args.verbose and not args.json)
    states = status.compute(results, cat, chapters)
    if args.json:
        print(json_report.render(states, results, cat, shown, time.perf_counter() - start, str(impl)))
    else:
        lines = report.render(states, cat, chapters, shown, time.perf_counter() - start, " ".join(args.targets))
        print("\n".join(lines))
    return 0 if all(states[k].status == status.DONE for k in shown) else 1


def cmd_exercises(args) -> int:
    if args.check:
        problems = stubs.drift()
        for p in problems:
            print(p)
        if problems:
            print("exercises/ drifted from solutions/: run `make exercises`")
        return 1 if problems else 0
    for p in stubs.write_exercises():
        print(f"wrote {p.relative_to(catalogue.ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    localize_argparse()
    p = argparse.ArgumentParser(prog="dlkata", description=say("Makefile の裏にあるコマンド: python -m dlkata test|hint|progress|...",
                                                                  "The commands behind the Makefile: python -m dlkata test|hint|progress|..."))
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("test", help=say("カタを実行: 章 (ch05) かカタ (ch05.affine)。なければ全部",
                                               "run katas: chapters (ch05) or katas (ch05.affine); none = all"))
    s.add_argument("targets", nargs="*")
    s.add_argument("--impl", default=os.environ.get("IMPL") or None,
                   help=say("テストするツリー (既定は exercises)", "tree to test (default exercises)"))
    s.add_argument("--own", action="store_true", default=os.environ.get("DLKATA_OWN") == "1",
                   help=say("前の章もお手本でなく自分のツリーから", "earlier chapters from your own tree, not the reference"))
    s.add_argument("-v", "--verbose", action="store_true", help=say("pytest そのままの出力 (トレースバックすべて)", "pytest's own output with full tracebacks"))
    s.add_argument("--json", action="store_true", default=os.environ.get("JSON") == "1",
                   help=say("結果を JSON で: カタごとの状態、満たされなかった期待、診断",
                             "the report as JSON: per kata its state, failing expectations and diagnosis"))
    s.set_defaults(fn=cmd_test)

    s = sub.add_parser("hint", help=say("カタの次のヒント (章を指定するか何も指定しなければ、次のカタ)",
                                               "the next hint for a kata (a chapter or nothing: its next kata)"))
    s.add_argument("kata", nargs="?", default=None)
    s.add_argument("--impl", default=os.environ.get("IMPL") or None,
                   help=say("自分のツリー (既定は exercises)", "your tree (default exercises)"))
    s.add_argument("--own", action="store_true", default=os.environ.get("DLKATA_OWN") == "1")
    s.add_argument("--level", type=int, default=None)
    s.add_argument("--restart", action="store_true")
    s.set_defaults(fn=hints.cmd_hint)

    s = sub.add_parser("exercises", help=say("solutions/ から exercises/ を作り直す (--check: ずれを言うだけ)",
                                                    "regenerate exercises/ from solutions/ (or --check)"))
    s.add_argument("--check", action="store_true")
    s.set_defaults(fn=cmd_exercises)

    learner_commands.add_commands(sub)  # progress, watch, reset, solution, figures

    s = sub.add_parser("selfcheck", help=say("make check の不変条件 (お手本、スタブ、分離、カタログ)",
                                                    "the invariants of make check (reference, stubs, isolation, catalogue)"),
                       add_help=False)
    s.set_defaults(fn=None)
    s = sub.add_parser("mistakes", help=say("よくある間違いのカタログ: 指紋を書く (--check: 確かめるだけ)",
                                                   "the catalogue of classic mistakes: write its fingerprints (or --check)"),
                       add_help=False)
    s.set_defaults(fn=None)

    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["mistakes"]:
        from dlkata.dev import mistakes
        return mistakes.main(argv[1:])
    if argv[:1] == ["selfcheck"]:
        from dlkata.dev import selfcheck
        return selfcheck.main(argv[1:])
    args = p.parse_args(argv)
    return args.fn(args)
