"""Japanese or English for everything a learner reads: DLKATA_LANG, else the locale."""
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


def pick(text: dict[str, str]) -> str:
    """A catalogue text in the chosen language, falling back to the other."""
    return text.get(lang()) or text.get("en") or text.get("ja") or ""
