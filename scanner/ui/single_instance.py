"""One door window or kiosk per data folder, whichever mode each was started in: a lock file
says who runs, a local socket raises the window and says what it is.

QLockFile with stale time 0 never steals a lock by age; a lock left by a crashed or killed
(kill -9) process is taken over because its process is gone (Qt checks the process id and
program name it wrote). The local server carries "come to the front" from a
second start to the running one, which answers with what it is ("kiosk" or "door window") so the
second start can say so (connect first; a stale socket is removed only when listening fails).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from scanner.private_files import FOLDER_MODE

RAISE = b"raise\n"
CONNECT_MS = 1000
KIOSK = "kiosk"
WINDOW = "door window"


def server_name(folder: Path) -> str:
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return f"door-scanner-{digest}"


class SingleInstance(QObject):
    raise_requested = Signal()

    def __init__(self, folder: Path, what: str = KIOSK, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.what = what  # answered to a second start; the kiosk becomes a window when left
        self.name = server_name(folder)
        # the data folder (names, keys): made private; the store tightens an older one, and says so
        folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        self._lock = QLockFile(str(folder / "window.lock"))
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self.running: str | None = None  # after a refused acquire: what runs, when it said

    def acquire(self) -> bool:
        """True when this process is the one; else the running one is asked to come forward."""
        if not self._lock.tryLock(0):
            self.running = self._ask_to_raise()
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # left by a crashed run: we hold the lock now
            server.listen(self.name)
        server.newConnection.connect(self._connection)
        self._server = server
        return True

    def refusal(self) -> str:
        """What a refused start says."""
        running = self.running or f"{WINDOW} or {KIOSK}"
        return (
            f"a {running} already runs on {self.folder}: brought it to the front "
            "(one door window or kiosk per data folder)"
        )

    def _ask_to_raise(self) -> str | None:
        """What the running one is (None when it did not say)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_MS):
            return None
        socket.write(RAISE)
        socket.waitForBytesWritten(CONNECT_MS)
        answer = b""
        while b"\n" not in answer and socket.waitForReadyRead(CONNECT_MS):
            answer += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        said = answer.split(b"\n")[0].decode("utf-8", "replace").strip()
        return said if said in (KIOSK, WINDOW) else None

    def _connection(self) -> None:
        assert self._server is not None
        socket = self._server.nextPendingConnection()
        while socket is not None:
            # A second start writes one line at once and waits for the answer: no callbacks.
            arrived = socket.bytesAvailable() or socket.waitForReadyRead(CONNECT_MS)
            if arrived and bytes(socket.readAll().data()).startswith(RAISE.strip()):
                socket.write(self.what.encode() + b"\n")
                socket.waitForBytesWritten(CONNECT_MS)
                self.raise_requested.emit()
            socket.disconnectFromServer()
            socket.deleteLater()
            socket = self._server.nextPendingConnection()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()
