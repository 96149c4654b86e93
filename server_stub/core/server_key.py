"""The server key: 32 random bytes in a file kept apart from the database, which seal the
database's secrets (the platform's snapshot-signing key, every event's ticket-signing keys and
SEEDJSON secret) with scanner.checkin.sealing, as the door seals its own with its device key.

A copy of the database alone (a backup, a file readable by another account, a dump of the
PostgreSQL server) then holds no key that signs a snapshot or mints a ticket. The file lives in
the user's config folder (`~/.config/door-scanner-server/server.key` on Linux) or where
$SCANNER_SERVER_KEY_FILE says; docs/server.md ("The server key") tells how to back it up.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

import platformdirs

from scanner.checkin import sealing
from scanner.private_files import FILE_MODE, private_folder, tighten

KEY_ENV = "SCANNER_SERVER_KEY_FILE"
_HELP = f'restore it from your backup, or point ${KEY_ENV} at it (docs/server.md, "The server key")'


class ServerKeyError(RuntimeError):
    """The key file cannot open the database's secrets; the message names the file."""


def _default_folder() -> Path:
    return Path(platformdirs.user_config_dir("door-scanner-server", appauthor=False))


def default_key_path() -> Path:
    configured = os.environ.get(KEY_ENV)
    if configured:
        return Path(configured).expanduser()
    return _default_folder() / "server.key"


class ServerKey:
    """The key file at `path`, read once (a server holds its key from start to stop)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: bytes | None = None
        self._guard = threading.Lock()

    def __repr__(self) -> str:
        return f"ServerKey({self.path})"

    def load(self, *, create: bool) -> bytes:
        """The key; made (0600, in a 0700 folder) when the file is missing and `create`."""
        with self._guard:
            if self._key is None:
                self._key = self._read() if self.path.exists() or not create else self._make()
            return self._key

    def seal(self, plain: str) -> str:
        return sealing.seal(self.load(create=True), plain)

    def unseal(self, stored: str) -> str:
        try:
            return sealing.unseal(self.load(create=False), stored)
        except sealing.SealedValueError:
            raise ServerKeyError(
                f"the server key file {self.path} is not the one that sealed this database's "
                f"secrets: {_HELP}"
            ) from None

    def _read(self) -> bytes:
        if not self.path.exists():
            raise ServerKeyError(
                f"the server key file {self.path} is missing, and this database's secrets (the "
                f"signing keys) are sealed with it: {_HELP}"
            )
        private_folder(self.path.parent, ours=self.path.parent == _default_folder())
        tighten(self.path, FILE_MODE)
        key = self.path.read_bytes()
        problem = sealing.key_problem(key)
        if problem is not None:
            raise ServerKeyError(f"{self.path} is not a server key ({problem}): {_HELP}")
        return key

    def _make(self) -> bytes:
        private_folder(self.path.parent, ours=self.path.parent == _default_folder())
        # Written whole under a temporary name, then linked: a server starting at the same
        # moment finds either no key file or a complete one, never a half-written one.
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(descriptor, "wb") as out:
            out.write(secrets.token_bytes(sealing.KEY_BYTES))
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(partial, self.path)
        except FileExistsError:
            pass  # another process made it first: use that one
        finally:
            partial.unlink()
        return self._read()
