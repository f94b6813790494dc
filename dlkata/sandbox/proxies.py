"""The proxies tests see in place of the student's modules, functions, classes and objects, and the import hook that makes them.

`import ch05.layers` in a grading run gives a RemoteModule: its functions and classes
are proxies, calling them runs the student's code in the worker, and what comes back
is plain data (numbers, strings, numpy arrays of numeric dtype, lists, tuples, dicts)
or another proxy. A proxy never forwards ==, hash, bool or repr: a student's object
cannot claim to equal anything on this side.
"""
from __future__ import annotations

import re
import sys
import types
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from dlkata import testing
from dlkata.i18n import say
from dlkata.sandbox.errors import SandboxFailure

if TYPE_CHECKING:
    from dlkata.sandbox.session import Session


# Student objects are never asked for these: pytest and inspect probe them.
BLOCKED = re.compile(r"^(__.*__|_pytest.*|pytestmark|_fixture.*)$")
CHAPTER_MODULE = re.compile(r"^ch\d\d(\.|$)")
GRADED: set[str] = set()     # chapters whose code is the student's (set by install())


def _test_code(fn) -> bool:
    """Code of the grader: written in tests/, or a chapter given from the reference
    (not the one being graded), as opposed to a library's or the student's."""
    mod = getattr(fn, "__module__", None) or ""
    if mod == "tests" or mod.startswith("tests."):
        return True
    return bool(CHAPTER_MODULE.match(mod)) and mod.split(".")[0] not in GRADED


def _grader_object_ok(v) -> bool:
    """Objects the tests may hand to the student's code to be driven by method calls:
    instances of classes written in tests/ or in the given reference chapters (a trained
    SimpleConvNet for chapter 8), and numpy's random generators."""
    if isinstance(v, (np.random.Generator, np.random.RandomState, np.random.BitGenerator)):
        return True
    t = type(v)
    return not isinstance(v, type) and _test_code(t) and not callable(getattr(t, "__get__", None))


# ====================================================================== proxies

def _blocked(name: str) -> str:
    if name in ("__code__", "__globals__", "__closure__", "__defaults__", "__wrapped__", "__func__"):
        return (f"{name}: a test looks inside the learner's code, which runs in the sandbox's worker "
                "(use dlkata.testing.python_lines, or see docs/grading.md)")
    return name


class RemoteNamespace(Mapping):
    """`obj.__dict__` of an object of the sandboxed code: its own attributes, read from the worker.

    monkeypatch (pytest 9) reads the old value from `target.__dict__` to restore it."""

    def __init__(self, proxy):
        self._p = proxy

    def __getitem__(self, name):
        if not isinstance(name, str):
            raise KeyError(name)
        try:
            return self._p._rs_op("dictget", name)
        except KeyError:
            raise KeyError(name) from None

    def __iter__(self):
        return iter(self._p._rs_op("dictkeys"))

    def __len__(self):
        return len(self._p._rs_op("dictkeys"))


