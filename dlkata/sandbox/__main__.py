"""python -m dlkata.sandbox ch02 SUBMISSION... [--out DIR] [-j N]

Each SUBMISSION is a folder with the exercises layout (ch02/perceptron.py ...); with
--each, every sub-folder of the given folders is one submission.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dlkata.i18n import say
from dlkata.i18n.command_line import localize_argparse
from dlkata.sandbox import grade, jail
from dlkata.sandbox.zygote import Limits


def main(argv: list[str] | None = None) -> int:
    localize_argparse()
    p = argparse.ArgumentParser(prog="python -m dlkata.sandbox", description=say(
        "提出 (exercises と同じ並びのフォルダ、ch02/perceptron.py ...) を 1 つずつサンドボックスで採点します。"
        "--each なら、指定したフォルダの下のフォルダがそれぞれ 1 つの提出です。",
        "Grade each SUBMISSION (a folder with the exercises layout: ch02/perceptron.py ...) in the sandbox; "
        "with --each, every sub-folder of the given folders is one submission."))
    p.add_argument("chapter")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--each", action="store_true", help=say("PATHS の下のフォルダがそれぞれ提出", "every sub-folder of PATHS is a submission"))
    p.add_argument("--out", type=Path, default=None, help=say("<name>/katas.json と <name>/results.json をここに書く", "write <name>/katas.json and <name>/results.json here"))
    p.add_argument("-j", "--jobs", type=int, default=None, help=say("並列の採点数 (既定はコアごとに 1 つ)", "parallel graders (default: one per core)"))
    p.add_argument("--wall", type=float, default=Limits.wall, help=say("カタごとの秒数", "seconds per kata"))
    p.add_argument("--budget", type=float, default=Limits.budget,
                   help=say("提出全体での、カタあたり平均の秒数 (読み込みもカタ 1 つと数えます。既定 10: 2 章の 4 つのカタで 50 秒)",
                            "seconds per kata, on average, for a whole submission (importing it counts as "
                            "one more kata; default 10: 50 s for chapter 2's four katas)"))
    p.add_argument("--memory", type=int, default=Limits.memory_mb, help=say("ワーカーごとのアドレス空間 (MB)", "MB of address space per worker"))
    p.add_argument("--grader-memory", type=int, default=Limits.grader_mb,
                   help=say("提出ごとの、信頼できる採点プロセスが増やせるアドレス空間 (MB)", "MB of address space the trusted grader of a submission may add"))
    p.add_argument("--mode", default="auto", choices=["auto", "root", "userns", "plain"])
    p.add_argument("--slow", action="store_true", help=say("時間のかかる学習のチェックも (make test SLOW=1)", "also the longer training checks (make test SLOW=1)"))
    p.add_argument("--json", action="store_true", help=say("結果をすべて JSON で出力", "print every record as JSON"))
    p.add_argument("--quiet", action="store_true", help=say("進み具合のバーなし", "no progress bar"))
    a = p.parse_args(argv)
    from dlkata.kata import catalogue
    if a.chapter not in catalogue.load().chapter_ids():
        p.error(say(f"知らない章です: {a.chapter!r}", f"unknown chapter {a.chapter!r}"))
    missing = [str(d) for d in a.paths if not d.is_dir()]
    if missing:
        p.error(say("フォルダではありません: ", "not a folder: ") + ", ".join(missing))
    paths = [q for d in a.paths for q in sorted(d.iterdir()) if q.is_dir()] if a.each else a.paths
    if len({q.name for q in paths}) != len(paths):
        p.error(say("同じ名前のフォルダの提出が 2 つあります", "two submissions with the same folder name"))
    subs = [grade.Submission(q.name, q) for q in paths]
    limits = Limits(wall=a.wall, memory_mb=a.memory, grader_mb=a.grader_memory, budget=a.budget)
    mode = jail.available_mode(a.mode)
    if mode == "plain":
        print("warning: no namespaces here: the worker's files and network are not isolated "
              "(see README, Grading safely)", file=sys.stderr)
    results = grade.grade_many(subs, a.chapter, jobs=a.jobs, limits=limits, mode=mode, out_dir=a.out,
                               progress=not a.quiet, slow=a.slow)
    if a.json:
        print(json.dumps(list(results.values()), ensure_ascii=False, indent=1))
        return 0
    for rec in results.values():
        print(f"{rec['name']}: {rec['score']}/{rec['max']}" + (f"  ({rec['problem']})" if rec["problem"] else ""))
        for k in rec["katas"]:
            first = (k["message"].splitlines() or [""])[0]
            print(f"  {k['score']}/{k['max']}  {k['id']:<24} {k['status']:<12} {first[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
