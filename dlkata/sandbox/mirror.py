"""Array mirroring: an array on one side has a twin on the other, and in-place changes travel with each message.

Before each message a side sends what changed in its twins since the last message, so
in-place changes (a layer that must not modify its input, an optimizer that updates
params in place, numerical_gradient perturbing net.params['W1']) behave as in one
process. Dicts and lists passed as arguments are written back after the call (an
optimizer that replaces params[key]).
"""
from __future__ import annotations

import sys
import weakref

import numpy as np

from dlkata.i18n import say
from dlkata.sandbox import protocol as P
from dlkata.sandbox.proxies import Proxy


def _same_items(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x is y:
            continue
        if type(x) is not type(y) or isinstance(x, (np.ndarray, list, dict, tuple, Proxy)):
            return False
        try:
            if not bool(x == y):
                return False
        except Exception:  # noqa: BLE001
            return False
    return True


class Mirrors:
    """Session methods that keep arrays and their twins in step."""

    # ------------------------------------------------------------ mirrors

    def _register_own(self, arr: np.ndarray) -> int:
        """An array of the tests, sent to the worker for the first time."""
        mid = self.next_mid
        self.next_mid += 1
        self.mirrors[mid] = [arr, P.snapshot(arr), None]
        self.mirror_of[id(arr)] = mid
        return mid

    def _adopt(self, mid: int, base: np.ndarray) -> np.ndarray:
        """An array from the worker: kept here, the tests get a view."""
        view = base.view()
        self.mirrors[mid] = [base, P.snapshot(base), weakref.ref(view)]
        self.mirror_of[id(view)] = mid
        return view

    def _twin(self, mid: int) -> np.ndarray | None:
        entry = self.mirrors.get(mid)
        if entry is None:
            return None
        if entry[2] is None:
            return entry[0]
        view = entry[2]()
        if view is None:
            view = entry[0].view()
            entry[2] = weakref.ref(view)
            self.mirror_of[id(view)] = mid
        return view

    def _mid_of(self, arr: np.ndarray) -> int | None:
        mid = self.mirror_of.get(id(arr))
        entry = self.mirrors.get(mid) if mid is not None else None
        if entry is None:
            return None
        held = entry[0] if entry[2] is None else entry[2]()
        return mid if held is arr else None

    def _collect_sync(self) -> list:
        """Changes since the last message; arrays nobody holds any more are let go of after it."""
        out = []
        for mid in list(self.mirrors):
            entry = self.mirrors[mid]
            arr = entry[0]
            b = P.snapshot(arr)
            if b != entry[1]:
                entry[1] = b
                out.append([mid, P.Blob(b)])
            # References: the entry, `arr`, getrefcount's argument (a live view adds one).
            if sys.getrefcount(arr) <= 3:
                del self.mirrors[mid]
                self.rel_m.append(mid)
            del arr
        return out

    def _apply_sync(self, updates) -> None:
        if updates is None:
            return
        if not isinstance(updates, list):
            self.fail("protocol", say("配列の更新が不正です", "bad array updates"))
        for item in updates:
            if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int
                    and type(item[1]) is P.Blob):
                self.fail("protocol", say("配列の更新が不正です", "bad array update"))
            mid, raw = item[0], item[1].data
            entry = self.mirrors.get(mid)
            if entry is None:
                continue  # an array this side has let go of
            arr = entry[0]
            if len(raw) != arr.nbytes:
                self.fail("protocol", say("配列の更新の大きさが違います", "an array update of the wrong size"))
            if arr.flags.writeable:
                np.copyto(arr, np.frombuffer(raw, dtype=arr.dtype).reshape(arr.shape))
            entry[1] = P.snapshot(arr)

    # The tests' generators (protocol.generator_mirrorable) have a twin in the worker too.

    def _generator_id(self, g) -> int:
        rid = self.rid_of.get(id(g))
        if rid is None or self.rgs[rid][0] is not g:
            rid = len(self.rgs) + 1
            self.rgs[rid] = [g, None]     # its state goes with this message
            self.rid_of[id(g)] = rid
        return rid

    def _generator_changes(self) -> list:
        return P.generator_changes(self.rgs)

    def _apply_generators(self, items) -> None:
        if not isinstance(items, list) or len(items) > len(self.rgs):
            self.fail("protocol", say("乱数生成器の状態が不正です", "bad generator states"))
        for item in items:
            entry = self.rgs.get(item[0]) if isinstance(item, list) and len(item) == 2 \
                and type(item[0]) is int else None
            if entry is None:
                self.fail("protocol", say("テストが渡していない乱数生成器です", "a generator the tests never gave"))
            try:
                entry[1] = P.generator_apply(entry[0], item[1])
            except (P.ProtocolError, ValueError, TypeError):
                self.fail("protocol", say("乱数生成器の状態が不正です", "a bad generator state"))

    def _write_back(self, containers: list, wb) -> None:
        """Dicts and lists passed as arguments take the contents the call left them with."""
        if not isinstance(wb, list) or len(wb) != len(containers):
            self.fail("protocol", say("書き戻しが不正です", "bad write-back"))
        for orig, enc in zip(containers, wb):
            new = self._decode(enc)
            if type(orig) is list and isinstance(new, list):
                if not _same_items(orig, new):
                    orig[:] = new
            elif isinstance(orig, dict) and isinstance(new, dict):
                if list(orig.keys()) != list(new.keys()) or not _same_items(list(orig.values()),
                                                                              list(new.values())):
                    orig.clear()
                    orig.update(new)
            else:
                self.fail("protocol", say("書き戻しが不正です", "bad write-back"))

