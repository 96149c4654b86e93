"""Two `scanner-server serve` processes on one database, doors split between them, uploading
overlapping admissions of the same tickets at once (issue 13 item 10; docs/server.md)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from scanner.checkin.reasons import Direction
from server_stub.db import open_database
from server_stub.models import Checkin
from server_stub.services.passages import Mark, conflict_pairs, group_pairs
from server_stub.testing import seed_event, server_process

DOORS = 6
ROUNDS = 4
T0 = datetime(2025, 6, 1, 18, 0, tzinfo=UTC)


def _entries(door: int, tickets: list[str]) -> list[list[dict[str, Any]]]:
    """ROUNDS batches per door; every door admits every ticket once, at its own times."""
    batches = []
    for r in range(ROUNDS):
        batch = []
        for i, ticket in enumerate(tickets[r::ROUNDS]):
            at = T0 + timedelta(seconds=(i * 37 + door * 11 + r * 5) % 600)
            batch.append(
                {
                    "id": str(uuid.uuid4()),
                    "device_seq": r * 100 + i + 1,
                    "ticket_id": ticket,
                    "format": "TK1",
                    "outcome": "admitted",
                    "reason": "ok",
                    "door": f"door{door}",
                    "scanned_at": at.isoformat(),
                }
            )
        batches.append(batch)
    return batches


@pytest.mark.timeout(600)
def test_two_processes_store_once_and_agree(any_db_url: str) -> None:
    event = seed_event(any_db_url, tickets_per_type=10, ticket_types=("ga",))
    with ExitStack() as stack:
        urls = [stack.enter_context(server_process(any_db_url))[0] + "/api/v1" for _ in range(2)]
        doors = []
        for n in range(DOORS):
            api = urls[n % 2]  # doors split between the two processes
            code = event.enrollment_code(f"door{n}")
            token = httpx.post(f"{api}/enroll", json={"code": code}, timeout=30).json()["token"]
            client = stack.enter_context(
                httpx.Client(base_url=api, headers={"Authorization": f"Bearer {token}"}, timeout=60)
            )
            doors.append((client, _entries(n, event.ticket_ids)))
        path = f"/events/{event.event_id}/checkins"

        def upload(job: tuple[httpx.Client, list[list[dict[str, Any]]]]) -> list[str]:
            client, batches = job
            statuses = []
            for batch in [*batches, batches[0]]:  # the first batch again: a retry
                answer = client.post(path, json={"entries": batch})
                assert answer.status_code == 200, answer.text
                statuses += [r["status"] for r in answer.json()["results"]]
            return statuses

        with ThreadPoolExecutor(DOORS) as pool:
            statuses = [s for door in pool.map(upload, doors) for s in door]
        sent = [e for _, batches in doors for b in batches for e in b]
        assert statuses.count("duplicate") >= sum(len(b[0]) for _, b in doors)
        db = open_database(any_db_url)
        with db.reading() as session:
            stored = session.scalar(select(func.count()).select_from(Checkin))
        db.dispose()
        assert stored == len(sent)  # every entry exactly once

        marks = [
            Mark(
                e["id"],
                e["ticket_id"],
                Direction.ENTRY,
                datetime.fromisoformat(e["scanned_at"]),
                e["scanned_at"],
                e["door"],
                "",
                None,
            )
            for e in sent
        ]
        expected = {
            (first.entry_id, tuple(o.entry_id for o in others))
            for first, others in group_pairs(conflict_pairs(marks, reentry=False, multi_day=False))
        }
        organizer = {"Authorization": f"Bearer {event.organizer_token}"}
        feeds = []
        for api in urls:
            found = httpx.get(
                f"{api}/events/{event.event_id}/conflicts", headers=organizer, timeout=60
            ).json()["conflicts"]
            assert {
                (g["first"]["entry_id"], tuple(o["entry_id"] for o in g["others"])) for g in found
            } == expected
            feeds.append(_feed(doors[urls.index(api)][0], event.event_id))
        assert feeds[0] == feeds[1]
        assert {r["entry_id"] for r in feeds[0] if r["k"] == "passage"} == {e["id"] for e in sent}


def _feed(client: httpx.Client, event_id: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    cursor, more = None, True
    while more:
        params = {"since": cursor} if cursor else {}
        page = client.get(f"/events/{event_id}/changes", params=params).json()
        records += page["records"]
        cursor, more = page["cursor"], page["more"]
    return records
