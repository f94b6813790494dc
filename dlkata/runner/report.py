"""What the learner reads after a run: a line per kata, then the first failure of each failing kata."""
from __future__ import annotations

import unicodedata

from dlkata import diagnosis
from dlkata.runner import status as S
from dlkata.kata.catalogue import Catalogue
from dlkata.i18n import lang, pick, t
from dlkata.testing import check_lines

MARK = {S.DONE: "✓", S.FAILING: "✗", S.TODO: "·", S.BLOCKED: "⧗", S.BROKEN: "!", S.NOTEST: "?"}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


LABEL_WIDTH = 28


def label(st: S.KataState) -> str:
    if st.status == S.BLOCKED:
        return t("blocked", by=st.blocked_by)
    text = t(st.status)
    if st.status == S.FAILING:
        text += " (" + t("tests", passed=st.passed, total=st.total) + ")"
    return text


def label_width(states) -> int:
    """The state column's width: wide enough for the longest label shown (a long "blocked by")."""
    return max([LABEL_WIDTH, *(_width(label(st)) + 1 for st in states)])


def _id_width() -> int:
    from dlkata.kata.catalogue import load
    return max((len(k.id) for k in load().katas), default=0) + 1


def kata_line(st: S.KataState, width: int = LABEL_WIDTH) -> str:
    k = st.kata
    return f"  {MARK[st.status]} {_pad(k.id, _id_width())} {_pad('§' + k.section, 8)} {_pad(label(st), width)} {pick(k.title)}"


def failure_lines(st: S.KataState, states: dict[str, S.KataState] | None = None) -> list[str]:
    f = st.failure or {}
    out = [f"{MARK[st.status]} {st.kata.id}  {st.test or ''}"]
    kind = f.get("kind")
    if kind == "check":
        out += ["    " + line for line in check_lines(f)]
    elif kind == "todo":
        out.append(f"    {f.get('test', '')}")
        out.append(f"      {t('still_stub', what=f['message'].rsplit('write ', 1)[-1])}")
    elif kind in ("error", "import"):
        if f.get("test"):
            out.append(f"    {f['test']}")
        out += _error_lines(f)
        out += _caller_lines(f, st, states or {})
    out += _prerequisite_lines(st, states or {})
    if st.diagnosis:
        out.append(f"    {diagnosis.line(st.diagnosis, lang())}")
    out.append(f"    {t('hint_cmd', id=st.kata.id)}")
    return out


def advice_lines(st: S.KataState) -> list[str]:
    """A done kata with advice: what could be better, never counted against it."""
    out = [f"{MARK[st.status]} {st.kata.id}  {t('advice')}"]
    out += ["    " + line for line in check_lines(st.advice)]
    return out


def _error_lines(f: dict) -> list[str]:
    out = [f"      {f.get('type')}: {f.get('message')}"]
    if f.get("where"):
        at = f"      {t('at')} {f['where']}" + (": " if f.get("source") else "")
        out.append(at + (f.get("source") or ""))
        if f.get("col") and f.get("source"):  # a caret under a syntax error's column
            out.append(" " * (_width(at) + _width(f["source"][: f["col"] - 1])) + "^")
    return out


def _caller_lines(f: dict, st: S.KataState, states: dict[str, S.KataState]) -> list[str]:
    """An error inside another kata's code: the learner's line that made the call, and, when
    that kata passes its own tests, that the call is the place to look."""
    caller = f.get("caller")
    if not caller:
        return []
    out = [f"      {t('called_from')} {caller['where']}" + (f": {caller['source']}" if caller.get("source") else "")]
    other = f.get("in")
    if other and other != st.kata.id and other in states and states[other].status == S.DONE:
        out.append(f"      {t('called_done', id=other)}")
    return out


def _prerequisite_lines(st: S.KataState, states: dict[str, S.KataState]) -> list[str]:
    """A failing kata that builds on one that fails too: that one may be the cause."""
    shaky = [p for p in st.kata.builds_on if p in states and states[p].status in (S.FAILING, S.BROKEN, S.BLOCKED)]
    return [f"    {t('blocked_note', by=', '.join(shaky))}"] if shaky else []


def broken_groups(states: list[S.KataState]) -> list[list[S.KataState]]:
    """Katas that cannot run because their file does not import, grouped by that error."""
    groups: dict[tuple, list[S.KataState]] = {}
    for st in states:
        if st.status == S.BROKEN:
            f = st.failure or {}
            groups.setdefault((st.kata.module, f.get("type"), f.get("where"), f.get("message")), []).append(st)
    return list(groups.values())


def broken_lines(group: list[S.KataState]) -> list[str]:
    """One import error, printed once for all the katas of its file."""
    f, k = group[0].failure or {}, group[0].kata
    ids = ", ".join(st.kata.id for st in group)
    out = [f"{MARK[S.BROKEN]} {t('broken_head', path=k.path, ids=ids)}"]
    out += _error_lines(f)
    out.append("    " + (t("broken_in", id=f["in"]) if f.get("in") else t("broken_fix")))
    return out


def render(states: dict[str, S.KataState], cat: Catalogue, chapters: list[str], shown: list[str],
           seconds: float = 0.0, selection: str = "") -> list[str]:
    lines: list[str] = []
    width = label_width(states[k] for k in shown if k in states)
    for ch in chapters:
        katas = [k for k in cat.katas_of(ch) if k.id in shown]
        if not katas:
            continue
        lines.append(f"{ch}  {pick(cat.chapter(ch).title)}")
        lines += [kata_line(states[k.id], width) for k in katas]
        lines.append("")
    picked = [states[k] for k in shown if k in states]
    failing = [st for st in picked if st.status in (S.FAILING, S.BROKEN)]
    for st in failing:
        if st.status == S.FAILING:
            lines += failure_lines(st, states) + [""]
    for group in broken_groups(picked):
        lines += broken_lines(group) + [""]
    for st in picked:
        if st.status == S.DONE and st.advice:
            lines += advice_lines(st) + [""]
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
