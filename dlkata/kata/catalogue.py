"""The one ordered catalogue of katas (catalogue.toml) and what is derived from it."""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "catalogue.toml"
KATA_ID = re.compile(r"^(ch\d\d)\.[a-z0-9_]+$")


@dataclass(frozen=True)
class Chapter:
    id: str
    title: dict[str, str]


@dataclass(frozen=True)
class Kata:
    id: str
    section: str
    module: str                       # "ch05.layers"
    symbols: tuple[str, ...]          # top-level names the learner writes
    points: int
    builds_on: tuple[str, ...]
    title: dict[str, str]
    hints: dict[str, tuple[str, ...]]
    conventions: dict[str, str] = field(default_factory=dict)
    differs_from_book: dict[str, str] = field(default_factory=dict)   # ja/en: what differs and why

    @property
    def chapter(self) -> str:
        return self.id.split(".")[0]

    @property
    def path(self) -> str:
        """The module's file, relative to an implementation root."""
        return self.module.replace(".", "/") + ".py"

    @property
    def test_path(self) -> str:
        """Test files mirror the modules: ch05.layers -> tests/ch05/test_layers.py."""
        chapter, name = self.module.split(".", 1)
        return f"tests/{chapter}/test_{name}.py"


class Catalogue:
    def __init__(self, chapters: list[Chapter], katas: list[Kata]):
        self.chapters = chapters
        self.katas = katas
        self.by_id = {k.id: k for k in katas}

    def chapter_ids(self) -> list[str]:
        return [c.id for c in self.chapters]

    def chapter(self, cid: str) -> Chapter:
        return next(c for c in self.chapters if c.id == cid)

    def katas_of(self, chapter: str) -> list[Kata]:
        return [k for k in self.katas if k.chapter == chapter]

    def modules_of(self, chapter: str) -> list[str]:
        return list(dict.fromkeys(k.module for k in self.katas_of(chapter)))

    def owner(self, module: str, symbol: str) -> Kata | None:
        for k in self.katas:
            if k.module == module and symbol in k.symbols:
                return k
        return None

    def dependents(self, kata_id: str) -> set[str]:
        """Katas of the same chapter that build on kata_id, directly or not."""
        chapter = self.by_id[kata_id].chapter
        found: set[str] = set()
        frontier = {kata_id}
        while frontier:
            frontier = {k.id for k in self.katas_of(chapter)
                        if set(k.builds_on) & frontier and k.id not in found}
            found |= frontier
        return found

    def prerequisites(self, kata_id: str) -> list[str]:
        """Same-chapter katas that kata_id builds on, directly or not, in catalogue order."""
        k = self.by_id[kata_id]
        seen: list[str] = []
        todo = [p for p in k.builds_on if self.by_id.get(p) and self.by_id[p].chapter == k.chapter]
        while todo:
            p = todo.pop()
            if p not in seen:
                seen.append(p)
                todo += [q for q in self.by_id[p].builds_on if self.by_id[q].chapter == k.chapter]
        order = {k.id: i for i, k in enumerate(self.katas)}
        return sorted(seen, key=order.__getitem__)

    def select(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Turn `ch05` / `ch05.affine` words into (chapters to run, katas to show)."""
        if not words:
            return self.chapter_ids(), [k.id for k in self.katas]
        chapters: list[str] = []
        katas: list[str] = []
        for w in words:
            span = re.fullmatch(r"(ch\d\d)-(ch\d\d)", w)
            if span:  # a range of chapters: ch01-ch04
                ids = self.chapter_ids()
                lo, hi = (ids.index(c) if c in ids else -1 for c in span.groups())
                if lo < 0 or hi < lo:
                    raise KeyError(w)
                for c in ids[lo:hi + 1]:
                    chapters.append(c)
                    katas += [k.id for k in self.katas_of(c)]
            elif w in self.chapter_ids():
                chapters.append(w)
                katas += [k.id for k in self.katas_of(w)]
            elif w in self.by_id:
                chapters.append(self.by_id[w].chapter)
                katas.append(w)
            else:
                raise KeyError(w)
        return list(dict.fromkeys(chapters)), list(dict.fromkeys(katas))


def _text(d: dict, key: str, where: str) -> dict[str, str]:
    v = d.get(key, {})
    if not isinstance(v, dict):
        raise ValueError(f"{where}: {key} must be a table with ja and en")
    return dict(v)


@functools.cache
def load(path: Path = CATALOGUE) -> Catalogue:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    chapters = [Chapter(c["id"], _text(c, "title", c["id"])) for c in data.get("chapter", [])]
    katas = []
    for raw in data.get("kata", []):
        kid = raw["id"]
        katas.append(Kata(
            id=kid,
            section=str(raw["section"]),
            module=raw["module"],
            symbols=tuple(raw["symbols"]),
            points=int(raw.get("points", 1)),
            builds_on=tuple(raw.get("builds_on", [])),
            title=_text(raw, "title", kid),
            hints={lang: tuple(h) for lang, h in _text(raw, "hints", kid).items()},
            conventions=_text(raw, "conventions", kid),
            differs_from_book=_text(raw, "differs_from_book", kid),
        ))
    return Catalogue(chapters, katas)
