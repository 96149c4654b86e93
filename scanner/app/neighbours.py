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
    from scanner.peers.discovery import Interface
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
    from scanner.peers.service import DEFAULT_PORT, PeerSettings

    if values.get(ON, "on") == "off":
        return None
    where = _interface(os.environ.get(ENV_INTERFACE) or values.get(INTERFACE) or "all")
    port_text = values.get(PORT, str(DEFAULT_PORT))
    if not port_text.isdigit() or int(port_text) > 65535:
        raise PeerSettingError(f"peer port {port_text!r} is not a port number")
    addresses = tuple(parse_address(a) for a in values.get(ADDRESSES, "").split())
    return PeerSettings(where, int(port_text), addresses, values.get(DISCOVERY, "on") != "off")


def _interface(setting: str) -> Interface:
    from scanner.peers.discovery import InterfaceError, interface

    try:
        return interface(setting)
    except InterfaceError as exc:
        raise PeerSettingError(str(exc)) from None


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
    if state.why:
        lines.append(f"  {state.why}: only the addresses given by hand are dialled")
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


def describe(store: Store) -> list[str]:
    """`scanner sync` and `scanner status`: the doors nearby as the door running here last saw
    them, and this door's peer settings."""
    try:
        settings = peer_settings(store)
    except PeerSettingError as exc:
        return [f"doors nearby: a setting is wrong: {exc}"]
    if settings is None:
        return ["doors nearby: switched off (scanner peers --on)"]
    where = f"  listens on {settings.interface}, port {settings.port or 'any'}" + (
        "" if settings.discovery else ", without multicast discovery"
    )
    given = [f"  given by hand: {host}:{port}" for host, port in settings.addresses]
    if store.peer_secret() is None:
        first = "doors nearby: none (no peer secret: enrol, or pair by hand with scanner peers)"
        return [first, where, *given]
    seen = remembered(store)
    if seen is None:
        return ["doors nearby: not known yet (no door has run here since)", where, *given]
    state, at = seen
    lines = peer_lines(state)
    lines[0] += f", as of {at[:19]}"
    return [*lines, where, *given]


def change_settings(
    store: Store,
    *,
    on: bool | None = None,
    interface: str | None = None,
    port: int | None = None,
    add: list[str] | None = None,
    remove: list[str] | None = None,
    discovery: bool | None = None,
) -> None:
    """Change the peer settings (checked before anything is kept)."""
    values = store.app_settings(KEYS)
    if on is not None:
        values[ON] = "on" if on else "off"
    if interface is not None:
        _interface(interface)  # this machine's, whatever $SCANNER_PEER_INTERFACE says now
        values[INTERFACE] = interface
    if port is not None:
        values[PORT] = str(port)
    if discovery is not None:
        values[DISCOVERY] = "on" if discovery else "off"
    listed = [a for a in values.get(ADDRESSES, "").split() if a]
    for text in add or []:
        host, number = parse_address(text)
        if f"{host}:{number}" not in listed:
            listed.append(f"{host}:{number}")
    for text in remove or []:
        host, number = parse_address(text)
        if f"{host}:{number}" not in listed:
            raise PeerSettingError(f"{text} is not among the addresses given by hand")
        listed.remove(f"{host}:{number}")
    values[ADDRESSES] = " ".join(listed)
    settings_from({**values, ON: "on"})  # refuses a bad interface or port before keeping it
    store.save_app_settings(values)


def pair(store: Store, secret: str | None) -> str:
    """Pair this door by hand (an event with no internet at all): keep `secret`, or a new one;
    returns it in the form a lead types at the other doors."""
    import base64

    from scanner.peers.trust import MIN_SECRET, pairing_secret

    if secret is None:
        raw = pairing_secret()
    else:
        letters = secret.replace("-", "").replace(" ", "").upper()
        try:
            raw = base64.b32decode(letters + "=" * (-len(letters) % 8))
        except ValueError:
            raise PeerSettingError("a pairing secret is letters A-Z and digits 2-7") from None
        if len(raw) < MIN_SECRET:
            raise PeerSettingError("that pairing secret is too short: type all of it")
    store.set_peer_secret(raw, "paired")
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))
