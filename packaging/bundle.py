"""What the PyInstaller spec puts in besides the Python code: libzbar, migration scripts, build
information, and what it leaves out. Plain functions, so the spec stays the same on every OS."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import platform
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build" / "package"

# Never needed by the door app: test and development tools, the companion API's PostgreSQL
# driver (the demo's companion API runs on SQLite), GUI toolkits we do not use, and the Qt
# modules the window does not import.
EXCLUDES = [
    "tkinter",
    "pytest",
    "_pytest",
    "hypothesis",
    "schemathesis",
    "mypy",
    "ruff",
    "importlinter",
    "psycopg",
    "psycopg_binary",
    "psycopg2",
    "IPython",
    "matplotlib",
    "tests",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuick3D",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtLocation",
    "PySide6.QtPositioning",
    "PySide6.QtBluetooth",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSvgWidgets",
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtSensors",
    "PySide6.QtSerialBus",
    "PySide6.QtTextToSpeech",
    "PySide6.QtHttpServer",
    "PySide6.QtNetworkAuth",
    "PySide6.QtSpatialAudio",
    # Interactive Python only (and libreadline, libtinfo with it): the app has no Python prompt.
    "readline",
    "pydoc_data",
    # The SQLAlchemy dialects of databases neither the store nor the demo's companion API uses.
    "sqlalchemy.dialects.mysql",
    "sqlalchemy.dialects.mssql",
    "sqlalchemy.dialects.oracle",
    "numpy.f2py",
]
# The languages the app ships (scanner.lang.LANGUAGES; a test keeps the two the same): Qt's and
# Babel's data for any other language would never be read.
LANGUAGES = ("en", "de")
# Qt's own translations: only the base strings (standard buttons, dialogs), in our languages.
QT_TRANSLATIONS_KEPT = tuple(f"qtbase_{language}." for language in LANGUAGES)


def version(root: Path) -> str:
    with open(root / "pyproject.toml", "rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def zbar_binaries() -> list[tuple[str, str]]:
    """libzbar from the build machine, into the app's top folder (the runtime hook looks there).
    On Windows the pyzbar wheel carries its DLLs, collected with the package by its hook."""
    if sys.platform == "win32":
        return []
    name = ctypes.util.find_library("zbar")
    if name is None:
        raise SystemExit("libzbar not found on the build machine (Debian: apt install libzbar0)")
    path = Path(name) if Path(name).is_absolute() else _loaded_path(name)
    return [(str(path), ".")]


def _loaded_path(soname: str) -> Path:
    ctypes.CDLL(soname)
    for line in Path("/proc/self/maps").read_text().splitlines():
        if line.rstrip().endswith(soname) or f"/{soname}" in line:
            return Path(line.split()[-1])
    raise SystemExit(f"{soname} loads but its file cannot be found")


def not_a_migration(module: str) -> bool:
    """Migration scripts ship as data files (Alembic loads them from disk), not as modules."""
    return ".migrations" not in module


def migrations(folder: str, root: Path) -> list[tuple[str, str]]:
    base = root / folder
    return [
        (str(path), str(path.parent.relative_to(root)))
        for path in sorted(base.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]


def build_info(root: Path) -> list[tuple[str, str]]:
    """build-info.json: version, commit and build time, read by `--version`."""
    BUILD.mkdir(parents=True, exist_ok=True)
    info = {
        "version": version(root),
        "commit": _git(root, "describe", "--always", "--dirty", "--abbrev=10"),
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "platform": f"{sys.platform}-{platform.machine()}",
        "python": platform.python_version(),
    }
    path = BUILD / "build-info.json"
    path.write_text(json.dumps(info, indent=2) + "\n")
    return [(str(path), ".")]


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


# Babel's locale data (30 MB for every locale): only the languages the app ships and the root
# locale they inherit from.
BABEL_LOCALES_KEPT = ("root.dat", *(f"{lang}{end}" for lang in LANGUAGES for end in (".dat", "_")))


def keep_datas(datas: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    def wanted(dest: str) -> bool:
        parts = Path(dest).parts
        if "translations" in parts and "Qt" in parts:
            return Path(dest).name.startswith(QT_TRANSLATIONS_KEPT)
        if parts[:2] == ("babel", "locale-data"):
            return Path(dest).name.startswith(BABEL_LOCALES_KEPT)
        return not dest.endswith((".pyi", ".typed"))

    return [entry for entry in datas if wanted(entry[0])]


# Qt plugins the door does not use. The FFmpeg media backend is the big one: it pulls Qt Quick,
# QML and FFmpeg (45 MB); the window's sounds (QSoundEffect, WAV) and audio device list work
# without any media backend, and the camera goes through OpenCV.
QT_PLUGINS_DROPPED = (
    "multimedia/",
    "platforminputcontexts/libqtvirtualkeyboardplugin",
    "platformthemes/libqgtk3",  # pulls GTK, cairo and pango from the build machine
    "egldeviceintegrations/",
    "generic/",
    "networkinformation/",
    "tls/",  # HTTPS goes through httpx and Python's ssl, not Qt
    "platforms/libqeglfs",
    "platforms/libqlinuxfb",
    "platforms/libqminimalegl",
    "platforms/libqvkkhrdisplay",
    "platforms/libqvnc",
    "imageformats/libqpdf",  # PDF pages as images (and libQt6Pdf): reports write PDF, never read
    "imageformats/libqgif",
    "imageformats/libqicns",
    "imageformats/libqtga",
    "imageformats/libqtiff",
    "imageformats/libqwbmp",
    "imageformats/libqwebp",
)
QT_LIBS_DROPPED = (
    "libQt6Quick",
    "libQt6Qml",
    "libQt6VirtualKeyboard",
    "libQt6EglFS",
    "libQt6EglFs",
    "libQt6Pdf",
    "libQt6FFmpegStub",
    "libavcodec.",
    "libavformat.",
    "libavutil.",
    "libswscale.",
    "libswresample.",
)
# Libraries of the desktop the door runs on: taken from the system (the .deb depends on their
# packages, packaging/README.md lists them), never copied from the build machine, where they
# would not match the local X server, sound server or fonts.
SYSTEM_LIBS = (
    "libpulse",
    "libxcb",
    "libX",
    "libxkbcommon",
    "libdbus-1",
    "libsystemd",
    "libfontconfig",
    "libfreetype",
    "libglib-2",
    "libgio-2",
    "libgobject-2",
    "libgmodule-2",
    "libgthread-2",
    "libgtk",
    "libgdk",
    "libcairo",
    "libpango",
    "libatk",
    "libharfbuzz",
    "libfribidi",
    "libthai",
    "libdatrie",
    "libpixman",
    "libgraphite2",
    "libsndfile",
    "libFLAC",
    "libvorbis",
    "libogg",
    "libopus",
    "libmpg123",
    "libmp3lame",
    "libasyncns",
    "libgcrypt",
    "libgpg-error",
    "liblz4",
    "libcap.",
    "libselinux",
    "libmount",
    "libblkid",
    "libpcre2",
    "libbrotli",
    "libbsd",
    "libmd.",
    "libkrb5",
    "libgssapi",
    "libk5crypto",
    "libcom_err",
    "libkeyutils",
    "libpng16.so",
    "libexpat",
    "libuuid",
    # The C++ runtime: every Debian and Ubuntu has it (apt needs it), and a copy from the build
    # machine, older than the venue's, would break the venue's graphics driver (Mesa links a
    # newer libstdc++, and the app's copy would be found first).
    "libstdc++",
    "libgcc_s",
)


def keep_binaries(binaries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [entry for entry in binaries if _kept_binary(Path(entry[0]).as_posix(), entry[1])]


def _kept_binary(dest: str, source: str) -> bool:
    plugins = "PySide6/Qt/plugins/"
    if dest.startswith(plugins):
        return not dest.removeprefix(plugins).startswith(QT_PLUGINS_DROPPED)
    name = dest.rsplit("/", 1)[-1]
    if name.startswith(QT_LIBS_DROPPED):  # also the links to them in the top folder
        return False
    from_system = source.startswith(("/usr/lib", "/lib"))
    return not (from_system and sys.platform.startswith("linux") and name.startswith(SYSTEM_LIBS))


def icon() -> str | None:
    suffix = {"win32": ".ico", "darwin": ".icns"}.get(sys.platform, ".png")
    path = HERE / "icons" / f"door-scanner{suffix}"
    return str(path) if path.exists() else None
