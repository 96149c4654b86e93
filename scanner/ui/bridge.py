"""The one hop from the door session's threads to the GUI thread.

The session publishes plain events on whatever thread produced them (door worker, sync thread,
camera thread). The bridge lives on the GUI thread and re-emits each as a Qt signal; a signal
emitted from another thread reaches the widgets queued, on the GUI thread, so no widget is ever
touched from a worker.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from scanner.app.events import (
    CameraStateChanged,
    CountsChanged,
    EntryUndone,
    Progress,
    SyncStateChanged,
    VerdictCommitted,
)
from scanner.app.session import DoorSession


class SessionBridge(QObject):
    verdict = Signal(object)  # VerdictCommitted
    undone = Signal(object)  # EntryUndone
    counts = Signal(object)  # CountsChanged
    sync = Signal(object)  # SyncStateChanged
    camera = Signal(object)  # CameraStateChanged
    progress = Signal(object)  # Progress
    searched = Signal(str, object)  # query, list[SearchHit] (or an Exception)

    def __init__(self, session: DoorSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        routes: dict[type, Callable[[object], None]] = {
            VerdictCommitted: self.verdict.emit,
            EntryUndone: self.undone.emit,
            CountsChanged: self.counts.emit,
            SyncStateChanged: self.sync.emit,
            CameraStateChanged: self.camera.emit,
            Progress: self.progress.emit,
        }
        self._unsubscribe = session.subscribe(lambda event: routes[type(event)](event))

    def search(self, query: str) -> None:
        """Search in the background; the answer comes back as `searched`."""
        future = self.session.search(query)

        def done(_f: object) -> None:
            error = future.exception()
            self.searched.emit(query, error if error is not None else future.result())

        future.add_done_callback(done)

    def detach(self) -> None:
        self._unsubscribe()
