"""The gate on a built package (run by .ci/run after `make package`): the size the package exists
to reach, and the two Linux build steps that reach it, which fall back without failing the build
when a tool or a wheel's layout is not what they expect (packaging/blas_shim.py,
packaging/video_addon.py). A fallback that nobody reads costs 42 MB each; here it fails CI.

    python packaging/smoke/gate.py [dist/door-scanner] [--limit-mb 250]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import elf  # noqa: E402

LIMIT_MB = 250.0
SHIM_MAX_BYTES = 1_000_000  # the shim is 17 kB; OpenCV's own OpenBLAS is 30 MB and more
PLACEHOLDER_MAX_BYTES = 100_000


def blas_problems(internal: Path) -> list[str]:
    blas = sorted(internal.glob("opencv_python*.libs/libopenblas*.so*"))
    if len(blas) != 1:
        return [f"expected one OpenCV OpenBLAS under {internal.name}, found {len(blas)}"]
    problems = []
    if blas[0].stat().st_size > SHIM_MAX_BYTES:
        problems.append(f"{blas[0].name} is OpenCV's own OpenBLAS, not the shim (blas_shim.py)")
    if list(blas[0].parent.glob("libgfortran*")):
        problems.append("OpenCV's Fortran runtime is still in the build (blas_shim.py)")
    return problems


def video_problems(app: Path) -> list[str]:
    internal = app / "_internal"
    listing = internal / "video-addon.json"
    if not listing.is_file():
        return ["no video-addon.json: the video libraries stayed in the app (video_addon.py)"]
    split = json.loads(listing.read_text())
    addon = app.parent / split["addon"]
    problems = []
    for name in split["libraries"]:
        in_app = internal / name
        if in_app.is_file() and in_app.stat().st_size > PLACEHOLDER_MAX_BYTES:
            problems.append(f"{name} is in the app, not the add-on")
        if not (addon / "_internal" / name).is_file():
            problems.append(f"{name} is missing from the add-on {addon.name}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", nargs="?", type=Path, default=ROOT / "dist" / "door-scanner")
    parser.add_argument("--limit-mb", type=float, default=LIMIT_MB)
    args = parser.parse_args(argv)
    app: Path = args.app
    internal = app / "_internal"
    if not internal.is_dir():
        print(f"package gate FAILED: {app} is not a build (run `make package`)", file=sys.stderr)
        return 1
    size = elf.folder_size(app) / 1e6
    problems = [] if size <= args.limit_mb else [f"unpacked {size:.1f} MB > {args.limit_mb:g} MB"]
    if sys.platform.startswith("linux"):
        problems += blas_problems(internal)
        problems += video_problems(app)
    for problem in problems:
        print(f"package gate FAILED: {problem}", file=sys.stderr)
    if not problems:
        print(f"package gate: {size:.1f} MB unpacked (limit {args.limit_mb:g}), shim and split in")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
