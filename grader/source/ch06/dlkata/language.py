"""The learner's language, and texts written in both.

The one place that chooses: DLKATA_LANG (ja or en, what `L=` sets), else the locale.
Standard library only: it ships with every assignment next to testing.py and nbcheck.py,
so the tests' failure notes read the same in a notebook as in `make test`.

A text in both languages is a pair ("日本語", "English") or a dict {"ja": ..., "en": ...};
a plain string is language-neutral (a formula, a call, a shape) and shown as it is.
"""
from __future__ import annotations

import os

def lang() -> str:
    explicit = os.environ.get("DLKATA_LANG", "").lower()
    if explicit in ("ja", "en"):
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def pick(text) -> str:
    """text in the chosen language, falling back to the other: a ("ja", "en") pair, a
    {"ja", "en"} dict or a plain (language-neutral) string."""
    if isinstance(text, str):
        return text
    if isinstance(text, (tuple, list)):
        ja, en = text
        return (ja if lang() == "ja" else en) or en or ja
    return text.get(lang()) or text.get("en") or text.get("ja") or ""


def say(ja: str, en: str) -> str:
    """One sentence in the chosen language: say("形が違います", "wrong shape")."""
    return pick((ja, en))
