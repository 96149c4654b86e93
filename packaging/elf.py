"""What a build step needs to know of ELF shared libraries, from binutils' `nm` and `readelf`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

TOOLS = ("cc", "nm", "readelf")  # cc: the build steps that use this module compile libraries


def symbols(library: Path, which: str) -> dict[str, str]:
    """`which` ("--defined-only" or "--undefined-only") dynamic symbols: name -> version ("")."""
    found = {}
    for line in run("nm", "-D", which, str(library)).splitlines():
        if line.strip():
            name, _at, version = line.split()[-1].replace("@@", "@").partition("@")
            found[name] = version
    return found


def defined(library: Path) -> set[str]:
    return set(symbols(library, "--defined-only"))


def undefined(library: Path) -> set[str]:
    return set(symbols(library, "--undefined-only"))


def needed(library: Path) -> list[str]:
    listing = run("readelf", "-d", str(library))
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", listing)


def needed_if_elf(path: Path) -> list[str]:
    """The libraries `path` links, or [] when it is not an ELF file."""
    if path.is_symlink() or not path.is_file():
        return []
    with path.open("rb") as file:
        if file.read(4) != b"\x7fELF":
            return []
    return needed(path)


def links(root: Path) -> dict[Path, list[str]]:
    """Every shared library under `root`, with the libraries it links."""
    return {path: needed_if_elf(path) for path in root.rglob("*.so*")}


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def remove_dangling_links(folder: Path) -> int:
    """Remove the symbolic links in `folder` whose library a build step took away (PyInstaller
    links every bundled library into `_internal/`); how many."""
    dangling = [p for p in folder.iterdir() if p.is_symlink() and not p.exists()]
    for link in dangling:
        link.unlink()
    return len(dangling)
