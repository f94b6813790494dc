"""Japanese or English for everything a learner reads: DLKATA_LANG (what `L=` sets), else the locale.

The one place that chooses. Standard library only: it ships with every assignment next to
testing.py and nbcheck.py, so the tests' failure notes read the same in a notebook as in
`make test` and in grading feedback.

A text in both languages is a pair ("日本語", "English") or a dict {"ja": ..., "en": ...};
a plain string is language-neutral (a formula, a call, a shape) and shown as it is.
"""
from __future__ import annotations

import os

from dlkata.i18n.messages import MESSAGES


def lang() -> str:
    explicit = os.environ.get("DLKATA_LANG", "").lower()
    if explicit in ("ja", "en"):
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def t(key: str, **kw) -> str:
    return MESSAGES[key][lang()].format(**kw)


def pick(text) -> str:
    """text in the chosen language, falling back to the other: a ("ja", "en") pair, a
    {"ja", "en"} dict (the catalogue's) or a plain, language-neutral string."""
    if isinstance(text, str):
        return text
    if isinstance(text, (tuple, list)):
        ja, en = text
        return (ja if lang() == "ja" else en) or en or ja
    return text.get(lang()) or text.get("en") or text.get("ja") or ""


def say(ja: str, en: str) -> str:
    """One sentence in the chosen language: say("形が違います", "wrong shape")."""
    return pick((ja, en))