class Proxy:
    """Common machinery: a handle in one generation of workers, re-resolved by path in the next."""
    __slots__ = ("_rs_session", "_rs_gen", "_rs_hid", "_rs_type", "_rs_name", "_rs_path", "__weakref__")

    @property
    def __dict__(self):
        return RemoteNamespace(self)

    @classmethod
    def _rs_new(cls, session, gen, hid, tname, name, path):
        p = object.__new__(cls)
        for k, v in (("_rs_session", session), ("_rs_gen", gen), ("_rs_hid", hid), ("_rs_type", tname),
                     ("_rs_name", name), ("_rs_path", path)):
            object.__setattr__(p, k, v)
        return p

    def _rs_ref(self) -> int:
        s = self._rs_session
        s.ensure()
        if self._rs_gen != s.gen:
            if self._rs_path is None:
                raise SandboxFailure("stale", say("前のワーカーが作ったオブジェクトです (失敗のあとのカタは新しいワーカーで動きます: "
                                                  "オブジェクトはモジュールの最上位ではなくテストの中で作りましょう)",
                                                  "an object made by an earlier worker (a kata after a failure gets a "
                                                  "fresh worker: create objects inside the test, not at module level)"))
            hid = s.resolve(self._rs_path[0], self._rs_path[1:])
            object.__setattr__(self, "_rs_gen", s.gen)
            object.__setattr__(self, "_rs_hid", hid)
            s.proxies.setdefault(hid, self)
        return self._rs_hid

    def _rs_child_path(self, name: str):
        return None if self._rs_path is None else (*self._rs_path, name)

    def __getattr__(self, name):
        if name.startswith("_rs_") or BLOCKED.match(name):
            raise AttributeError(_blocked(name))
        s = self._rs_session
        v = s.rpc("getattr", lambda _c: {"obj": {"$r": self._rs_ref()}, "name": name})
        if self._rs_path is not None and isinstance(v, (RemoteFunction, RemoteClass)) and v._rs_path is None:
            object.__setattr__(v, "_rs_path", self._rs_child_path(name))
            s.named_hids.add(v._rs_hid)
        return v

    def __setattr__(self, name, value):
        if name.startswith("_rs_") or BLOCKED.match(name):
            object.__setattr__(self, name, value)
            return
        s = self._rs_session
        s.rpc("setattr", lambda c: {"obj": {"$r": self._rs_ref()}, "name": name, "value": s._encode(value)})

    def __delattr__(self, name):
        s = self._rs_session
        s.rpc("delattr", lambda _c: {"obj": {"$r": self._rs_ref()}, "name": name})

    def _rs_op(self, op: str, *args):
        s = self._rs_session
        return s.rpc("op", lambda c: {"name": op, "args": s._encode([self, *args], c)})

    def __del__(self):
        try:
            if self._rs_path is None:
                self._rs_session.release_handle(self._rs_gen, self._rs_hid)
        except Exception:  # noqa: BLE001
            pass

    def __reduce_ex__(self, protocol):
        raise TypeError("objects of the sandboxed code cannot be pickled")

    def __copy__(self):
        return self._rs_op("copy")

    def __deepcopy__(self, memo):
        return self._rs_op("deepcopy")

    __hash__ = object.__hash__

    def __eq__(self, other):  # identity only: never the student's __eq__
        return self is other

    def __ne__(self, other):
        return self is not other


class RemoteObject(Proxy):
    """An instance living in the worker (a layer, a network...)."""
    # Its methods as the worker named them, and the RemoteMethods handed out: see RemoteMethod.
    __slots__ = ("_rs_methods", "_rs_lazies")

    def __getattr__(self, name):
        if name in self._rs_slot("_rs_methods", ()) and self._rs_path is None:
            m = RemoteMethod._rs_bound(self, name)
            lazies = self._rs_slot("_rs_lazies", None)
            if lazies is None:
                lazies = []
                object.__setattr__(self, "_rs_lazies", lazies)
            lazies.append(weakref.ref(m))
            return m
        return Proxy.__getattr__(self, name)

    def _rs_slot(self, name, default):
        try:
            return object.__getattribute__(self, name)
        except AttributeError:
            return default

    def _rs_settle(self, name: str) -> None:
        """Before the tests set or delete obj.name: every obj.name they already hold becomes the
        method it was (`gradient = net.gradient; net.gradient = spy` keeps the real one in
        `gradient`), and later accesses fetch what is there."""
        methods = self._rs_slot("_rs_methods", frozenset())
        if name not in methods:
            return
        for ref in self._rs_slot("_rs_lazies", None) or ():
            m = ref()
            if m is not None and m._rs_attr == name:
                m._rs_ref()
        object.__setattr__(self, "_rs_methods", methods - {name})

    def __setattr__(self, name, value):
        if not (name.startswith("_rs_") or BLOCKED.match(name)):
            self._rs_settle(name)
        Proxy.__setattr__(self, name, value)

    def __delattr__(self, name):
        self._rs_settle(name)
        Proxy.__delattr__(self, name)

    def __repr__(self):
        return f"<{self._rs_type} object of the sandboxed code>"

    __str__ = __repr__

    def __bool__(self):
        raise TypeError(f"a {self._rs_type} object of the sandboxed code has no truth value here: "
                        "return plain data (a bool, a number, an array)")

    def __len__(self):
        n = self._rs_op("len")
        if type(n) is not int or n < 0:
            raise TypeError("len() gave no size")
        return n

    def __getitem__(self, key):
        return self._rs_op("getitem", key)

    def __setitem__(self, key, value):
        self._rs_op("setitem", key, value)

    def __delitem__(self, key):
        self._rs_op("delitem", key)

    def __contains__(self, key):
        v = self._rs_op("contains", key)
        if type(v) is not bool:
            raise TypeError("'in' gave no bool")
        return v

    def __iter__(self):
        it = self._rs_op("iter")
        if not isinstance(it, Proxy):
            return iter(it)
        return RemoteIterator(it)

    def __call__(self, *args, **kwargs):
        return _call(self, args, kwargs)


    # numpy never reads a student's object item by item or through its own methods: any numpy
    # conversion or function on the trusted side gets the object once, as data, or a TypeError.
    def _rs_plain(self):
        """This object as plain data, sent once by the worker (see testing.received)."""
        try:
            return self._rs_op("plain")
        except TypeError as e:
            raise testing.NotPlain(_type_named(e) or self._rs_type) from None

    def __array__(self, dtype=None, copy=None):
        return np.asarray(testing.received(self), dtype=dtype)

    def __array_function__(self, func, types, args, kwargs):
        return func(*_materialised(args), **_materialised(kwargs))

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return getattr(ufunc, method)(*_materialised(inputs), **_materialised(kwargs))


