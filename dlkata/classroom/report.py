"""The class at a glance, per chapter: `make report ch05`.

<course>/report/ch05/index.html: the pass rate of each kata, the distribution of scores,
and the most common failures (kata and first failing test), as bar charts drawn in SVG
(no plotting library, no script, opens in any browser); and the same numbers as CSV next
to it: katas.csv, scores.csv, failures.csv. Missing students are counted, not averaged in.
"""
from __future__ import annotations

import csv
import html
import json
from collections import Counter
from pathlib import Path

from dlkata.classroom import export
from dlkata.classroom.autograde import is_todo
from dlkata.classroom.course import Course
from dlkata.i18n import say
from dlkata.kata import catalogue

BUCKETS = 10   # score distribution: 0-10 %, ..., 90-100 %


def numbers(course: Course, ch: str) -> dict:
    rows = [r for r in export.rows(course) if r.assignment == ch]
    graded = [r for r in rows if r.raw is not None]
    cat = catalogue.load()
    katas = []
    for k in cat.katas_of(ch):
        got = [r.katas.get(k.id) for r in graded if r.katas and k.id in r.katas]
        passed = sum(1 for s, m in got if s >= m)
        katas.append({"kata": k.id, "title": k.title.get("ja") or k.title.get("en", ""),
                      "graded": len(got), "passed": passed, "pass_rate": passed / len(got) if got else 0.0})
    hist = [0] * BUCKETS
    for r in graded:
        frac = (r.score or 0.0) / r.max_score if r.max_score else 0.0
        hist[min(BUCKETS - 1, int(frac * BUCKETS))] += 1
    failures: Counter = Counter()
    for r in graded:
        rec = course.root / "autograded" / r.student.id / ch / "katas.json"
        if not rec.exists():
            continue
        for k in json.loads(rec.read_text(encoding="utf-8"))["katas"]:
            if k["score"] >= k["max"]:
                continue
            first = next((t for t in k.get("test_list", []) if not t["passed"]), None)
            what = first["name"] if first else k["status"]
            if first and is_todo(first.get("failure") or {}):
                what += " (未着手 / not written yet)"   # as the page says everything: both languages
            failures[(k["id"], what)] += 1
    return {"chapter": ch, "students": len(rows), "graded": len(graded),
            "missing": len(rows) - len(graded), "late": sum(r.status == export.LATE for r in graded),
            "mean": sum(r.score or 0 for r in graded) / len(graded) if graded else 0.0,
            "max_score": rows[0].max_score if rows else 0.0, "katas": katas, "histogram": hist,
            "failures": failures.most_common(10)}


def _bars(items: list[tuple[str, float, str]], width: int = 640, bar_h: int = 22, label_w: int = 260) -> str:
    """Horizontal bars: (label, fraction 0..1, text at the bar's end)."""
    h = bar_h * len(items) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img">']
    for i, (label, frac, text) in enumerate(items):
        y = 5 + i * bar_h
        w = max(0.0, min(1.0, frac)) * (width - label_w - 60)
        out.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="13">{html.escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}" fill="#3b7dd8"/>')
        out.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="12">{html.escape(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def _columns(counts: list[int], width: int = 640, height: int = 200) -> str:
    top = max(counts) or 1
    n = len(counts)
    col = (width - 40) / n
    pad = 20   # room for the count above the tallest column
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + pad + 40}" role="img">']
    for i, c in enumerate(counts):
        h = c / top * height
        x = 20 + i * col
        out.append(f'<rect x="{x + 2:.1f}" y="{pad + height - h:.1f}" width="{col - 4:.1f}" height="{h:.1f}" fill="#2f9e6e"/>')
        out.append(f'<text x="{x + col / 2:.1f}" y="{pad + height - h - 5:.1f}" text-anchor="middle" font-size="12">{c}</text>')
        out.append(f'<text x="{x + col / 2:.1f}" y="{pad + height + 18}" text-anchor="middle" font-size="11">'
                   f'{i * 100 // n}–{(i + 1) * 100 // n}%</text>')
    out.append("</svg>")
    return "".join(out)


def write(course: Course, ch: str) -> Path:
    n = numbers(course, ch)
    folder = course.root / "report" / ch
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "katas.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kata", "graded", "passed", "pass_rate"])
        for k in n["katas"]:
            w.writerow([k["kata"], k["graded"], k["passed"], f"{k['pass_rate']:.3f}"])
    with open(folder / "scores.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["from_percent", "to_percent", "students"])
        for i, c in enumerate(n["histogram"]):
            w.writerow([i * 100 // BUCKETS, (i + 1) * 100 // BUCKETS, c])
    with open(folder / "failures.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kata", "first_failing_test", "students"])
        for (kata, test), c in n["failures"]:
            w.writerow([kata, test, c])
    name = html.escape(f"{ch} {catalogue.load().chapter(ch).title.get('ja', '')}".strip())
    rates = [(k["kata"], k["pass_rate"], f"{k['passed']}/{k['graded']}") for k in n["katas"]]
    top = max((c for _, c in n["failures"]), default=1)
    fails = [(f"{kata}: {test}", c / top, str(c)) for (kata, test), c in n["failures"]]
    page = f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>{name} — class report / クラスの結果</title>
<style>body{{font-family:sans-serif;margin:2em;color:#222}} h2{{margin-top:1.6em}}
.facts span{{display:inline-block;margin-right:2em;font-size:1.1em}}</style></head>
<body>
<h1>{name} — クラスの結果 / class report</h1>
<p class="facts"><span>提出 / graded: <b>{n['graded']}</b></span><span>未提出 / missing: <b>{n['missing']}</b></span>
<span>遅れ / late: <b>{n['late']}</b></span><span>平均 / mean: <b>{n['mean']:.1f} / {n['max_score']:g}</b></span></p>
<h2>カタごとの合格率 / pass rate per kata</h2>
{_bars(rates)}
<h2>得点の分布 / score distribution</h2>
{_columns(n['histogram'])}
<h2>よくある失敗 / most common failures (kata: first failing test)</h2>
{_bars(fails, label_w=420) if fails else '<p>なし / none</p>'}
<p>CSV: katas.csv, scores.csv, failures.csv</p>
</body></html>
"""
    out = folder / "index.html"
    out.write_text(page, encoding="utf-8")
    print(say(f"{ch}: クラスの結果 {out} (採点 {n['graded']} 人、未提出 {n['missing']} 人)",
              f"{ch}: class report {out} ({n['graded']} graded, {n['missing']} missing)"))
    return out
