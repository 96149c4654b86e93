"""Runtime hook: let pyzbar find the libzbar bundled with the packaged app.

pyzbar asks `ctypes.util.find_library("zbar")`, which on Linux reads the system's ldconfig cache
and on macOS the system folders, never the app's own folder: without this hook the packaged app
would need libzbar installed on the machine. (On Windows pyzbar loads the DLL shipped in its own
package folder, which the build keeps.)
"""

from __future__ import annotations

import ctypes.util
import glob
import os
import sys

_bundle = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
_system_find_library = ctypes.util.find_library


def _bundled(name: str) -> str | None:
    for pattern in (f"lib{name}.so*", f"lib{name}*.dylib", f"lib{name}*.dll"):
        found = sorted(glob.glob(os.path.join(_bundle, pattern)))
        if found:
            return found[0]
    return None


def _find_library(name: str) -> str | None:
    if name == "zbar":
        return _bundled(name) or _system_find_library(name)
    return _system_find_library(name)


ctypes.util.find_library = _find_library
