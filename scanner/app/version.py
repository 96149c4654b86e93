"""The build version and the data file's schema revision this build writes (`--version`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

DISTRIBUTION = "door-scanner"
BUILD_INFO = "build-info.json"  # written into packaged builds by packaging/bundle.py


def build_version() -> str:
    from importlib import metadata  # only for --version and About: it is slow to import

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def build_info() -> dict[str, str]:
    """Commit, build time and platform of a packaged build; empty when run from source."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is None:
        return {}
    try:
        info = json.loads((Path(bundle) / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in info.items()} if isinstance(info, dict) else {}


def schema_revision() -> str:
    from scanner.store.database import HEAD_REVISION

    return HEAD_REVISION


def build_kind() -> str:
    """How this build was made: "from source", or the packaged build's commit and time."""
    if not getattr(sys, "frozen", False):
        return "from source"
    info = build_info()
    return f"packaged build {info.get('commit', '?')}, {info.get('built_at', '?')}"


def version_line() -> str:
    return f"door-scanner {build_version()} ({build_kind()}), data schema {schema_revision()}"


def program() -> str:
    """The command a technician types here: the packaged executable or the source install's."""
    return "door-scanner" if getattr(sys, "frozen", False) else "scanner"
