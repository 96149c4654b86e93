"""Doctor's checks of what the window needs: a display with a working Qt platform plugin, and
sound output. Qt runs in a child process; when the xcb plugin cannot load, `ldd` names the
missing library and the Debian package that holds it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

from scanner.app.findings import DoctorSettings, Finding, Level

PROBE_ARG = "__qt-probe"  # the packaged executable's hidden entry to the probe
PROBE_TIMEOUT_S = 20.0
_NOT_FOUND = re.compile(r"^\s*(\S+) => not found", re.MULTILINE)


def probe_command(kind: str) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, PROBE_ARG, kind]
    return [sys.executable, "-m", "scanner.ui.qt_probe", kind]


def run_probe(kind: str, env: dict[str, str] | None = None) -> tuple[dict[str, object] | None, str]:
    """The probe's answer, or None and what it printed on stderr when it failed."""
    try:
        done = subprocess.run(
            probe_command(kind),
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"the {kind} probe did not finish in {PROBE_TIMEOUT_S:.0f} s"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode == 0 and lines:
        answer: dict[str, object] = json.loads(lines[-1])
        return answer, done.stderr
    return None, done.stderr.strip() or f"exit status {done.returncode}"


def check_qt(_settings: DoctorSettings) -> Iterator[Finding]:
    yield check_display()
    yield check_sound()


def check_display(env: dict[str, str] | None = None) -> Finding:
    environ = os.environ if env is None else env
    platform = environ.get("QT_QPA_PLATFORM", "")
    wanted = platform or ("xcb" if sys.platform.startswith("linux") else "")
    if wanted == "xcb" and not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return Finding(
            "display",
            Level.WARNING,
            "no display: the door window cannot open here (DISPLAY is not set)",
            "start the window from the desktop session or a kiosk session; "
            "every other command works without a display",
        )
    answer, errors = run_probe("display", env)
    if answer is not None:
        screens = answer.get("screens") or []
        assert isinstance(screens, list)
        sizes = ", ".join(f"{s['width']}x{s['height']}" for s in screens)
        level = Level.OK if screens else Level.WARNING
        return Finding(
            "display",
            level,
            f"Qt platform '{answer.get('platform')}' works; screens: {sizes or 'none'}",
            "" if screens else "connect a screen",
            answer,
        )
    return _display_failure(wanted, errors)


def window_blocker(env: dict[str, str] | None = None) -> str | None:
    """Why Qt's platform plugin cannot load here (a library it needs is missing), before Qt
    tries and aborts with its own message; None when nothing is known to stand in the way."""
    environ = os.environ if env is None else env
    platform = environ.get("QT_QPA_PLATFORM", "").partition(":")[0]
    if not platform and sys.platform.startswith("linux") and not environ.get("WAYLAND_DISPLAY"):
        platform = "xcb"
    missing = missing_libraries(plugin_path(platform)) if platform == "xcb" else []
    if not missing:
        return None
    lacking = ", ".join(missing)
    return f"Qt's {platform} display plugin needs libraries this machine lacks: {lacking}"


def _display_failure(platform: str, errors: str) -> Finding:
    details: dict[str, object] = {"platform": platform, "stderr": errors[-2000:]}
    missing = missing_libraries(plugin_path(platform)) if platform else []
    if missing:
        packages = " ".join(debian_package(lib) for lib in missing)
        return Finding(
            "display",
            Level.PROBLEM,
            f"Qt's {platform} platform plugin cannot load: missing {', '.join(missing)}",
            f"install the missing libraries (Debian/Ubuntu: sudo apt install {packages})",
            {**details, "missing": missing},
        )
    if "could not connect to display" in errors:
        return Finding(
            "display",
            Level.PROBLEM,
            f"cannot connect to the display {os.environ.get('DISPLAY', '')}",
            "check that the graphical session runs and that DISPLAY names it",
            details,
        )
    return Finding(
        "display",
        Level.PROBLEM,
        f"Qt cannot start on platform '{platform}': {_last_line(errors)}",
        "run with QT_DEBUG_PLUGINS=1 to see why, or set QT_QPA_PLATFORM to a working platform",
        details,
    )


def check_sound() -> Finding:
    answer, errors = run_probe("audio", {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if answer is None:
        return Finding(
            "sound",
            Level.WARNING,
            f"the sound check failed: {_last_line(errors)}",
            "verdict sounds may be silent; the verdict still shows on screen",
        )
    error = answer.get("error")
    if error:
        lib = re.search(r"(lib[\w.+-]+\.so[.\d]*)", str(error))
        package = debian_package(lib.group(1)) if lib else "libpulse0"
        return Finding(
            "sound",
            Level.WARNING,
            f"Qt's sound support cannot load ({error}): the door will be silent",
            f"install it (Debian/Ubuntu: sudo apt install {package})",
            answer,
        )
    if not answer.get("outputs"):
        return Finding(
            "sound",
            Level.WARNING,
            "no sound output device: the door will be silent",
            "plug in speakers or headphones, or unmute the sound card",
            answer,
        )
    return Finding("sound", Level.OK, f"sound output: {answer.get('default')}", "", answer)


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def plugin_path(platform: str) -> Path | None:
    base = getattr(sys, "_MEIPASS", None)
    if base is not None:
        root = Path(base) / "PySide6"
    else:
        spec = find_spec("PySide6")
        if spec is None or not spec.submodule_search_locations:
            return None
        root = Path(next(iter(spec.submodule_search_locations)))
    for name in (f"libq{platform}.so", f"qt6/libq{platform}.so"):
        path = root / "Qt" / "plugins" / "platforms" / name
        if path.exists():
            return path
    return None


def missing_libraries(library: Path | None) -> list[str]:
    """The shared libraries `library` needs that the dynamic loader cannot find (Linux)."""
    if library is None or not sys.platform.startswith("linux"):
        return []
    try:
        done = subprocess.run(
            ["ldd", str(library)], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted(set(_NOT_FOUND.findall(done.stdout)))


def debian_package(library: str) -> str:
    """The usual Debian package name of a shared library: libxcb-icccm.so.4 -> libxcb-icccm4."""
    base, _, version = library.partition(".so")
    version = version.lstrip(".").split(".")[0]
    joiner = "-" if base[-1:].isdigit() and version else ""
    return f"{base.lower()}{joiner}{version}"
