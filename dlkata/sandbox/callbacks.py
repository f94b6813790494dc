"""The worker calls back: functions and objects the tests handed to the student's code run here, on the trusted side."""
from __future__ import annotations

import inspect
import signal
import time
from contextlib import contextmanager
from math import prod

import numpy as np

from dlkata.i18n import say
from dlkata.sandbox import protocol as P
from dlkata.sandbox.errors import RemoteError, SandboxFailure
from dlkata.sandbox.proxies import _grader_object_ok, _test_code

RANDOM_TYPES = (np.random.Generator, np.random.RandomState, np.random.BitGenerator)
MAX_DRAWN = P.MAX_ARRAY // 8      # numbers one call may ask of the tests' random generators
SIZE_ARGS = ("size", "length", "shape")


def _count(v) -> int | None:
    """How many elements a size argument asks for (None: not a size)."""
    if type(v) is int or isinstance(v, np.integer):
        return int(v)
    if type(v) in (tuple, list) and all(type(x) is int or isinstance(x, np.integer) for x in v):
        return prod(max(int(x), 0) for x in v)
    return None


def drawn(fn, args: list, kwargs: dict) -> int:
    """The number of values a call of a random generator's method would make (0 if unknown)."""
    owner = getattr(fn, "__self__", None)
    if not isinstance(owner, RANDOM_TYPES):
        return 0
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return 0
    n = 0
    for name, v in bound.arguments.items():
        c = _count(v) if name in SIZE_ARGS or name == "x" else None
        if c is None and name == "args" and type(v) is tuple:   # RandomState.rand(d0, d1, ...)
            c = _count(v)
        n = max(n, c or 0)
    return n


class _PastDeadline(BaseException):
    """The kata's wall clock ran out while trusted code ran for the worker (never caught by a
    test's `except Exception`)."""


def _alarm(signum, frame):
    raise _PastDeadline()


class Callbacks:
    """Session methods that serve the worker's calls into the tests' functions and objects."""

    @contextmanager
    def _clock(self):
        """Trusted code the worker asked for runs within the kata's wall clock too (SIGALRM)."""
        if self.depth > 1 or not hasattr(signal, "setitimer"):
            yield
            return
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _PastDeadline()
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, left)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)

    def _serve_callback(self, msg: dict) -> None:
        """The worker calls a function the tests gave it, or uses one of their objects."""
        self.depth += 1
        try:
            if self.depth > 40:
                self.fail("protocol", say("コールバックの入れ子が深すぎます", "callbacks nested too deeply"))
            self._receive(msg)
            containers: list = []
            args = self._decode(msg.get("args"), containers=containers)
            kwargs = self._decode(msg.get("kw"), containers=containers)
            if not isinstance(args, list) or not isinstance(kwargs, dict) \
                    or not all(isinstance(k, str) for k in kwargs):
                self.fail("protocol", say("コールバックの引数が不正です", "bad callback arguments"))
            try:
                if msg.get("op") == "cb":
                    fn = self.callbacks.get(msg.get("cb")) if type(msg.get("cb")) is int else None
                    if fn is None:
                        self.fail("protocol", say("ワーカーが、渡されていないものをコールバックしました",
                                                  "the worker called back something it was never given"))
                    asked = drawn(fn, args, kwargs)
                    if asked > MAX_DRAWN:
                        self.fail("memory", say(f"テストの乱数生成器に {asked} 個の数を求めました (1 回の呼び出しで {MAX_DRAWN} 個まで)",
                                                f"asked a random generator of the tests for {asked} numbers "
                                                f"(at most {MAX_DRAWN} in one call)"))
                    with self._clock():
                        reply = {"ok": self._encode(fn(*args, **kwargs))}
                else:
                    with self._clock():
                        reply = {"ok": self._grader_op(msg, args, kwargs)}
            except SandboxFailure:
                raise
            except _PastDeadline:
                self.fail("timeout", say(f"{self.wall:g} 秒を超えました (テストの関数かオブジェクトの呼び出し中)",
                                         f"took longer than {self.wall:g} s (in a call into the tests' "
                                         "functions or objects)"))
            except MemoryError:
                self.fail("memory", say("テストのオブジェクトの呼び出しが採点側のメモリを使い切りました",
                                        "a call into the tests' objects ran out of the grader's memory"))
            except Exception as e:  # noqa: BLE001 - goes back to the student's code as an error
                text = str(e)[:500] if isinstance(e, (RemoteError, AttributeError, KeyError, IndexError)) else ""
                reply = {"err": {"type": type(e).__name__[:100], "msg": text}}
            if containers:
                try:
                    reply["wb"] = [self._encode(c) for c in containers]
                except TypeError as e:
                    reply = {"err": {"type": "TypeError", "msg": str(e)[:300]}}
            self._send(reply)
        finally:
            self.depth -= 1

    def _grader_op(self, msg: dict, args: list, kwargs: dict):
        """An operation of the student's code on an object of the tests (public names only)."""
        obj = self.gobjs.get(msg.get("g")) if type(msg.get("g")) is int else None
        if obj is None:
            self.fail("protocol", say("ワーカーが、渡されていないオブジェクトを使いました",
                                      "the worker used an object it was never given"))
        name = msg.get("name")
        if name in ("getattr", "setattr"):
            if not (args and isinstance(args[0], str) and args[0].isidentifier()):
                self.fail("protocol", say("属性名が不正です", "bad attribute name"))
            attr = args[0]
            if attr.startswith("_"):
                raise AttributeError(f"{attr}: private names of the tests' objects are not reachable")
            if name == "setattr":
                if len(args) != 2 or isinstance(obj, (dict, list)):
                    raise AttributeError(attr)
                setattr(obj, attr, args[1])
                return None
            value = getattr(obj, attr)
            if callable(value) and not _grader_object_ok(value):
                if getattr(value, "__self__", None) is obj or _test_code(value):
                    return self._encode(value)   # a method of this object: called back
                raise AttributeError(f"{attr} of the tests' object is not reachable from the sandbox")
            return self._encode(value, live=True)
        if name == "getitem" and len(args) == 1:
            return self._encode(obj[args[0]], live=True)
        if name == "setitem" and len(args) == 2:
            obj[args[0]] = args[1]
            return None
        if name == "delitem" and len(args) == 1:
            del obj[args[0]]
            return None
        if name == "len" and not args:
            return len(obj)
        if name == "contains" and len(args) == 1:
            return args[0] in obj
        if name == "iter" and not args:
            return self._encode(list(obj))
        if name == "call" and callable(obj):
            return self._encode(obj(*args, **kwargs))
        raise TypeError(f"{name} is not supported on the tests' objects")

