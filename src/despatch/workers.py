"""Reader processes that may die: a pool that survives losing one.

The kernel's out-of-memory killer (or anyone with `kill -9`) can end a reader in the middle of a file. A
plain ProcessPoolExecutor then breaks for good: every file in flight and every file after it fails with
BrokenProcessPool. Here the files that were in flight are run again one at a time in a fresh pool; the one
that kills its worker again is the culprit and fails with a reason, the rest succeed, and the batch goes on
in a new pool.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .procs import exit_with_parent

T = TypeVar("T")

WORKER_KILLED = "worker killed: out of memory? (the reader process ended while reading this file)"


def run_in_pool(
    items: Iterable[T],
    submit_args: Callable[[T], tuple[Any, ...] | None],
    fn: Callable[..., Any],
    workers: int,
    on_killed: Callable[[T], Any],
    window: int | None = None,
    start_method: str | None = None,
) -> Iterator[tuple[T, Any]]:
    """(item, fn(*submit_args(item))) in the items' order, `workers` at a time. Items whose args are None
    pass through with result None. A worker's death fails only the item it held (`on_killed(item)`).
    `start_method` ("fork", "spawn", "forkserver"; None: the platform's default) is how workers start."""
    window = window or workers * 4
    context = multiprocessing.get_context(start_method) if start_method else None

    def new_pool(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n, mp_context=context, initializer=exit_with_parent, initargs=(os.getpid(),))

    pool = new_pool(workers)
    pending: deque[tuple[T, Future | None]] = deque()
    try:
        for item in items:
            args = submit_args(item)
            pending.append((item, _submit(pool, fn, args) if args is not None else None))
            while len(pending) > window:
                out, pool = _next(pending, pool, workers, submit_args, fn, on_killed, new_pool)
                yield out
        while pending:
            out, pool = _next(pending, pool, workers, submit_args, fn, on_killed, new_pool)
            yield out
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future:
    """pool.submit, or — when the pool already broke — a future that says so (handled where it is awaited)."""
    try:
        return pool.submit(fn, *args)
    except BrokenProcessPool as e:
        fut: Future = Future()
        fut.set_exception(e)
        return fut


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, initializer=exit_with_parent, initargs=(os.getpid(),))


def _next(pending, pool, workers, submit_args, fn, on_killed, new_pool):
    item, fut = pending.popleft()
    if fut is None:
        return (item, None), pool
    try:
        return (item, fut.result()), pool
    except BrokenProcessPool:
        pass
    # The pool is gone, and with it every file in flight. Re-run those one at a time, each in a fresh pool
    # of one; whichever kills its worker again fails, the others go through.
    pool.shutdown(wait=True, cancel_futures=True)
    suspects = [(item, fut)] + [(it, f) for it, f in pending if f is not None]
    results: dict[int, Any] = {}
    for it, _ in suspects:
        single = new_pool(1)
        try:
            results[id(it)] = single.submit(fn, *submit_args(it)).result()
        except BrokenProcessPool:
            results[id(it)] = on_killed(it)
        finally:
            single.shutdown(wait=True, cancel_futures=True)
    pool = new_pool(workers)
    rest = deque((it, _resolved(results[id(it)]) if f is not None else None) for it, f in pending)
    pending.clear()
    pending.extend(rest)
    return (item, results[id(item)]), pool


def _resolved(value: Any) -> Future:
    fut: Future = Future()
    fut.set_result(value)
    return fut
