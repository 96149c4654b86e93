"""Nothing the doors' discovery sends leaves this machine in tests: every multicast socket goes
out through loopback (127.0.0.1) with a TTL of 0, and a capture on every interface but loopback
sees no mDNS packet and no peer connection while two doors find each other and talk."""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import time

import pytest

from scanner.app import neighbours
from scanner.app.clock import SystemClock
from scanner.app.door import Door, door_settings
from scanner.peers.service import PeerService
from scanner.store.store import Store
from tests.peers.conftest import Venue
from tests.peers.doors import WAIT_S
from tests.store_jobs import read_sql

CAPTURE = "udp port 5353 or tcp port 47820"  # mDNS, and peer links on the default port


class Capture:
    """tcpdump on every interface (loopback too: proof that it captures at all) of the packets
    matching CAPTURE; `child` None when it cannot run here."""

    def __init__(self) -> None:
        self.child: subprocess.Popen[str] | None = None
        if os.geteuid() != 0 or shutil.which("tcpdump") is None:
            return
        command = ["tcpdump", "-i", "any", "-n", "-p", "-l", CAPTURE]
        self.child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.child.stderr is not None
        for _line in range(5):  # "listening on any, ..." once it captures
            line = self.child.stderr.readline()
            if "listening" in line:
                return
        self.stop()
        raise AssertionError(f"tcpdump did not start: {line}")

    def stop(self) -> str:
        assert self.child is not None
        if self.child.poll() is None:
            self.child.terminate()
        out, _ = self.child.communicate(timeout=WAIT_S)
        return out

    def packets(self) -> list[str]:
        assert self.child is not None
        time.sleep(0.5)  # (tcpdump's own buffer: the last packets reach its output)
        return [line for line in self.stop().splitlines() if line.strip()]


def test_discovery_stays_on_this_machine(venue: Venue) -> None:
    directories = [venue.enrol(name) for name in ("North gate", "South gate")]
    venue.server_down()
    capture = Capture()
    stores = [Store(d, synchronous=True) for d in directories]
    settings = neighbours.peer_settings(stores[0])
    assert settings is not None and settings.interface.loopback  # $SCANNER_PEER_INTERFACE
    services = [PeerService(s, SystemClock().now, settings) for s in stores]
    try:
        for service in services:
            service.start()
        _wait(lambda: all(s.state.nearby == 1 for s in services))
        for service in services:
            sockets = service.discovery_sockets()
            assert sockets
            for sock in sockets:
                assert _ttl(sock) == 0
                assert _outgoing(sock) == "127.0.0.1"
        door = Door(stores[0], door_settings(stores[0], None))
        admitted = door.check(venue.code(0), source="test")
        services[0].wake()
        _wait(
            lambda: bool(
                read_sql(
                    stores[1],
                    "SELECT 1 FROM remote_passages WHERE entry_id = ?",
                    admitted.entry_id,
                )
            )
        )
    except BaseException:
        if capture.child is not None:
            capture.stop()
        raise
    finally:
        for service in services:
            service.stop()
        for store in stores:
            store.close()
    if capture.child is None:
        pytest.skip("no capture here (needs root and tcpdump): the socket options were checked")
    by_interface: dict[str, int] = {}
    for line in capture.packets():
        interface = line.split()[1]
        by_interface[interface] = by_interface.get(interface, 0) + 1
    assert by_interface.pop("lo", 0) > 0  # the capture saw the doors announce on loopback
    assert by_interface == {}  # ...and nothing anywhere else


def _ttl(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL)


def _outgoing(sock: socket.socket) -> str:
    raw = sock.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, 4)
    return socket.inet_ntoa(struct.pack("4s", raw))


def _wait(holds: object) -> None:
    assert callable(holds)
    deadline = time.monotonic() + WAIT_S
    while not holds():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
