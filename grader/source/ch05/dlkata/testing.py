"""What kata tests use: soft expectations that repeat the call and show actual against expected.

Every expect_* records a failure through pytest-check (so one test reports every
broken expectation, not just the first) and keeps a structured copy that the
runner prints as "call / actual / expected". They return True when satisfied.

A note says what must hold, in both languages: note=("バッチサイズで割る", "divide by the
batch size"); the learner's language (L=ja, L=en, else the locale) picks the one shown.
A plain-string note is for what reads the same in both (a formula: "∂price/∂tax").
"""
from __future__ import annotations

import sys
from collections import OrderedDict
from typing import Any, Callable

import numpy as np
import pytest
from pytest_check import check

from dlkata.i18n import MESSAGES, lang, pick, say

kata = pytest.mark.kata

# Structured failures of the running test; the plugin empties it before each test.
FAILURES: list[dict[str, str]] = []
# Advice of the running test (see advise): shown to the learner, never part of the verdict.
ADVICE: list[dict[str, str]] = []
_MISSING = object()


def fresh_test() -> None:
    """Before each test: no failures or advice yet, and numpy's global generator at a fixed
    seed, so code that draws from np.random (weights, dropout masks) gives the same values on
    every run and a failing run has the same fingerprint every time (dlkata/diagnosis.py)."""
    FAILURES.clear()
    ADVICE.clear()
    np.random.seed(0)


def show(value: Any) -> str:
    """A short, one-line-ish rendering of a value for failure messages."""
    if isinstance(value, np.ndarray):
        body = np.array2string(value, precision=8, threshold=24, edgeitems=3,
                               max_line_width=100, separator=", ")
        extra = f"  (shape {value.shape}, {value.dtype})" if value.ndim != 1 or value.size > 6 else f"  ({value.dtype})"
        return body.replace("\n", "\n            ") + extra
    if isinstance(value, float):
        return repr(float(value))
    text = repr(value)
    return text if len(text) < 300 else text[:300] + " ..."


Note = str | tuple[str, str]   # ("日本語", "English"), or a formula that reads the same in both
LABELS = {"actual": ("実際の値:", "actual:  "), "expected": ("期待値:  ", "expected:")}


def record(call: str, actual: Any = _MISSING, expected: Any = _MISSING, note: Note = "",
           why: list | None = None) -> bool:
    """Record one failed expectation, its note in the learner's language; always returns False.

    Besides the text the learner reads, the entry keeps `why` (the generic diagnosis:
    [key, params] pairs rendered by check_lines in the learner's language) and `fp`, a
    fingerprint of the call, the note and the actual value that the mistake catalogue
    compares (dlkata/diagnosis.py), the same in either language.
    """
    entry: dict[str, Any] = {"call": call, "note": pick(note)}
    if actual is not _MISSING:
        entry["actual"] = show(actual)
    if expected is not _MISSING:
        entry["expected"] = show(expected)
    if why:
        entry["why"] = why
    entry["fp"] = fingerprint(call, note, actual)
    FAILURES.append(entry)
    check.fail("\n".join(check_lines(entry)))
    return False


def check_lines(entry: dict) -> list[str]:
    """A recorded failure as the learner reads it everywhere (runner, notebook, grading): the
    call, then indented the note, the actual and the expected value, labelled in their language,
    then what differs."""
    actual, expected = pick(LABELS["actual"]), pick(LABELS["expected"])
    lines = [entry.get("call", "")]
    if entry.get("note"):
        lines.append(f"  {entry['note']}")
    if "actual" in entry:
        lines.append(f"  {actual} {entry['actual']}")
    if "expected" in entry:
        lines.append(f"  {expected} {entry['expected']}")
    lines += ["  " + says(key, params) for key, params in entry.get("why", ())]
    return lines


# ---------------------------------------------------------------- generic diagnosis of arrays
# What differs between an actual and an expected array, as [key, params] pairs; the words, in
# Japanese and English, are the "why_<key>" messages of dlkata.i18n (shipped with the notebooks).


