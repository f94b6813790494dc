"""The learner's commands: python -m dlkata progress | watch | reset | solution | figures.

cli.main() calls add_commands() to register them next to test and hint.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dlkata.kata import catalogue, importer
from dlkata.i18n import say, t


def _words(words: list[str], katas_only: bool = False) -> bool:
    """Check chapter/kata words; prints the problem and returns False if one is unknown."""
    cat = catalogue.load()
    for w in words:
        if w not in cat.by_id and (katas_only or w not in cat.chapter_ids()):
            print(t("unknown", w=w), file=sys.stderr)
            return False
    return True


def cmd_progress(args) -> int:
    from dlkata.learner import progress
    lines, _ = progress.main(importer.impl_root(args.impl), args.own, args.fresh)
    print("\n".join(lines))
    return 0


def cmd_watch(args) -> int:
    from dlkata.learner import watch
    if not _words(args.targets):
        return 2
    return watch.main(args.targets, importer.impl_root(args.impl), args.own, args.interval,
                      max_seconds=args.max_seconds, prefork=not args.cold)


def cmd_reset(args) -> int:
    from dlkata.learner import reset
    if not args.targets:
        print(t("r_need"), file=sys.stderr)
        return 2
    if not _words(args.targets):
        return 2
    return reset.main(args.targets, importer.impl_root(args.impl), args.force)


def cmd_solution(args) -> int:
    from dlkata.learner import solution
    if len(args.targets) != 1 or not _words(args.targets, katas_only=True):
        print(t("s_need_kata", example="ch05.affine"), file=sys.stderr)
        return 2
    return solution.main(args.targets[0], importer.impl_root(args.impl), args.own)


def cmd_figures(args) -> int:
    from dlkata import figures
    if not _words(args.targets):
        return 2
    return figures.main(args.targets, importer.impl_root(args.impl), args.own,
                        Path(args.out).resolve() if args.out else None, check=args.check)


def add_commands(sub) -> None:
    def common(s, own: bool = True):
        s.add_argument("--impl", default=os.environ.get("IMPL") or None,
                       help=say("自分のツリー (既定は exercises)", "your tree (default exercises)"))
        if own:
            s.add_argument("--own", action="store_true", default=os.environ.get("DLKATA_OWN") == "1",
                           help=say("前の章もお手本でなく自分のツリーから", "earlier chapters from your tree, not the reference"))

    s = sub.add_parser("progress", help=say("すべての章とカタ、進み具合のバー、次のカタ", "every chapter and kata, bars, and the next kata"))
    common(s)
    s.add_argument("--fresh", action="store_true", help=say("保存済みの結果を使わない", "ignore the cached results"))
    s.set_defaults(fn=cmd_progress)

    s = sub.add_parser("watch", help=say("ツリーのファイルが変わるたびにカタを実行し直す", "re-run katas whenever a file of your tree changes"))
    s.add_argument("targets", nargs="*")
    common(s)
    s.add_argument("--interval", type=float, default=0.05, help=say("ファイルを確かめる間隔 (秒)", "seconds between looks at the files"))
    s.add_argument("--max-seconds", type=float, default=None, help=argparse.SUPPRESS)
    s.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)  # no run forked ahead (the benchmark's baseline)
    s.set_defaults(fn=cmd_watch)

    s = sub.add_parser("reset", help=say("カタか章を元のスタブに戻す (先に自分のファイルを保存します)",
                                                "a kata or chapter back to the original stub (your file is saved first)"))
    s.add_argument("targets", nargs="*")
    common(s, own=False)
    s.add_argument("--force", action="store_true", default=os.environ.get("FORCE") == "1",
                   help=say("確認しない", "do not ask for confirmation"))
    s.set_defaults(fn=cmd_reset)

    s = sub.add_parser("solution", help=say("カタのお手本 (自分のコードでテストが通ってから)", "the reference of a kata, once its tests pass on your code"))
    s.add_argument("targets", nargs="*")
    common(s)
    s.set_defaults(fn=cmd_solution)

    s = sub.add_parser("figures", help=say("本の図を自分のコードで描いて PNG に", "the book's figures drawn by your code, as PNG files"))
    s.add_argument("targets", nargs="*")
    common(s)
    s.add_argument("--out", default=os.environ.get("OUT") or None, help=say("PNG ファイルを置くフォルダ", "folder for the PNG files"))
    s.add_argument("--check", action="store_true", help=say("これらの章に図があるかどうかだけ答える", "only say whether these chapters have figures"))
    s.set_defaults(fn=cmd_figures)

