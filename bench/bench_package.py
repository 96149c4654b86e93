"""The packaged build (`make package` first): its size, its cold start to ready-to-scan, and
`door-scanner check` as a process. One JSON line each.

Targets (issue 12): under 250 MB unpacked; ready to scan (window shown, camera frames flowing,
data open) in under 2 s; `door-scanner check` under 0.5 s. The shared CPU here makes start
times noisy: each figure is the median of several runs, with the first (coldest) run apart.
"""

from __future__ import annotations

import fnmatch
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import ROOT, emit, sized

from scanner.app.demo import make_event, write_snapshot

APP = ROOT / "dist" / "door-scanner"
ADDON = ROOT / "dist" / "door-scanner-video"  # OpenCV's FFmpeg and libavif, apart
EXE = APP / "door-scanner"
RUNS = sized(5, 1)  # after a first, coldest run kept apart
READY = "ready to scan"
BLAS = ("openblas", "gfortran", "quadmath")
VIDEO = ("av", "sw", "aom", "vpx", "ssl", "crypto", "drm")


# Where the size goes: each file counts for the first group one of whose patterns (paths under
# _internal, or folders) it matches.
GROUPS = {
    "OpenCV: cv2 module": ["cv2"],
    "OpenCV: its OpenBLAS (or the shim to numpy's)": [
        f"opencv_python_headless.libs/lib{n}*" for n in BLAS
    ],
    "OpenCV: its FFmpeg, AV1/VP8/AVIF codecs, OpenSSL (placeholders when split out)": [
        *(f"opencv_python_headless.libs/lib{n}*" for n in VIDEO),
        *(f"lib{n}-*" for n in VIDEO),
    ],
    "OpenCV: other libraries": ["opencv_python_headless.libs"],
    "Qt: ICU data and libraries": ["PySide6/Qt/lib/libicu*"],
    "Qt: libraries": ["PySide6/Qt/lib", "PySide6/*.so*", "shiboken6"],
    "Qt: plugins, translations": ["PySide6"],
    "numpy": ["numpy"],
    "numpy: its OpenBLAS": ["numpy.libs"],
    "Python": ["libpython3*", "python3*", "base_library.zip", "lib-dynload"],
    "cryptography, OpenSSL": ["cryptography", "libcrypto*", "libssl*", "_cffi_backend*"],
    "SQLCipher": ["sqlcipher3"],
    "SQLAlchemy": ["sqlalchemy"],
    "companion API for --demo": ["pydantic*", "fastapi", "starlette", "uvicorn"],
}


def sizes() -> None:
    internal = APP / "_internal"
    total = _size(APP)
    largest = dict.fromkeys(GROUPS, 0.0)
    for path in internal.rglob("*"):
        if path.is_file() and not path.is_symlink():
            group = _group(path.relative_to(internal).as_posix())
            if group is not None:
                largest[group] += path.stat().st_size / 1e6
    largest["the executable (its Python code archive)"] = EXE.stat().st_size / 1e6
    largest["everything else"] = total / 1e6 - sum(largest.values())
    archives = {
        path.name: round(path.stat().st_size / 1e6, 1)
        for path in sorted((ROOT / "dist").glob("door-scanner*"))
        if path.is_file()
    }
    emit(
        "package_size",
        unpacked_mb=round(total / 1e6, 1),
        target_mb=250,
        video_addon_unpacked_mb=round(_size(ADDON) / 1e6, 1) if ADDON.is_dir() else None,
        compressed_mb=archives,
        largest_mb={k: round(v, 1) for k, v in sorted(largest.items(), key=lambda kv: -kv[1])},
    )


def _group(relative: str) -> str | None:
    for name, patterns in GROUPS.items():
        for pattern in patterns:
            if relative.startswith(f"{pattern}/") or fnmatch.fnmatch(relative, pattern):
                return name
    return None


