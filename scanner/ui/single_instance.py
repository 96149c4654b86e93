"""One kiosk per data folder: a lock file says who runs, a local socket raises the window.

QLockFile with stale time 0 never steals a lock by age; a lock left by a crashed process is
taken over because its process is gone. The local server only carries "come to the front"
from a second start to the running one (connect first; a stale socket is removed only when
listening fails).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from scanner.private_files import FOLDER_MODE

RAISE = b"raise\n"
CONNECT_MS = 1000


def server_name(folder: Path) -> str:
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return f"door-scanner-{digest}"


class SingleInstance(QObject):
    raise_requested = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.name = server_name(folder)
        # the data folder (names, keys): made private; the store tightens an older one, and says so
        folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        self._lock = QLockFile(str(folder / "window.lock"))
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True when this process is the one; else the running one is asked to come forward."""
        if not self._lock.tryLock(0):
            self._ask_to_raise()
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # left by a crashed run: we hold the lock now
            server.listen(self.name)
        server.newConnection.connect(self._connection)
        self._server = server
        return True

    def _ask_to_raise(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_MS):
            return False
        socket.write(RAISE)
        socket.waitForBytesWritten(CONNECT_MS)
        socket.disconnectFromServer()
        return True

    def _connection(self) -> None:
        assert self._server is not None
        socket = self._server.nextPendingConnection()
        while socket is not None:
            # A second start writes one line at once and leaves: read it here, no callbacks.
            arrived = socket.bytesAvailable() or socket.waitForReadyRead(CONNECT_MS)
            if arrived and bytes(socket.readAll().data()).startswith(RAISE.strip()):
                self.raise_requested.emit()
            socket.abort()
            socket.deleteLater()
            socket = self._server.nextPendingConnection()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()
