"""Finding the event's other doors without a technician: multicast DNS (python-zeroconf), on
one network interface only, the one the door's settings name.

Each door announces `<device id>._door-peers._tcp.local.` with its event tag (never the secret)
and its port, and browses for the others; a door whose tag is another event's is ignored. On
loopback (tests, the demo) the multicast sockets are bound to 127.0.0.1 with a TTL of 0: nothing
leaves this machine.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zeroconf import ServiceStateChange, Zeroconf

SERVICE = "_door-peers._tcp.local."
LOOPBACK = "127.0.0.1"
log = logging.getLogger(__name__)


class InterfaceError(ValueError):
    """The interface named in the settings is not one of this machine's."""


@dataclass(frozen=True)
class Interface:
    """Where a door listens and announces: one IPv4 address (None: every interface)."""

    address: str | None

    @property
    def loopback(self) -> bool:
        return self.address is not None and ipaddress.ip_address(self.address).is_loopback

    @property
    def bind(self) -> str:
        return self.address or "0.0.0.0"  # noqa: S104 (the operator chose every interface)

    def __str__(self) -> str:
        return self.address or "every interface"


def interface(setting: str) -> Interface:
    """The interface a setting names: "loopback", "all", an IPv4 address or an interface name
    (e.g. "eth0", "wlan0")."""
    value = setting.strip()
    if value in ("lo", "loopback", "localhost", LOOPBACK):
        return Interface(LOOPBACK)
    if value in ("all", "*", "0.0.0.0"):  # noqa: S104
        return Interface(None)
    try:
        return Interface(str(ipaddress.IPv4Address(value)))
    except ValueError:
        pass
    import ifaddr

    for adapter in ifaddr.get_adapters():
        if adapter.nice_name == value or adapter.name == value:
            for ip in adapter.ips:
                if isinstance(ip.ip, str):
                    return Interface(ip.ip)
            raise InterfaceError(f"network interface {value!r} has no IPv4 address")
    raise InterfaceError(f"no network interface {value!r} on this machine")


@dataclass(frozen=True)
class Found:
    device_id: str
    host: str
    port: int


class Discovery:
    """Announce this door and report the event's other doors as they appear (`on_found` runs on
    zeroconf's browser thread)."""

    def __init__(
        self,
        where: Interface,
        tag: str,
        device_id: str,
        port: int,
        on_found: Callable[[Found], None],
    ) -> None:
        self.where = where
        self.tag = tag
        self.device_id = device_id
        self.port = port
        self.on_found = on_found
        self._zc: Zeroconf | None = None
        self._browser: Any = None

    def start(self) -> None:
        from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, Zeroconf

        if self.where.address is None:
            zc = Zeroconf(ip_version=IPVersion.V4Only)
            addresses = [socket.inet_aton(a) for a in _own_addresses()]
        else:
            zc = Zeroconf(interfaces=[self.where.address], ip_version=IPVersion.V4Only)
            addresses = [socket.inet_aton(self.where.address)]
        if self.where.loopback:
            keep_on_this_machine(zc)
        self._zc = zc
        info = ServiceInfo(
            SERVICE,
            f"{self.device_id}.{SERVICE}",
            addresses=addresses,
            port=self.port,
            properties={"tag": self.tag, "id": self.device_id},
        )
        zc.register_service(info, allow_name_change=True)
        self._browser = ServiceBrowser(zc, SERVICE, handlers=[self._changed])

    def stop(self) -> None:
        if self._browser is not None:
            self._browser.cancel()
            self._browser = None
        if self._zc is not None:
            self._zc.close()  # says goodbye: the others drop this door's record
            self._zc = None

    def sockets(self) -> list[socket.socket]:
        """The multicast sockets (tests read their options)."""
        return [] if self._zc is None else _sockets(self._zc)

    def _changed(
        self, zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        from zeroconf import ServiceStateChange

        if state_change is ServiceStateChange.Removed:
            return  # a link ends on its own when the door goes
        info = zeroconf.get_service_info(service_type, name, timeout=2000)
        if info is None:
            return
        props = {k: v for k, v in info.properties.items() if v is not None}
        tag, device_id = props.get(b"tag", b"").decode(), props.get(b"id", b"").decode()
        if tag != self.tag or not device_id or device_id == self.device_id or not info.port:
            return
        for host in info.parsed_addresses():
            self.on_found(Found(device_id, host, info.port))


def keep_on_this_machine(zc: Zeroconf) -> None:
    """Multicast TTL 0 and loopback as the outgoing interface on every zeroconf socket: its
    packets are delivered on this host only, never sent out of a real interface. Done before
    anything is announced (zeroconf sends nothing before a service or a browser)."""
    ttl = struct.pack("B", 0)
    for sock in _sockets(zc):
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(LOOPBACK))


def _sockets(zc: Zeroconf) -> list[socket.socket]:
    """Its sockets, once its engine has taken them (it starts on a thread of its own)."""
    deadline = time.monotonic() + 10.0
    while not zc.started and time.monotonic() < deadline:
        time.sleep(0.01)
    engine: Any = zc.engine
    found = [engine._listen_socket, *engine._respond_sockets]
    found += [wrapped.sock for wrapped in (*engine.readers, *engine.senders)]
    unique: dict[int, socket.socket] = {}
    for sock in found:
        if sock is not None and sock.fileno() != -1:
            unique[id(sock)] = sock
    return list(unique.values())


def _own_addresses() -> list[str]:
    import ifaddr

    return [
        ip.ip
        for adapter in ifaddr.get_adapters()
        for ip in adapter.ips
        if isinstance(ip.ip, str) and not ipaddress.ip_address(ip.ip).is_loopback
    ]
