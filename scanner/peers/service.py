"""The links to the doors next to this one: listen, dial, tell each of them this door's own
passages and undos at once, and apply theirs through the store's path for other doors'
passages (the one a pull uses).

Each door is the only source of its own entries: a peer says, when a link starts, up to which
of our sequence numbers it holds ours, and we send what comes after, in order. That is the
whole of healing: a message lost with a link, a partition, a door restarted, all end at the
next hello. Applying a passage twice changes nothing (its entry id), so a link that breaks off
mid-message costs a resend, never a duplicate.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from scanner.checkin.sync_counts import ChangeCounts
from scanner.peers.channel import Channel, handshake
from scanner.peers.discovery import Discovery, Found, Interface
from scanner.peers.protocol import BATCH, Entries, Hi, Ping, ProtocolError
from scanner.peers.state import Peer, PeersState
from scanner.peers.trust import NotOurs, event_tag
from scanner.store.store import Store

log = logging.getLogger(__name__)
PING_S = 3.0  # a link with nothing to say pings this often
DEAD_S = 10.0  # a link silent this long is dead
RETRY_S = (0.5, 1.0, 2.0, 5.0, 10.0)  # dialing an address that did not answer
DEFAULT_PORT = 47820
Listener = Callable[[PeersState], None]
Applied = Callable[[ChangeCounts], None]


@dataclass(frozen=True)
class PeerSettings:
    interface: Interface
    port: int = DEFAULT_PORT  # 0: any free port (announced by discovery)
    addresses: tuple[tuple[str, int], ...] = ()  # peers given by hand (networks without mDNS)
    discovery: bool = True


class PeerService:
    def __init__(
        self,
        store: Store,
        now: Callable[[], datetime],
        settings: PeerSettings,
        applied: Applied | None = None,
    ) -> None:
        self.store = store
        self.now = now
        self.settings = settings
        self._applied = applied
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._links: dict[str, list[_Link]] = {}  # device id -> live links, newest last
        self._holds: dict[str, int] = {}  # device id -> the highest of its seqs held here
        self._targets: dict[tuple[str, int], _Target] = {}
        self._stop = threading.Event()
        self._dial = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: socket.socket | None = None
        self._discovery: Discovery | None = None
        self._secret: bytes | None = None
        self._event_id = ""
        self._refused = 0
        self.state = PeersState(False, why="not started")

    # -- life ------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def start(self) -> PeersState:
        """Listen, announce and dial; a door without the event's peer secret stays alone."""
        secret = self.store.peer_secret()
        if secret is None:
            return self._publish(PeersState(False, why="no peer secret: enrol, or pair by hand"))
        self._secret = secret
        self._event_id = self.store.current_event_id()
        self._device_id = self.store.device_id
        self._name = self.store.device_name()
        where = self.settings.interface
        try:
            server = socket.create_server((where.bind, self.settings.port))
        except OSError:  # the port is taken (two doors on one machine): any, announced
            server = socket.create_server((where.bind, 0))
        server.settimeout(0.5)
        self._server = server
        host, port = server.getsockname()[:2]
        self._listening = f"{host}:{port}"
        for address in self.settings.addresses:
            self._targets[address] = _Target(None)
        self._spawn(self._accepting, "peers-accept")
        self._spawn(self._dialing, "peers-dial")
        if self.settings.discovery:
            self._discovery = Discovery(
                where, event_tag(secret, self._event_id), self._device_id, port, self.found
            )
            self._discovery.start()
        return self._changed()

    def stop(self) -> None:
        self._stop.set()
        self._dial.set()
        if self._discovery is not None:
            self._discovery.stop()
        for link in self._all_links():
            link.close()
        for thread in list(self._threads):
            thread.join(5.0)
        if self._server is not None:
            self._server.close()

    def wake(self) -> None:
        """A passage or undo was just recorded here: tell the peers now."""
        for link in self._all_links():
            link.wake()

    def add_address(self, host: str, port: int) -> None:
        with self._lock:
            self._targets.setdefault((host, port), _Target(None))
        self._dial.set()

    def found(self, found: Found) -> None:
        """Discovery saw a door of this event (any thread)."""
        with self._lock:
            target = self._targets.setdefault((found.host, found.port), _Target(found.device_id))
            target.device_id = found.device_id
            target.next_try = 0.0
        self._dial.set()

    def discovery_sockets(self) -> list[socket.socket]:
        return [] if self._discovery is None else self._discovery.sockets()

    def _spawn(self, target: Callable[[], None], name: str) -> threading.Thread:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return thread

    # -- connections -----------------------------------------------------------------------

    def _accepting(self) -> None:
        assert self._server is not None
        while not self._stop.is_set():
            try:
                sock, address = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by stop()
            self._spawn(partial(self._answer, sock, f"{address[0]}:{address[1]}"), "peers-greet")

    def _answer(self, sock: socket.socket, where: str) -> None:
        self._greet(sock, where, initiated=False)

    def _dialing(self) -> None:
        while not self._stop.is_set():
            for address, target in self._due():
                try:
                    sock = socket.create_connection(address, timeout=2.0)
                except OSError:
                    target.failed()
                    continue
                if self._greet(sock, f"{address[0]}:{address[1]}", initiated=True, target=target):
                    target.tries = 0
                else:
                    target.failed()
            self._dial.wait(0.5)
            self._dial.clear()

    def _due(self) -> list[tuple[tuple[str, int], _Target]]:
        moment = time.monotonic()
        with self._lock:
            linked = {device for device, links in self._links.items() if links}
            return [
                (address, target)
                for address, target in self._targets.items()
                if target.device_id not in linked and target.next_try <= moment
            ]

    def _greet(
        self, sock: socket.socket, where: str, *, initiated: bool, target: _Target | None = None
    ) -> bool:
        assert self._secret is not None
        try:
            channel = handshake(
                sock,
                self._secret,
                self._event_id,
                self._device_id,
                initiated=initiated,
                address=where,
            )
        except NotOurs:
            self._refuse(sock, where)
            return False
        except (ProtocolError, OSError) as exc:
            log.info("peer %s: no link (%s)", where, exc)
            sock.close()
            return False
        if target is not None:
            target.device_id = channel.peer_id
        link = _Link(self, channel)
        with self._lock:
            if self._stop.is_set():
                channel.close()
                return False
            self._links.setdefault(channel.peer_id, []).append(link)
        link.start()
        return True

    def _refuse(self, sock: socket.socket, where: str) -> None:
        sock.close()
        with self._lock:
            self._refused += 1
        log.warning("refused a connection from %s: not one of this event's doors", where)
        self._changed()

    # -- what links report -----------------------------------------------------------------

    def hold(self, device_id: str) -> int:
        with self._lock:
            return self._holds.get(device_id, 0)

    def is_active(self, link: _Link) -> bool:
        """Only the newest live link to a door sends to it (two doors may dial each other)."""
        with self._lock:
            links = self._links.get(link.channel.peer_id) or []
            return bool(links) and links[-1] is link

    def heard(self, link: _Link, items: Iterable[tuple[int, object]]) -> int:
        """Apply a peer's entries through the store, then hold them; how many were applied."""
        items = list(items)
        records = [
            record
            for _seq, record in items
            if getattr(record, "device_id", None) != self._device_id  # our own, echoed
        ]
        counts = self.store.apply_peer_records(self._event_id, records, self.now())  # type: ignore[arg-type]
        peer = link.channel.peer_id
        with self._lock:
            self._holds[peer] = max(self._holds.get(peer, 0), max(seq for seq, _ in items))
        if self._applied is not None and (counts.passage or counts.annulment):
            self._applied(counts)
        return len(records)

    def dropped(self, link: _Link, why: str) -> None:
        with self._lock:
            links = self._links.get(link.channel.peer_id, [])
            if link in links:
                links.remove(link)
            if links:
                links[-1].wake()  # the next newest link sends from now on
        log.info("peer %s: link ended (%s)", link.channel.peer_id, why)
        self._dial.set()
        self._changed()

    def _all_links(self) -> list[_Link]:
        with self._lock:
            return [link for links in self._links.values() for link in links]

    def _changed(self) -> PeersState:
        peers: dict[str, Peer] = {}
        for link in self._all_links():
            if link.peer is not None:
                peers[link.channel.peer_id] = link.peer
        with self._lock:
            manual = tuple(f"{h}:{p}" for h, p in self.settings.addresses)
            refused = self._refused
        return self._publish(
            PeersState(
                True,
                tuple(sorted(peers.values(), key=lambda p: (p.name or "", p.device_id))),
                self._listening,
                str(self.settings.interface),
                refused=refused,
                manual=manual,
            )
        )

    def _publish(self, state: PeersState) -> PeersState:
        self.state = state
        for listener in list(self._listeners):
            try:
                listener(state)
            except Exception:  # a view's bug must not end a link
                log.exception("a peers state listener failed")
        return state


