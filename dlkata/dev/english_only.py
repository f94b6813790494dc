"""Self-check: what a Japanese reader (L=ja) of a chapter would still read in English only.

Looked at, for each chapter: the tests' failure notes and the values they describe in words
(tests/chNN), the stubs' docstrings and NotImplementedError messages (as `make exercises`
writes them), the catalogue's titles, conventions and hints, and the figures' titles; for
every chapter alike, the runner's message table (dlkata.i18n).

Prose is English words strung together: at least two plain words ("must", "change") in a
text with no Japanese. Code, formulas and identifiers are not prose: `np.dot`, x·W,
softmax(x), W1, ReLU, SoftmaxWithLoss, "∂price/∂tax" or "64·4·4" may stay as they are.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from dlkata.kata import catalogue, stubs

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z][a-z]{2,}[,.;:!?)]*")    # "must", "Change," — not lr, W1, ReLU, x·W, f(x)
CODE = re.compile(r"`[^`]*`|\{[^{}]*\}")            # `code` spans and format placeholders
LABEL = re.compile(r"^\s*\w+: ")                     # "forward: return x * y" is code with a label


def _is_code(text: str) -> bool:
    """Python, or Python pieces joined by "。" (a hint that spells out the code)."""
    pieces = [LABEL.sub("", p) for p in text.split("。") if p.strip()]
    try:
        for p in pieces:
            ast.parse(re.sub(r"\.\.\. ", "", p.strip()))   # "...; ... return network": code elided
    except SyntaxError:
        return False
    return bool(pieces)


def is_english_prose(text: str) -> bool:
    """True for English sentences without Japanese; False for code, formulas, identifiers."""
    if JAPANESE.search(text) or _is_code(text):
        return False
    words = [t for t in CODE.sub(" ", text).split() if WORD.fullmatch(t.strip("(\"'"))]
    return len(words) >= 2


def has_japanese(text: str) -> bool:
    return bool(JAPANESE.search(text))


# ---------------------------------------------------------------- the tests' notes
def _literal(node: ast.AST) -> str | None:
    """The text of a string literal or an f-string (placeholders as {})."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")


def note_problems(path: Path, source: str) -> list[str]:
    """Notes (note=, record's fourth argument), described values (actual=, expected=, record's
    second and third) and calls (call=) that are English only; pairs whose first text is not
    Japanese; say() alike."""
    out = []
    where = lambda n: f"{path.as_posix()}:{n.lineno}"  # noqa: E731

    def text(node: ast.AST, what: str) -> None:
        if isinstance(node, ast.IfExp):
            text(node.body, what), text(node.orelse, what)
            return
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and what == "note":
            ja, en = (_literal(e) for e in node.elts)
            if ja is None or not has_japanese(ja):
                out.append(f"{where(node)}: a note pair must give the Japanese first: {en!r}")
            return
        value = _literal(node)
        if value is not None and is_english_prose(value):
            out.append(f"{where(node)}: {what} in English only: {value!r} "
                       f"(write note=(\"日本語\", \"English\") or say(\"日本語\", \"English\"))")

    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        for kw in node.keywords:
            if kw.arg == "note":
                text(kw.value, "note")
            elif kw.arg in ("actual", "expected", "call"):
                text(kw.value, kw.arg)   # a call is code: English words in it (`twice`, `of shape`) are prose
        if name == "record":
            for i, arg in enumerate(node.args[1:4], start=1):
                text(arg, "note" if i == 3 else ("actual", "expected")[i - 1])
        if name == "say" and node.args:
            ja = _literal(node.args[0])
            if ja is not None and not has_japanese(ja):
                out.append(f"{where(node)}: say() takes the Japanese first: {ja!r}")
    return out


