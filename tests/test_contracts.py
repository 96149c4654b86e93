"""The import contracts hold against a probe: one forbidden import, added alone to a copy of the
source tree, fails `lint-imports`. A contract that a probe can cross is no contract.

Every probe runs import-linter on the copy in one child process (a fresh interpreter, so the
copy and not this process's `scanner` is analysed); the graph cache makes each probe after the
first cost a parse of the one changed file.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scanner", "server_stub")
PROBE_MODULE = "contract_probe"  # the new module a package probe adds
IGNORED = shutil.ignore_patterns("__pycache__")


class Probe(NamedTuple):
    """`source` imports `imported`: a new module in `source` when it is a package, else a line
    added at the end of the module `source`."""

    source: str
    imported: str

    @property
    def id(self) -> str:
        return f"{self.source}->{self.imported}"


def probes(source: str, *imported: str) -> list[Probe]:
    return [Probe(source, name) for name in imported]


PROBES = [
    # The layers: nothing imports upward, siblings not at all (design.md's arrows).
    *probes("scanner.checkin", "scanner.store", "scanner.reports", "scanner.lang", "scanner.app"),
    *probes("scanner.reports", "scanner.store", "scanner.app"),
    *probes("scanner.private_files", "scanner.checkin", "scanner.store", "scanner.reports"),
    *probes("scanner.listeners", "scanner.checkin", "scanner.store", "scanner.camera"),
    *probes("scanner.store", "scanner.sync", "scanner.camera", "scanner.app"),
    *probes("scanner.sync", "scanner.app", "scanner.camera"),
    # The doors' links sit beside sync: store and the check-in core below them, app above.
    *probes("scanner.peers", "scanner.app", "scanner.sync", "scanner.camera", "scanner.ui"),
    *probes("scanner.sync", "scanner.peers"),
    *probes("scanner.store", "scanner.peers"),
    *probes("scanner.checkin", "scanner.peers"),
    *probes("scanner.ui", "scanner.peers", "zeroconf"),
    *probes("scanner.cli", "scanner.peers", "zeroconf"),
    *probes("scanner.peers", "PySide6", "httpx", "sqlalchemy", "server_stub", "cv2"),
    *probes("scanner.peers.service", "zeroconf"),
    *probes("scanner.app", "zeroconf"),
    *probes("server_stub", "scanner.peers"),
    *probes("scanner.camera", "scanner.sync", "scanner.app"),
    *probes("scanner.app", "scanner.ui", "scanner.cli"),
    *probes("scanner.ui", "scanner.cli"),
    *probes("scanner.cli", "scanner.ui"),
    # Languages are words only, chosen at the edge (app, ui, cli).
    *probes("scanner.lang", "scanner.reports", "scanner.checkin", "server_stub"),
    *probes("scanner.lang", "sqlalchemy", "httpx", "cv2"),
    *probes("scanner.store", "scanner.lang"),
    # Qt: the window's widgets and the report's PDF writer, nothing else.
    *probes("scanner.reports", "PySide6"),
    *probes("scanner.app", "PySide6"),
    *probes("scanner.cli", "PySide6"),
    *probes("scanner.store", "PySide6"),
    *probes("scanner.sync", "PySide6"),
    *probes("scanner.camera", "PySide6"),
    *probes("scanner.checkin", "PySide6"),
    *probes("scanner.lang", "PySide6"),
    *probes("server_stub", "PySide6"),
    *probes("scanner.reports.writers", "scanner.reports.pdf"),
    *probes("scanner.app", "scanner.reports.pdf"),
    *probes("server_stub", "scanner.reports.pdf"),
    # The window and the command line reach store, sync and camera only through app.
    *probes("scanner.ui", "scanner.store", "sqlalchemy", "httpx", "cv2", "server_stub"),
    *probes("scanner.cli", "scanner.store", "scanner.sync", "sqlalchemy", "httpx", "cv2"),
    *probes("scanner.cli", "server_stub"),
    # The companion API shares the check-in core and the report model, and only it is a server.
    *probes("server_stub", "scanner.app", "scanner.store", "cv2"),
    *probes("scanner.sync", "server_stub"),
    *probes("scanner.store", "server_stub"),
    *probes("scanner.checkin", "server_stub"),
    *probes("scanner.camera", "server_stub"),
    # Each package's libraries stay its own.
    *probes("scanner.store", "httpx", "fastapi", "cv2"),
    *probes("scanner.sync", "cv2", "fastapi"),
    *probes("scanner.checkin", "platformdirs", "cryptography", "sqlalchemy", "httpx", "cv2"),
    *probes("scanner.camera", "httpx", "sqlalchemy"),
    *probes("scanner.reports", "sqlalchemy", "httpx", "cv2"),
    # The PDF writer runs in its own process only.
    *probes("scanner.reports.model", "scanner.reports.pdf"),
    # No import cycles: each line closes one.
    *probes("scanner.store.tickets", "scanner.store.records"),
    *probes("scanner.camera.frames", "scanner.camera.sources"),
    *probes("scanner.app.findings", "scanner.app.doctor"),
    *probes("server_stub.api.errors", "server_stub.api.routes.report_files"),
]

RUNNER = r"""
import contextlib, io, json, sys
from pathlib import Path
from importlinter import configuration
from importlinter.application import use_cases

