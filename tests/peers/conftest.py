"""Doors next to each other: real door processes on this machine, discovering each other by
multicast DNS on loopback only (TTL 0, 127.0.0.1 as the outgoing interface), with the real
companion API on 127.0.0.1 for their enrolment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from server_stub.testing import SeededEvent, free_port, live_server, seed_event, sqlite_url
from tests.peers.doors import DoorProcess, enrol_door
from tests.server_rows import server_rows


@dataclass
class Venue:
    """An event on the companion API, and the doors enrolled with it (processes)."""

    folder: Path
    event: SeededEvent
    url: str
    port: int
    server: ExitStack = field(repr=False)
    doors: list[DoorProcess] = field(default_factory=list)
    database_url: str = ""

    def server_up(self) -> None:
        """The companion API at its address (again)."""
        self.database_url = sqlite_url(self.folder)
        self.server.enter_context(live_server(self.database_url, port=self.port))

    def server_down(self) -> None:
        """The venue's internet fails: the companion API cannot be reached."""
        self.server.close()

    def checkins_per_entry(self) -> dict[str, int]:
        sql = "SELECT entry_id, COUNT(*) FROM checkins GROUP BY 1"
        rows = server_rows(sqlite_url(self.folder), sql)
        return {str(entry): int(count) for entry, count in rows}

    def code(self, index: int) -> str:
        return self.event.codes[self.event.ticket_ids[index]]

    def enrol(self, name: str, **settings: str) -> Path:
        """Enrol a door named `name` ("North gate"); its data folder."""
        short = name.split()[0].lower()
        directory = self.folder / short
        values = {f"door.{key}": value for key, value in settings.items()}
        enrol_door(directory, self.url, self.event.enrollment_code(short), name, values)
        return directory

    def enrol_by_address(self, south_port: int, dialled: int) -> tuple[Path, Path]:
        """South listening on `south_port` and North dialling port `dialled` (South's, or a
        relay's in front of it), discovery off: doors where multicast is blocked."""
        south = self.enrol("South gate", peer_port=str(south_port), peer_discovery="off")
        north = self.enrol(
            "North gate", peer_port="0", peer_discovery="off", peer_addresses=f"127.0.0.1:{dialled}"
        )
        return south, north

    def start(self, directory: Path, *options: str) -> DoorProcess:
        door = DoorProcess(directory, *options)
        self.doors.append(door)
        return door


@pytest.fixture
def venue(tmp_path: Path, loopback_multicast: None) -> Iterator[Venue]:
    url = sqlite_url(tmp_path)
    event = seed_event(url, tickets_per_type=10, ticket_types=("ga",))
    port = free_port()
    with ExitStack() as server:
        venue = Venue(tmp_path, event, f"http://127.0.0.1:{port}", port, server)
        venue.server_up()
        try:
            yield venue
        finally:
            for door in venue.doors:
                door.close()
