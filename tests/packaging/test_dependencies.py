"""The door app installs only what it runs: companion API and demo generators are extras."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from scanner.app.demo import DemoEvent
from scanner.cli import exits
from tests.cli.run import event_today

ROOT = Path(__file__).resolve().parents[2]
SERVER_SIDE = {"fastapi", "uvicorn", "pydantic", "psycopg", "starlette"}
TEST_SIDE = {"pytest", "hypothesis", "schemathesis", "segno"}
WITHOUT = Path(__file__).with_name("without.py")


def _project() -> dict[str, object]:
    with open(ROOT / "pyproject.toml", "rb") as file:
        project: dict[str, object] = tomllib.load(file)["project"]
    return project


def _names(requirements: object) -> set[str]:
    assert isinstance(requirements, list)
    return {r.split("[")[0].split(">")[0].split("=")[0].strip().lower() for r in requirements}


def test_the_door_install_names_no_server_or_test_package() -> None:
    project = _project()
    door = _names(project["dependencies"])
    assert not door & (SERVER_SIDE | TEST_SIDE)
    extras = project["optional-dependencies"]
    assert isinstance(extras, dict)
    assert {"fastapi", "uvicorn", "psycopg"} <= _names(extras["server"])
    assert {"fastapi", "uvicorn", "segno"} <= _names(extras["demo"])
    assert "psycopg" not in _names(extras["demo"])  # the demo's companion API runs on SQLite


def test_make_test_and_make_run_install_every_extra_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "$(call locked-venv,$(VENV),requirements/dev.txt)" in makefile
    assert "--all-extras" in (ROOT / "scripts" / "lock.sh").read_text()


def _without(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    blocked = ",".join(sorted(SERVER_SIDE | TEST_SIDE))
    argv = [sys.executable, str(WITHOUT), blocked, "--", "--data-dir", str(data_dir), *args]
    return subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT)


def test_door_commands_run_without_server_and_demo_packages(
    data_dir: Path, demo_event: DemoEvent
) -> None:
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    event_today(data_dir)  # the command line reads the real clock
    checked = _without(data_dir, "check", code, "--json")
    assert checked.returncode == exits.OK, checked.stderr
    assert '"outcome": "admitted"' in checked.stdout
    assert _without(data_dir, "status").returncode == exits.OK
    assert _without(data_dir, "search", "ORD-000001").returncode == exits.OK
    assert _without(data_dir, "--help").returncode == exits.OK


def test_the_synthetic_camera_says_which_extra_it_needs(data_dir: Path) -> None:
    ran = _without(data_dir, "scan", "--source", "synthetic", "--seconds", "1")
    assert ran.returncode != exits.OK
    assert "door-scanner[demo]" in ran.stderr and "Traceback" not in ran.stderr
