"""What the window's About tells: build version, the data file's schema revision next to the one
this build writes, this device, where its data lives, and the Python it runs on."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from scanner.app.version import build_kind, build_version, schema_revision
from scanner.store.database import schema_status
from scanner.store.failures import StoreError
from scanner.store.store import Store


@dataclass(frozen=True)
class About:
    version: str
    build: str  # "from source", or the packaged build's commit and time
    schema_file: str | None  # the data file's revision (None: unreadable, see schema_problem)
    schema_build: str  # the newest revision this build knows and writes
    schema_problem: str | None
    device_id: str
    device_name: str | None  # the name given at enrolment
    data_folder: Path
    python: str

    @property
    def schema_current(self) -> bool:
        return self.schema_file == self.schema_build


def about(store: Store) -> About:
    try:
        status = schema_status(store.directory)
        revision, build, problem = status.file, status.build, None
    except StoreError as exc:
        revision, build, problem = None, schema_revision(), str(exc)
    name = store.device_name()
    return About(
        version=build_version(),
        build=build_kind(),
        schema_file=revision,
        schema_build=build,
        schema_problem=problem,
        device_id=store.device_id,
        device_name=name,
        data_folder=store.directory,
        python=f"{platform.python_version()} ({platform.python_implementation()})",
    )
