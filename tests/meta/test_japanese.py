"""Japanese everywhere a Japanese reader looks (L=ja): notes, stubs, catalogue, messages, figures."""
import pytest

from dlkata.dev import english_only
from dlkata.i18n import pick, say
from dlkata.kata import catalogue
from dlkata.testing import check_lines

CAT = catalogue.load()
CHAPTERS = [c for c in CAT.chapter_ids() if CAT.katas_of(c)]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_nothing_of_a_chapter_is_english_only(chapter):
    assert english_only.english_only(chapter) == []


def test_the_runner_and_the_tooling_speak_both_languages():
    assert english_only.message_problems() == []


@pytest.mark.parametrize("text, prose", [
    ("divide by the batch size", True),
    ("at most 1 each", True),
    ("バッチサイズで割ります", False),
    ("∂price/∂tax", False),
    ("64·4·4", False),
    ("sigmoid(-x) = 1 - sigmoid(x)", False),
    ("lr = 10 ** uniform(-3, -1)", False),
    ("forward: return x + y。backward: return dout, dout", False),
    ("SoftmaxWithLoss", False),
])
def test_what_counts_as_english_prose(text, prose):
    assert english_only.is_english_prose(text) is prose


def test_a_note_in_the_learners_language(monkeypatch):
    entry = {"call": "layer.backward()", "actual": "1", "expected": "2"}
    monkeypatch.setenv("DLKATA_LANG", "ja")
    assert pick(("バッチサイズで割ります", "divide by the batch size")) == "バッチサイズで割ります"
    assert say("形", "shape") == "形"
    assert check_lines(entry)[1].strip().startswith("実際の値:")
    monkeypatch.setenv("DLKATA_LANG", "en")
    assert pick(("バッチサイズで割ります", "divide by the batch size")) == "divide by the batch size"
    assert check_lines(entry)[1].strip().startswith("actual:")
    assert pick("∂price/∂tax") == "∂price/∂tax"


def test_figures_draw_japanese_with_the_font_our_dependencies_ship(monkeypatch):
    pytest.importorskip("matplotlib")
    from dlkata import figures
    monkeypatch.setenv("DLKATA_LANG", "ja")
    font = figures.packaged_font()
    assert font is not None and font.name == "ipaexg.ttf", "the figures extra installs matplotlib-fontja"
    assert figures.drawing_lang() == "ja"


@pytest.mark.parametrize("argv", [["-m", "dlkata", "reset", "--help"], ["-m", "dlkata.classroom", "--help"],
                                  ["-m", "dlkata.sandbox", "--help"], ["-m", "dlkata", "tset"]])
def test_command_lines_speak_the_chosen_language(argv):
    """--help and a mistyped command: argparse's own words (usage, options, its errors) and ours."""
    import os
    import subprocess
    import sys
    out = {}
    for language in ("ja", "en"):
        proc = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=catalogue.ROOT,
                              env={**os.environ, "DLKATA_LANG": language}, timeout=60)
        out[language] = proc.stdout + proc.stderr
    assert "使い方:" in out["ja"] and "usage:" not in out["ja"]
    assert "usage:" in out["en"] and not english_only.has_japanese(out["en"])
    if "--help" in argv:
        assert "オプション:" in out["ja"] and "このヘルプを表示して終了" in out["ja"]
        assert "show this help message and exit" in out["en"]
    else:
        assert "は選べません" in out["ja"] and "invalid choice" in out["en"]
