"""One authenticated, sealed connection to another door of the event."""

from __future__ import annotations

import contextlib
import socket
import threading

from scanner.peers.protocol import (
    Hello,
    Message,
    ProtocolError,
    decode,
    encode,
    read_frame,
    send_frame,
)
from scanner.peers.trust import NotOurs, Sealer, connection_keys, event_tag, new_nonce

HANDSHAKE_S = 5.0


class Channel:
    """Sealed messages both ways; `send` from one thread, `receive` from one other."""

    def __init__(
        self, sock: socket.socket, sealer: Sealer, peer_id: str, address: str, initiated: bool
    ) -> None:
        self._sock = sock
        self._sealer = sealer
        self.peer_id = peer_id
        self.address = address
        self.initiated = initiated
        self._closed = threading.Event()

    def send(self, message: Message) -> None:
        send_frame(self._sock, self._sealer.seal(encode(message)))

    def receive(self) -> Message:
        return decode(self._sealer.open(read_frame(self._sock)))

    def set_timeout(self, seconds: float) -> None:
        self._sock.settimeout(seconds)

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        with contextlib.suppress(OSError):  # already gone
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()


def handshake(
    sock: socket.socket,
    secret: bytes,
    event_id: str,
    device_id: str,
    *,
    initiated: bool,
    address: str,
) -> Channel:
    """Say hello (the initiator first) and derive the connection's keys. Raises NotOurs for a
    door of another event (or none), ProtocolError for anything else; the socket is the
    caller's to close then. Whether the peer holds the secret shows at its first sealed frame."""
    sock.settimeout(HANDSHAKE_S)
    tag = event_tag(secret, event_id)
    mine = Hello(tag, device_id, new_nonce())
    if initiated:
        send_frame(sock, mine.to_bytes())
        theirs = Hello.from_bytes(read_frame(sock))
    else:
        theirs = Hello.from_bytes(read_frame(sock))
        if theirs.tag != tag:
            raise NotOurs("a door of another event")
        send_frame(sock, mine.to_bytes())
    if theirs.tag != tag:
        raise NotOurs("a door of another event")
    if theirs.device_id == device_id:
        raise ProtocolError("this door itself")
    if len(theirs.nonce) != len(mine.nonce):
        raise ProtocolError("a hello with a nonce of the wrong size")
    ours, peer = (device_id, mine.nonce), (theirs.device_id, theirs.nonce)
    initiator, responder = (ours, peer) if initiated else (peer, ours)
    sealer = connection_keys(secret, event_id, initiator, responder, initiated)
    return Channel(sock, sealer, theirs.device_id, address, initiated)
