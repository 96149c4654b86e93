"""Files only this user may read (0600) in folders only this user may enter (0700): created so,
never written open and tightened afterwards, and tightened when found looser.

The door's data file, reports, exported journals and snapshots, the staff code (the lead PIN in
clear), and the companion API's database and key file hold names, e-mails, PINs or keys: one
helper serves the door and the server alike. It needs nothing but the standard library, so every
layer may use it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def tighten(path: Path, mode: int) -> int | None:
    """Take away every permission bit beyond `mode` (a 0400 file stays 0400); the mode it had when
    it changed, else None. A file of another account (a key file an administrator keeps) is
    theirs to set: only its owner may."""
    info = path.stat()
    current = stat.S_IMODE(info.st_mode)
    if current & ~mode and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)():
        os.chmod(path, current & mode)
        return current
    return None


def private_folder(path: Path, *, ours: bool) -> int | None:
    """Make `path` (0700) if missing; tighten it if it is one of our own folders (a folder named
    by an administrator may hold other things, and is theirs to protect). The mode it had when it
    was tightened, else None."""
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    if ours or not existed:
        return tighten(path, FOLDER_MODE)
    return None


def private_file(path: Path) -> None:
    """Make `path` empty and 0600 if missing (before anything writes to it), else tighten it."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    tighten(path, FILE_MODE)


def create_private(path: Path) -> BinaryIO:
    """`path` opened for writing from empty, 0600 before its first byte: a new file is created so,
    and a leftover (a partial file of an earlier run) is emptied, then tightened."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(descriptor).st_mode) & ~FILE_MODE and hasattr(os, "fchmod"):
            os.fchmod(descriptor, FILE_MODE)
        return os.fdopen(descriptor, "wb")
    except BaseException:
        os.close(descriptor)
        raise