def says(key: str, params: dict, language: str | None = None) -> str:
    """One diagnosis line in the learner's language (or the one given)."""
    language = language or lang()
    params = dict(params)
    if key == "factor":
        n = params.get("n")
        hint = "why_factor_inv" if params.get("inv") else "why_factor_n"
        params["hint"] = MESSAGES[hint][language].format(n=n) if n else ""
    try:
        return MESSAGES["why_" + key][language].format(**params)
    except (KeyError, IndexError, ValueError):
        return f"→ {key} {params}"


def _num(x: Any) -> str:
    x = x.item() if hasattr(x, "item") else x
    return f"{x:.8g}" if isinstance(x, float) else repr(x)


def _index(i: tuple) -> str:
    return ", ".join(str(int(j)) for j in i)


def _near_int(x: float) -> int | None:
    n = round(x)
    return n if n >= 2 and abs(x - n) < 1e-6 * n else None


def explain(actual: Any, expected: Any, inputs: dict[str, Any] | None = None,
            rtol: float = 1e-7, atol: float = 1e-10) -> list[list]:
    """What differs between actual and expected: [key, params] pairs for says().

    Shape and dtype when they differ; how many elements differ, the first and the largest
    error; and a pattern when there is one (a constant factor, the opposite sign, a constant
    offset, the transpose, another order, NaN/inf, all zeros, an output equal to an input).
    """
    try:
        a = np.asarray(actual)
        e = np.asarray(expected)
        if a.dtype.kind not in "biuf" or e.dtype.kind not in "biuf":
            return []
        return _explain(a, e, inputs or {}, rtol, atol)
    except Exception:  # noqa: BLE001 - a diagnosis must never break the report
        return []


def _explain(a: np.ndarray, e: np.ndarray, inputs: dict, rtol: float, atol: float) -> list[list]:
    out: list[list] = []
    af, ef = a.astype(np.float64), e.astype(np.float64)

    def close(x, y):
        return x.shape == y.shape and bool(np.allclose(x, y, rtol=rtol, atol=atol))

    for name, value in inputs.items():
        v = np.asarray(value)
        if v.dtype.kind in "biuf" and close(af, v.astype(np.float64)) and not close(af, ef):
            out.append(["is_input", {"name": name}])
            break
    if a.shape != e.shape:
        out.append(["shape", {"actual": tuple(a.shape), "expected": tuple(e.shape)}])
        if a.ndim == 2 and close(af.T, ef):
            out.append(["transpose", {}])
        elif a.size == e.size and close(af.reshape(e.shape), ef):
            out.append(["reshape", {}])
        elif a.ndim == e.ndim + 1:
            for how in ("sum", "mean"):
                axis = next((k for k in range(a.ndim) if close(getattr(af, how)(axis=k), ef)), None)
                if axis is not None:
                    out.append(["reduce", {"how": how, "axis": axis}])
                    break
        return out
    if a.dtype.kind != e.dtype.kind and {a.dtype.kind, e.dtype.kind} != {"i", "u"}:
        out.append(["dtype", {"actual": str(a.dtype), "expected": str(e.dtype)}])
    bad = ~np.isclose(af, ef, rtol=rtol, atol=atol)
    n = int(bad.sum())
    if n == 0:
        return out
    first = tuple(np.argwhere(bad)[0]) if a.ndim else ()
    if a.ndim:
        out.append(["count", {"n": n, "total": int(a.size), "index": _index(first),
                              "a": _num(a[first]), "e": _num(e[first])}])
    nonfinite = int((~np.isfinite(af)).sum())
    if nonfinite:
        out.append(["nan", {"n": nonfinite}])
        return out
    err = np.abs(af - ef)
    worst = np.unravel_index(int(np.argmax(err)), err.shape) if a.ndim else ()
    rel = float(err[worst] / max(abs(float(ef[worst])), 1e-300))
    if a.ndim and a.size > 1:
        out.append(["largest", {"err": float(err[worst]), "index": _index(worst), "rel": rel}])
    out += _pattern(af, ef, close)
    return out


