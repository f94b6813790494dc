"""`make watch ch05`: run the katas again whenever a file of your tree changes.

Polls the files' sizes and modification times (no file-system events needed, so
it works on network drives and in containers too); Enter re-runs by hand, q
then Enter (or Ctrl-C) quits.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from dlkata.kata import catalogue
from dlkata.runner import engine, report, status
from dlkata.i18n import t
from dlkata.learner.progress import impl_label


def snapshot(impl: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for p in impl.rglob("*.py"):
        if "__pycache__" in p.parts:
            continue
        try:
            st = p.stat()
        except OSError:
            continue  # removed while we looked
        out[str(p.relative_to(impl))] = (st.st_size, st.st_mtime_ns)
    return out


def changed(old: dict, new: dict) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


class Keys:
    """Lines typed on the terminal, without blocking: select() on POSIX, msvcrt on Windows."""

    def __init__(self, stdin=None):
        self.stdin = stdin or sys.stdin
        self.open = self.stdin is not None and not self.stdin.closed
        self.buffer = ""

    def wait(self, seconds: float) -> str | None:
        """A typed line ("" for a bare Enter) within seconds, else None."""
        if not self.open:
            time.sleep(seconds)
            return None
        if os.name == "nt" and self.stdin is sys.stdin and self.stdin.isatty():
            return self._wait_windows(seconds)
        import select
        try:
            ready, _, _ = select.select([self.stdin], [], [], seconds)
        except (OSError, ValueError):
            self.open = False
            time.sleep(seconds)
            return None
        if not ready:
            return None
        line = self.stdin.readline()
        if line == "":  # end of input: keep watching files only
            self.open = False
            return None
        return line.strip()

    def _wait_windows(self, seconds: float) -> str | None:
        import msvcrt
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while msvcrt.kbhit():
                ch = msvcrt.getwch()
                if ch in "\r\n":
                    line, self.buffer = self.buffer, ""
                    print()
                    return line.strip()
                self.buffer += ch
                print(ch, end="", flush=True)
            time.sleep(0.05)
        return None


def run_once(words: list[str], impl: Path, own: bool, note: str = "") -> None:
    cat = catalogue.load()
    chapters, shown = cat.select(words)
    if sys.stdout.isatty():
        print("\033[2J\033[H", end="")
    print(f"[{time.strftime('%H:%M:%S')}] make test {' '.join(words)}" + (f"   {note}" if note else ""))
    start = time.perf_counter()
    results = engine.run(impl, chapters, own_earlier=own)
    states = status.compute(results, cat, chapters)
    print("\n".join(report.render(states, cat, chapters, shown, time.perf_counter() - start, " ".join(words))))
    print()
    print(t("w_watching", path=impl_label(impl)), flush=True)


def main(words: list[str], impl: Path, own: bool = False, interval: float = 0.5,
         stdin=None, max_seconds: float | None = None) -> int:
    keys = Keys(stdin)
    seen = snapshot(impl)
    start = time.monotonic()
    try:
        run_once(words, impl, own)
        while max_seconds is None or time.monotonic() - start < max_seconds:
            line = keys.wait(interval)
            if line is not None:
                if line.lower() in ("q", "quit", "exit"):
                    break
                seen = snapshot(impl)
                run_once(words, impl, own)
                continue
            now = snapshot(impl)
            diff = changed(seen, now)
            if diff:
                time.sleep(0.1)  # let an editor finish writing
                seen = snapshot(impl)
                run_once(words, impl, own, t("w_changed", files=", ".join(diff)))
    except KeyboardInterrupt:
        print()
    print(t("w_bye"))
    return 0
