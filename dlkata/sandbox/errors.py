"""What the trusted side raises: a sandbox failure (the kata scores 0) or the student's exception, re-raised as a safe builtin kind."""
from __future__ import annotations

import builtins

from dlkata.i18n import say
from dlkata.sandbox.protocol import PHRASES


# Exceptions from the worker are re-raised as these builtin kinds (so that
# pytest.raises(ValueError) and the runner's NotImplementedError check still work).
SAFE_EXCEPTIONS = {name: getattr(builtins, name) for name in (
    "ArithmeticError", "AssertionError", "AttributeError", "BufferError", "EOFError",
    "FloatingPointError", "ImportError", "IndexError", "KeyError", "LookupError", "MemoryError",
    "ModuleNotFoundError", "NameError", "NotImplementedError", "OSError", "OverflowError",
    "RecursionError", "RuntimeError", "StopIteration", "SyntaxError", "IndentationError", "TabError",
    "TypeError", "UnboundLocalError", "UnicodeError", "ValueError", "ZeroDivisionError")}
SAFE_WARNINGS = {name: getattr(builtins, name) for name in (
    "Warning", "UserWarning", "DeprecationWarning", "PendingDeprecationWarning", "SyntaxWarning",
    "RuntimeWarning", "FutureWarning", "ImportWarning", "UnicodeWarning", "BytesWarning", "ResourceWarning")}


class SandboxFailure(Exception):
    """The worker timed out, died, flooded its output or broke the protocol: the kata scores 0."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class RemoteError(Exception):
    """Base of exceptions raised by the student's code in the worker."""
    remote_type = "Exception"
    where = ""
    source = ""
    remote_tb = ""


_remote_classes: dict[str, type] = {}


def sandbox_path(name: str) -> str:
    """A file name reported by the worker, never a path of this machine (nothing reads it)."""
    name = str(name)[:300]
    for prefix in ("/sub/", "/given/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return "<submission>/" + name.lstrip("/")


def _phrase(phrase) -> str | None:
    """One of the worker's own phrases (protocol.PHRASES) in the student's language, or None."""
    if not (isinstance(phrase, list) and len(phrase) == 2 and isinstance(phrase[1], dict)
            and isinstance(phrase[0], str) and phrase[0] in PHRASES):
        return None
    values = {str(k)[:40]: str(v)[:200] for k, v in list(phrase[1].items())[:8]}
    try:
        return say(*(text.format(**values) for text in PHRASES[phrase[0]]))
    except (KeyError, IndexError, ValueError):
        return None


def remote_exception(p) -> Exception:
    if not isinstance(p, dict):
        return SandboxFailure("protocol", say("ワーカーからのエラーの形式が不正です", "malformed error from the worker"))
    name = str(p.get("type", "Exception"))[:100]
    msg = _phrase(p.get("phrase")) or str(p.get("msg", ""))[:2000]
    if not name.isidentifier():
        name = "Exception"
    base = SAFE_EXCEPTIONS.get(name, Exception)
    cls = _remote_classes.get(name)
    if cls is None:
        cls = _remote_classes[name] = type(name, (RemoteError, base), {"__module__": "sandbox"})
    if issubclass(base, SyntaxError):
        exc = cls(msg)
        where = str(p.get("where", ""))
        file, _, line = where.rpartition(":")
        exc.filename, exc.lineno, exc.text, exc.msg = sandbox_path(file), int(line) if line.isdigit() else None, \
            str(p.get("source", ""))[:300], msg
    elif base is KeyError:
        exc = cls(msg)
    else:
        exc = cls(msg)
    exc.remote_type = name
    exc.where = str(p.get("where", ""))[:300]
    exc.source = str(p.get("source", ""))[:300]
    exc.remote_tb = str(p.get("tb", ""))[:2000]
    return exc

