"""Who is believed on the venue's network, and how what travels is sealed.

Every door of an event holds the event's peer secret: given by the companion API at enrolment
(derived from the platform's key, so one event's doors cannot pass for another's), or paired by
hand at the venue for an event with no internet at all. A connection starts with a plain hello
from each side (device id and a fresh random nonce); both derive the connection's two keys from
the secret, both nonces and both ids (HKDF-SHA256). Every later frame is sealed with
ChaCha20-Poly1305 under its direction's key, with a counter as the nonce: a laptop without the
secret can neither read nor forge a frame, a frame replayed, dropped or reordered breaks the
counter, and a recorded connection replayed later meets a new nonce and fails at its first frame.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PROTOCOL = b"door-peers/v1"
NONCE_BYTES = 16
MIN_SECRET = 16


class NotOurs(Exception):
    """A frame that does not open with this connection's key: not one of the event's doors (or
    a frame forged, replayed or cut); the connection is dropped."""


def event_tag(secret: bytes, event_id: str) -> str:
    """What doors announce and say hello with, to find their own event's doors: it names the
    group (the secret and the event: doors paired by hand for another event never match)
    without telling its secret."""
    message = PROTOCOL + b" tag\0" + event_id.encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:16]


def new_nonce() -> bytes:
    return secrets.token_bytes(NONCE_BYTES)


def pairing_secret() -> bytes:
    """A secret for doors paired by hand at the venue (an event with no internet at all): 160
    bits, 32 letters for a lead to type at each door."""
    return secrets.token_bytes(20)


@dataclass
class _Direction:
    aead: ChaCha20Poly1305
    counter: int = 0

    def nonce(self) -> bytes:
        value = self.counter.to_bytes(12, "big")
        self.counter += 1
        return value


@dataclass
class Sealer:
    """One connection's two directions: seal what we send, open what the peer sent, each frame
    exactly once and in order."""

    outgoing: _Direction
    incoming: _Direction

    def seal(self, plain: bytes) -> bytes:
        return self.outgoing.aead.encrypt(self.outgoing.nonce(), plain, PROTOCOL)

    def open(self, sealed: bytes) -> bytes:
        try:
            return self.incoming.aead.decrypt(self.incoming.nonce(), sealed, PROTOCOL)
        except InvalidTag:
            raise NotOurs("a frame that is not from one of this event's doors") from None


def connection_keys(
    secret: bytes,
    event_id: str,
    initiator: tuple[str, bytes],
    responder: tuple[str, bytes],
    we_initiated: bool,
) -> Sealer:
    """The sealer for one connection, from the secret, the event, each side's (device id,
    nonce)."""
    (id_i, nonce_i), (id_r, nonce_r) = initiator, responder
    names = (event_id, id_i, id_r)
    info = PROTOCOL + b" keys\0" + b"\0".join(name.encode() for name in names)
    material = HKDF(hashes.SHA256(), 64, nonce_i + nonce_r, info).derive(secret)
    to_responder = _Direction(ChaCha20Poly1305(material[:32]))
    to_initiator = _Direction(ChaCha20Poly1305(material[32:]))
    if we_initiated:
        return Sealer(to_responder, to_initiator)
    return Sealer(to_initiator, to_responder)
