"""What the learner reads after a run: a line per kata, then the first failure of each failing kata."""
from __future__ import annotations

import unicodedata

from . import status as S
from .catalogue import Catalogue
from .i18n import pick, t

MARK = {S.DONE: "✓", S.FAILING: "✗", S.TODO: "·", S.BLOCKED: "⧗", S.BROKEN: "!", S.NOTEST: "?"}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


def label(st: S.KataState) -> str:
    if st.status == S.BLOCKED:
        return t("blocked", by=st.blocked_by)
    text = t(st.status)
    if st.status == S.FAILING:
        text += " (" + t("tests", passed=st.passed, total=st.total) + ")"
    return text


def kata_line(st: S.KataState) -> str:
    k = st.kata
    return f"  {MARK[st.status]} {_pad(k.id, 26)} {_pad('§' + k.section, 8)} {_pad(label(st), 28)} {pick(k.title)}"


def failure_lines(st: S.KataState) -> list[str]:
    f = st.failure or {}
    out = [f"{MARK[st.status]} {st.kata.id}  {st.test or ''}"]
    kind = f.get("kind")
    if kind == "check":
        out.append(f"    {f['call']}")
        if f.get("note"):
            out.append(f"      {f['note']}")
        if "actual" in f:
            out.append(f"      {t('actual')} {f['actual']}")
        if "expected" in f:
            out.append(f"      {t('expected')} {f['expected']}")
    elif kind == "todo":
        out.append(f"    {f.get('test', '')}")
        out.append(f"      {t('still_stub', what=f['message'].split(': write ')[-1])}")
    elif kind in ("error", "import"):
        if f.get("test"):
            out.append(f"    {f['test']}")
        out.append(f"      {f.get('type')}: {f.get('message')}")
        if f.get("where"):
            out.append(f"      at {f['where']}" + (f": {f['source']}" if f.get("source") else ""))
    out.append(f"    {t('hint_cmd', id=st.kata.id)}")
    return out


def render(states: dict[str, S.KataState], cat: Catalogue, chapters: list[str], shown: list[str],
           seconds: float = 0.0, selection: str = "") -> list[str]:
    lines: list[str] = []
    for ch in chapters:
        katas = [k for k in cat.katas_of(ch) if k.id in shown]
        if not katas:
            continue
        lines.append(f"{ch}  {pick(cat.chapter(ch).title)}")
        lines += [kata_line(states[k.id]) for k in katas]
        lines.append("")
    picked = [states[k] for k in shown if k in states]
    failing = [st for st in picked if st.status in (S.FAILING, S.BROKEN)]
    for st in failing:
        lines += failure_lines(st)
        lines.append("")
    todo = next((st for st in picked if st.status == S.TODO), None)
    if todo and not failing:
        k = todo.kata
        lines.append(t("start_here", id=k.id, title=pick(k.title), path=f"exercises/{k.path}", section=k.section))
    c = S.counts({st.kata.id: st for st in picked})
    broken = t("broken_count", n=c[S.BROKEN]) if c[S.BROKEN] else ""
    if failing:
        lines.append(t("more_detail", sel=selection).replace("  ", " "))
    if c[S.DONE] == len(picked) and picked:
        lines.append(t("all_done"))
    lines.append(t("summary", n=len(picked), done=c[S.DONE], failing=c[S.FAILING], todo=c[S.TODO],
                   blocked=c[S.BLOCKED], broken=broken, secs=seconds))
    return lines
