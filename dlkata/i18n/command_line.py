"""argparse in the chosen language: its own words (the usage line, section titles, -h and its
errors), which Python ships in English only. Ours go through say(). Not shipped with the
assignments (only dlkata/i18n/__init__.py and messages.py are): the command lines use it."""
from __future__ import annotations

from dlkata.i18n import lang

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
