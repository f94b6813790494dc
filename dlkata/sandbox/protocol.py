"""The wire between the trusted grader and a sandboxed worker: framed JSON, never pickle.

A frame is a 4-byte big-endian length N and N bytes: a 4-byte length J, J bytes of
ASCII JSON, then the frame's binary data (array contents, random states, files), which
the JSON names as {"$b": [offset, length]} into that data: no base64, so an array
costs a copy, not an encoding (a 4 MB array took 48 ms each way as base64, 8 ms now). Values
are JSON natives (None, bool, int, float, str, list) or one-key tagged objects:

    {"$t": [...]}                 tuple
    {"$d": [[k, v], ...]}         dict            {"$od": ...} OrderedDict
    {"$set": [...]}               set             {"$fset": [...]} frozenset
    {"$c": [re, im]}              complex
    {"$s": [dtype, bin]}          numpy scalar (numeric or bool dtype only)
    {"$a": [mid, dtype, shape, bin]}  a numpy array, new to the receiver (a "mirror", see below)
    {"$m": mid}                   an array the receiver already holds
    {"$sl": [start, stop, step]}  slice           {"$E": 0} Ellipsis
    {"$h": [hid, kind, typename]} an object that stays in the worker (trusted side: a proxy)
    {"$r": hid}                   the worker's own object, sent back by the trusted side
    {"$cb": cid}                  a trusted callable (worker side: a stub that calls back)

Both sides decode with the same strict rules; the trusted side treats whatever arrives
as untrusted data: no other tag, no other dtype, bounded sizes and depth.

This module is imported by the sandboxed worker too: it needs only the standard
library, numpy and dlkata.i18n (standard library only: its errors read in the student's
language on the trusted side).
"""
from __future__ import annotations

import json
import json.decoder
import json.encoder
import json.scanner
import os
import re
import struct
# The worker's own references: a student who rebinds builtins.isinstance or len does
# not change how the worker encodes (the grader's decoding never depends on it anyway).
from builtins import (BaseException, Exception, RecursionError, StopIteration, TypeError,  # noqa: F401,A004
                      ValueError, Warning, bytes, dict, float, int, isinstance, len, list,
                      memoryview, str, tuple, type)

import numpy as np

from dlkata.i18n import say

MAX_FRAME = 64 << 20          # bytes in one frame
MAX_ARRAY = 40 << 20          # bytes of one array
MAX_DEPTH = 60                # nesting of containers
MAX_ITEMS = 1 << 20           # values (list items, containers) in one frame
# dtypes that may cross: bool, integers, floats and complex numbers in either byte order.
DTYPE_KINDS = "biufc"


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed value or message."""


# The worker's own words that can reach a student, by key. The worker's environment (English)
# and builtins are the student's: it sends the key and the values, and the grader says them in
# the student's language (errors.remote_exception).
PHRASES = {
    "no_chapter": ("{top}/ はここでは import できません", "no {top}/ here"),
    "no_module": ("提出物に {name} がありません", "no {name}/ in the submission"),
    "too_large": ("{mb} MB の配列は大きすぎて送り返せません", "an array of {mb} MB is too large to send back"),
    "too_deep": ("値の入れ子が深すぎて送り返せません", "the value is nested too deeply to send"),
    "no_answer": ("ワーカーが答えられませんでした", "the worker could not answer"),
    "earlier_worker": ("前のワーカーのオブジェクトです", "an object of an earlier worker"),
    "unknown_request": ("ワーカーが知らない要求です: {op}", "unknown request {op}"),
    "bad_value": ("ワーカーが受け取った値が不正です", "bad value"),
    "not_test_module": ("テストのモジュールではありません", "not a test module"),
    "unknown_tag": ("ワーカーが知らない値のタグです: {tag}", "unknown tag {tag}"),
}


def phrased(cls: type, key: str, **values) -> BaseException:
    """cls(one of PHRASES, in English), carrying its key and values for the grader."""
    values = {k: str(v)[:200] for k, v in values.items()}
    exc = cls(PHRASES[key][1].format(**values))
    exc.dlkata_phrase = [key, values]
    return exc


# ---------------------------------------------------------------- JSON and binary data
# The C encoder and scanner directly: json.dumps/loads check types with the builtins a
# student may have rebound.

_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_make_scanner = getattr(json.scanner, "c_make_scanner", None) or json.scanner.py_make_scanner
_JSONDecoder = json.decoder.JSONDecoder
_encode_ascii = json.encoder.c_encode_basestring_ascii


class Blob:
    """Binary data after the frame's JSON: what a sender wraps, and what a receiver gets back.
    Only blob_bytes() opens it: where text was expected, str() of one is short, never the
    repr of megabytes the other side sent."""
    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data

    def __repr__(self) -> str:
        return f"<{len(self.data)} bytes>"


# The frame being written or read: one encoder and one scanner serve every frame (building
# them costs more than a small message), and each side encodes and decodes in one thread.
_OUT: list = [[], 0]       # the Blobs' data so far, their length
_IN: list = [b""]          # the binary data of the frame being read


def _blob_ref(o):
    if type(o) is not Blob:
        raise TypeError(f"cannot encode a {type(o).__name__}")
    ref = {"$b": [_OUT[1], len(o.data)]}
    _OUT[0].append(o.data)
    _OUT[1] += len(o.data)
    return ref


def _binary(d: dict):
    if len(d) != 1 or "$b" not in d:
        return d
    ref, data = d["$b"], _IN[0]
    if not (type(ref) is list and len(ref) == 2 and type(ref[0]) is int and type(ref[1]) is int
            and 0 <= ref[0] and 0 <= ref[1] and ref[0] + ref[1] <= len(data)):
        raise ProtocolError(say("フレームが不正です: バイナリの参照が不正です", "malformed frame: bad binary reference"))
    return Blob(bytes(data[ref[0]:ref[0] + ref[1]]))


_ENCODER = None if _c_make_encoder is None else _c_make_encoder(
    None, _blob_ref, _encode_ascii, None, ":", ",", False, False, True)
_SCANNER = _make_scanner(_JSONDecoder(object_hook=_binary))


def dumps(obj) -> bytes:
    """A frame's body: J, the JSON, the binary data of the Blobs in obj."""
    _OUT[0], _OUT[1] = [], 0
    try:
        if _ENCODER is not None:
            text = "".join(_ENCODER(obj, 0))
        else:
            text = json.dumps(obj, separators=(",", ":"), default=_blob_ref)
        head = text.encode("ascii")
        return b"".join([struct.pack(">I", len(head)), head, *_OUT[0]])
    finally:
        _OUT[0] = []