# ---------------------------------------------------------------- stubs
def stub_problems(rel: Path, text: str) -> list[str]:
    """Docstrings of a generated stub without Japanese first, and English-only stub messages."""
    out = []
    tree = ast.parse(text)
    nodes = [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    for n in nodes:
        doc = ast.get_docstring(n)
        if doc and not has_japanese(doc.split("\n\n")[0]):
            name = getattr(n, "name", "the module")
            out.append(f"exercises/{rel.as_posix()}: the docstring of {name} must begin in Japanese")
    for n in ast.walk(tree):
        if isinstance(n, ast.Raise) and isinstance(n.exc, ast.Call) and n.exc.args:
            msg = _literal(n.exc.args[0])
            if msg is not None and is_english_prose(msg):
                out.append(f"exercises/{rel.as_posix()}:{n.lineno}: message in English only: {msg!r}")
    comments = [l for l in text.splitlines() if l.startswith("#")]
    if comments and is_english_prose(" ".join(comments)):
        out.append(f"exercises/{rel.as_posix()}: the header comment is in English only")
    return out


# ---------------------------------------------------------------- catalogue, figures, messages
def _bilingual(where: str, text: dict, what: str) -> list[str]:
    ja, en = text.get("ja"), text.get("en")
    items = list(zip(ja, en)) if isinstance(ja, (list, tuple)) else [(ja, en)]
    out = []
    for j, e in items:
        if not j and e:
            out.append(f"{where}: {what} has no Japanese: {e!r}")
        elif j and is_english_prose(j):
            out.append(f"{where}: the Japanese {what} is English: {j!r}")
    return out


def catalogue_problems(cat: catalogue.Catalogue, chapter: str) -> list[str]:
    out = _bilingual(f"catalogue: {chapter}", cat.chapter(chapter).title, "title")
    for k in cat.katas_of(chapter):
        out += _bilingual(f"catalogue: {k.id}", k.title, "title")
        if k.conventions:
            out += _bilingual(f"catalogue: {k.id}", k.conventions, "convention")
        if k.hints:
            out += _bilingual(f"catalogue: {k.id}", k.hints, "hint")
    return out


def figure_problems(chapter: str) -> list[str]:
    from dlkata.figures import load_all
    return [p for f in load_all().values() if f.chapter == chapter
            for p in _bilingual(f"figure {f.id}", f.title, "title")]


# Calls whose message someone reads, each in their language (say(), never an English literal):
# callee -> (which argument, how many arguments or None, what it is, files it does not apply to).
MESSAGE_CALLS = {
    # why a kata scored 0 in the sandbox: fail, note or SandboxFailure(kind, why), in the feedback
    **{n: (1, 2, "a reason a student reads", ()) for n in ("fail", "note", "SandboxFailure")},
    # in parentheses after that reason ("the worker broke the protocol (bad dict)"); not the
    # worker's own: it runs in the jail, whose language is not the student's
    "ProtocolError": (0, None, "a protocol error a student reads", ("sandbox/worker.py",)),
    # what the course command line (or, on a Dask cluster, its client) says went wrong
    **{n: (0, None, "a course error", ()) for n in ("CourseError", "ClusterError")},
    # --help (argparse's and pytest's) and a command line's errors (a keyword: help=); make check's own are the developers'
    **{n: ("help", None, "a command-line help", ("dev/",)) for n in ("add_argument", "add_parser", "addoption")},
    "error": (0, 1, "a command-line error", ("dev/",)),
}


def message_problems() -> list[str]:
    """The runner's message table (progress, watch, reset, hints, figures ...) in both languages,
    every say("日本語", "English") or words(...) of the tooling with its Japanese first, and no
    English-only literal as the message of a call in MESSAGE_CALLS."""
    from dlkata.i18n import MESSAGES
    out = [p for key, text in MESSAGES.items() for p in _bilingual(f"dlkata.i18n {key!r}", text, "message")]
    here = Path(__file__).resolve().parents[1]
    for path in sorted(here.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _call_name(node) in ("say", "words") and len(node.args) == 2:
                ja = _literal(node.args[0])
                if ja is not None and not has_japanese(ja):
                    out.append(f"dlkata/{path.relative_to(here).as_posix()}:{node.lineno}: "
                               f"{_call_name(node)}() takes the Japanese first: {ja!r}")
            name = _call_name(node) if isinstance(node, ast.Call) else None
            if name in MESSAGE_CALLS:
                where, nargs, what, not_in = MESSAGE_CALLS[name]
                rel = path.relative_to(here).as_posix()
                if any(rel.startswith(p) for p in not_in):
                    continue
                if isinstance(where, str):      # a keyword argument
                    arg = next((k.value for k in node.keywords if k.arg == where), None)
                else:
                    arg = node.args[where] if len(node.args) > where and nargs in (None, len(node.args)) else None
                msg = _literal(arg) if arg is not None else None
                if msg is not None and is_english_prose(msg):
                    out.append(f"dlkata/{rel}:{node.lineno}: {what}, in English only: {msg!r}")
    return out


def english_only(chapter: str) -> list[str]:
    """Every learner-facing text of the chapter a Japanese reader would read in English only."""
    root = catalogue.ROOT
    out = []
    for path in sorted((root / "tests" / chapter).glob("*.py")):
        out += note_problems(path.relative_to(root), path.read_text(encoding="utf-8"))
    for rel in stubs.source_files():
        if rel.parts[0] == chapter:
            out += stub_problems(rel, stubs.stub_text(rel))
    out += catalogue_problems(catalogue.load(), chapter)
    out += figure_problems(chapter)
    return out
