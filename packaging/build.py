"""`make package`: the one-folder build, its licences, and on Linux a .tar.gz and a .deb.

    python packaging/build.py [--skip-pyinstaller] [--no-archives]

Writes dist/door-scanner/ (the app), dist/door-scanner-VERSION-linux-ARCH.tar.gz and
dist/door-scanner_VERSION_ARCH.deb; on Linux also the video add-on (OpenCV's FFmpeg and libavif,
packaging/video_addon.py): dist/door-scanner-video/ and its .tar.gz and .deb. Runs on Windows
and macOS too (the folder and licences only; their installers are described in
packaging/README.md).
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
APP = DIST / "door-scanner"
sys.path.insert(0, str(HERE))
import blas_shim  # noqa: E402
import bundle  # noqa: E402
import elf  # noqa: E402
import icu_data  # noqa: E402
import video_addon  # noqa: E402

ADDON = DIST / video_addon.ADDON

# Distributions in the build whose licences ship with it, and where Qt's and zbar's texts are.
LICENSED = [
    "PySide6-Essentials",
    "PySide6-Addons",
    "shiboken6",
    "opencv-python-headless",
    "numpy",
    "pyzbar",
    "zxing-cpp",
    "SQLAlchemy",
    "alembic",
    "Mako",
    "MarkupSafe",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "idna",
    "certifi",
    "cryptography",
    "cffi",
    "pycparser",
    "platformdirs",
    "greenlet",
    "typing_extensions",
    "fastapi",
    "starlette",
    "uvicorn",
    "pydantic",
    "pydantic_core",
    "annotated-types",
    "click",
    "segno",
]
LICENCE_NAMES = ("LICEN", "COPYING", "NOTICE", "AUTHORS")


def run_pyinstaller() -> None:
    spec = HERE / "door-scanner.spec"
    work = ROOT / "build" / "pyinstaller"
    # Column tables (for the carets under a traceback's line) are a fifth of Python 3.11's
    # bytecode; line numbers stay.
    env = {**os.environ, "PYTHONNODEBUGRANGES": "1"}
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(DIST),
         "--workpath", str(work), str(spec)],
        check=True, env=env,
    )  # fmt: skip


def strip_binaries() -> None:
    """Strip debug symbols (about 30 MB), except in the wheels' vendored `*.libs` folders:
    auditwheel-patched libraries (numpy's OpenBLAS) no longer load once stripped."""
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return
    for path in APP.rglob("*.so*"):
        if path.is_symlink() or not path.is_file() or any(p.endswith(".libs") for p in path.parts):
            continue
        subprocess.run(["strip", "--strip-unneeded", str(path)], check=False, capture_output=True)


def licences() -> None:
    target = APP / "licenses"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    for name in LICENSED:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        folder = target / name
        files = [f for f in dist.files or () if Path(str(f)).name.upper().startswith(LICENCE_NAMES)]
        for file in files:
            source = Path(str(dist.locate_file(file)))
            destination = folder / Path(str(file)).name
            if source.is_file() and not destination.exists():
                folder.mkdir(exist_ok=True)
                shutil.copyfile(source, destination)
        summary = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        folder.mkdir(exist_ok=True)
        (folder / "METADATA-LICENSE.txt").write_text(
            f"{dist.metadata['Name']} {dist.version}\n{summary[:2000]}\n"
        )
    for text in ("LGPL-3.0.txt", "GPL-3.0.txt"):
        shutil.copyfile(HERE / "licenses" / text, target / "PySide6-Essentials" / text)
    zbar = target / "zbar"
    zbar.mkdir()
    shutil.copyfile(HERE / "licenses" / "LGPL-2.1.txt", zbar / "LGPL-2.1.txt")
    debian_copyright = Path("/usr/share/doc/libzbar0/copyright")
    if debian_copyright.exists():
        shutil.copyfile(debian_copyright, zbar / "copyright")
    shutil.copyfile(HERE / "licenses" / "NOTICE.md", target / "NOTICE.md")


def app_files() -> None:
    shutil.copyfile(HERE / "linux" / "README.txt", APP / "README.txt")
    shutil.copyfile(HERE / "icons" / "door-scanner.svg", APP / "door-scanner.svg")


def arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def _as_root(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """Owned by root, writable by its owner alone: unpacked as root (or copied by install.sh), a
    build machine's uid 1000 and group-write bits would hand /opt to whoever has that uid."""
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    member.mode &= ~0o022
    return member


def tarball(app: Path, version: str, out: Path) -> Path:
    path = out / f"door-scanner-{version}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=6) as archive:
        archive.add(app, arcname="door-scanner", filter=_as_root)
        for script in ("install.sh", "uninstall.sh"):
            archive.add(HERE / "linux" / script, arcname=f"door-scanner/{script}", filter=_as_root)
    return path


def addon_files(addon: Path) -> None:
    (addon / "licenses").mkdir(exist_ok=True)
    shutil.copyfile(HERE / "linux" / "VIDEO-ADDON.txt", addon / "licenses" / "VIDEO-ADDON.txt")


def addon_tarball(addon: Path, version: str, out: Path) -> Path:
    """Unpacked over the app's parent folder, its files land inside `door-scanner/`."""
    path = out / f"{addon.name}-{version}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=6) as archive:
        archive.add(addon, arcname="door-scanner", filter=_as_root)
    return path


def deb(app: Path, version: str, out: Path, compression: str = "zstd") -> Path:
    """The .deb: /opt/door-scanner, /usr/bin/door-scanner, menu entry and icon, dependencies."""
    stage = out / "deb-root"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(app, stage / "opt" / "door-scanner", symlinks=True)
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "door-scanner").symlink_to("/opt/door-scanner/door-scanner")
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copyfile(HERE / "linux" / "door-scanner.desktop", apps / "door-scanner.desktop")
    icons = stage / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True)
    shutil.copyfile(HERE / "icons" / "door-scanner.svg", icons / "door-scanner.svg")
    docs = stage / "usr" / "share" / "doc" / "door-scanner"
    docs.mkdir(parents=True)
    shutil.copyfile(HERE / "licenses" / "NOTICE.md", docs / "copyright")
    path = out / f"door-scanner_{version}_{arch()}.deb"
    return _dpkg(stage, "control", ("postinst", "postrm"), path, version, compression)


