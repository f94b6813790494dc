"""From per-test results to one state per kata: done, failing, not started, blocked, broken."""
from __future__ import annotations

from dataclasses import dataclass

import functools

from dlkata import diagnosis
from dlkata.kata.catalogue import ROOT, Catalogue, Kata

DONE, FAILING, TODO, BLOCKED, BROKEN, NOTEST = "done", "failing", "todo", "blocked", "broken", "notest"


@dataclass
class KataState:
    kata: Kata
    status: str
    passed: int = 0
    total: int = 0
    blocked_by: str | None = None
    test: str | None = None          # nodeid of the first failing test
    failure: dict | None = None      # its first failure
    diagnosis: dict | None = None    # the catalogued mistake it makes (dlkata.diagnosis), if any
    advice: dict | None = None       # the first advice of a passing test (never part of the verdict)
    diagnosis: dict | None = None    # the catalogued mistake it makes (dlkata.diagnosis), if any


def compute(results: list[dict], cat: Catalogue, chapters: list[str]) -> dict[str, KataState]:
    by_kata: dict[str, list[dict]] = {}
    for r in results:
        by_kata.setdefault(r["kata"], []).append(r)
    states: dict[str, KataState] = {}
    for ch in chapters:
        for kata in cat.katas_of(ch):
            rs = by_kata.get(kata.id, [])
            states[kata.id] = _state(kata, rs)
    # Blocking needs every state of the chapter first.
    for kid, st in states.items():
        if st.status in (FAILING, BROKEN):
            hit = _hit(st, by_kata.get(kid, []), states)
            if hit:
                st.status, st.blocked_by = BLOCKED, hit
        if st.status == FAILING:
            st.diagnosis = diagnosis.diagnose(by_kata.get(kid, []), kid, mistakes_of(st.kata.chapter).get(kid, []))
    return states


@functools.cache
def mistakes_of(chapter: str) -> dict[str, list[dict]]:
    """The chapter's catalogued mistakes with their fingerprints, by kata."""
    return diagnosis.load(ROOT / "tests" / chapter / "mistakes.json")


def _hit(st: KataState, rs: list[dict], states: dict[str, KataState]) -> str | None:
    """The other, unfinished kata a failing test of st actually ran into, if any: its stub's
    NotImplementedError, an error raised inside its code, or its file that does not import.

    Decided from what the tests hit, not from builds_on: a kata whose code is never called
    does not block (and a kata finished in another file never blocks a plain pytest run)."""
    kid = st.kata.id
    for r in rs:
        f = r.get("failure") or {}
        if f.get("kind") == "todo" and f.get("kata") != kid:
            return f["kata"]
        if f.get("kind") == "import" and f.get("module") not in (None, st.kata.module):
            return f.get("in") or next((k for k, o in states.items() if o.kata.module == f["module"]),
                                       f["module"])
        other = f.get("in")
        # (a kata without results, as in a plain pytest run of one file, is not known unfinished)
        if f.get("kind") == "error" and other not in (None, kid) and other in states \
                and states[other].status not in (DONE, NOTEST):
            return other
    return None


def _state(kata: Kata, rs: list[dict]) -> KataState:
    if not rs:
        return KataState(kata, NOTEST)
    failed = [r for r in rs if r["outcome"] != "passed"]
    st = KataState(kata, DONE, passed=len(rs) - len(failed), total=len(rs))
    st.advice = next((r["advice"][0] for r in rs if r["outcome"] == "passed" and r.get("advice")), None)
    if not failed:
        return st
    first = failed[0]
    st.test, st.failure = first["nodeid"], first["failure"]
    kinds = [r["failure"]["kind"] if r["failure"] else "error" for r in failed]
    own_todo = any(r["failure"] and r["failure"]["kind"] == "todo" and r["failure"]["kata"] == kata.id
                   for r in failed)
    if "import" in kinds:
        st.status = BROKEN
        st.failure = next(r["failure"] for r in failed if r["failure"] and r["failure"]["kind"] == "import")
    elif own_todo and st.passed == 0:
        st.status = TODO
    else:
        st.status = FAILING
        # Show a real failure before "still a stub" where there is one.
        real = [r for r in failed if r["failure"] and r["failure"]["kind"] != "todo"]
        if real:
            st.test, st.failure = real[0]["nodeid"], real[0]["failure"]
    return st


def counts(states: dict[str, KataState]) -> dict[str, int]:
    out = {s: 0 for s in (DONE, FAILING, TODO, BLOCKED, BROKEN, NOTEST)}
    for st in states.values():
        out[st.status] += 1
    return out
