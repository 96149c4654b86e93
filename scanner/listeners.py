"""Telling a service's listeners (the window, the kiosk, a status line) of its new state.

Each is told in turn on the service's own thread; one that raises is logged and the others are
still told: a view's bug must not stop the camera, end a peer link or count as a sync failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

log = logging.getLogger(__name__)
State = TypeVar("State")


def tell(listeners: Iterable[Callable[[State], object]], state: State, what: str) -> None:
    """Call every listener with `state`; `what` names them in the log line of one that fails."""
    for listener in list(listeners):
        try:
            listener(state)
        except Exception:  # a listener's failure is its own, never the service's
            log.exception("a %s listener failed", what)
