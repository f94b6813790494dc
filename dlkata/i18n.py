"""Japanese or English for everything a learner reads: the message tables (dlkata.language chooses)."""
from __future__ import annotations

from .language import lang, pick  # noqa: F401 - the learner's language, for every module

MESSAGES: dict[str, dict[str, str]] = {
    "done": {"en": "done", "ja": "完了"},
    "failing": {"en": "failing", "ja": "失敗"},
    "todo": {"en": "not started", "ja": "未着手"},
    "blocked": {"en": "blocked by {by}", "ja": "{by} 待ち"},
    "broken": {"en": "cannot import", "ja": "読み込めない"},
    "notest": {"en": "no tests", "ja": "テストなし"},
    "tests": {"en": "{passed}/{total} tests", "ja": "テスト {passed}/{total}"},
    "hint_cmd": {"en": "hint: make hint {id}", "ja": "ヒント: make hint {id}"},
    "still_stub": {"en": "{what} still raises NotImplementedError", "ja": "{what} はまだ NotImplementedError を送出しています"},
    "start_here": {"en": "next: {id} — {title}: write it in {path} (§{section}); stuck? make hint {id}",
                   "ja": "次は {id} — {title}: {path} に書きましょう (§{section})。困ったら make hint {id}"},
    "summary": {"en": "{n} katas: {done} done, {failing} failing, {todo} not started, {blocked} blocked{broken}  ({secs:.1f} s)",
                "ja": "{n} 個のカタ: 完了 {done}, 失敗 {failing}, 未着手 {todo}, 待ち {blocked}{broken}  ({secs:.1f} 秒)"},
    "broken_count": {"en": ", {n} cannot import", "ja": ", 読み込めない {n}"},
    "all_done": {"en": "All done. Well done!", "ja": "すべて完了です。お見事!"},
    "more_detail": {"en": "full tracebacks: make test {sel} V=1", "ja": "詳しいトレースバック: make test {sel} V=1"},
    "blocked_note": {"en": "finish {by} first", "ja": "先に {by} を仕上げましょう"},
    "hint_head": {"en": "Hint {n}/{total} for {id} ({title}, §{section}):",
                  "ja": "{id} のヒント {n}/{total} ({title}, §{section}):"},
    "hint_last": {"en": "(that was the last hint; `make hint {id} RESTART=1` starts over)",
                  "ja": "(これが最後のヒントです。`make hint {id} RESTART=1` で最初から)"},
    "unknown": {"en": "unknown chapter or kata: {w} (try: make progress)",
                "ja": "そのような章やカタはありません: {w} (make progress で一覧)"},
}

# ---- learner: the messages of progress, watch, reset, solution, figures and training
from .learner_messages import MESSAGES as _LEARNER  # noqa: E402
MESSAGES.update(_LEARNER)


def t(key: str, **kw) -> str:
    return MESSAGES[key][lang()].format(**kw)
