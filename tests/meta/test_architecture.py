"""The package's architecture (docs/ARCHITECTURE.md): layered imports, no cycle, and a map that names real paths."""
import re

from dlkata.dev import layers
from dlkata.kata.catalogue import ROOT


def test_no_import_cycle_and_every_arrow_points_down():
    assert layers.problems() == []


def test_every_path_named_in_the_architecture_page_exists():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:dlkata|tests|solutions|exercises|grader|bench|docs|\.ci)/[\w./-]*|"
                           r"catalogue\.toml|Makefile|conftest\.py|pyproject\.toml)`", text))
    assert len(named) > 20, "the page names the files it describes"
    missing = sorted(p for p in named if not (ROOT / p.rstrip("/")).exists())
    assert missing == []
