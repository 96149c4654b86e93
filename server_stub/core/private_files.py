"""Files only this user may read: the SQLite database and the server key file (0600), in folders
only this user may enter (0700). Created so, and tightened when found looser.

Only the server's own folders (the data folder, the key file's config folder) are tightened when
they exist: a folder named by --db or an environment variable may hold other things, and is the
administrator's to protect. A folder the server creates is always private.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def tighten(path: Path, mode: int) -> None:
    """Take away every permission bit beyond `mode` (a 0400 file stays 0400). A file of another
    account (a key file an administrator keeps) is theirs to set: only its owner may."""
    info = path.stat()
    current = stat.S_IMODE(info.st_mode)
    if current & ~mode and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)():
        os.chmod(path, current & mode)


def private_folder(path: Path, *, ours: bool) -> None:
    """Make `path` (0700) if missing; tighten it if it is one of the server's own folders."""
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    if ours or not existed:
        tighten(path, FOLDER_MODE)


def private_file(path: Path) -> None:
    """Make `path` empty and 0600 if missing (before anything writes to it), else tighten it."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    tighten(path, FILE_MODE)