configuration.configure()

def lint(edits):
    before = {path: Path(path).read_text() if Path(path).exists() else None for path, _ in edits}
    for path, text in edits:
        Path(path).write_text((Path(path).read_text() if Path(path).exists() else "") + text)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            kept = use_cases.lint_imports(config_filename="pyproject.toml", no_logo=True)
    finally:
        for path, text in before.items():
            Path(path).unlink() if text is None else Path(path).write_text(text)
    return not kept, out.getvalue()

json.dump({key: lint(edits) for key, edits in json.load(sys.stdin).items()}, sys.stdout)
"""
PLAIN = "import_module strings written as plain imports"
BY_NAME = ("import_module", "__import__")


def edit(root: Path, source: str, imported: str) -> tuple[str, str]:
    """(file, text to add): a new module in a package, or a line at the end of a module."""
    base = root.joinpath(*source.split("."))
    if base.is_dir():
        return str(base / f"{PROBE_MODULE}.py"), f"import {imported}\n"
    return str(base.with_suffix(".py")), f"\nimport {imported}\n"


def computed_imports() -> list[tuple[str, str]]:
    """(importer, imported) for every import by a computed name (`import_module`, `__import__`)
    in the source tree: each is an edge the contracts must allow when written plainly."""
    from scanner.cli.commands import TABLE

    # The command table's modules, loaded by name when their command is chosen.
    known = {"scanner.cli.main": [f"scanner.cli.{command.module}" for command in TABLE]}
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            importer = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or _called(node) not in (
                    "import_module",
                    "__import__",
                ):
                    continue
                target = node.args[0] if node.args else None
                if isinstance(target, ast.Constant) and isinstance(target.value, str):
                    found.append((importer, target.value))
                else:
                    assert importer in known, f"{path}:{node.lineno}: an import by a computed name"
                    found.extend((importer, name) for name in known[importer])
    return found


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def writable(imported: str) -> bool:
    """An Alembic revision's file name starts with its number: no import statement names it."""
    return all(part.isidentifier() for part in imported.split("."))


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bool, str]]:
    """Check -> (lint-imports failed, its output): "" is the tree as it is, each probe id the
    tree with that probe, PLAIN the tree with every computed import written plainly."""
    root = tmp_path_factory.mktemp("contracts")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", root)
    checks = {"": [], **{p.id: [edit(root, p.source, p.imported)] for p in PROBES}}
    checks[PLAIN] = [edit(root, *pair) for pair in computed_imports() if writable(pair[1])]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER], input=json.dumps(checks), cwd=root, env=env,
        capture_output=True, text=True, check=True, timeout=240,
    )  # fmt: skip
    return {key: (failed, text) for key, (failed, text) in json.loads(done.stdout).items()}


def test_the_tree_keeps_every_contract(linted: dict[str, tuple[bool, str]]) -> None:
    failed, output = linted[""]
    assert not failed, output


@pytest.mark.parametrize("probe", PROBES, ids=[p.id for p in PROBES])
def test_a_forbidden_import_breaks_a_contract(
    linted: dict[str, tuple[bool, str]], probe: Probe
) -> None:
    failed, output = linted[probe.id]
    assert failed, f"{probe.source} may import {probe.imported}: no contract forbids it"
    assert "BROKEN" in output, output  # broken by the probe, not an error in reading the tree


def test_imports_by_computed_name_hide_no_edge(linted: dict[str, tuple[bool, str]]) -> None:
    """Written as plain imports, the modules loaded by name keep every contract: a name in a
    string is only a way to load late, never a way past a contract."""
    pairs = computed_imports()
    assert ("scanner.cli.main", "scanner.cli.window_command") in pairs
    assert [pair for pair in pairs if not writable(pair[1])] == [
        ("scanner.store.migrations.versions.0007_remote_device_name",
         "scanner.store.migrations.versions.0003_passages_view"),
    ]  # fmt: skip
    failed, output = linted[PLAIN]
    assert not failed, output


HEAVY = ["PySide6", "shiboken6", "cv2", "numpy", "pyzbar", "zxingcpp", "httpx", "sqlalchemy",
         "zeroconf", "ifaddr"]  # fmt: skip
# Where start-up matters: a new module here may use the heavy libraries only inside functions.
LAZY = ["scanner/cli", "scanner/app", "scanner/lang", "scanner/checkin", "scanner/reports",
        "scanner/sync", "scanner/peers"]  # fmt: skip


@pytest.mark.parametrize("package", LAZY)
def test_heavy_libraries_wait_until_a_function_needs_them(package: str) -> None:
    """ruff's banned-module-level-imports (TID253): a module-level import of each fails, the
    same import inside a function does not."""
    module = "".join(f"import {name}\n" for name in HEAVY)
    lazy = "def later() -> None:\n" + "".join(f"    import {name}\n" for name in HEAVY)
    found = [_banned(f"{package}/{PROBE_MODULE}.py", text) for text in (module, lazy)]
    assert found == [HEAVY, []]


def _banned(filename: str, text: str) -> list[str]:
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [ruff, "check", "--select", "TID253", "--output-format", "json", "--stdin-filename",
         filename, "-"], input=text, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return [d["message"].split("`")[1] for d in json.loads(done.stdout)]