def frame(obj) -> bytes:
    """A whole frame: N, then dumps(obj)."""
    body = dumps(obj)
    return struct.pack(">I", len(body)) + body


def loads(body) -> object:
    """A frame's body back into values, each binary reference as a Blob."""
    body = memoryview(body)
    if len(body) < 4:
        raise ProtocolError(say("フレームが不正です: JSON の長さがありません", "malformed frame: no JSON length"))
    (j,) = struct.unpack(">I", body[:4])
    if j > len(body) - 4:
        raise ProtocolError(say("フレームが不正です: JSON がフレームより長くなっています", "malformed frame: JSON longer than the frame"))
    _IN[0] = body[4 + j:]
    try:
        text = str(body[4:4 + j], "utf-8")
        obj, end = _SCANNER(text, 0)
    except (ValueError, StopIteration, RecursionError) as e:
        raise ProtocolError(say(f"フレームが不正です: {type(e).__name__}",
                                f"malformed frame: {type(e).__name__}")) from None
    finally:
        _IN[0] = b""
    if end != len(text):
        raise ProtocolError(say("フレームが不正です: 末尾に余分なデータがあります", "malformed frame: trailing data"))
    return obj


def blob_bytes(v) -> bytes:
    """The binary data of a received Blob."""
    if type(v) is not Blob:
        raise ProtocolError(say("バイナリデータが不正です", "bad binary data"))
    return v.data


# ---------------------------------------------------------------- framing

def send_frame(fd: int, obj) -> None:
    data = frame(obj)
    if len(data) - 4 > MAX_FRAME:
        raise ProtocolError(say(f"メッセージが {len(data) - 4} バイトあり、上限 {MAX_FRAME} を超えています",
                                f"message of {len(data) - 4} bytes exceeds {MAX_FRAME}"))
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class FrameReader:
    """Incremental reader: feed() bytes as they arrive, pop() whole frames."""

    def __init__(self, limit: int = MAX_FRAME):
        self.buf = bytearray()
        self.limit = limit

    def feed(self, data: bytes) -> None:
        self.buf += data

    def pop(self):
        if len(self.buf) < 4:
            return None
        (n,) = struct.unpack_from(">I", self.buf)
        if n > self.limit:
            raise ProtocolError(say(f"フレームが {n} バイトあり、上限 {self.limit} を超えています",
                                    f"frame of {n} bytes exceeds {self.limit}"))
        if n < 4:
            raise ProtocolError(say("フレームが不正です: JSON の長さがありません", "malformed frame: no JSON length"))
        if len(self.buf) < 4 + n:
            return None
        body = bytes(self.buf[4:4 + n])
        del self.buf[:4 + n]
        # Bound what one frame can make the reader build before it is parsed: an upper bound
        # of the values in its JSON (numbers have no brackets and no commas).
        (j,) = struct.unpack_from(">I", body)
        head = body[4:4 + j]
        if head.count(b",") + head.count(b"[") + head.count(b"{") > MAX_ITEMS:
            raise ProtocolError(say(f"1 つのメッセージの値が {MAX_ITEMS} 個を超えています",
                                    f"more than {MAX_ITEMS} values in one message"))
        return loads(body)


