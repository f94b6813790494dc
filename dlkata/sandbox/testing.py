"""Test helpers that work the same on local code and on a sandboxed student's code.

Some idioms look inside the learner's code instead of calling it: those cannot run in
the trusted process when the code lives in a worker. These helpers do the same thing
locally (make test) and, for a proxy, inside the worker (grading), returning plain data.
What a worker reports is the student's to forge, like anything their code returns: use
these for style checks (is it vectorised?), never as the only evidence of correctness.
"""
from __future__ import annotations

import sys


def python_lines(fn, *args, **kwargs) -> int:
    """How many Python lines of fn's own file run during fn(*args): a loop per image or per
    output position shows up as hundreds of lines, a vectorised version as a few dozen."""
    from .remote import Proxy
    if isinstance(fn, Proxy):
        n = fn._rs_op("lines", list(args), dict(kwargs))
        if type(n) is not int or n < 0:
            raise TypeError("the worker did not count lines")
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
