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


def only_needed_by(roots: list[str], folder: Path, root: Path) -> list[str]:
    """`roots` (libraries in `folder`) and every library in `folder` that only they need, directly
    or not: what can go with them, as no other library under `root` links it."""
    linked = links(root)
    closure: list[str] = []
    pending = list(roots)
    while pending:
        name = pending.pop(0)
        if name not in closure and (folder / name).is_file():
            closure.append(name)
            pending.extend(linked.get(folder / name, []))
    others = {n for path, names in linked.items() if path.name not in closure for n in names}
    return [name for name in closure if name in roots or name not in others]


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