def addon_deb(addon: Path, version: str, out: Path, compression: str = "zstd") -> Path:
    """The video add-on's .deb: its libraries into /opt/door-scanner, beside the app's."""
    stage = out / "deb-root-video"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(addon, stage / "opt" / "door-scanner", symlinks=True)
    docs = stage / "usr" / "share" / "doc" / addon.name
    docs.mkdir(parents=True)
    shutil.copyfile(HERE / "linux" / "VIDEO-ADDON.txt", docs / "copyright")
    path = out / f"{addon.name}_{version}_{arch()}.deb"
    return _dpkg(stage, "control-video", (), path, version, compression)


def _dpkg(
    stage: Path, template: str, scripts: tuple[str, ...], path: Path, version: str,
    compression: str,
) -> Path:  # fmt: skip
    control = stage / "DEBIAN"
    control.mkdir()
    size_kb = sum(p.stat().st_size for p in stage.rglob("*") if p.is_file()) // 1024
    depends = [
        line.strip()
        for line in (HERE / "linux" / "depends.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    (control / "control").write_text(
        (HERE / "linux" / template)
        .read_text()
        .format(version=version, arch=arch(), installed_kb=size_kb, depends=", ".join(depends))
    )
    for script in scripts:
        shutil.copyfile(HERE / "linux" / script, control / script)
        os.chmod(control / script, 0o755)  # noqa: S103 (dpkg runs maintainer scripts)
    for staged in [stage, *stage.rglob("*")]:  # as the tarball: writable by root alone
        if not staged.is_symlink():
            staged.chmod(staged.stat().st_mode & 0o7755)
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(stage), str(path)],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(stage)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pyinstaller", action="store_true", help="reuse dist/door-scanner")
    parser.add_argument("--no-archives", action="store_true", help="only the folder")
    parser.add_argument(
        "--deb-compression",
        default="zstd",
        choices=["zstd", "gzip", "xz"],
        help="zstd (default: fast; dpkg >= 1.21.18, i.e. Debian 12, Ubuntu 22.04, which the Qt "
        "wheels need anyway), gzip, or xz (smallest, minutes of CPU)",
    )
    args = parser.parse_args()
    version = bundle.version(ROOT)
    if not args.skip_pyinstaller:
        run_pyinstaller()
        strip_binaries()
        if sys.platform.startswith("linux"):
            print(icu_data.shrink(APP, bundle.LANGUAGES))
            print(blas_shim.replace(APP / "_internal"))
            print(video_addon.split(APP, ADDON))
            elf.remove_dangling_links(APP / "_internal")
    licences()
    app_files()
    addon = ADDON.is_dir()
    if addon:
        addon_files(ADDON)
    made = [APP, *([ADDON] if addon else [])]
    if sys.platform.startswith("linux") and not args.no_archives:
        made.append(tarball(APP, version, DIST))
        if addon:
            made.append(addon_tarball(ADDON, version, DIST))
        if shutil.which("dpkg-deb"):
            made.append(deb(APP, version, DIST, args.deb_compression))
            if addon:
                made.append(addon_deb(ADDON, version, DIST, args.deb_compression))
        else:
            print("dpkg-deb not found: no .deb made", file=sys.stderr)
    for path in made:
        print(f"made {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
