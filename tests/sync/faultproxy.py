"""A fault-injecting HTTP proxy on 127.0.0.1, between a scanner and the real companion API.

One request per connection (it asks both sides for `Connection: close`), so each request can
meet its own fault: refused, 500, slow past the client's timeout, the connection reset after the
server has committed (the answer is lost), a body cut half-way; a proxy's own answer (any status,
any body) instead of the server's; the Authorization header stripped; a request whose body holds
a marker (a poison entry) answered with an error while the rest pass.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

FAULTS = (
    "pass",
    "down",
    "error500",
    "error429",
    "slow",
    "reset_after_commit",
    "cut_body",
    "die_mid_request",
    "respond",  # answer `status` with `body` instead of the server (a proxy, a captive portal)
    "strip_auth",  # relay without the Authorization header (a proxy that drops it)
    "poison",  # answer `status` with `body` when the request body holds `marker`; else pass
    "cut_held",  # relay, but cut the connection when no answer came within `slow_s`
    "old_server",  # relay without the `wait` parameter (a server from before long-polls)
)


@dataclass
class Fault:
    mode: str = "pass"
    path: str | None = None  # only requests whose path contains this meet the fault
    times: int | None = None  # then back to "pass"; None: until changed
    slow_s: float = 3.0
    cut_after: int = 4000
    status: int = 404
    body: bytes = b"<html><body>Not Found</body></html>"
    content_type: str = "text/html"
    marker: bytes = b""


@dataclass
class FaultProxy:
    upstream_port: int
    fault: Fault = field(default_factory=Fault)
    requests: list[str] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))  # 0: any free port
        self.port = self._listener.getsockname()[1]
        self._stopped = False
        self._acceptor = threading.Thread(target=self._accept, name="faultproxy", daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: str, **options: object) -> None:
        assert mode in FAULTS, mode
        with self._lock:
            self.fault = Fault(mode, **options)  # type: ignore[arg-type]

    def close(self) -> None:
        self._stopped = True
        with contextlib.suppress(OSError):  # wakes the accept() that close() alone would not
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._acceptor.join(timeout=10)

    def _take(self, path: str) -> Fault:
        with self._lock:
            self.requests.append(path)
            fault = self.fault
            if fault.mode == "pass" or (fault.path and fault.path not in path):
                return Fault()
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.fault = Fault()
            return fault

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            try:
                head, body = _read_request(client)
            except (OSError, ValueError):
                return
            path = head.split(b" ", 2)[1].decode("latin-1") if b" " in head else "?"
            fault = self._take(path)
            if fault.mode == "down":
                return _reset(client)
            if fault.mode in ("error500", "error429"):
                client.sendall(_error_response(fault.mode))
                return None
            if fault.mode == "respond" or (fault.mode == "poison" and fault.marker in body):
                client.sendall(_response(fault.status, fault.body, fault.content_type))
                return None
            if fault.mode == "strip_auth":
                head = _without_header(head, b"authorization")
            if fault.mode == "old_server":
                head = _without_wait(head)
            with contextlib.suppress(OSError):  # the client gave up (a timeout): the fault works
                self._relay(client, _close_header(head), body, fault)
        return None

    def _relay(self, client: socket.socket, head: bytes, body: bytes, fault: Fault) -> None:
        with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
            if fault.mode == "die_mid_request":
                upstream.sendall(head + body[: len(body) // 2])
                _reset(upstream)
                return _reset(client)
            upstream.sendall(head + body)
            if fault.mode == "cut_held":
                upstream.settimeout(fault.slow_s)
            try:
                first = upstream.recv(65536)  # the server answers only after it committed
            except TimeoutError:  # (cut_held) a proxy that drops connections quiet too long
                return _reset(client)
            upstream.settimeout(None)
            if fault.mode == "reset_after_commit":
                _drain(upstream)
                return _reset(client)
            if fault.mode == "slow":
                time.sleep(fault.slow_s)
            sent = 0
            chunk = first
            while chunk:
                if fault.mode == "cut_body" and sent + len(chunk) > fault.cut_after:
                    client.sendall(chunk[: max(0, fault.cut_after - sent)])
                    return _reset(client)
                client.sendall(chunk)
                sent += len(chunk)
                chunk = upstream.recv(65536)
        return None


def _error_response(mode: str) -> bytes:
    status, extra = {
        "error500": ("500 Internal Server Error", ""),
        "error429": ("429 Too Many Requests", "Retry-After: 7\r\n"),
    }[mode]
    payload = b'{"reason":"injected","detail":"injected by the fault proxy"}'
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + payload


def _response(status: int, payload: bytes, content_type: str) -> bytes:
    head = (
        f"HTTP/1.1 {status} Whatever\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + payload


def _without_header(head: bytes, name: bytes) -> bytes:
    lines = head.rstrip(b"\r\n").split(b"\r\n")
    kept = [line for line in lines if not line.lower().startswith(name + b":")]
    return b"\r\n".join(kept) + b"\r\n\r\n"


def _without_wait(head: bytes) -> bytes:
    line, _, rest = head.partition(b"\r\n")
    method, target, version = line.split(b" ", 2)
    path, _, query = target.partition(b"?")
    kept = b"&".join(p for p in query.split(b"&") if p and not p.startswith(b"wait="))
    return b" ".join([method, path + (b"?" + kept if kept else b""), version]) + b"\r\n" + rest


def _read_request(sock: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ValueError("connection closed before a request")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n", body


def _close_header(head: bytes) -> bytes:
    return _without_header(head, b"connection")[:-2] + b"Connection: close\r\n\r\n"


def _drain(sock: socket.socket) -> None:
    while sock.recv(65536):
        pass


def _reset(sock: socket.socket) -> None:
    # SO_LINGER with a zero timeout: close() sends RST, as a crashed peer or a dropped link does
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _serve_forever(argv: list[str]) -> None:
    """`python -m tests.sync.faultproxy UPSTREAM_PORT [PERIOD_S]`: a proxy in its own process that
    cycles through faults (benchmarks: its threads do not compete with the door's)."""
    upstream, period = int(argv[0]), float(argv[1]) if len(argv) > 1 else 0.25
    proxy = FaultProxy(upstream)
    print(proxy.port, flush=True)
    cycle = [("error500", {}), ("slow", {"slow_s": 1.0}), ("reset_after_commit", {}), ("pass", {})]
    while True:
        for mode, options in cycle:
            proxy.set(mode, **options)
            time.sleep(period)


if __name__ == "__main__":
    import sys

    _serve_forever(sys.argv[1:])
