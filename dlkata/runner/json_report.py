"""`make test ch05 JSON=1` (python -m dlkata test ch05 --json): the report as data, for editors,
scripts and graders. One object per kata: its state, its failing expectations (call, actual,
expected, note), the error it raised, and the diagnosis of a catalogued mistake (null when none).
"""
from __future__ import annotations

import json

from dlkata.i18n import lang, pick
from dlkata.kata.catalogue import Catalogue
from dlkata.runner import status as S
from dlkata.testing import check_lines

VERSION = 1
ERROR_KEYS = ("type", "message", "where", "source", "in", "caller", "test")


def kata_record(st: S.KataState, results: list[dict]) -> dict:
    """One kata: what the text report says about it, and every failed expectation of its tests."""
    k = st.kata
    failure = st.failure or {}
    expectations = []
    for r in results:
        for e in r.get("expectations") or []:
            entry = {key: e[key] for key in ("call", "actual", "expected", "note") if key in e}
            entry["test"] = r["nodeid"]
            entry["lines"] = check_lines(e)  # as make test prints it
            expectations.append(entry)
    error = None
    if st.status != S.DONE and failure.get("kind") in ("error", "import"):
        error = {key: failure[key] for key in ERROR_KEYS if failure.get(key) is not None}
    return {
        "id": k.id, "chapter": k.chapter, "section": k.section, "title": pick(k.title),
        "path": k.path, "state": st.status, "passed": st.passed, "total": st.total,
        "blocked_by": st.blocked_by,
        "test": st.test if st.status != S.DONE else None,
        "stub": failure.get("kata") if st.status != S.DONE and failure.get("kind") == "todo" else None,
        "expectations": expectations if st.status != S.DONE else [],
        "error": error,
        "diagnosis": st.diagnosis,  # filled by dlkata.diagnosis (the catalogue of classic mistakes)
        "advice": st.advice,  # a done kata's advice, never part of the verdict
    }


def render(states: dict[str, S.KataState], results: list[dict], cat: Catalogue, shown: list[str],
           seconds: float, impl: str) -> str:
    by_kata: dict[str, list[dict]] = {}
    for r in results:
        by_kata.setdefault(r["kata"], []).append(r)
    picked = [states[k] for k in shown if k in states]
    counts = S.counts({st.kata.id: st for st in picked})
    doc = {
        "version": VERSION, "impl": impl, "lang": lang(), "seconds": round(seconds, 3),
        "summary": {"katas": len(picked), **counts},
        "katas": [kata_record(st, by_kata.get(st.kata.id, [])) for st in picked],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)