def _size(path: Path) -> int:
    if path.is_symlink() or not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _data_dir(folder: Path) -> tuple[Path, list[str]]:
    event = make_event(300)
    now = datetime.now(UTC)
    snapshot = write_snapshot(event, folder / "event.jsonl", now.date(), now)
    data = folder / "data"
    imported = subprocess.run(
        [str(EXE), "--data-dir", str(data), "import", str(snapshot), "--trust",
         event.platform_fingerprint],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if imported.returncode != 0:
        raise SystemExit(f"import failed: {imported.stderr}")
    return data, list(event.codes.values())


def check_process(data: Path, codes: list[str], env: dict[str, str]) -> None:
    """Wall time, and the child's CPU time: on a loaded machine the CPU time is the steadier
    figure (the wall time waits for other processes' turns). The packaged check, the same
    check from source and, as baselines, Python starting and Python importing SQLAlchemy (which
    the store is written on) take turns, so that all four see the same speed of this VM (which
    drifts by a third over minutes)."""

    def once(argv: list[str]) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, check=False)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    python = str(ROOT / ".venv" / "bin" / "python")
    check = ["--data-dir", str(data), "check"]
    kinds: dict[str, list[tuple[float, float]]] = {
        "packaged": [], "source": [], "python": [], "sqlalchemy": []
    }  # fmt: skip
    for run in range(RUNS + 1):
        kinds["packaged"].append(once([str(EXE), *check, codes[2 * run]]))
        kinds["source"].append(once([python, "-m", "scanner", *check, codes[2 * run + 1]]))
        kinds["python"].append(once([python, "-c", "pass"]))
        kinds["sqlalchemy"].append(once([python, "-c", "import sqlalchemy"]))
    wall = {k: statistics.median(w for w, _ in v[1:]) for k, v in kinds.items()}
    cpu = {k: statistics.median(c for _, c in v[1:]) for k, v in kinds.items()}
    emit(
        "package_check_process",
        first_s=round(kinds["packaged"][0][0], 3),
        median_s=round(wall["packaged"], 3),
        median_cpu_s=round(cpu["packaged"], 3),
        from_source_median_s=round(wall["source"], 3),
        from_source_median_cpu_s=round(cpu["source"], 3),
        python_start_median_s=round(wall["python"], 3),
        python_importing_sqlalchemy_median_s=round(wall["sqlalchemy"], 3),
        packaged_over_source=round(cpu["packaged"] / cpu["source"], 2),
        sqlalchemy_import_share_of_source_check=round(
            (cpu["sqlalchemy"] - cpu["python"]) / cpu["source"], 2
        ),
        target_s=0.5,
        runs=RUNS,
        loadavg=round(os.getloadavg()[0], 1),
    )


def cold_start(data: Path, env: dict[str, str]) -> None:
    if shutil.which("Xvfb") is None:
        emit("package_cold_start", skipped="Xvfb is not installed")
        return
    display = subprocess.Popen(["Xvfb", ":97", "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
    try:
        times = [
            _until_ready(data, {**env, "DISPLAY": ":97", "QT_QPA_PLATFORM": "xcb"})
            for _ in range(RUNS + 1)
        ]
    finally:
        display.terminate()
        display.wait()
    emit(
        "package_cold_start",
        first_s=round(times[0], 3),
        median_s=round(statistics.median(times[1:]), 3),
        target_s=2.0,
        runs=RUNS,
        ready="window shown, synthetic camera frame painted, data file open",
        loadavg=round(os.getloadavg()[0], 1),
    )


def _until_ready(data: Path, env: dict[str, str]) -> float:
    logs = Path(env["SCANNER_LOG_DIR"]) / "door-scanner.log"
    logs.unlink(missing_ok=True)
    argv = [str(EXE), "--data-dir", str(data), "window", "--source", "synthetic"]
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            if logs.exists() and READY in logs.read_text(encoding="utf-8", errors="replace"):
                return time.perf_counter() - started
            if child.poll() is not None:
                raise SystemExit(f"the window exited with {child.returncode}")
            time.sleep(0.005)
        raise SystemExit("the window was not ready within 60 s")
    finally:
        child.terminate()
        child.wait(timeout=30)


def main() -> None:
    if not EXE.exists():
        emit("package_size", skipped="no build: run `make package` first")
        return
    sizes()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(folder / "home"),
            "SCANNER_LOG_DIR": str(folder / "logs"),
            "SCANNER_LOG_LEVEL": "INFO",
            "SCANNER_KEY_FILE": str(folder / "device.key"),
        }
        os.environ["SCANNER_KEY_FILE"] = env["SCANNER_KEY_FILE"]
        data, codes = _data_dir(folder)
        check_process(data, codes, env)
        cold_start(data, env)


if __name__ == "__main__":
    main()
