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

import bisect
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from scanner.checkin.change_records import RemotePassage
from scanner.checkin.sync_counts import ChangeCounts
from scanner.listeners import tell
from scanner.peers.channel import Channel, handshake
from scanner.peers.discovery import Discovery, Found, Interface
from scanner.peers.protocol import BATCH, Entries, Hi, PeerRecord, Ping, ProtocolError
from scanner.peers.state import Peer, PeersState
from scanner.peers.trust import NotOurs, event_tag
from scanner.store.peer_entries import PeerEntry
from scanner.store.store import Store

log = logging.getLogger(__name__)
GATHER_S = 0.05  # entries heard within this long are applied in one transaction
PING_S = 3.0  # a link with nothing to say pings this often
DEAD_S = 10.0  # a link silent this long is dead
RETRY_S = (0.5, 1.0, 2.0, 5.0, 10.0)  # dialing an address that did not answer
POLITE_S = 2.0  # a door found by discovery waits this long for it to dial first
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
        self._problem: str | None = None  # e.g. discovery failed (the links may still work)
        self._outbox = _Outbox()
        self._incoming: queue.Queue[tuple[_Link, Sequence[tuple[int, PeerRecord]]]] = queue.Queue()
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
        self._outbox.floor = self.store.own_peer_last_seq()
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
        self._spawn(self._applying, "peers-apply")
        self._spawn(self._dialing, "peers-dial")
        if self.settings.discovery:
            tag = event_tag(secret, self._event_id)
            discovery = Discovery(where, tag, self._device_id, port, self.found)
            try:
                discovery.start()
            except Exception as exc:  # no multicast here: the addresses by hand still work
                log.warning("multicast discovery on %s failed: %s", where, exc)
                discovery.stop()
                words = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                self._problem = f"multicast discovery on {where} failed ({words})"
            else:
                self._discovery = discovery
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
        """A passage or undo was just recorded here: tell the peers now. It is read from the
        store once, here, for every link (not once per link)."""
        if self._secret is None:
            return
        with self._outbox.lock:
            after = self._outbox.last()
            self._outbox.add(self.store.own_peer_entries(self._event_id, after, BATCH))
        for link in self._all_links():
            link.wake()

    def own_entries(self, after: int) -> list[PeerEntry]:
        """This door's entries after seq `after` (at most BATCH): recent ones from memory."""
        with self._outbox.lock:
            recent = self._outbox.after(after)
        if recent is not None:
            return recent
        return self.store.own_peer_entries(self._event_id, after, BATCH)  # a peer catching up

    def add_address(self, host: str, port: int) -> None:
        with self._lock:
            self._targets.setdefault((host, port), _Target(None))
        self._dial.set()

    def found(self, found: Found) -> None:
        """Discovery saw a door of this event (any thread). Of two doors that see each other,
        the one with the smaller id dials; the other waits a little first (one link, not two),
        then dials all the same (the first may not reach it)."""
        polite = POLITE_S if found.device_id < self._device_id else 0.0
        with self._lock:
            target = self._targets.setdefault((found.host, found.port), _Target(found.device_id))
            target.device_id = found.device_id
            target.next_try = time.monotonic() + polite
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
        log.warning("refused a connection from %s: not one of this event's doors", where)
        self.refused()

    def refused(self) -> None:
        """A connection (or a link's first frame) was not from one of this event's doors."""
        with self._lock:
            self._refused += 1
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

    def heard(self, link: _Link, items: Sequence[tuple[int, PeerRecord]]) -> None:
        """A peer's entries, to be applied (by the applying thread, with what other peers said
        meanwhile: one store transaction for them all)."""
        self._incoming.put((link, items))

    def _applying(self) -> None:
        while not self._stop.is_set():
            try:
                first = self._incoming.get(timeout=0.5)
            except queue.Empty:
                continue
            time.sleep(GATHER_S)  # what other doors say in this moment goes in the same commit
            batch = [first]
            while True:
                try:
                    batch.append(self._incoming.get_nowait())
                except queue.Empty:
                    break
            try:
                self._apply(batch)
            except Exception:  # a full disk, a closed store: the links end, and resend later
                log.exception("peers' entries not applied")
                for link, _items in batch:
                    link.close()

    def _apply(self, batch: list[tuple[_Link, Sequence[tuple[int, PeerRecord]]]]) -> None:
        records = [
            record
            for _link, items in batch
            for _seq, record in items
            if not isinstance(record, RemotePassage) or record.device_id != self._device_id
        ]
        counts = self.store.apply_peer_records(self._event_id, records, self.now())
        with self._lock:
            for link, items in batch:
                peer = link.channel.peer_id
                self._holds[peer] = max(self._holds.get(peer, 0), max(seq for seq, _ in items))
        for link, items in batch:
            link.heard(len(items))
        if self._applied is not None and (counts.passage or counts.annulment):
            self._applied(counts)

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
                why=self._problem,
                refused=refused,
                manual=manual,
            )
        )

    def _publish(self, state: PeersState) -> PeersState:
        self.state = state
        tell(self._listeners, state, "peers state")
        return state


class _Outbox:
    """This door's latest entries, shared by the links: every own entry after `floor` is here
    (those before it are read from the store when a peer catches up)."""

    KEEP = 2000

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.floor = 0
        self.entries: list[PeerEntry] = []

    def last(self) -> int:
        return self.entries[-1][0] if self.entries else self.floor

    def add(self, found: list[PeerEntry]) -> None:
        self.entries += found
        if len(self.entries) > self.KEEP:
            dropped = self.entries[: -self.KEEP]
            self.entries = self.entries[-self.KEEP :]
            self.floor = dropped[-1][0]

    def after(self, seq: int) -> list[PeerEntry] | None:
        """Entries after `seq` (None: older than what is kept)."""
        if seq < self.floor:
            return None
        start = bisect.bisect_right(self.entries, seq, key=lambda entry: entry[0])
        return self.entries[start : start + BATCH]


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
                    self.service.heard(self, message.items)
        except NotOurs as exc:
            why = str(exc)
            self.service.refused()
        except (ProtocolError, OSError) as exc:
            why = str(exc) or type(exc).__name__
        except Exception as exc:  # a bug or a full disk: this link ends, the door goes on
            log.exception("peer link failed")
            why = type(exc).__name__
        self.close()
        self.service.dropped(self, why)

    def heard(self, count: int) -> None:
        if self.peer is not None:
            self.peer = replace(self.peer, heard=self.peer.heard + count)

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
                    batch = service.own_entries(sent)
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
