"""Doors nearby under faults, with real sockets and real door processes: a peer killed in the
middle of a message, a peer whose clock is an hour ahead, a partition that heals, and a laptop
on the venue's network forging or replaying entries."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

from scanner.checkin.change_records import RemotePassage
from scanner.checkin.reasons import Direction
from scanner.peers.protocol import Entries, Hello, encode, read_frame, send_frame
from scanner.peers.trust import connection_keys, event_tag, new_nonce
from scanner.store.store import Store
from server_stub.testing import free_port
from tests.peers.conftest import Venue
from tests.peers.doors import ROOT, WAIT_S, Relay

# A door of the event (it holds the secret) that dies in the middle of sending an admission: it
# says hello, sends half a frame, and is killed (SIGKILL: the kernel closes its socket).
KILLED_MID_MESSAGE = """
import os, signal, socket, sys, time
from datetime import UTC, datetime
from scanner.checkin.change_records import RemotePassage
from scanner.checkin.reasons import Direction
from scanner.peers.channel import handshake
from scanner.peers.protocol import Entries, Hi, _LENGTH, encode
port, secret, ticket, event = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), *sys.argv[3:5]
deadline = time.monotonic() + 60  # the door listens once its peers have started
while True:
    try:
        sock = socket.create_connection(("127.0.0.1", port))
        break
    except ConnectionRefusedError:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.05)
channel = handshake(sock, secret, event, "dev-dying", initiated=True, address="south")
channel.send(Hi("Dying gate", datetime.now(UTC), 0))
passage = RemotePassage("00000000-0000-4000-8000-00000000dead", ticket, Direction.ENTRY,
                        datetime.now(UTC), "west", "dev-dying", None, "Dying gate")
