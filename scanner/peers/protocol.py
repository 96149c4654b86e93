"""What doors say to each other: frames on a TCP connection, and the messages in them.

A frame is a 4-byte big-endian length and that many bytes. The first frame each way is a plain
hello (JSON: protocol version, event tag, device id, nonce); every later one is sealed
(scanner/peers/trust.py) and holds one JSON message:

- `hi`: the sender's device name, its clock, and `hold`: the highest of the receiver's own
  sequence numbers it already holds (the receiver sends what comes after);
- `entries`: the sender's own passages and undos, each a changes-feed record with its `seq`;
- `ping`: nothing new (keeps the link known to be alive).

Only passages and undos travel: never a ticket, a name of an attendee or a code.
"""

from __future__ import annotations

import json
import socket
import struct
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scanner.checkin.change_records import (
    Annulment,
    ChangeError,
    RemotePassage,
    read_change,
)

VERSION = 1
MAX_FRAME = 256 * 1024
BATCH = 200  # entries in one frame
_LENGTH = struct.Struct(">I")


class ProtocolError(Exception):
    """A peer that does not speak this protocol (or broke off mid-frame): the link is dropped."""


class Closed(ProtocolError):
    """The peer closed the connection."""


def send_frame(sock: socket.socket, payload: bytes) -> None:
    if len(payload) > MAX_FRAME:
        raise ProtocolError(f"frame of {len(payload)} bytes is over {MAX_FRAME}")
    sock.sendall(_LENGTH.pack(len(payload)) + payload)


def read_frame(sock: socket.socket) -> bytes:
    (length,) = _LENGTH.unpack(_read_exactly(sock, _LENGTH.size, first=True))
    if length > MAX_FRAME:
        raise ProtocolError(f"a frame of {length} bytes announced, over {MAX_FRAME}")
    return _read_exactly(sock, length, first=False)


def _read_exactly(sock: socket.socket, size: int, first: bool) -> bytes:
    chunks: list[bytes] = []
    missing = size
    while missing:
        chunk = sock.recv(min(missing, 65536))
        if not chunk:
            if first and missing == size:
                raise Closed("the peer closed the connection")
            raise ProtocolError("the peer broke off in the middle of a frame")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class Hello:
    tag: str
    device_id: str
    nonce: bytes

    def to_bytes(self) -> bytes:
        body = {"v": VERSION, "tag": self.tag, "id": self.device_id, "nonce": self.nonce.hex()}
        return json.dumps(body).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Hello:
        body = _json(data)
        if body.get("v") != VERSION:
            raise ProtocolError(f"protocol version {body.get('v')!r}, this door speaks {VERSION}")
        tag, device_id, nonce = body.get("tag"), body.get("id"), body.get("nonce")
        if not (isinstance(tag, str) and isinstance(device_id, str) and isinstance(nonce, str)):
            raise ProtocolError("a hello without tag, id or nonce")
        if not device_id or len(device_id) > 64:
            raise ProtocolError("a hello with an unusable device id")
        try:
            return cls(tag, device_id, bytes.fromhex(nonce))
        except ValueError:
            raise ProtocolError("a hello whose nonce is not hexadecimal") from None


@dataclass(frozen=True)
class Hi:
    name: str | None
    time: datetime
    hold: int


PeerRecord = RemotePassage | Annulment


@dataclass(frozen=True)
class Entries:
    items: tuple[tuple[int, PeerRecord], ...]


@dataclass(frozen=True)
class Ping:
    pass


Message = Hi | Entries | Ping


def encode(message: Message) -> bytes:
    body: dict[str, Any]
    if isinstance(message, Hi):
        body = {"t": "hi", "name": message.name, "time": message.time.isoformat()}
        body["hold"] = message.hold
    elif isinstance(message, Entries):
        body = {"t": "entries", "items": [_wire(seq, r) for seq, r in message.items]}
    else:
        body = {"t": "ping"}
    return json.dumps(body, separators=(",", ":")).encode()


def decode(data: bytes) -> Message:
    body = _json(data)
    kind = body.get("t")
    try:
        if kind == "hi":
            name = body.get("name")
            hold = body["hold"]
            if not isinstance(hold, int) or isinstance(hold, bool) or hold < 0:
                raise ValueError("hold must be a count")
            moment = datetime.fromisoformat(str(body["time"]))
            return Hi(name if isinstance(name, str) else None, moment, hold)
        if kind == "entries":
            return Entries(tuple(_item(item) for item in body["items"]))
    except (KeyError, TypeError, ValueError, ChangeError) as exc:
        raise ProtocolError(f"a {kind} message this door cannot read: {exc}"[:300]) from None
    if kind == "ping":
        return Ping()
    raise ProtocolError(f"an unknown message {kind!r}"[:100])


def _item(item: Any) -> tuple[int, PeerRecord]:
    seq = item["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValueError("seq must be a positive integer")
    if item.get("k") not in ("passage", "annulment"):
        raise ValueError("only passages and undos travel between doors")
    record = read_change(item)  # the changes feed's reader: what a pull would apply
    assert isinstance(record, RemotePassage | Annulment)
    return seq, record


def _wire(seq: int, record: PeerRecord) -> dict[str, Any]:
    if isinstance(record, Annulment):
        return {
            "seq": seq,
            "k": "annulment",
            "entry_id": record.entry_id,
            "ticket_id": record.ticket_id,
        }
    return {
        "seq": seq,
        "k": "passage",
        "entry_id": record.entry_id,
        "ticket_id": record.ticket_id,
        "direction": str(record.direction),
        "at": record.at.isoformat(),
        "door": record.door,
        "device_id": record.device_id,
        "day": record.day,
        "device_name": record.device_name,
    }


def _json(data: bytes) -> dict[str, Any]:
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("a frame that is not JSON") from None
    if not isinstance(body, dict):
        raise ProtocolError("a frame that is not a JSON object")
    return body
