"""`make figures ch06`: the book's pictures, drawn by the learner's own code (or the reference's).

A figure is a function registered with @figure in dlkata/figures/chNN.py (every
such module is loaded). It imports the chapter's modules as the tests do (the
chapter from IMPL, earlier chapters from the reference unless OWN=1) and draws
on a Canvas:

    @figure("ch03.activations", section="3.2", needs=["ch03.step_function", "ch03.relu"],
            title={"ja": "活性化関数", "en": "Activation functions"}, size=(9, 3.6))
    def activations(c: Canvas) -> None:
        from ch03.activation import relu
        ax = c.subplots(1, 1)
        y = c.attempt(relu, x, ax=ax)     # None (and noted) while relu is still a stub
        if y is not None:
            ax.plot(x, y)
        c.done(ax)                        # writes on the panel which katas it still waits for

Inside attempt(), a stub's NotImplementedError or any other error leaves that part
empty and is reported (with your file and line); outside it, a stub skips the whole
figure with a message naming the kata, and an error is reported the same way. Files go to
figures/ (figures/reference/ with IMPL=solutions), drawn with matplotlib's Agg
back end (no screen needed).
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from dlkata.kata import catalogue, importer
from dlkata.kata.catalogue import ROOT
from dlkata.i18n import MESSAGES, lang, pick, t

TODO = re.compile(r"(ch\d\d\.[a-z0-9_]+) \(§")


@dataclass(frozen=True)
class Figure:
    id: str                      # "ch06.optimizer_paths" -> figures/ch06_optimizer_paths.png
    section: str
    title: dict[str, str]
    needs: tuple[str, ...]       # the katas it draws with (for messages and the docs)
    draw: Callable[["Canvas"], None]
    size: tuple[float, float] = (9.0, 4.0)

    @property
    def chapter(self) -> str:
        return self.id.split(".")[0]

    @property
    def filename(self) -> str:
        return self.id.replace(".", "_") + ".png"


REGISTRY: dict[str, Figure] = {}


def quick() -> bool:
    """True under DLKATA_FIGURES_QUICK=1: figures that train use a much shorter run (for the tests)."""
    return os.environ.get("DLKATA_FIGURES_QUICK") == "1"


def figure(id: str, *, section: str, title: dict[str, str], needs: list[str] | tuple[str, ...] = (),
           size: tuple[float, float] = (9.0, 4.0)):
    """Register a drawing function as a figure (see the module's docstring)."""
    def register(fn: Callable[["Canvas"], None]):
        REGISTRY[id] = Figure(id, section, dict(title), tuple(needs), fn, size)
        return fn
    return register


def stub_kata(exc: BaseException) -> str | None:
    """The kata a stub's NotImplementedError names, if it is one."""
    m = TODO.match(str(exc)) if isinstance(exc, NotImplementedError) else None
    return m.group(1) if m else None


@dataclass
class Canvas:
    """One figure being drawn: matplotlib's Figure, and what could not be drawn yet."""
    fig: Any
    missing: list[str] = field(default_factory=list)     # katas still stubs
    errors: list[BaseException] = field(default_factory=list)
    drawn: set = field(default_factory=set)              # id() of axes with something on them
    notes: dict = field(default_factory=dict)            # id(ax) -> what it waits for

    def subplots(self, nrows: int = 1, ncols: int = 1, **kw):
        return self.fig.subplots(nrows, ncols, **kw)

    def attempt(self, fn: Callable, *args, ax=None, **kw):
        """fn(*args, **kw), or None when it fails: a stub's kata, or an error, is noted against ax.

        With ax, a result counts as something drawn there."""
        try:
            out = fn(*args, **kw)
        except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
            kata = stub_kata(exc)
            if kata:
                if kata not in self.missing:
                    self.missing.append(kata)
                note = text("f_panel_todo", kata=kata)
            else:
                self.errors.append(exc)
                note = f"{type(exc).__name__}: {str(exc)[:60]}"
            if ax is not None:
                self.note(ax, note)
            return None
        if ax is not None:
            self.mark(ax)
        return out

    def note(self, ax, message: str) -> None:
        """Something to write on ax when it is done (e.g. that its training was stopped)."""
        if message not in self.notes.setdefault(id(ax), []):
            self.notes[id(ax)].append(message)

    def mark(self, ax) -> None:
        """Say that something was drawn on ax."""
        self.drawn.add(id(ax))

    def done(self, ax) -> None:
        """Write on ax what it waits for: in the middle if it is empty, else in a corner."""
        notes = self.notes.get(id(ax), [])
        if not notes:
            return
        box = dict(facecolor="white", edgecolor="#a33", alpha=0.9, boxstyle="round")
        if id(ax) in self.drawn:
            ax.text(0.98, 0.03, "\n".join(n.replace("\n", " ") for n in notes), ha="right", va="bottom",
                    transform=ax.transAxes, fontsize=8, color="#a33", bbox=box, zorder=10)
        else:
            ax.text(0.5, 0.5, "\n".join(notes), ha="center", va="center", transform=ax.transAxes,
                    fontsize=10, color="#a33", bbox=box, zorder=10)


# ---------------------------------------------------------------- drawing text
_CJK: list[bool | None] = [None]


def packaged_font() -> Path | None:
    """The Japanese font our own dependencies install (IPAexGothic, from the matplotlib-fontja
    package of the figures extra), found without importing the package (which would restyle
    every figure at import)."""
    import importlib.util
    spec = importlib.util.find_spec("matplotlib_fontja")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "fonts" / "ipaexg.ttf"
        if path.is_file():
            return path
    return None


def _cjk_font() -> bool:
    """Switch matplotlib to a Japanese font: the packaged one, else one the system has; True if so."""
    if _CJK[0] is None:
        from matplotlib import font_manager, rcParams
        packaged = packaged_font()
        if packaged is not None:
            font_manager.fontManager.addfont(str(packaged))
        names = {f.name for f in font_manager.fontManager.ttflist}
        wanted = ["IPAexGothic", "Noto Sans CJK JP", "Noto Sans JP", "IPAGothic", "Hiragino Sans",
                  "Hiragino Maru Gothic Pro", "Yu Gothic", "Meiryo", "MS Gothic", "TakaoGothic", "VL Gothic"]
        found = [n for n in wanted if n in names]
        if found:
            rcParams["font.family"] = "sans-serif"
            rcParams["font.sans-serif"] = found + list(rcParams["font.sans-serif"])
        _CJK[0] = bool(found)
    return bool(_CJK[0])


def drawing_lang() -> str:
    """Text inside a picture: Japanese only when a Japanese font is there to draw it."""
    return "ja" if lang() == "ja" and _cjk_font() else "en"


def text(key: str, **kw) -> str:
    return MESSAGES[key][drawing_lang()].format(**kw)


def words(ja: str, en: str) -> str:
    """A label, title or legend entry in the drawing's language: words("訓練", "train")."""
    return ja if drawing_lang() == "ja" else en


def title_of(f: Figure) -> str:
    return f.title.get(drawing_lang()) or f.title.get("en", f.id)


# ---------------------------------------------------------------- running
def load_all() -> dict[str, Figure]:
    for m in pkgutil.iter_modules(__path__):
        if re.match(r"ch\d\d$", m.name):
            importlib.import_module(f"{__name__}.{m.name}")
    return REGISTRY


def out_dir(impl: Path) -> Path:
    impl = impl.resolve()
    if impl == (ROOT / "exercises").resolve():
        return ROOT / "figures"
    if impl == (ROOT / "solutions").resolve():
        return ROOT / "figures" / "reference"
    return ROOT / "figures" / impl.name


def _where(exc: BaseException, impl: Path) -> str:
    if isinstance(exc, SyntaxError):
        return f"{exc.filename}:{exc.lineno}: {(exc.text or '').strip()}"
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if str(Path(f.filename).resolve()).startswith(str(impl.resolve()))]
    f = (mine or frames or [None])[-1]
    return f"{f.filename}:{f.lineno} in {f.name}: {(f.line or '').strip()}" if f else "?"


