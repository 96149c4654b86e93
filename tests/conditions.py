"""Waiting in tests for a condition, never for a time: a loaded machine only makes it slower."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest


def until(condition: Callable[[], bool], what: str, within: float = 60.0) -> None:
    """Return once `condition()` holds; fail only if it never comes within `within` seconds."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.01)
