"""Run `python -m scanner ...` as if some distributions were not installed.

Usage: python tests/packaging/without.py fastapi,segno -- ARGS...  An import of a blocked top-level
module raises ModuleNotFoundError, as it would on a door install without the extras.
"""

from __future__ import annotations

import runpy
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType


class Blocker(MetaPathFinder):
    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


if __name__ == "__main__":
    blocked, _sep, *args = sys.argv[1:]
    sys.meta_path.insert(0, Blocker(set(blocked.split(","))))
    sys.argv = ["scanner", *args]
    runpy.run_module("scanner", run_name="__main__", alter_sys=True)