def draw_one(f: Figure, impl: Path, out: Path) -> tuple[str, list[str]]:
    """Draw and save one figure: ("wrote" | "partial" | "skipped" | "failed", messages)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=f.size, layout="constrained")
    canvas = Canvas(fig)
    name = dict(id=f.id, title=pick(f.title), section=f.section, chapter=f.chapter)
    try:
        f.draw(canvas)
    except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
        kata = stub_kata(exc)
        if not kata:
            plt.close(fig)
            message = (exc.msg if isinstance(exc, SyntaxError) else str(exc)).strip().splitlines()
            return "failed", [t("f_failed", type=type(exc).__name__, message=(message or [""])[0][:300], **name),
                              f"    {t('at')} {_where(exc, impl)}"]
        # A kata the whole figure needs is still a stub: the figure is one empty panel naming it.
        fig.clear()
        canvas = Canvas(fig, missing=[kata])
        ax = fig.subplots(1, 1)
        ax.set_axis_off()
        canvas.note(ax, text("f_panel_todo", kata=kata))
        canvas.done(ax)
    msgs = [t("f_failed", type=type(e).__name__, message=str(e).strip()[:300], **name) + "\n"
            + f"    {t('at')} {_where(e, impl)}" for e in canvas.errors]
    if not canvas.drawn and not canvas.missing:
        plt.close(fig)
        return ("failed" if canvas.errors else "skipped"), msgs
    fig.suptitle(f"§{f.section}  {title_of(f)}")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f.filename
    fig.savefig(path, dpi=110)
    plt.close(fig)
    msgs.insert(0, t("f_wrote", path=_show(path), **name))
    if canvas.missing:
        msgs.insert(1, t("f_partial", katas=", ".join(canvas.missing)))
    return ("failed" if canvas.errors else "partial" if canvas.missing else "wrote"), msgs


def _show(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def main(words: list[str], impl: Path, own: bool = False, out: Path | None = None, check: bool = False) -> int:
    """Draw the chosen chapters' figures; check: only say whether they have any (before
    matplotlib is needed, so `make figures ch05` does not install it for nothing)."""
    cat = catalogue.load()
    chapters, _ = cat.select(words)
    figs = load_all()
    have = sorted({f.chapter for f in figs.values()})
    chosen = [ch for ch in chapters if ch in have]
    if not chosen:
        print(t("f_none", chapters=" ".join(chapters), have=", ".join(have)))
        return 0 if not words and not check else 2
    if check:
        return 0
    try:
        import matplotlib
    except ImportError:
        print(t("f_no_mpl"))
        return 2
    matplotlib.use("Agg", force=True)
    import numpy as np

    out = out or out_dir(impl)
    outcome = []
    for ch in chosen:
        importer.install(impl, {ch}, own)
        for f in [f for f in figs.values() if f.chapter == ch]:
            with np.errstate(all="ignore"):
                result, msgs = draw_one(f, impl, out)
            outcome.append(result)
            print("\n".join(msgs))
    if out.exists():
        print(t("f_where", path=_show(out)))
    return 1 if "failed" in outcome else 0
