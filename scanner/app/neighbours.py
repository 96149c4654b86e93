"""The doors next to this one, as the app wires them: settings, the service, and words.

Settings (the app's own, in the data file; `scanner peers` changes them):

- `door.peers`: "off" keeps this door alone on the venue's network (default: on);
- `door.peer_interface`: where it listens and announces: "all" (the default), "loopback", an
  IPv4 address or an interface name (e.g. "wlan0"). `$SCANNER_PEER_INTERFACE` overrides it:
  tests, benchmarks and the demo set "loopback", so nothing they do leaves this machine;
- `door.peer_port`: the TCP port (default 47820; 0: any free port, found by discovery only);
- `door.peer_addresses`: peers given by hand, "host:port" separated by spaces (networks that
  block multicast);
- `door.peer_discovery`: "off" uses only the addresses given by hand.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from scanner.store.store import Store

if TYPE_CHECKING:  # the links load only when a door starts them (`scanner check` never does)
    from scanner.peers.service import PeerService, PeerSettings
    from scanner.peers.state import PeersState

ENV_INTERFACE = "SCANNER_PEER_INTERFACE"
ON, INTERFACE, PORT, ADDRESSES, DISCOVERY = (
    "door.peers",
    "door.peer_interface",
    "door.peer_port",
    "door.peer_addresses",
    "door.peer_discovery",
)
SEEN = "door.peers_seen"  # the running door's last word on its peers, for `scanner status`
KEYS = (ON, INTERFACE, PORT, ADDRESSES, DISCOVERY)
CLOCK_WARNING_S = 120.0


class PeerSettingError(ValueError):
    """A peer setting that cannot be used; the message says which and why."""


def parse_address(text: str) -> tuple[str, int]:
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise PeerSettingError(f"{text!r} is not host:port (e.g. 192.168.1.20:47820)")
    return host.strip("[]"), int(port)


def settings_from(values: dict[str, str]) -> PeerSettings | None:
    """The peer settings the stored values say (None: switched off)."""
    from scanner.peers.discovery import InterfaceError, interface
    from scanner.peers.service import DEFAULT_PORT, PeerSettings

    if values.get(ON, "on") == "off":
        return None
    chosen = os.environ.get(ENV_INTERFACE) or values.get(INTERFACE) or "all"
    try:
        where = interface(chosen)
    except InterfaceError as exc:
        raise PeerSettingError(str(exc)) from None
    port_text = values.get(PORT, str(DEFAULT_PORT))
    if not port_text.isdigit() or int(port_text) > 65535:
        raise PeerSettingError(f"peer port {port_text!r} is not a port number")
    addresses = tuple(parse_address(a) for a in values.get(ADDRESSES, "").split())
    return PeerSettings(where, int(port_text), addresses, values.get(DISCOVERY, "on") != "off")


def peer_settings(store: Store) -> PeerSettings | None:
    return settings_from(store.app_settings(KEYS))


def service_for(
    store: Store,
    now: Callable[[], datetime],
    settings: PeerSettings,
    applied: Callable[[object], None] | None = None,
) -> PeerService:
    from scanner.peers.service import PeerService

    return PeerService(store, now, settings, applied)


def nearby_words(count: int) -> str:
    return "1 door nearby" if count == 1 else f"{count} doors nearby"


def peer_lines(state: PeersState) -> list[str]:
    """What `scanner sync` and `scanner status` print about the doors nearby."""
    if not state.running:
        return [f"doors nearby: none (not listening: {state.why})"]
    lines = [f"doors nearby: {len(state.peers)} (listening on {state.listening})"]
    for peer in state.peers:
        clock = ""
        if abs(peer.clock_offset_s) > CLOCK_WARNING_S:
            clock = f", its clock {_offset(peer.clock_offset_s)} (passages show its time)"
        lines.append(f"  {peer.name or peer.device_id} at {peer.address}{clock}")
    if state.refused:
        lines.append(f"  refused {state.refused} connections: not doors of this event")
    return lines


def _offset(seconds: float) -> str:
    minutes = round(abs(seconds) / 60)
    return f"{minutes} min {'ahead' if seconds > 0 else 'behind'}"


def remember(store: Store, state: PeersState, at: datetime) -> None:
    """Keep the running door's view of its peers for commands run beside it."""
    seen = {
        "at": at.isoformat(timespec="seconds"),
        "running": state.running,
        "why": state.why,
        "listening": state.listening,
        "refused": state.refused,
        "peers": [
            {"id": p.device_id, "name": p.name, "address": p.address, "offset": p.clock_offset_s}
            for p in state.peers
        ],
    }
    store.save_app_settings({SEEN: json.dumps(seen)})


def remembered(store: Store) -> tuple[PeersState, str] | None:
    """The last view a running door kept, and when (None: no door ran peers here)."""
    from scanner.peers.state import Peer, PeersState

    text = store.app_settings([SEEN]).get(SEEN)
    if not text:
        return None
    seen = json.loads(text)
    at = datetime.fromisoformat(seen["at"])
    peers = tuple(
        Peer(p["id"], p["name"], p["address"], at, float(p["offset"])) for p in seen["peers"]
    )
    state = PeersState(
        bool(seen["running"]), peers, seen["listening"], why=seen["why"], refused=seen["refused"]
    )
    return state, seen["at"]
