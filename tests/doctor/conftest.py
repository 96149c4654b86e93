"""Doctor runs against real parts: real data files, a real companion API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner.app.doctor import DoctorSettings, Finding, diagnose
from server_stub.db import open_database
from server_stub.services import devices
from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, sqlite_url
from tests.cli.run import scanner_process

FAST = frozenset({"camera", "qt", "decoders"})  # each has its own tests


def run(directory: Path, skip: frozenset[str] = FAST, **options: object) -> dict[str, Finding]:
    """The findings by check name (the last one of a name wins)."""
    settings = DoctorSettings(directory, skip=skip, timeout_s=2.0, **options)  # type: ignore[arg-type]
    return {finding.check: finding for finding in diagnose(settings)}


@dataclass
class Enrolled:
    directory: Path
    server: LiveServer
    event: SeededEvent
    stop_server: Callable[[], None]

    def revoke(self) -> None:
        db = open_database(self.server.database_url)
        try:
            with db.writing() as session:
                device = devices.list_devices(session, self.event.event_id)[0]
                devices.revoke_device(session, self.event.event_id, device.id)
        finally:
            db.dispose()


@pytest.fixture
def enrolled(tmp_path: Path) -> Iterator[Enrolled]:
    url = sqlite_url(tmp_path)
    event = seed_event(url, tickets_per_type=3)
    with ExitStack() as running:
        server = running.enter_context(live_server(url))
        directory = tmp_path / "door"
        enrolling = scanner_process(directory, "enroll", server.url, event.enrollment_code())
        assert enrolling.code == 0, enrolling.err
        yield Enrolled(directory, server, event, running.close)
