"""The changes feed as a long-poll (`?wait=`): a waiting door is answered the moment another
door's upload lands, on this process and, on PostgreSQL, on another one (docs/sync.md)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx
import psycopg
import pytest

from server_stub.core.config import Settings
from server_stub.services.change_relay import APPLICATION_NAME
from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, server_process
from tests.conditions import until
from tests.server.helpers import Door, enroll

WAIT = "Changes-Wait"


def long_poll(door: Door, since: str, wait: float = 30) -> httpx.Response:
    return door.client.get(
        f"/events/{door.event_id}/changes", params={"since": since, "wait": wait}, timeout=90
    )


def passages(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["entry_id"] for r in response.json()["records"] if r["k"] == "passage"]


@pytest.fixture
def south(server: LiveServer, event: SeededEvent) -> Iterator[Door]:
    with enroll(server, event, "south") as door:
        yield door


def test_a_waiting_door_hears_another_doors_upload(
    server: LiveServer, event: SeededEvent, device: Door, south: Door
) -> None:
    cursor = device.changes()["cursor"]
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(long_poll, device, cursor)
        until(lambda: server.signal.waiting(event.event_id) == 1, "the long-poll is held")
        entry = south.entry(event.ticket_ids[0])
        south.upload(entry)
        response = answer.result(timeout=60)
    assert passages(response) == [entry["id"]]
    assert response.headers[WAIT] == "30"
    assert device.changes(response.json()["cursor"])["records"] == []  # the cursor moved on


def test_without_wait_the_feed_answers_at_once_as_before(device: Door) -> None:
    cursor = device.changes()["cursor"]
    response = device.client.get(f"/events/{device.event_id}/changes", params={"since": cursor})
    assert response.status_code == 200 and response.json()["records"] == []
    assert WAIT not in response.headers
    now = long_poll(device, cursor, wait=0)  # nothing to wait for: answered empty at once
    assert now.json()["records"] == [] and now.headers[WAIT] == "0"


def test_what_is_there_already_is_answered_without_waiting(
    server: LiveServer, event: SeededEvent, device: Door, south: Door
) -> None:
    cursor = device.changes()["cursor"]
    entry = south.entry(event.ticket_ids[1])
    south.upload(entry)
    assert passages(long_poll(device, cursor)) == [entry["id"]]
    assert server.signal.waiting() == 0


def test_a_quiet_wait_ends_empty_at_the_servers_cap(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    settings = Settings(url, enroll_per_minute=10**6, changes_max_wait_s=0.2)
    with live_server(url, settings) as server:
        event = seed_event(url)
        with enroll(server, event, "north") as door:
            cursor = door.changes()["cursor"]
            response = long_poll(door, cursor, wait=3600)
    answer = response.json()
    assert answer.pop("server_time")  # when it answered: the door measures its clock by it
    assert answer == {"cursor": cursor, "records": [], "more": False}
    assert response.headers[WAIT] == "0.2"


def test_bad_waits_are_refused_clearly(device: Door) -> None:
    for wait in ("-1", "soon", "86400"):
        response = device.client.get(
            f"/events/{device.event_id}/changes", params={"since": "1", "wait": wait}
        )
        assert response.status_code == 422, response.text
        assert response.json()["reason"] == "invalid_request"


WAITERS = 60  # more than the server's thread pool (40): a wait that held a thread would stall


def test_many_waiting_doors_hold_no_thread_and_all_hear_an_upload(
    server: LiveServer, event: SeededEvent, device: Door, south: Door
) -> None:
    cursor = device.changes()["cursor"]
    with ThreadPoolExecutor(WAITERS) as pool:
        answers = [pool.submit(long_poll, device, cursor) for _ in range(WAITERS)]
        until(lambda: server.signal.waiting(event.event_id) == WAITERS, "all long-polls held")
        entry = south.entry(event.ticket_ids[2])
        south.upload(entry)  # needs a thread and a connection while 60 doors wait
        heard = [passages(answer.result(timeout=60)) for answer in answers]
    assert heard == [[entry["id"]]] * WAITERS


def test_a_door_that_hangs_up_leaves_no_waiter(
    server: LiveServer, event: SeededEvent, device: Door
) -> None:
    cursor = device.changes()["cursor"]
    path = f"/api/v1/events/{event.event_id}/changes?since={cursor}&wait=30"
    token = device.client.headers["Authorization"]
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as door:  # a door closing mid-wait
        door.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\n\r\n".encode())
        until(lambda: server.signal.waiting() == 1, "the long-poll is held")
    # (well before the 30 s the wait would have lasted)
    until(lambda: server.signal.waiting() == 0, "the server forgets the waiter", within=20)


def test_a_stopping_server_answers_its_waiters(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    event = seed_event(url)
    with ExitStack() as running, ThreadPoolExecutor(1) as pool:
        server = running.enter_context(live_server(url))
        with enroll(server, event, "north") as door:
            cursor = door.changes()["cursor"]
            answer = pool.submit(long_poll, door, cursor)
            until(lambda: server.signal.waiting(event.event_id) == 1, "the long-poll is held")
            running.close()  # stops the server: it does not wait the 30 s out
            response = answer.result(timeout=60)
    assert response.status_code == 200 and response.json()["records"] == []


# -- several servers on one PostgreSQL ---------------------------------------------------------


@pytest.mark.postgres
def test_an_upload_on_one_server_wakes_a_waiter_on_another(postgres_url: str) -> None:
    """Two servers, each with its own waiters and database pool: only PostgreSQL's NOTIFY can
    tell the second of the first one's commit."""
    event = seed_event(postgres_url)
    with ExitStack() as stack, ThreadPoolExecutor(1) as pool:
        first, second = (stack.enter_context(live_server(postgres_url)) for _ in range(2))
        uploader = stack.enter_context(enroll(first, event, "south"))
        waiter = stack.enter_context(enroll(second, event, "north"))
        answer = _held(pool, waiter, second, event.event_id)
        entry = uploader.entry(event.ticket_ids[0])
        uploader.upload(entry)
        assert passages(answer.result(timeout=60)) == [entry["id"]]