def _pattern(af: np.ndarray, ef: np.ndarray, close) -> list[list]:
    if not np.any(af) and np.any(ef):
        return [["zeros", {}]]
    big = np.abs(ef) > 1e-12 * max(float(np.max(np.abs(ef))), 1e-300)
    if np.any(big) and not np.any((np.abs(af) > 1e-12 * max(float(np.max(np.abs(af))), 1e-300)) & ~big):
        ratios = af[big] / ef[big]
        c = float(np.median(ratios))
        if c != 0 and np.allclose(ratios, c, rtol=1e-6, atol=0) and close(af, c * ef):
            if abs(c + 1) < 1e-9:
                return [["sign", {}]]
            inv = _near_int(1 / abs(c)) if abs(c) < 1 else None
            return [["factor", {"factor": f"{c:.6g}", "n": inv or _near_int(abs(c)), "inv": bool(inv)}]]
    if af.ndim == 2 and af.shape[0] == af.shape[1] and close(af.T, ef):
        return [["transpose", {}]]
    if af.size > 1:
        d = af - ef
        if np.allclose(d, d.flat[0], rtol=1e-9, atol=1e-12):
            return [["offset", {"offset": float(d.flat[0])}]]
        if close(np.sort(af, axis=None), np.sort(ef, axis=None)):
            return [["order", {}]]
    return []


def fingerprint(call: str, note: Note, actual: Any = _MISSING) -> str:
    """A short hash of a failed expectation that survives harmless rounding and the language: the
    call, the English note with its numbers masked, the actual value's shape, kind and values to
    6 significant digits."""
    import hashlib
    import re
    english = note[1] if isinstance(note, (tuple, list)) else note.get("en", "") if isinstance(note, dict) else note
    parts = [call, re.sub(r"[-+]?\d[\d.e+-]*", "#", english or "")]
    if actual is not _MISSING:
        parts.append(_value_key(actual))
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:16]


def _value_key(value: Any) -> str:
    """Shape, kind and the values to 6 significant digits (rounding noise around 0 cleared)."""
    import hashlib
    import re
    try:
        arr = np.asarray(value)
        if arr.dtype.kind in "biuf":
            v = arr.astype(np.float64).ravel()
            finite = np.isfinite(v)
            scale = float(np.abs(v[finite]).max()) if finite.any() else 0.0
            v = np.where(finite & (np.abs(v) <= 1e-9 * scale), 0.0, v)
            live = finite & (v != 0)
            mag = np.zeros(v.shape)
            mag[live] = np.floor(np.log10(np.abs(v[live])))
            mant = np.zeros(v.shape)
            mant[live] = np.round(v[live] / 10.0 ** (mag[live] - 5))
            carry = np.abs(mant) >= 1e6           # 9.999996 rounds to 1000000: renormalise
            mant[carry] = np.round(mant[carry] / 10)
            mag[carry] += 1
            digest = hashlib.sha1(mant.astype(np.int64).tobytes() + mag.astype(np.int16).tobytes()
                                  + np.isnan(v).tobytes() + np.isposinf(v).tobytes() + np.isneginf(v).tobytes())
            return f"{arr.dtype.kind}{arr.shape}:{digest.hexdigest()}"
    except Exception:  # noqa: BLE001 - not an array: its text
        pass
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))[:2000]


# ---------------------------------------------------------------- what an expectation judges

# Proxy types of the grading sandbox (registered by dlkata.sandbox.proxies): their objects live
# in the student's worker and are fetched once, as data, through _rs_plain.
REMOTE_TYPES: set[type] = set()
# Called before an expectation compares an array the learner's code may have changed through
# a view of it (expect_unchanged): under the grading sandbox, one round trip, so that what a
# write into a returned view did to its base in the worker reaches the tests' twin.
SETTLE_HOOKS: list[Callable[[], None]] = []
_SCALARS = (bool, int, float, complex, str, type(None))
_DATA_KINDS = "biufc"       # the dtypes that are data: bool, integers, floats, complex numbers
_MAX_DEPTH = 60


def _a(name: str) -> str:
    return ("an " if name[:1].lower() in "aeio" else "a ") + name


class NotPlain(TypeError):
    """A value that is not plain data: the learner's own object where data was expected."""

    def __init__(self, type_name: str):
        super().__init__(f"returned {_a(type_name)}, not an array")
        self.type_name = type_name


