"""50 doors upload overlapping batches at once: every entry stored once, conflicts exactly right.

Runs on SQLite and on PostgreSQL (the `any_db_url` fixture). Tickets come in three groups:
scanned at one door, scanned at two to four doors (conflicts), and every batch is also sent a
second time by a competing thread (lost acknowledgements), so duplicates race with originals.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx

from server_stub.testing import LiveServer, seed_event
from tests.server.helpers import Door, enroll

DEVICES = 50
ENTRIES_PER_DEVICE = 40
BATCH = 20
SHARED = 150


def _plan(doors: list[Door], ticket_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(7)
    shared = ticket_ids[:SHARED]  # these get scanned at several doors
    single = iter(ticket_ids[SHARED:])
    plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    minute = iter(rng.sample(range(100_000), 10_000))  # distinct scan times: a definite first
    for ticket in shared:
        for door in rng.sample(doors, rng.randint(2, 4)):
            plan[door.device_id].append(door.entry(ticket, next(minute) / 10))
    for door in doors:
        while len(plan[door.device_id]) < ENTRIES_PER_DEVICE:
            plan[door.device_id].append(door.entry(next(single), next(minute) / 10))
        rng.shuffle(plan[door.device_id])
    return plan


def test_fifty_doors_at_once(server: LiveServer) -> None:
    event = seed_event(server.database_url, tickets_per_type=2000, ticket_types=("ga",))
    with ExitStack() as stack:
        doors = [stack.enter_context(enroll(server, event, f"door{n}")) for n in range(DEVICES)]
        plan = _plan(doors, event.ticket_ids)
        by_device = {door.device_id: door for door in doors}
        jobs = [
            (by_device[device], entries[i : i + BATCH])
            for device, entries in plan.items()
            for i in range(0, len(entries), BATCH)
        ]
        jobs = jobs + jobs  # every batch twice, racing itself
        random.Random(3).shuffle(jobs)
        with ThreadPoolExecutor(max_workers=DEVICES) as pool:
            answers = list(pool.map(lambda job: job[0].upload(*job[1]), jobs))
        organizer = stack.enter_context(
            httpx.Client(
                base_url=server.api, headers={"Authorization": f"Bearer {event.organizer_token}"}
            )
        )
        conflicts = organizer.get(f"/events/{event.event_id}/conflicts").json()["conflicts"]
        csv_lines = organizer.get(f"/events/{event.event_id}/export.csv").text.splitlines()

    entries = {e["id"]: e for batch in plan.values() for e in batch}
    firsts = Counter(r["id"] for batch in answers for r in batch if r["status"] != "duplicate")
    assert firsts == Counter(dict.fromkeys(entries, 1))  # each entry taken once, and only once
    assert len(csv_lines) == 1 + len(entries)

    admissions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries.values():
        admissions[entry["ticket_id"]].append(entry)
    expected = {
        ticket: (min(es, key=lambda e: e["scanned_at"])["id"], len(es) - 1)
        for ticket, es in admissions.items()
        if len(es) > 1
    }
    found = {g["ticket_id"]: (g["first"]["entry_id"], len(g["others"])) for g in conflicts}
    assert found == expected
    # Sequential semantics: per ticket, the first entry the server took was accepted, the rest
    # were answered "conflict", whatever the order they raced in.
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for batch in answers:
        for result in batch:
            if result["status"] != "duplicate":
                statuses[entries[result["id"]]["ticket_id"]][result["status"]] += 1
    for ticket, es in admissions.items():
        assert statuses[ticket] == Counter(
            {"accepted": 1, "conflict": len(es) - 1} if len(es) > 1 else {"accepted": 1}
        )
