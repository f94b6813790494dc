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


# argparse's own words (its usage line, section titles, -h and its errors), which Python
# ships in English only: what --help and a mistyped command show.
ARGPARSE_JA = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "show this help message and exit": "このヘルプを表示して終了",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "the following arguments are required: %s": "次の引数が必要です: %s",
    "unrecognized arguments: %s": "知らない引数です: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r は選べません (%(choices)s のどれか)",
    "invalid %(type)s value: %(value)r": "%(type)s として正しくない値です: %(value)r",
    "argument %(argument_name)s: %(message)s": "引数 %(argument_name)s: %(message)s",
    "expected one argument": "値が 1 つ必要です",
    "ambiguous option: %(option)s could match %(matches)s": "あいまいなオプション: %(option)s は %(matches)s のどれにも取れます",
}


def localize_argparse() -> None:
    """argparse speaks the chosen language from here on (its words above; ours go through say())."""
    import argparse
    import gettext

    def translate(message: str) -> str:
        return ARGPARSE_JA.get(message, message) if lang() == "ja" else gettext.gettext(message)
    argparse._ = translate