def _type_name(t: type) -> str:
    name = type.__dict__["__name__"].__get__(t)   # never a metaclass's idea of its name
    return str(name)[:80]


def received(value: Any, _depth: int = 0, _fetched: bool = False) -> Any:
    """value as plain data (numbers, strings, ndarrays of numbers and bools; lists, tuples, dicts
    and sets of these), judged once; anything else raises NotPlain.

    An object that only imitates an array (reports a shape, a length, items, or converts
    differently each time) is never judged by what it says: the same rule holds in `make test`
    and in the grading sandbox, where an object of the student's code is fetched once from
    its worker by an operation that sends only such data."""
    t = type(value)
    if t in _SCALARS:
        return value
    if t is np.ndarray:
        if value.dtype.kind in _DATA_KINDS and value.dtype.fields is None:
            return value
        raise NotPlain(f"numpy array of {value.dtype.kind!r} dtype")
    if isinstance(value, np.generic) and t.__module__ == "numpy":
        if value.dtype.kind in _DATA_KINDS:
            return value
        raise NotPlain(f"numpy {_type_name(t)}")
    if isinstance(value, np.dtype) and t.__module__ in ("numpy", "numpy.dtypes"):
        return value     # what the tests read off an array they hold (never sent by a worker)
    if _depth > _MAX_DEPTH:
        raise NotPlain("structure nested too deeply")
    d = _depth + 1
    if t in (list, tuple, set, frozenset):
        items = [received(x, d, _fetched) for x in value]
        return value if all(a is b for a, b in zip(items, value)) else t(items)
    if t is dict or t is OrderedDict:
        items = [(received(k, d, _fetched), received(x, d, _fetched)) for k, x in value.items()]
        same = all(a is k and b is x for (a, b), (k, x) in zip(items, value.items()))
        return value if same else t(items)
    if t in REMOTE_TYPES and not _fetched:
        try:
            got = t._rs_plain(value)
        except TypeError as e:   # the worker refused: not data
            raise NotPlain(getattr(e, "type_name", None) or value._rs_type) from None
        return received(got, d, True)
    raise NotPlain(value._rs_type if t in REMOTE_TYPES else _type_name(t))


def _refused(call: str, e: NotPlain, what: tuple[str, str] = ("配列", "an array")) -> bool:
    return record(call, note=(f"返されたのは {e.type_name} で、{what[0]}ではありません",
                              f"returned {_a(e.type_name)}, not {what[1]}"))


def _as_float_array(value: Any) -> np.ndarray | None:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr


def expect_close(actual: Any, expected: Any, *, call: str, rtol: float = 1e-7,
                 atol: float = 1e-10, note: Note = "", inputs: dict[str, Any] | None = None) -> bool:
    """actual ≈ expected element-wise, with the same shape; NaN never matches.

    inputs: the arrays the call was given, by name, so an output that merely returns
    one of them is named as such."""
    try:
        actual, expected = received(actual), received(expected)
    except NotPlain as err:
        return _refused(call, err, ("数または配列", "a number or an array"))
    a, e = _as_float_array(actual), np.asarray(expected, dtype=np.float64)
    if a is None:
        return record(call, actual, expected, note or ("数でも数の配列でもありません", "not a number or array of numbers"))
    if a.shape != e.shape:
        return record(call, actual, expected, note or (f"形 {a.shape}、期待される形は {e.shape}",
                                                         f"shape {a.shape}, expected shape {e.shape}"),
                      explain(actual, expected, inputs, rtol, atol))
    if not np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=False):
        return record(call, actual, expected, note, explain(actual, expected, inputs, rtol, atol))
    return True


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, np.ndarray) or isinstance(actual, np.ndarray):
        return (np.shape(actual) == np.shape(expected)
                and bool(np.all(np.asarray(actual) == np.asarray(expected))))
    if isinstance(expected, bool):  # a flag must be a bool, not 1 or "yes"
        return isinstance(actual, (bool, np.bool_)) and bool(actual) is expected
    try:
        return bool(actual == expected)
    except Exception:  # noqa: BLE001 - what cannot be compared is not equal
        return False