def recv_frame_blocking(fd: int, reader: FrameReader):
    """For the worker: block until a whole frame is there (EOF raises EOFError)."""
    while True:
        msg = reader.pop()
        if msg is not None:
            return msg
        data = os.read(fd, 1 << 20)
        if not data:
            raise EOFError("channel closed")
        reader.feed(data)


# ---------------------------------------------------------------- arrays and scalars

def check_dtype(text) -> np.dtype:
    if not isinstance(text, str) or len(text) > 8:
        raise ProtocolError(say("dtype が不正です", "bad dtype"))
    try:
        dt = np.dtype(text)
    except TypeError:
        raise ProtocolError(say(f"dtype {text!r} が不正です", f"bad dtype {text!r}")) from None
    if dt.kind not in DTYPE_KINDS or dt.fields is not None or dt.subdtype is not None or dt.hasobject:
        raise ProtocolError(say(f"dtype {text!r} は受け渡しできません", f"dtype {text!r} may not cross"))
    return dt


def sendable_dtype(dt: np.dtype) -> bool:
    return dt.kind in DTYPE_KINDS and dt.fields is None and dt.subdtype is None and not dt.hasobject


def array_payload(arr: np.ndarray) -> tuple[str, list[int], Blob]:
    c = np.ascontiguousarray(arr)
    return c.dtype.str, list(c.shape), Blob(c.tobytes())


def array_from_payload(dtype, shape, data) -> np.ndarray:
    dt = check_dtype(dtype)
    if (not isinstance(shape, list) or len(shape) > 32
            or not all(type(n) is int and 0 <= n for n in shape)):
        raise ProtocolError(say("形状が不正です", "bad shape"))
    raw = blob_bytes(data)
    count = 1
    for n in shape:
        count *= n
    if count * dt.itemsize != len(raw):
        raise ProtocolError(say("配列のデータが形状と合いません", "array data does not match its shape"))
    return np.frombuffer(raw, dtype=dt).reshape(shape).copy()


def scalar_payload(value: np.generic) -> list:
    return [value.dtype.str, Blob(value.tobytes())]


def scalar_from_payload(p) -> np.generic:
    if not isinstance(p, list) or len(p) != 2:
        raise ProtocolError(say("スカラーが不正です", "bad scalar"))
    return array_from_payload(p[0], [], p[1])[()]


def snapshot(arr: np.ndarray) -> bytes:
    """What a mirror looked like when last synchronised (dtype and shape never change)."""
    return arr.tobytes()


# ---------------------------------------------------------------- errors

def error_payload(exc: BaseException, tb: str = "", limit: int = 2000) -> dict:
    try:
        msg = str(exc)
    except Exception:  # noqa: BLE001 - a student's __str__ may raise
        msg = "<unprintable message>"
    return {"type": type(exc).__name__[:100], "msg": msg[:limit], "tb": tb[-limit:]}


# ---------------------------------------------------------------- state shared as if in one process

_RNG_BYTES = 624 * 4
_RNG_TAIL = struct.Struct("<iid")


class RngWatch:
    """np.random's global (legacy) generator state, which tests seed for the learner's code.

    get_state() costs ~80 µs, too much for every message: the Mersenne Twister's key and
    position are read from its C struct (~1 µs) and the full state is taken only when they
    changed. (A Gaussian served from the legacy cache alone changes only has_gauss: that
    one change is not seen until the next draw.)"""

    def __init__(self):
        self.addr = None
        try:
            import ctypes
            self._string_at = ctypes.string_at
            self.addr = np.random.mtrand._rand._bit_generator.ctypes.state_address
        except Exception:  # noqa: BLE001 - no ctypes: always the full state
            self.addr = None
        self.mark = None
        self.raw = None

    def changed_since(self, raw_known: bytes | None) -> bytes | None:
        """The full state if it may differ from raw_known, else None."""
        if self.addr is not None:
            mark = self._string_at(self.addr, _RNG_BYTES + 4)
            if raw_known is not None and mark == raw_known[:_RNG_BYTES + 4]:
                return None
        raw = rng_raw()
        return None if raw == raw_known else raw


