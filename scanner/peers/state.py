"""What a door knows of the doors next to it: the window's badge and `scanner sync` show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Peer:
    device_id: str
    name: str | None  # its enrolment name ("North gate"), when it said one
    address: str  # host:port
    since: datetime  # linked since (this door's clock)
    clock_offset_s: float  # its clock minus ours, as its hello said (warned beyond 2 minutes)
    heard: int = 0  # its passages and undos applied here over this link


@dataclass(frozen=True)
class PeersState:
    """`running` False: the door does not listen (no peer secret, or switched off: `why`);
    running, `why` is a problem it works around (multicast discovery failed)."""

    running: bool
    peers: tuple[Peer, ...] = ()
    listening: str | None = None  # host:port
    interface: str | None = None
    why: str | None = None
    refused: int = 0  # connections refused: not one of this event's doors
    manual: tuple[str, ...] = field(default_factory=tuple)  # addresses given by hand

    @property
    def nearby(self) -> int:
        return len(self.peers)