def _exact_why(actual: Any, expected: Any, inputs: dict[str, Any] | None) -> list[list]:
    if isinstance(expected, (bool, str)) or isinstance(actual, (bool, str)):
        return []
    return explain(actual, expected, inputs, rtol=0.0, atol=0.0)


def expect_equal(actual: Any, expected: Any, *, call: str, note: Note = "",
                 inputs: dict[str, Any] | None = None) -> bool:
    """actual == expected exactly (arrays: same shape and values; flags: a real bool)."""
    try:
        actual, expected = received(actual), received(expected)
    except NotPlain as err:
        name = _type_name(type(expected))
        what = ("配列", "an array") if isinstance(expected, np.ndarray) else (f"{name} ", _a(name))
        return _refused(call, err, what)
    if _same(actual, expected):
        return True
    return record(call, actual, expected, note, _exact_why(actual, expected, inputs))


def expect_unchanged(array: Any, before: Any, *, call: str, name: str = "x", note: Note = "") -> bool:
    """The caller's array after the call still equals its copy from before the call."""
    for settle in SETTLE_HOOKS:
        settle()
    try:
        array, before = received(array), received(before)
    except NotPlain as err:
        return _refused(call, err)
    if _same(array, before):
        return True
    why: list[list] = []
    try:
        a, b = np.asarray(array), np.asarray(before)
        if a.shape == b.shape:
            bad = ~((a == b) | (np.isnan(a.astype(float)) & np.isnan(b.astype(float))))
            first = tuple(np.argwhere(bad)[0]) if a.ndim else ()
            why = [["in_place", {"name": name, "n": int(bad.sum()), "index": _index(first),
                                 "a": _num(a[first]), "e": _num(b[first])}]]
    except Exception:  # noqa: BLE001 - no diagnosis, still a failure
        why = []
    return record(call, array, before, note or (f"{name} を変えてはいけません", f"{name} must not change"), why)


def expect_true(condition: Any, *, call: str, note: Note, actual: Any = _MISSING,
                expected: Any = _MISSING) -> bool:
    """A property that must hold; note says which, in the learner's terms."""
    try:
        condition = received(condition)
    except NotPlain as err:
        return _refused(call, err, ("bool ", "a bool"))
    return True if bool(condition) else record(call, actual, expected, note)


def advise(condition: Any, *, call: str, note: Note, actual: Any = _MISSING,
           expected: Any = _MISSING) -> bool:
    """Advice, not a verdict: a property of style (is it vectorised?) that the learner is told
    about when it does not hold, while the test still passes.

    For measurements taken while the learner's code runs (python_lines): in the grading
    sandbox that code runs in a worker it controls, so such a figure is the student's to
    forge; it must never decide a score (and so does not decide `make test`'s verdict either)."""
    try:
        ok = bool(received(condition))
    except NotPlain:
        ok = False
    if not ok:
        entry = {"call": call, "note": pick(note)}
        if actual is not _MISSING:
            entry["actual"] = show(actual)
        if expected is not _MISSING:
            entry["expected"] = show(expected)
        ADVICE.append(entry)
    return ok


def expect_dtype_kind(actual: Any, kinds: str, *, call: str) -> bool:
    """numpy dtype kind of actual is one of kinds ('f' float, 'i' int, 'b' bool)."""
    try:
        actual = received(actual)
    except NotPlain as err:
        return _refused(call, err)
    kind = np.asarray(actual).dtype.kind
    if kind not in kinds:
        return record(call, f"dtype {np.asarray(actual).dtype}", f"dtype kind in {kinds!r}",
                      ("要素の型が違います", "wrong element type"))
    return True


