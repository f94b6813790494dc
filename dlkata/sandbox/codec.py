"""Values on the channel: what the tests send is encoded here and what the worker sends is decoded strictly."""
from __future__ import annotations

import ast
import collections
import functools
import os
import types

import numpy as np

from dlkata.i18n import say
from dlkata.sandbox import protocol as P
from dlkata.sandbox.proxies import KINDS, Proxy, RemoteModule, RemoteObject, _grader_object_ok, _test_code


def _hashable(k) -> bool:
    try:
        hash(k)
    except TypeError:
        return False
    return True


@functools.lru_cache(maxsize=64)
def _released_names(given: str | None, module: str) -> frozenset:
    """Top-level functions and classes of a released test module in the worker's given folder."""
    if not given or not P.TEST_MODULE.fullmatch(module):
        return frozenset()
    path = os.path.join(given, *module.split(".")) + ".py"
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return frozenset()
    return frozenset(n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)))


class Codec:
    """Session methods that encode arguments and decode replies (plain data, arrays, proxies)."""

    # ------------------------------------------------------------ values

    def _encode(self, v, containers: list | None = None, depth: int = 0, live: bool = False):
        t = type(v)
        if live and (t is dict or t is list or t is collections.OrderedDict):
            return self._grader_ref(v)   # an object's dict or list: the worker changes the real one
        if v is None or t is bool or t is float or t is str or t is int:
            return v
        if isinstance(v, Proxy):
            return {"$r": v._rs_ref()}
        if isinstance(v, np.ndarray):
            if not P.sendable_dtype(v.dtype):
                raise TypeError(f"an array of dtype {v.dtype} cannot be sent to the sandboxed code")
            if v.nbytes > P.MAX_ARRAY:
                raise TypeError("an array too large for the sandboxed code")
            mid = self._mid_of(v)
            if mid is not None:
                return {"$m": mid}
            mid = self._register_own(v)
            return {"$a": [mid, *P.array_payload(v)]}
        if isinstance(v, np.generic):
            if not P.sendable_dtype(v.dtype):
                raise TypeError(f"a numpy {v.dtype} cannot be sent to the sandboxed code")
            return {"$s": P.scalar_payload(v)}
        if isinstance(v, bool):
            return bool(v)
        if isinstance(v, int):
            return int(v)
        if isinstance(v, float):
            return float(v)
        if isinstance(v, str):
            return str(v)
        if isinstance(v, complex):
            return {"$c": [v.real, v.imag]}
        if v is Ellipsis:
            return {"$E": 0}
        if depth > P.MAX_DEPTH:
            raise TypeError("a value nested too deeply for the sandboxed code")
        d = depth + 1
        if isinstance(v, list):
            if containers is not None:
                containers.append(v)
            return [self._encode(x, containers, d) for x in v]
        if isinstance(v, tuple):
            return {"$t": [self._encode(x, containers, d) for x in v]}
        if isinstance(v, dict):
            if containers is not None:
                containers.append(v)
            tag = "$od" if isinstance(v, collections.OrderedDict) else "$d"
            return {tag: [[self._encode(k, None, d), self._encode(x, containers, d)] for k, x in v.items()]}
        if isinstance(v, frozenset):
            return {"$fset": [self._encode(x, None, d) for x in v]}
        if isinstance(v, set):
            return {"$set": [self._encode(x, None, d) for x in v]}
        if isinstance(v, slice):
            return {"$sl": [self._encode(v.start, None, d), self._encode(v.stop, None, d),
                            self._encode(v.step, None, d)]}
        if isinstance(v, os.PathLike):
            host = os.fspath(v)
            if not isinstance(host, str):
                raise TypeError("a bytes path cannot be sent to the sandboxed code")
            fid = self.fid_of.get(host)
            if fid is None:
                fid = self.fid_of[host] = len(self.files) + 1
                self.files[fid] = [host, None]     # its contents go with this message if it exists
            return {"$p": [fid, os.path.basename(host)[:100]]}
        if isinstance(v, (range, type({}.keys()), type({}.values()), type({}.items()))):
            return [self._encode(x, None, d) for x in v]
        portable = self._portable(v, containers is not None)
        if portable is not None:
            if isinstance(v, types.FunctionType):
                return {"$pf": portable}
            return {"$po": [*portable, self._encode(vars(v), containers, d)]}
        if P.generator_mirrorable(v):
            return {"$rg": self._generator_id(v)}
        if _grader_object_ok(v):
            return self._grader_ref(v)
        if callable(v):
            cid = self.cid_of.get(id(v))
            if cid is None or self.callbacks.get(cid) is not v:
                cid = self.next_cid
                self.next_cid += 1
                self.callbacks[cid] = v
                self.cid_of[id(v)] = cid
            return {"$cb": cid}
        raise TypeError(f"a {type(v).__name__} cannot be sent to the sandboxed code: "
                        "send plain data (numbers, strings, numpy arrays, lists, tuples, dicts) or functions")

    def _portable(self, v, by_value: bool) -> list | None:
        """[module, name] of a helper marked with testing.portable that the worker has in its copy
        of the released tests; an instance only where it can come back (call arguments)."""
        if isinstance(v, types.FunctionType):
            marked = v.__dict__.get("__dlkata_portable__") is True
            module, name = v.__module__, v.__qualname__
        elif by_value and not isinstance(v, type) and "__dlkata_portable__" in type(v).__dict__ \
                and isinstance(getattr(v, "__dict__", None), dict):
            marked, module, name = True, type(v).__module__, type(v).__qualname__
        else:
            return None
        if not marked or not _test_code(v if isinstance(v, types.FunctionType) else type(v)):
            return None
        return [module, name] if name in _released_names(self.spec.given, module) else None

    def _grader_ref(self, v) -> dict:
        gid = self.gid_of.get(id(v))
        if gid is None or self.gobjs.get(gid) is not v:
            gid = self.next_gid
            self.next_gid += 1
            self.gobjs[gid] = v
            self.gid_of[id(v)] = gid
        return {"$g": gid}

    def _decode(self, v, depth: int = 0, containers: list | None = None):
        """Untrusted data from the worker into fresh plain values and proxies; anything else is a violation."""
        t = type(v)
        if v is None or t is bool or t is int or t is float or t is str:
            return v
        if depth > P.MAX_DEPTH + 2:
            self.fail("protocol", say("値の入れ子が深すぎます", "a value nested too deeply"))
        d = depth + 1
        if t is list:
            out_l: list = []
            if containers is not None:
                containers.append(out_l)
            out_l.extend(self._decode(x, d, containers) for x in v)
            return out_l
        if t is not dict or len(v) != 1:
            self.fail("protocol", say("値の形式が不正です", "a malformed value"))
        (tag, p), = v.items()
        try:
            if tag == "$a":
                if not (type(p) is list and len(p) == 4 and type(p[0]) is int):
                    raise P.ProtocolError(say("配列が不正です", "bad array"))
                mid = p[0]
                if mid >= self.next_mid:
                    raise P.ProtocolError(say("まだ割り当てていない配列 ID です", "an array id never given"))
                arr = P.array_from_payload(p[1], p[2], p[3])
                known = self._twin(mid)
                if known is not None:
                    return known   # its contents arrived with the sync
                if mid in self.rel_m:
                    self.rel_m.remove(mid)   # let go of here meanwhile: a twin again
                if mid > 0:
                    self.mirrors[mid] = [arr, P.snapshot(arr), None]
                    self.mirror_of[id(arr)] = mid
                    return arr
                return self._adopt(mid, arr)
            if tag == "$m":
                arr = self._twin(p) if type(p) is int else None
                if arr is None:
                    raise P.ProtocolError(say("不明な配列です", "unknown array"))
                return arr
            if tag == "$s":
                return P.scalar_from_payload(p)
            if tag == "$t":
                if type(p) is not list:
                    raise P.ProtocolError(say("タプルが不正です", "bad tuple"))
                return tuple(self._decode(x, d, containers) for x in p)
            if tag in ("$d", "$od"):
                if type(p) is not list:
                    raise P.ProtocolError(say("辞書が不正です", "bad dict"))
                out = {} if tag == "$d" else collections.OrderedDict()
                if containers is not None:
                    containers.append(out)
                for item in p:
                    if type(item) is not list or len(item) != 2:
                        raise P.ProtocolError(say("辞書の項目が不正です", "bad dict item"))
                    k = self._decode(item[0], d)
                    if not _hashable(k):
                        raise P.ProtocolError(say("ハッシュできないキーです", "unhashable key"))
                    out[k] = self._decode(item[1], d, containers)
                return out
            if tag == "$rg":
                if type(p) is not int or p not in self.rgs:
                    raise P.ProtocolError(say("不明な乱数生成器です", "unknown generator"))
                return self.rgs[p][0]
            if tag == "$g":
                if type(p) is not int or p not in self.gobjs:
                    raise P.ProtocolError(say("不明な採点側のオブジェクトです", "unknown grader object"))
                return self.gobjs[p]
            if tag in ("$set", "$fset"):
                if type(p) is not list:
                    raise P.ProtocolError(say("集合が不正です", "bad set"))
                items = [self._decode(x, d) for x in p]
                if not all(_hashable(x) for x in items):
                    raise P.ProtocolError(say("集合にハッシュできない要素があります", "unhashable set item"))
                return set(items) if tag == "$set" else frozenset(items)
            if tag == "$c":
                if not (type(p) is list and len(p) == 2 and all(type(x) in (int, float) for x in p)):
                    raise P.ProtocolError(say("複素数が不正です", "bad complex"))
                return complex(p[0], p[1])
            if tag == "$sl":
                if not (type(p) is list and len(p) == 3):
                    raise P.ProtocolError(say("スライスが不正です", "bad slice"))
                parts = [self._decode(x, d) for x in p]
                if not all(x is None or type(x) is int for x in parts):
                    raise P.ProtocolError(say("スライスが不正です", "bad slice"))
                return slice(*parts)
            if tag == "$E":
                return Ellipsis
            if tag == "$cb":
                if type(p) is not int or p not in self.callbacks:
                    raise P.ProtocolError(say("不明な採点側の関数です", "unknown grader function"))
                return self.callbacks[p]
            if tag == "$h":
                if not (type(p) is list and len(p) in (4, 5) and type(p[0]) is int and p[1] in KINDS
                        and type(p[2]) is str and (p[3] is None or type(p[3]) is str)):
                    raise P.ProtocolError(say("ハンドルが不正です", "bad handle"))
                methods = p[4] if len(p) == 5 else []
                if not (p[1] == "object" or not methods) or not (
                        type(methods) is list and len(methods) <= 64
                        and all(type(m) is str and len(m) <= 60 and m.isidentifier() and m[0] != "_"
                                for m in methods)):
                    raise P.ProtocolError(say("ハンドルが不正です", "bad handle"))
                return self.proxy(p[0], p[1], p[2][:80], (p[3] or "")[:120] or None, methods=methods)
        except P.ProtocolError as e:
            self.fail("protocol", say(f"ワーカーが手順を破りました ({e})", f"the worker broke the protocol ({e})"))
        except (TypeError, ValueError, RecursionError):
            self.fail("protocol", say("値の形式が不正です", "a malformed value"))
        except MemoryError:
            self.fail("memory", say("ワーカーからの値が採点側のメモリ上限に収まりません",
                                    "a value from the worker does not fit in the grader's memory bound"))
        self.fail("protocol", say(f"未知の値のタグ {str(tag)[:20]!r}", f"an unknown value tag {str(tag)[:20]!r}"))

    def proxy(self, hid: int, kind: str, tname: str, name: str | None, path: tuple | None = None,
              methods: list | None = None) -> "Proxy":
        p = self.proxies.get(hid)
        if p is not None:
            return p
        if hid in self.rel_h:
            self.rel_h.remove(hid)
        cls = KINDS[kind]
        if cls is RemoteModule:
            cls = RemoteObject  # modules come only through imports; a module value is an object here
        p = cls._rs_new(self, self.gen, hid, tname, name, path)
        if methods and cls is RemoteObject:
            object.__setattr__(p, "_rs_methods", frozenset(methods))
        self.proxies[hid] = p
        return p

    def release_handle(self, gen: int, hid: int) -> None:
        if gen == self.gen and self.conn is not None and hid not in self.named_hids:
            self.rel_h.append(hid)

