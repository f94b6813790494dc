"""make check's invariants, one pytest test per chapter and per kata (the engine runs once)."""
import json
import os
import subprocess
import sys

import pytest

from dlkata.kata import catalogue, stubs

CAT = catalogue.load()
CHAPTERS = [c for c in CAT.chapter_ids() if CAT.katas_of(c)]


@pytest.fixture(scope="session")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("selfcheck") / "report.json"
    proc = subprocess.run([sys.executable, "-m", "dlkata", "selfcheck", "--json", str(out)],
                          cwd=catalogue.ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(catalogue.ROOT)})
    assert out.exists(), proc.stdout + proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_catalogue_is_sound(report):
    assert report["lint"] == []


def test_exercises_match_solutions():
    assert stubs.drift() == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_reference_passes_every_test(report, chapter):
    assert report["chapters"][chapter]["reference"] == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_test_fails_on_the_stubs(report, chapter):
    assert report["chapters"][chapter]["stubs"] == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_book_idioms_pass(report, chapter):
    """Each kata's variant written in the book's idioms passes (or the kata says how it differs)."""
    assert report["chapters"][chapter].get("book", []) == []


@pytest.mark.parametrize("kata", [k.id for k in CAT.katas])
def test_kata_isolated(report, kata):
    assert report["katas"][kata] == []
