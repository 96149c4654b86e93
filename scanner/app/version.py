"""The build version and the data file's schema revision this build writes (`--version`)."""

from __future__ import annotations

import sys
from importlib import metadata

DISTRIBUTION = "door-scanner"


def build_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def schema_revision() -> str:
    from scanner.store.database import HEAD_REVISION

    return HEAD_REVISION


def version_line() -> str:
    kind = "packaged build" if getattr(sys, "frozen", False) else "from source"
    return f"door-scanner {build_version()} ({kind}), data schema {schema_revision()}"


def program() -> str:
    """The command a technician types here: the packaged executable or the source install's."""
    return "door-scanner" if getattr(sys, "frozen", False) else "scanner"
