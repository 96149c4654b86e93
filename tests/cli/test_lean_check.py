"""`scanner check` stays quick to start: it loads the store, never the camera, OpenCV, numpy,
Qt, the HTTP client or the sync service (bench/bench_package.py has the figure)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scanner.app.demo import DemoEvent
from scanner.cli import exits

HEAVY = ["cv2", "numpy", "PySide6", "shiboken6", "httpx", "zxingcpp", "pyzbar"]
OURS = [
    "scanner.sync.engine",
    "scanner.sync.service",
    "scanner.camera.sources",
    "scanner.reports",
    "scanner.ui",
]
RUN = """
import json, sys
from scanner.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:  # --help
    code = exc.code
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""


def _loaded(*argv: str) -> tuple[int, set[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *argv], capture_output=True, text=True, check=True
    )
    last = json.loads(done.stdout.splitlines()[-1])
    return last["exit"], set(last["modules"]), done.stdout


def test_check_admits_without_loading_camera_qt_or_network(
    data_dir: Path, demo_event: DemoEvent
) -> None:
    code = demo_event.codes[demo_event.rows[0].ticket_id]
    exit_code, modules, out = _loaded("--data-dir", str(data_dir), "check", code)
    assert exit_code == exits.OK and "ADMITTED" in out
    assert [name for name in HEAVY + OURS if name in modules] == []
    assert "scanner.store.store" in modules  # it did open the data file


def test_help_lists_every_command_without_importing_them() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scanner", "--help"], capture_output=True, text=True, check=True
    )
    for name in ["check", "import", "enroll", "window", "doctor", "kiosk", "decode", "scan"]:
        assert f"\n    {name} " in done.stdout
    exit_code, modules, out = _loaded("verify-code", "--help")
    assert exit_code == exits.OK and "--keyring KEYRING" in out
    assert "scanner.cli.data_commands" in modules and "scanner.cli.door_commands" not in modules