def _held(pool: ThreadPoolExecutor, door: Door, server: LiveServer, event_id: str) -> Future[Any]:
    """A long-poll, once `server` holds it and its relay listens."""
    answer = pool.submit(long_poll, door, door.changes()["cursor"])
    until(
        lambda: server.signal.waiting(event_id) == 1 and _listening(server.database_url),
        "the long-poll is held and the server listens",
    )
    return answer


def _listening(database_url: str) -> bool:
    """A server's relay has sent its LISTEN (its connection ran a statement)."""
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND query <> ''",
            [APPLICATION_NAME],
        ).fetchone()
    return row is not None and row[0] > 0


@pytest.mark.postgres
@pytest.mark.timeout(300)
def test_two_server_processes_share_their_changes(postgres_url: str) -> None:
    """`scanner-server serve` twice: a door waiting on one hears an upload made on the other
    (within one long-poll: not at its end, when it would read again)."""
    event = seed_event(postgres_url)
    with ExitStack() as stack, ThreadPoolExecutor(1) as pool:
        apis = [stack.enter_context(server_process(postgres_url))[0] + "/api/v1" for _ in "ab"]
        waiting, uploading = (
            stack.enter_context(_process_door(api, event, f"door{n}")) for n, api in enumerate(apis)
        )
        cursor = waiting.changes()["cursor"]
        while not _listening(postgres_url):  # the first wait starts the process's relay
            long_poll(waiting, cursor, wait=1)
        answer = pool.submit(long_poll, waiting, cursor, 30)
        entry = uploading.entry(event.ticket_ids[0])
        uploading.upload(entry)
        assert passages(answer.result(timeout=60)) == [entry["id"]]


class _process_door:  # a context manager used like enroll()
    def __init__(self, api: str, event: SeededEvent, name: str) -> None:
        self.api, self.event, self.name = api, event, name

    def __enter__(self) -> Door:
        code = self.event.enrollment_code(self.name)
        data = httpx.post(f"{self.api}/enroll", json={"code": code}, timeout=30).json()
        headers = {"Authorization": f"Bearer {data['token']}"}
        self.client = httpx.Client(base_url=self.api, headers=headers, timeout=60)
        return Door(self.client, data["device_id"], data["event_id"], self.name, "")

    def __exit__(self, *_exc: object) -> None:
        self.client.close()
