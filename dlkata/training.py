"""A progress bar for long training loops, with the current loss; Ctrl-C stops and keeps what was learned.

    from dlkata.training import Training

    with Training(iters, desc="weight decay") as tr:
        for i in tr:                       # 0 .. iters-1
            grads = net.gradient(x, t)
            optimizer.update(net.params, grads)
            tr.update(loss=net.loss(x, t))  # or tr.update(loss=..., acc=0.93)
    # Ctrl-C inside the block lands here: tr.interrupted is True, tr.steps says how
    # far it got, and net keeps its weights. tr.losses holds every loss given.
    # Inside the loop, tr.write("...") prints a line without breaking the bar.

or, when one step is one function call:

    tr = run(step, iters, desc="SGD")      # step(i) -> loss

The bar is tqdm's; it shows only on a terminal (nothing on a pipe, in tests, or
under nbgrader) unless DLKATA_PROGRESS=1 forces it (0 hides it).
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Iterator

from tqdm import tqdm

from dlkata.i18n import t


def _disable(disable: bool | None) -> bool | None:
    if disable is not None:
        return disable
    forced = os.environ.get("DLKATA_PROGRESS")
    if forced in ("0", "1"):
        return forced == "0"
    return None  # tqdm's own rule: shown on a terminal only


class Training:
    """A context manager around a training loop; see the module's docstring."""

    def __init__(self, total: int, desc: str | None = None, unit: str = "step", *,
                 disable: bool | None = None, file=None, leave: bool = True, mininterval: float = 0.2):
        self.total = int(total)
        self.desc = desc
        self.steps = 0
        self.losses: list[float] = []
        self.interrupted = False
        self._bar_args = dict(total=self.total, desc=desc, unit=unit, disable=_disable(disable),
                              file=file if file is not None else sys.stderr, leave=leave,
                              mininterval=mininterval, dynamic_ncols=True)
        self.bar: tqdm | None = None

    def __enter__(self) -> "Training":
        self.bar = tqdm(**self._bar_args)
        return self

    def __iter__(self) -> Iterator[int]:
        for i in range(self.steps, self.total):
            yield i

    def update(self, loss: float | None = None, n: int = 1, **info: float) -> None:
        """One step (or n) is done; loss and any other numbers show on the bar."""
        self.steps += n
        if loss is not None:
            self.losses.append(float(loss))
            info = {t("t_loss"): loss, **info}
        if self.bar is not None:
            if info:
                self.bar.set_postfix({k: f"{float(v):.4g}" for k, v in info.items()}, refresh=False)
            self.bar.update(n)

    def write(self, text: str, file=None) -> None:
        """Print a line (to stdout by default) without breaking the bar: it is redrawn below."""
        tqdm.write(text, file=file if file is not None else sys.stdout)

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self.bar is not None:
            self.bar.close()
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            self.interrupted = True
            print(t("t_stopped", step=self.steps, total=self.total), file=sys.stderr, flush=True)
            return True  # swallow Ctrl-C: the code after the with block goes on
        return False


def run(step: Callable[[int], float | None], total: int, desc: str | None = None, **kw) -> Training:
    """Call step(i) for i in 0..total-1 under a Training bar; returns it (losses, steps, interrupted)."""
    with Training(total, desc, **kw) as tr:
        for i in tr:
            tr.update(loss=step(i))
    return tr
