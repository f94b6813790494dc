"""`make watch ch05`: run the katas again whenever a file of your tree changes.

From a save to the verdict on screen takes little more than the chapter's tests
themselves (bench/watch_latency.py measures it):
- the few files of the watched chapters are polled every 50 ms by size and modification
  time (no file-system events needed, so it works on network drives and in containers too);
- only the chapters whose files changed run again (with OWN=1, the later ones too);
- each chapter's next run is forked ahead of time from a process that has imported numpy
  and pytest, and has already parsed pytest's options and loaded its plugins: a save only
  lets it collect and run the tests (dlkata.runner.engine.Prepared).
Enter re-runs by hand, q then Enter (or Ctrl-C) quits.
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

SETTLE = 0.02  # seconds without a further change before a run: an editor may write in steps


def snapshot(impl: Path, folders: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """Size and modification time of every .py file of the tree (or of these folders of it)."""
    out: dict[str, tuple[int, int]] = {}
    stack = [impl / f for f in folders] if folders is not None else [impl]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue  # not there (yet), or removed while we looked
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if e.name != "__pycache__":
                    stack.append(Path(e.path))
            elif e.name.endswith(".py"):
                try:
                    st = e.stat()
                except OSError:
                    continue
                out[str(Path(e.path).relative_to(impl))] = (st.st_size, st.st_mtime_ns)
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


class Runs:
    """The watched chapters' latest results, and each chapter's next run prepared ahead."""

    def __init__(self, impl: Path, chapters: list[str], own: bool, prefork: bool = True):
        self.impl, self.chapters, self.own, self.prefork = impl, chapters, own, prefork
        self.results: dict[str, list[dict]] = {}
        self.ready: dict[str, engine.Prepared] = {}
        engine.preload()
        import dlkata.runner.plugin  # noqa: F401  - what every run loads first

    def affected(self, files: list[str]) -> list[str]:
        """The watched chapters a change to these files (paths in the tree) can alter."""
        touched = {Path(f).parts[0] for f in files}
        if not touched <= set(catalogue.load().chapter_ids()):
            return list(self.chapters)  # a file outside the chapters: run everything
        if self.own:  # later chapters import your earlier ones
            return [ch for ch in self.chapters if any(ch >= c for c in touched)]
        return [ch for ch in self.chapters if ch in touched]

    def run(self, chapters: list[str]) -> None:
        if not self.prefork:
            fresh = engine.run(self.impl, chapters, own_earlier=self.own)
            for ch in chapters:
                self.results[ch] = [r for r in fresh if (r["kata"] or "").startswith(ch + ".")]
            return
        runs = [self.ready.pop(ch, None) or engine.Prepared(self.impl, ch, self.own) for ch in chapters]
        for r in runs:
            r.start()
        for ch, r in zip(chapters, runs):
            self.results[ch] = r.results()

    def prepare(self) -> None:
        """Fork the next run of every watched chapter (while the learner reads and edits)."""
        if self.prefork:
            for ch in self.chapters:
                if ch not in self.ready:
                    self.ready[ch] = engine.Prepared(self.impl, ch, self.own)

    def close(self) -> None:
        for r in self.ready.values():
            r.close()
        self.ready.clear()

    def all(self) -> list[dict]:
        return [r for ch in self.chapters for r in self.results.get(ch, [])]


def show(words: list[str], runs: Runs, seconds: float, note: str = "") -> None:
    cat = catalogue.load()
    chapters, shown = cat.select(words)
    states = status.compute(runs.all(), cat, chapters)
    lines = report.render(states, cat, chapters, shown, seconds, " ".join(words))
    head = f"[{time.strftime('%H:%M:%S')}] make test {' '.join(words)}" + (f"   {note}" if note else "")
    clear = "\033[2J\033[H" if sys.stdout.isatty() else ""
    # One write: the verdict appears at once, not line by line.
    sys.stdout.write(clear + "\n".join([head, *lines, "", t("w_watching", path=impl_label(runs.impl))]) + "\n")
    sys.stdout.flush()


def run_once(words: list[str], runs: Runs, chapters: list[str], note: str = "") -> None:
    start = time.perf_counter()
    runs.run(chapters)
    show(words, runs, time.perf_counter() - start, note)
    runs.prepare()


def main(words: list[str], impl: Path, own: bool = False, interval: float = 0.05,
         stdin=None, max_seconds: float | None = None, prefork: bool = True) -> int:
    keys = Keys(stdin)
    chapters, _ = catalogue.load().select(words)
    runs = Runs(impl, chapters, own, prefork)
    folders = None if own else chapters  # with OWN=1 every chapter of yours can matter
    seen = snapshot(impl, folders)
    start = time.monotonic()
    try:
        run_once(words, runs, chapters)
        while max_seconds is None or time.monotonic() - start < max_seconds:
            line = keys.wait(interval)
            if line is not None:
                if line.lower() in ("q", "quit", "exit"):
                    break
                seen = snapshot(impl, folders)
                run_once(words, runs, chapters)
                continue
            now = snapshot(impl, folders)
            diff = changed(seen, now)
            if not diff:
                continue
            while True:  # wait until the editor has finished writing
                time.sleep(SETTLE)
                later = snapshot(impl, folders)
                if later == now:
                    break
                diff, now = sorted(set(diff) | set(changed(now, later))), later
            seen = now
            run_once(words, runs, runs.affected(diff), t("w_changed", files=", ".join(diff)))
    except KeyboardInterrupt:
        print()
    finally:
        runs.close()
    print(t("w_bye"))
    return 0