def _type_named(e: Exception) -> str | None:
    """The type named by the worker's refusal ("a Fake"), if it is one."""
    m = re.fullmatch(r"a ([A-Za-z_][\w .'-]{0,79})", str(e))
    return m.group(1) if m else None


def _materialised(v, depth: int = 0):
    """Arguments of a numpy function with every object of the student's code fetched as data."""
    if isinstance(v, RemoteObject):
        return testing.received(v)
    if depth < 8 and type(v) in (list, tuple):
        return type(v)(_materialised(x, depth + 1) for x in v)
    if depth < 8 and type(v) is dict:
        return {k: _materialised(x, depth + 1) for k, x in v.items()}
    return v


class RemoteIterator:
    def __init__(self, proxy: Proxy):
        self.proxy = proxy

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return self.proxy._rs_op("next")
        except StopIteration:
            raise StopIteration from None


def _call(fn: Proxy, args: tuple, kwargs: dict):
    s = fn._rs_session

    def build(c):
        ref = fn._rs_ref()
        return {"fn": {"$r": ref}, "args": s._encode(list(args), c), "kw": s._encode(dict(kwargs), c)}
    return s.rpc("call", build)


class RemoteFunction(Proxy):
    """A function (or bound method, or any callable that is not a class) of the student's code."""
    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return _call(self, args, kwargs)

    @property
    def __name__(self):
        return (self._rs_name or "?").rsplit(".", 1)[-1]

    def __repr__(self):
        return f"<function {self._rs_name} of the sandboxed code>"

    __str__ = __repr__


class RemoteMethod(RemoteFunction):
    """obj.name for a method of a student's object: obj.name(...) is one crossing (the worker
    looks the name up and calls it), not two (fetch the bound method, then call it). Used any
    other way (passed to a function, restored by monkeypatch), it becomes the bound method the
    access would have given (worker op "method")."""
    __slots__ = ("_rs_obj", "_rs_attr", "_rs_target")

    @classmethod
    def _rs_bound(cls, obj: RemoteObject, name: str) -> "RemoteMethod":
        m = cls._rs_new(obj._rs_session, obj._rs_gen, None, "method", f"{obj._rs_type}.{name}", None)
        for k, v in (("_rs_obj", obj), ("_rs_attr", name), ("_rs_target", None)):
            object.__setattr__(m, k, v)
        return m

    def _rs_ref(self) -> int:
        if self._rs_target is None:
            target = self._rs_obj._rs_op("method", self._rs_attr)
            if not isinstance(target, Proxy):
                raise SandboxFailure("protocol", say(f"{self._rs_name} はもうメソッドではありません",
                                                     f"{self._rs_name} is no longer a method"))
            object.__setattr__(self, "_rs_target", target)
        return self._rs_target._rs_ref()

    def __call__(self, *args, **kwargs):
        if self._rs_target is not None:
            return _call(self._rs_target, args, kwargs)
        obj, s = self._rs_obj, self._rs_session

        def build(c):
            return {"obj": {"$r": obj._rs_ref()}, "name": self._rs_attr,
                    "args": s._encode(list(args), c), "kw": s._encode(dict(kwargs), c)}
        return s.rpc("callattr", build)

    def __del__(self):
        pass   # holds no handle of its own (its target does)


