"""Doctor on cameras, decoders, display and sound, with the real libraries of this machine."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanner.app import doctor_qt
from scanner.app.doctor import DoctorSettings, Finding, Level, diagnose
from scanner.cli import exits
from tests.doctor.conftest import run

ROOT = Path(__file__).resolve().parents[2]
WITHOUT = ROOT / "tests" / "packaging" / "without.py"
ALL_BUT = {"data", "server", "decoders", "camera", "qt"}


def only(check: str) -> frozenset[str]:
    return frozenset(ALL_BUT - {check})


def test_both_decoders_read_a_test_code_and_video_files_can_be_read(tmp_path: Path) -> None:
    findings = [f for f in _all(tmp_path, only("decoders")) if f.check == "decoders"]
    assert [(f.level, f.details.get("decoder")) for f in findings] == [
        (Level.OK, "zxing-cpp"),
        (Level.OK, "pyzbar"),
        (Level.OK, None),
    ]
    assert findings[-1].details == {"video": True}  # from source: OpenCV's FFmpeg is there


def test_without_zbar_doctor_names_the_package_to_install(tmp_path: Path) -> None:
    argv = [sys.executable, str(WITHOUT), "pyzbar", "--", "--data-dir", str(tmp_path)]
    argv += ["doctor", "--json", "--skip", "camera", "--skip", "qt", "--skip", "server"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT)
    report = json.loads(done.stdout)
    zbar = next(f for f in report["findings"] if f["details"].get("decoder") == "pyzbar")
    assert zbar["level"] == "warning" and "apt install libzbar0" in zbar["advice"]
    assert done.returncode == exits.DOCTOR_WARNING


@pytest.mark.skipif(bool(glob.glob("/dev/video*")), reason="this machine has a camera")
def test_no_camera_is_a_warning_that_says_what_still_works(tmp_path: Path) -> None:
    finding = run(tmp_path, only("camera"))["camera"]
    assert finding.level is Level.WARNING and "no camera found" in finding.summary
    assert "hand scanners" in finding.advice


def test_a_camera_that_delivers_frames(tmp_path: Path) -> None:
    video = tmp_path / "camera.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 10, (320, 240))
    for shade in range(10):
        writer.write(np.full((240, 320, 3), shade * 20, np.uint8))
    writer.release()
    finding = run(tmp_path, only("camera"), camera=str(video))["camera"]
    assert finding.level is Level.OK and "delivers frames (320x240)" in finding.summary


def test_a_camera_that_cannot_be_opened_is_a_problem(tmp_path: Path) -> None:
    finding = run(tmp_path, only("camera"), camera="/dev/video97")["camera"]
    assert finding.level is Level.PROBLEM and "delivers no frames" in finding.summary
    assert "plug it in again" in finding.advice


def test_no_display_is_a_warning_for_the_window_only() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    finding = doctor_qt.check_display(env) if sys.platform.startswith("linux") else None
    if finding is None:
        pytest.skip("the xcb default is Linux's")
    assert finding.level is Level.WARNING and "no display" in finding.summary
    assert "every other command works" in finding.advice


def test_the_offscreen_platform_works() -> None:
    finding = doctor_qt.check_display({**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert finding.level is Level.OK and "'offscreen' works" in finding.summary


def test_an_x_display_that_is_not_there_is_a_problem() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":87"}
    finding = doctor_qt.check_display(env)
    assert finding.level is Level.PROBLEM
    assert "cannot connect to the display" in finding.summary or "missing" in finding.summary


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs a C compiler to build a plugin")
def test_a_plugin_with_a_missing_library_names_it_and_its_package(tmp_path: Path) -> None:
    # A stand-in platform plugin linked against a library that is then taken away, as when
    # libxcb-icccm4 is not installed: ldd, as doctor runs it, must name what is missing.
    (tmp_path / "dep.c").write_text("int icccm(void) { return 4; }\n")
    (tmp_path / "plugin.c").write_text("int icccm(void); int plugin(void) { return icccm(); }\n")
    dep = tmp_path / "libxcb-doorcheck.so.4"
    _gcc("-shared", "-fPIC", "-Wl,-soname,libxcb-doorcheck.so.4", "-o", dep, tmp_path / "dep.c")
    plugin = tmp_path / "libqxcb.so"
    _gcc("-shared", "-fPIC", "-o", plugin, tmp_path / "plugin.c", dep)
    dep.unlink()
    assert doctor_qt.missing_libraries(plugin) == ["libxcb-doorcheck.so.4"]
    assert doctor_qt.debian_package("libxcb-doorcheck.so.4") == "libxcb-doorcheck4"
    assert doctor_qt.debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert doctor_qt.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert doctor_qt.debian_package("libpulse.so.0") == "libpulse0"


def test_the_real_xcb_plugin_has_its_libraries_here() -> None:
    plugin = doctor_qt.plugin_path("xcb")
    assert plugin is not None and plugin.exists()
    assert doctor_qt.missing_libraries(plugin) == []  # scripts/system-deps.sh installed them


def test_sound_output_is_found_or_its_absence_explained() -> None:
    finding = doctor_qt.check_sound()
    if finding.level is Level.OK:
        assert finding.summary.startswith("sound output:")
    else:
        assert finding.level is Level.WARNING and "silent" in finding.summary
        assert finding.advice


def test_exit_code_and_json_follow_the_worst_finding(tmp_path: Path) -> None:
    tmp_path.joinpath("scanner.sqlite3").write_bytes(b"garbage" * 1000)
    argv = [sys.executable, "-m", "scanner", "--data-dir", str(tmp_path), "doctor"]
    argv += ["--skip", "camera", "--skip", "qt"]
    text = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT)
    assert text.returncode == exits.DOCTOR_PROBLEM
    assert "PROBLEM  data_file" in text.stdout and "-> move the file aside" in text.stdout
    assert "Problems found" in text.stdout
    done = subprocess.run([*argv, "--json"], capture_output=True, text=True, check=False)
    report = json.loads(done.stdout)
    assert done.returncode == exits.DOCTOR_PROBLEM and report["worst"] == "problem"
    assert "data schema" in report["version"]
    assert all(f["advice"] for f in report["findings"] if f["level"] in ("warning", "problem"))


def _all(directory: Path, skip: frozenset[str]) -> list[Finding]:
    return diagnose(DoctorSettings(directory, skip=skip))


def _gcc(*args: object) -> None:
    subprocess.run(["gcc", *map(str, args)], check=True, capture_output=True)
