"""A time limit for reading one file.

A pathological file (a table with a million cells, a line a reader backtracks over) must not hold an ingest
for hours. In the thread that handles signals (the main thread of the ingest or of a reader process) an
interval timer interrupts the read; elsewhere the limit is not enforced (there is no safe way to interrupt
a thread). The interruption lands between Python bytecodes, so a single long call into C finishes first.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import DespatchError


class TimeLimitExceeded(DespatchError):
    """Raised inside the read when its time is up."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded in the body after `seconds` (no limit when None or 0, or off the main thread)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):  # noqa: ARG001 - a signal handler's signature
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