class RemoteClass(Proxy):
    """A class of the student's code: calling it makes an instance in the worker."""
    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return _call(self, args, kwargs)

    def __instancecheck__(self, obj):
        if not isinstance(obj, Proxy):
            return False
        return self._rs_session.rpc("op", lambda c: {"name": "isinstance",
                                                     "args": [{"$r": obj._rs_ref()}, {"$r": self._rs_ref()}]}) is True

    def __subclasscheck__(self, cls):
        if not isinstance(cls, Proxy):
            return False
        return self._rs_session.rpc("op", lambda c: {"name": "issubclass",
                                                     "args": [{"$r": cls._rs_ref()}, {"$r": self._rs_ref()}]}) is True

    @property
    def __name__(self):
        return (self._rs_name or "?").rsplit(".", 1)[-1]

    def __repr__(self):
        return f"<class {self._rs_name} of the sandboxed code>"

    __str__ = __repr__


class RemoteModule(types.ModuleType):
    """A module of the student's chapter; attributes are fetched from the worker."""

    def __init__(self, name: str, session: Session):
        super().__init__(name)
        for k, v in (("_rs_session", session), ("_rs_gen", -1), ("_rs_hid", None), ("_rs_path", (name,))):
            object.__setattr__(self, k, v)

    def _rs_ref(self) -> int:
        s = self._rs_session
        s.ensure()
        if self._rs_gen != s.gen:
            hid = s.import_module(self.__name__)
            object.__setattr__(self, "_rs_gen", s.gen)
            object.__setattr__(self, "_rs_hid", hid)
        return self._rs_hid

    def __getattr__(self, name):
        if name.startswith("_rs_") or BLOCKED.match(name):
            raise AttributeError(_blocked(name))
        s = self._rs_session
        v = s.rpc("getattr", lambda _c: {"obj": {"$r": self._rs_ref()}, "name": name})
        if isinstance(v, Proxy) and v._rs_path is None and isinstance(v, (RemoteFunction, RemoteClass)):
            object.__setattr__(v, "_rs_path", (self.__name__, name))
            s.named_hids.add(v._rs_hid)
        return v

    def __setattr__(self, name, value):
        if name.startswith("_rs_") or BLOCKED.match(name) or isinstance(value, RemoteModule):
            object.__setattr__(self, name, value)
            return
        s = self._rs_session
        s.rpc("setattr", lambda c: {"obj": {"$r": self._rs_ref()}, "name": name, "value": s._encode(value)})

    def __delattr__(self, name):
        if name.startswith("_rs_") or BLOCKED.match(name) or isinstance(self._rs_local(name), RemoteModule):
            object.__delattr__(self, name)
            return
        s = self._rs_session
        s.rpc("delattr", lambda _c: {"obj": {"$r": self._rs_ref()}, "name": name})

    @property
    def __dict__(self):
        return RemoteNamespace(self)

    def _rs_local(self, name):
        return object.__getattribute__(self, "__class__").__mro__[1].__dict__["__dict__"].__get__(self).get(name)

    def _rs_op(self, op: str, *args):
        s = self._rs_session
        return s.rpc("op", lambda c: {"name": op, "args": [{"$r": self._rs_ref()}, *s._encode(list(args), c)]})

    def __repr__(self):
        return f"<module {self.__name__!r} of the sandboxed code>"


testing.REMOTE_TYPES.add(RemoteObject)

KINDS = {"module": RemoteModule, "class": RemoteClass, "function": RemoteFunction, "object": RemoteObject}


# ====================================================================== imports

class RemoteLoader:
    def __init__(self, session: Session):
        self.session = session

    def create_module(self, spec):
        m = RemoteModule(spec.name, self.session)
        m._rs_ref()  # import it in the worker now: a syntax error is reported at import, as locally
        return m

    def exec_module(self, module):
        pass


class RemoteFinder:
    """Chapters under grading are imported from the worker; every other chapter as usual."""

    def __init__(self, session: Session, chapters: set[str]):
        self.session = session
        self.chapters = chapters
        self.loader = RemoteLoader(session)

    def find_spec(self, fullname, path=None, target=None):
        import importlib.machinery
        if fullname.split(".")[0] not in self.chapters:
            return None
        is_pkg = "." not in fullname
        spec = importlib.machinery.ModuleSpec(fullname, self.loader, is_package=is_pkg)
        if is_pkg:
            spec.submodule_search_locations = []
        return spec

    def invalidate_caches(self):
        pass


def install(session: Session, chapters: set[str]) -> RemoteFinder:
    GRADED.clear()
    GRADED.update(chapters)
    for old in [f for f in sys.meta_path if isinstance(f, RemoteFinder)]:
        sys.meta_path.remove(old)
    finder = RemoteFinder(session, chapters)
    sys.meta_path.insert(0, finder)
    for name in [m for m in sys.modules if m.split(".")[0] in chapters]:
        del sys.modules[name]
    return finder
