"""An ordered background worker whose jobs return futures; inline when synchronous (tests)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def done_future(job: Callable[[], T]) -> Future[T]:
    """Run `job` now and hand its result (or what it raised) over as a finished future."""
    future: Future[T] = Future()
    try:
        future.set_result(job())
    except BaseException as exc:  # handed to the caller through the future
        future.set_exception(exc)
    return future


class Worker:
    def __init__(self, name: str, *, synchronous: bool = False) -> None:
        self._executor = None if synchronous else ThreadPoolExecutor(1, thread_name_prefix=name)

    def submit(self, job: Callable[[], T]) -> Future[T]:
        if self._executor is None:
            return done_future(job)
        return self._executor.submit(job)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
