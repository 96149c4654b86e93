"""Door processes, the venue around them, and a relay that can cut the network between doors."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scanner.app.clock import SystemClock
from scanner.store.store import Store
from scanner.sync.enrolment import enroll

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 30.0  # generous: CI runs loaded; every wait ends as soon as its condition holds


def loopback_has_multicast() -> bool:
    flags = subprocess.run(
        ["ip", "-o", "link", "show", "lo"], capture_output=True, text=True, check=False
    ).stdout
    return "MULTICAST" in flags


def can_switch_loopback_multicast() -> bool:
    return os.geteuid() == 0 and shutil.which("ip") is not None


def enrol_door(
    directory: Path, url: str, code: str, name: str, settings: dict[str, str] | None = None
) -> None:
    """Enrol a door's data folder with the companion API, then close it for its process."""
    with Store(directory, synchronous=True) as store:
        enroll(store, url, code, SystemClock().now, name=name)
        if settings:
            store.save_app_settings(settings)


class DoorProcess:
    """`python -m tests.peers.door_process`: ask it one command at a time."""

    def __init__(self, directory: Path, *options: str) -> None:
        self.directory = directory
        self.options = options
        self._answers: queue.Queue[str | None] = queue.Queue()
        command = [sys.executable, "-m", "tests.peers.door_process", str(directory), *options]
        self.child = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, name="door-process-out", daemon=True)
        self._reader.start()
        assert self._next() == {"ready": True}

    def _read(self) -> None:
        assert self.child.stdout is not None
        for line in self.child.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def _next(self) -> dict[str, Any]:
        line = self._answers.get(timeout=WAIT_S * 2)
        if line is None:
            raise RuntimeError(f"door process {self.directory.name} ended")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, command: str) -> dict[str, Any]:
        assert self.child.stdin is not None
        self.child.stdin.write(command + "\n")
        self.child.stdin.flush()
        answer = self._next()
        assert "error" not in answer, answer
        return answer

    def scan(self, code: str) -> dict[str, Any]:
        return self.ask(f"scan {code}")

    def wait_for(
        self, command: str, holds: Callable[[dict[str, Any]], bool], timeout: float = WAIT_S
    ) -> tuple[dict[str, Any], float]:
        """Ask until the answer holds; the answer and the seconds it took."""
        started = time.monotonic()
        while True:
            answer = self.ask(command)
            if holds(answer):
                return answer, time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise AssertionError(f"{self.directory.name}: {command}: still {answer}")
            time.sleep(0.01)

    def knows(self, entry_id: str, timeout: float = WAIT_S) -> float:
        return self.wait_for(f"knows {entry_id}", lambda a: a["known"], timeout)[1]

    def nearby(self, count: int) -> dict[str, Any]:
        return self.wait_for("peers", lambda a: len(a["nearby"]) == count)[0]

    def kill(self) -> None:
        self.child.kill()
        self.child.wait(timeout=WAIT_S)
        self._reader.join(WAIT_S)
        self._pipes_closed()

    def _pipes_closed(self) -> None:
        for pipe in (self.child.stdin, self.child.stdout):
            if pipe is not None and not pipe.closed:
                with contextlib.suppress(OSError):
                    pipe.close()

    def close(self) -> None:
        if self.child.poll() is None:
            assert self.child.stdin is not None
            try:
                self.child.stdin.write("quit\n")
                self.child.stdin.close()
                self.child.wait(timeout=WAIT_S)
            except (OSError, subprocess.TimeoutExpired):
                self.child.kill()
                self.child.wait(timeout=WAIT_S)
        self._reader.join(WAIT_S)
        self._pipes_closed()


class Relay:
    """A TCP relay between two doors on 127.0.0.1: passes bytes both ways, records what the
    dialing door sent, and cuts the network (`cut`) until `heal`."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.sent: list[bytes] = []  # per connection: what the dialing side sent
        self._cut = threading.Event()
        self._stop = threading.Event()
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._accept, name="relay", daemon=True)]
        self._threads[0].start()

    def cut(self) -> None:
        """The network between the doors fails: open connections die, new ones are refused."""
        self._cut.set()
        with self._lock:
            for sock in self._open:
                _drop(sock)
            self._open.clear()

    def heal(self) -> None:
        self._cut.clear()

    def close(self) -> None:
        self._stop.set()
        self.cut()
        for thread in self._threads:
            thread.join(WAIT_S)
        self.server.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                inbound, _ = self.server.accept()
            except TimeoutError:
                continue
            if self._cut.is_set():
                _drop(inbound)
                continue
            try:
                outbound = socket.create_connection(self.target, timeout=2.0)
            except OSError:
                _drop(inbound)
                continue
            index = len(self.sent)
            self.sent.append(b"")
            with self._lock:
                self._open += [inbound, outbound]
            for source, sink, record in ((inbound, outbound, index), (outbound, inbound, None)):
                thread = threading.Thread(
                    target=self._pipe, args=(source, sink, record), name="relay-pipe", daemon=True
                )
                self._threads.append(thread)
                thread.start()

    def _pipe(self, source: socket.socket, sink: socket.socket, record: int | None) -> None:
        try:
            while chunk := source.recv(65536):
                if record is not None:
                    self.sent[record] += chunk
                sink.sendall(chunk)
        except OSError:
            pass
        _drop(source)
        _drop(sink)


def _drop(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
