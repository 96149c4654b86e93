"""Every extra runs what it ships, and every venv `make` builds installs what pyproject.toml asks.

Each part of the code is read for the packages it imports at module level; each must be declared,
by name, in the door app's dependencies or the extras that part ships in (a package that only
arrives as another's dependency today may not tomorrow). Imports under `except ImportError`
are the code's own optional paths, which say what to install. The lock files in requirements/
pin every requirement of their set at a version its range admits (scripts/check-extras.sh
installs them in throwaway venvs and runs each)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
with open(ROOT / "pyproject.toml", "rb") as _file:
    PROJECT = tomllib.load(_file)["project"]
DEMO_ONLY = ("scanner/camera/synthetic.py", "scanner/app/demo_site.py")
# Which code ships with which extras: the door app's, the companion API (its own extra, and the
# demo, which runs it on SQLite), the demo's generators.
PARTS = {
    "the door app": (["scanner"], [], DEMO_ONLY),
    "the companion API": (["server_stub"], ["server"], ()),
    # (on SQLite: PostgreSQL's LISTEN relay is imported only for a PostgreSQL database)
    "the demo's companion API": (
        ["server_stub"],
        ["demo"],
        ("server_stub/services/change_relay.py",),
    ),
    "the demo": (list(DEMO_ONLY), ["demo"], ()),
}
# Each lock file and the extras it holds (Makefile, scripts/lock.sh).
LOCKS = {
    "door.txt": [],
    "server.txt": ["server"],
    "dev.txt": list(PROJECT["optional-dependencies"]),
    "package.txt": ["demo", "package"],
}


def _requirements(extras: list[str]) -> list[str]:
    """The door app's requirements and those of `extras`, as pyproject.toml writes them."""
    return PROJECT["dependencies"] + [
        r for extra in extras for r in PROJECT["optional-dependencies"][extra]
    ]


def _declared(extras: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in _requirements(extras)}


def _files(paths: list[str], left_out: tuple[str, ...]) -> Iterator[Path]:
    for path in paths:
        found = [ROOT / path] if path.endswith(".py") else sorted((ROOT / path).rglob("*.py"))
        yield from (f for f in found if f.relative_to(ROOT).as_posix() not in left_out)


def _required_imports(tree: ast.Module) -> Iterator[str]:
    """Top-level modules a file imports, leaving out those guarded by `except ImportError`."""
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
            for h in node.handlers
        ):
            guarded |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.partition(".")[0]


def _distributions(module: str) -> set[str]:
    if module in sys.stdlib_module_names or module in ("scanner", "server_stub", "__future__"):
        return set()
    return {canonicalize_name(d) for d in packages_distributions().get(module, [module])}


@pytest.mark.parametrize("part", PARTS)
def test_every_package_a_part_imports_is_declared_by_its_extras(part: str) -> None:
    paths, extras, left_out = PARTS[part]
    declared = _declared(extras)
    undeclared = {}
    for file in _files(paths, left_out):
        for module in _required_imports(ast.parse(file.read_text(), str(file))):
            missing = _distributions(module) - declared
            if missing:
                undeclared[file.relative_to(ROOT).as_posix()] = sorted(missing)
    assert undeclared == {}, f"{part} imports packages its extras {extras} do not declare"


def _locked(lock: str) -> dict[str, list[tuple[Version, str]]]:
    """Each package the lock pins: its version and environment marker, with its hashes."""
    pins: dict[str, list[tuple[Version, str]]] = {}
    text = (ROOT / "requirements" / lock).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if not line or line.startswith(("#", " ")):
            continue
        assert "--hash=sha256:" in line, f"{lock}: {line.split()[0]} has no hash"
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)\s*(?:;\s*([^-]+?))?\s*--hash", line)
        assert match, f"{lock}: not an exact pin: {line[:80]}"
        name, version, marker = match.groups()
        pins.setdefault(canonicalize_name(name), []).append((Version(version), marker or ""))
    return pins


@pytest.mark.parametrize("lock", LOCKS)
def test_each_lock_pins_every_requirement_of_its_set_within_its_range(lock: str) -> None:
    pins = _locked(lock)
    for text in _requirements(LOCKS[lock]):
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} lacks {name}: run `make lock`"
        for version, _marker in pins[name]:
            assert version in requirement.specifier, (
                f"{lock} pins {name} {version}, outside {requirement.specifier}: run `make lock`"
            )


def test_the_locks_keep_every_hold() -> None:
    """requirements/holds.txt: versions held back on purpose, each with its reason."""
    lines = (ROOT / "requirements" / "holds.txt").read_text().splitlines()
    holds = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    for lock in LOCKS:
        pins = _locked(lock)
        for hold in holds:
            for version, _marker in pins.get(canonicalize_name(hold.name), []):
                assert version in hold.specifier, f"{lock}: {hold.name} {version} breaks a hold"


def test_the_locks_agree_on_every_version() -> None:
    """Versions, not markers: a test tool may need a package on more platforms than the door
    does (selenium's trio needs cffi on Windows too), and its marker in dev.txt says so."""
    dev = _locked("dev.txt")
    for lock in LOCKS:
        for name, pinned in _locked(lock).items():
            versions = sorted(version for version, _marker in pinned)
            assert versions == sorted(v for v, _m in dev[name]), (
                f"{lock} and dev.txt differ on {name}"
            )