def rng_raw() -> bytes:
    _, keys, pos, has_gauss, gauss = np.random.mtrand._rand.get_state(legacy=True)
    return np.asarray(keys, dtype="<u4").tobytes() + _RNG_TAIL.pack(int(pos), int(has_gauss), float(gauss))


def rng_payload(raw: bytes) -> Blob:
    return Blob(raw)


def rng_apply(payload) -> bytes:
    raw = blob_bytes(payload)
    if len(raw) != _RNG_BYTES + _RNG_TAIL.size:
        raise ProtocolError(say("乱数の状態が不正です", "bad random state"))
    pos, has_gauss, gauss = _RNG_TAIL.unpack(raw[_RNG_BYTES:])
    if not (0 <= pos <= 624 and has_gauss in (0, 1)):
        raise ProtocolError(say("乱数の状態が不正です", "bad random state"))
    keys = np.frombuffer(raw[:_RNG_BYTES], dtype="<u4").astype(np.uint32)
    np.random.mtrand._rand.set_state(("MT19937", keys, pos, has_gauss, gauss))
    return raw


# The tests' own generators (np.random.default_rng: PCG64) cross by state, not by reference:
# each side holds a twin and every message carries the states that changed, as for the global
# state above. A draw then costs no crossing; a student who sets the twin's state gets no more
# than the bit generator's public `state` setter already gave them through a reference.

# Where a helper marked testing.portable may come from: a module of the released tests.
TEST_MODULE = re.compile(r"tests(\.\w+)+")


def generator_mirrorable(g) -> bool:
    return type(g) is np.random.Generator and type(g.bit_generator) is np.random.PCG64


def generator_state(g: np.random.Generator) -> list:
    s = g.bit_generator.state
    return [s["state"]["state"], s["state"]["inc"], s["has_uint32"], s["uinteger"]]


def generator_apply(g: np.random.Generator, p) -> list:
    """Set g to the state p (as generator_state gives it), checked strictly; returns p."""
    if not (type(p) is list and len(p) == 4 and all(type(x) is int for x in p)
            and 0 <= p[0] < 1 << 128 and 0 < p[1] < 1 << 128 and p[1] & 1
            and p[2] in (0, 1) and 0 <= p[3] < 1 << 32):
        raise ProtocolError(say("乱数生成器の状態が不正です", "bad generator state"))
    g.bit_generator.state = {"bit_generator": "PCG64", "state": {"state": p[0], "inc": p[1]},
                             "has_uint32": p[2], "uinteger": p[3]}
    return p


def generator_changes(twins: dict) -> list:
    """[[rid, state]] of the generators (rid -> [generator, state last sent]) whose state changed
    since the last message; notes the new states as sent."""
    out = []
    for rid, entry in twins.items():
        state = generator_state(entry[0])
        if state != entry[1]:
            entry[1] = state
            out.append([rid, state])
    return out


def new_generator(p) -> np.random.Generator:
    g = np.random.Generator(np.random.PCG64(0))
    generator_apply(g, p)
    return g


ERR_MODES = ("ignore", "warn", "raise", "print")


def errstate() -> dict:
    return {k: (v if v in ERR_MODES else "warn") for k, v in np.geterr().items()}


def errstate_apply(d) -> None:
    if isinstance(d, dict):
        np.seterr(**{k: v for k, v in d.items() if k in ("divide", "over", "under", "invalid") and v in ERR_MODES})


def warnings_payload(caught: list, limit: int = 20) -> list:
    out = []
    for w in caught[:limit]:
        try:
            out.append([type(w.message).__name__[:60] if isinstance(w.message, Warning) else w.category.__name__[:60],
                        str(w.message)[:500], str(w.filename)[:300], int(w.lineno or 0)])
        except Exception:  # noqa: BLE001
            pass
    return out


# ---------------------------------------------------------------- files named by Path arguments

MAX_FILE = 16 << 20


def file_sig(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def file_updates(files: dict) -> list:
    """[[fid, data]] for the files (fid -> [path, last signature]) that changed since last time."""
    out = []
    for fid, entry in files.items():
        sig = file_sig(entry[0])
        if sig is None or sig == entry[1]:
            continue
        entry[1] = sig
        if sig[0] > MAX_FILE:
            raise ValueError(f"a file of {sig[0] >> 20} MB is too large to send")
        with open(entry[0], "rb") as f:
            out.append([fid, Blob(f.read())])
    return out


def file_write(entry: list, payload) -> None:
    data = blob_bytes(payload)
    if len(data) > MAX_FILE:
        raise ProtocolError(say("ファイルが大きすぎます", "file too large"))
    with open(entry[0], "wb") as f:
        f.write(data)
    entry[1] = file_sig(entry[0])