sealed = channel._sealer.seal(encode(Entries(((1, passage),))))
frame = _LENGTH.pack(len(sealed)) + sealed
sock.sendall(frame[: len(frame) // 2])
print("half sent", flush=True)
sys.stdin.readline()
os.kill(os.getpid(), signal.SIGKILL)
"""


def _secret(directory: Path) -> bytes:
    with Store(directory, synchronous=True) as store:
        secret = store.peer_secret()
    assert secret is not None
    return secret


def test_a_peer_killed_mid_message_costs_nothing(venue: Venue) -> None:
    port = free_port()
    south_dir, north_dir = venue.enrol_by_address(port, port)
    venue.server_down()
    south = venue.start(south_dir)
    ticket, secret = venue.event.ticket_ids[0], _secret(south_dir).hex()
    dying = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_MESSAGE, str(port), secret, ticket, venue.event.event_id],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert dying.stdout is not None and dying.stdin is not None
    assert dying.stdout.readline().strip() == "half sent"
    south.nearby(1)  # its hello and hi arrived: a door of the event
    dying.stdin.write("die\n")
    dying.stdin.flush()
    assert dying.wait(timeout=WAIT_S) == -9
    dying.stdin.close()
    dying.stdout.close()
    south.nearby(0)
    # half a message is no message: the ticket was not taken as admitted
    assert south.ask("knows 00000000-0000-4000-8000-00000000dead")["known"] is False
    assert south.scan(venue.code(0))["reason"] == "ok"

    # a real door killed (kill -9) and started again links up and tells what it missed
    north = venue.start(north_dir)
    south.nearby(1)
    first = north.scan(venue.code(1))
    south.knows(first["entry_id"])
    north.kill()
    south.nearby(0)
    north = venue.start(north_dir)
    second = north.scan(venue.code(2))
    south.knows(second["entry_id"])
    assert south.scan(venue.code(2))["reason"] == "already_checked_in"


def test_a_peer_whose_clock_is_an_hour_ahead(venue: Venue) -> None:
    north_dir = venue.enrol("North gate", peer_port="0")
    south_dir = venue.enrol("South gate", peer_port="0")
    venue.server_down()
    north = venue.start(north_dir, "--clock-offset", "3600")
    south = venue.start(south_dir)
    (peer,) = south.nearby(1)["nearby"]
    assert 3500 < peer["offset"] < 3700  # shown to staff: its passages carry its own time
    admitted = north.scan(venue.code(0))
    south.knows(admitted["entry_id"])
    screenshot = south.scan(venue.code(0))
    assert screenshot["reason"] == "already_checked_in"
    assert screenshot["first"]["device_name"] == "North gate"


def test_a_partition_heals_and_both_sides_record_the_double_entry(venue: Venue) -> None:
    port = free_port()
    relay = Relay(port)
    try:
        south_dir, north_dir = venue.enrol_by_address(port, relay.port)
        venue.server_down()
        north, south = venue.start(north_dir), venue.start(south_dir)
        north.nearby(1)
        relay.cut()
        north.nearby(0)
        south.nearby(0)
        same = venue.event.ticket_ids[0]
        north_in = north.scan(venue.code(0))
        south_in = south.scan(venue.code(0))  # cannot know: the network between them is down
        assert north_in["reason"] == south_in["reason"] == "ok"
        north_only = north.scan(venue.code(1))
        south_only = south.scan(venue.code(2))
        relay.heal()
        north.nearby(1)
        for entry in (north_in, north_only):
            south.knows(entry["entry_id"])
        for entry in (south_in, south_only):
            north.knows(entry["entry_id"])
        for door in (north, south):
            assert door.ask("conflicts")["tickets"] == [same]
        assert south.scan(venue.code(1))["reason"] == "already_checked_in"
        assert north.scan(venue.code(2))["reason"] == "already_checked_in"
    finally:
        relay.close()


def test_a_laptop_cannot_forge_or_replay_entries(venue: Venue) -> None:
    port, east_port = free_port(), free_port()
    relay = Relay(port)
    try:
        south_dir, north_dir = venue.enrol_by_address(port, relay.port)
        east_dir = venue.enrol("East gate", peer_port=str(east_port), peer_discovery="off")
        tag = event_tag(_secret(south_dir), venue.event.event_id)  # public: every door announces it
        venue.server_down()
        north, south, east = (venue.start(d) for d in (north_dir, south_dir, east_dir))
        south.nearby(1)
        admitted = north.scan(venue.code(0))
        south.knows(admitted["entry_id"])

        # forged: the event's tag, but sealed without the secret
        forged_id = "00000000-0000-4000-8000-0000000f0e9e"
        _forge(port, tag, venue.event.event_id, venue.event.ticket_ids[1], forged_id)
        south.wait_for("peers", lambda a: a["refused"] >= 1)
        assert south.ask(f"knows {forged_id}")["known"] is False
        assert south.scan(venue.code(1))["reason"] == "ok"

        # replayed: what North sent South, sent again word for word to the East gate
        recorded = relay.sent[0]
        assert len(recorded) > 200
        east.wait_for("peers", lambda a: a["listening"] is not None)
        with socket.create_connection(("127.0.0.1", east_port), timeout=WAIT_S) as sock:
            sock.sendall(recorded)
            sock.settimeout(WAIT_S)
            _drain(sock)
        east.wait_for("peers", lambda a: a["refused"] >= 1)
        assert east.ask(f"knows {admitted['entry_id']}")["known"] is False
        assert east.scan(venue.code(0))["reason"] == "ok"  # it never heard of that admission
    finally:
        relay.close()


def _forge(port: int, tag: str, event_id: str, ticket_id: str, entry_id: str) -> None:
    from datetime import UTC, datetime

    with socket.create_connection(("127.0.0.1", port), timeout=WAIT_S) as sock:
        mine = Hello(tag, "dev-laptop", new_nonce())
        send_frame(sock, mine.to_bytes())
        theirs = Hello.from_bytes(read_frame(sock))
        guessed = b"\x00" * 32  # anything but the event's secret
        sealer = connection_keys(
            guessed, event_id, ("dev-laptop", mine.nonce), (theirs.device_id, theirs.nonce), True
        )
        passage = RemotePassage(
            entry_id, ticket_id, Direction.ENTRY, datetime.now(UTC), "north", "dev-laptop"
        )
        send_frame(sock, sealer.seal(encode(Entries(((1, passage),)))))
        _drain(sock)


def _drain(sock: socket.socket) -> None:
    """Read until the door hangs up (it does, at the first frame it cannot open)."""
    try:
        while sock.recv(65536):
            pass
    except OSError:
        pass


def test_passages_only_travel(venue: Venue) -> None:
    """A door refuses a peer's ticket record: the attendee list never travels between doors."""
    from scanner.peers.protocol import ProtocolError, decode

    body = {"t": "entries", "items": [{"seq": 1, "k": "ticket", "ticket_id": "x"}]}
    try:
        decode(json.dumps(body).encode())
    except ProtocolError as exc:
        assert "only passages and undos" in str(exc)
    else:
        raise AssertionError("a ticket record was taken from a peer")