@dataclass
class _Target:
    device_id: str | None
    next_try: float = 0.0
    tries: int = 0

    def failed(self) -> None:
        self.next_try = time.monotonic() + RETRY_S[min(self.tries, len(RETRY_S) - 1)]
        self.tries += 1


class _Link:
    """One live connection: a reader thread applies what the peer says, a sender thread tells
    it this door's entries after what it holds."""

    def __init__(self, service: PeerService, channel: Channel) -> None:
        self.service = service
        self.channel = channel
        self.peer: Peer | None = None
        self._their_hold: int | None = None
        self._wake = threading.Condition()
        self._woken = False

    def start(self) -> None:
        self.channel.set_timeout(DEAD_S)
        self.service._spawn(self._sending, f"peers-send-{self.channel.peer_id}")
        self.service._spawn(self._reading, f"peers-read-{self.channel.peer_id}")

    def wake(self) -> None:
        with self._wake:
            self._woken = True
            self._wake.notify()

    def close(self) -> None:
        self.channel.close()
        self.wake()

    def _reading(self) -> None:
        why = "closed"
        try:
            while not self.channel.closed:
                message = self.channel.receive()
                if isinstance(message, Hi):
                    self._hi(message)
                elif isinstance(message, Entries) and message.items:
                    heard = self.service.heard(self, message.items)
                    if self.peer is not None:
                        self.peer = replace(self.peer, heard=self.peer.heard + heard)
        except NotOurs as exc:
            why = str(exc)
            self.service._refused += 1
        except (ProtocolError, OSError) as exc:
            why = str(exc) or type(exc).__name__
        except Exception as exc:  # a bug or a full disk: this link ends, the door goes on
            log.exception("peer link failed")
            why = type(exc).__name__
        self.close()
        self.service.dropped(self, why)

    def _hi(self, hi: Hi) -> None:
        now = self.service.now()
        self.peer = Peer(
            self.channel.peer_id,
            hi.name,
            self.channel.address,
            now,
            (hi.time - now).total_seconds(),
        )
        with self._wake:
            self._their_hold = hi.hold
            self._woken = True
            self._wake.notify()
        self.service._changed()

    def _sending(self) -> None:
        service = self.service
        peer = self.channel.peer_id
        try:
            self.channel.send(Hi(service._name, service.now(), service.hold(peer)))
            sent = self._wait_hold()
            while sent is not None and not self.channel.closed:
                if service.is_active(self):
                    batch = service.store.own_peer_entries(service._event_id, sent, BATCH)
                    if batch:
                        self.channel.send(Entries(tuple(batch)))
                        sent = batch[-1][0]
                        continue
                if not self._sleep():
                    self.channel.send(Ping())
        except (ProtocolError, OSError):
            pass  # the reader sees the link end and reports it
        self.channel.close()

    def _wait_hold(self) -> int | None:
        with self._wake:
            self._wake.wait_for(lambda: self._their_hold is not None or self.channel.closed, DEAD_S)
            self._woken = False
            return self._their_hold

    def _sleep(self) -> bool:
        """Wait for something to send; False when PING_S passed in silence."""
        with self._wake:
            woken = self._wake.wait_for(lambda: self._woken, PING_S)
            self._woken = False
            return woken