def max_rel_error(a: Any, b: Any) -> float:
    """max |a - b| / max(|a| + |b|, 1e-12): the gradient-check metric used throughout."""
    a, b = received(a), received(b)
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def expect_grad(analytic: Any, numeric: Any, *, call: str, tol: float = 1e-6) -> bool:
    """A gradient check: max relative error between the learner's and a numerical gradient."""
    try:
        analytic = received(analytic)
    except NotPlain as err:
        return _refused(call, err)
    a = _as_float_array(analytic)
    if a is None or a.shape != np.shape(numeric):
        return record(call, analytic, numeric, ("勾配の形か型が違います", "the gradient has the wrong shape or type"),
                      explain(analytic, numeric) if a is not None else None)
    err = max_rel_error(a, numeric)
    if not err <= tol:
        return record(call, analytic, numeric, (f"相対誤差の最大値 {err:.2e} > {tol:.0e}",
                                                       f"max relative error {err:.2e} > {tol:.0e}"),
                      explain(analytic, numeric, rtol=tol, atol=1e-8))
    return True


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """The tests' own central-difference gradient of f() with respect to x, in place.

    Trusted code, independent of the learner's chapter-4 kata.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = f()
        x[i] = old - h
        fm = f()
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


def portable(obj):
    """Mark a module-level helper of a test module the assignment ships (a function, or a
    class whose instances the tests only pass to the learner's code) as code that may run
    beside the learner's code.

    In `make test` it changes nothing. Under the grading sandbox it saves one crossing per
    use: the worker imports the helper from its copy of the released tests, so a function
    runs there, and an instance crosses by value: its attributes go over as data, its
    methods run in the worker, and the attributes the call left come back (arrays changed
    in place, as always). So nothing a test judges may be computed there: judge the
    attributes that came back with the class's code on this side (TinyNet.accuracy_of), never
    a value the learner's code handed over after asking the helper. Class by class, not
    inherited: a subclass is portable only if marked too.
    """
    obj.__dlkata_portable__ = True
    return obj


def rng(seed: int = 0) -> np.random.Generator:
    """A fixed-seed generator: every test draws from its own, so order never matters."""
    return np.random.default_rng(seed)


def sgd(net: Any, x: np.ndarray, t: np.ndarray, iters: int, lr: float) -> None:
    """Full-batch SGD on a net with params and gradient(x, t): iters steps of the trusted
    update p -= lr·g, in place.

    Through the sandbox's proxy the same loop runs in the grading worker, where the net
    lives: one crossing instead of one per step. The student's gradient decides every step
    either way; what a test judges (predictions, accuracies) it computes itself.
    """
    remote = getattr(type(net), "_rs_op", None)  # a sandbox proxy: loop in the worker
    if remote is not None:
        remote(net, "sgd", x, t, int(iters), float(lr))
        return
    for _ in range(iters):
        grads = net.gradient(x, t)
        for key in net.params:
            net.params[key] -= lr * grads[key]


def train(net: Any, x: np.ndarray, t: np.ndarray, batches: list[np.ndarray], optimizer: type,
          **kwargs: Any) -> None:
    """Mini-batch training: for each index array b of batches, one step
    opt.update(net.params, net.gradient(x[b], t[b])), opt = optimizer(**kwargs), the
    optimizer being a class of a given chapter (ch06.optimizer.Adam: the reference's).

    Through the sandbox's proxy the loop runs in the grading worker (one crossing), with the
    same class of the same given chapter built there; see sgd for why that is safe.
    """
    remote = getattr(type(net), "_rs_op", None)  # a sandbox proxy: loop in the worker
    if remote is not None:
        name = f"{optimizer.__module__}.{optimizer.__qualname__}"
        remote(net, "train", x, t, [np.asarray(b) for b in batches], name, dict(kwargs))
        return
    opt = optimizer(**kwargs)
    for b in batches:
        opt.update(net.params, net.gradient(x[b], t[b]))


def python_lines(fn: Callable, *args: Any, **kwargs: Any) -> int:
    """How many Python lines of fn's own file run during fn(*args): a loop per image or per
    output position shows up as hundreds of lines, a vectorised version as a few dozen.

    Works on the learner's code in this process (make test) and, through the sandbox's
    proxy, inside the grading worker, where the student's code can forge the figure: use it
    with advise(), never to decide a verdict.
    """
    remote = getattr(type(fn), "_rs_op", None)  # a sandbox proxy: count in the worker
    if remote is not None:
        n = remote(fn, "lines", list(args), dict(kwargs))
        if type(n) is not int or n < 0:
            raise TypeError(say("ワーカーが行数を数えませんでした", "the worker did not count lines"))
        return n
    target = fn.__code__.co_filename
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename == target else None

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        fn(*args, **kwargs)
    finally:
        sys.settrace(old)
    return count
