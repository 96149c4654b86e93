"""Door to door with the server up (issue 25): two door sessions (the app layer the window
drives) on one machine and a `scanner-server serve` process on 127.0.0.1. Door A admits a code;
the time until door B holds that passage (it would refuse the code), ROUNDS times each way in
the same run: polled (the 2 s poll alone, as before) and pushed (the long-poll on the changes
feed). Target: pushed p95 <= 0.3 s ("done when": <= 0.5 s).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from _common import emit, ms_percentiles, sized

from scanner.app.session import DoorSession
from server_stub.testing import SeededEvent, seed_event, server_process, sqlite_url
from tests.store_jobs import read_sql, store_of

ROUNDS = sized(10, 2)


def door(folder: Path, url: str, event: SeededEvent, name: str, push: bool) -> DoorSession:
    session = DoorSession(folder / name, sync_push=push)
    session.setup.enroll(url, event.enrollment_code(name)).result(timeout=120)
    session.start()
    return session


def knows(session: DoorSession, entry_id: str) -> bool:
    sql = "SELECT 1 FROM remote_passages WHERE entry_id = ?"
    return bool(read_sql(store_of(session), sql, entry_id))


def door_to_door(a: DoorSession, b: DoorSession, codes: list[str]) -> list[float]:
    """Seconds from A's verdict (committed; its upload starts then) to B holding the passage."""
    delays = []
    rng = random.Random(7)
    for code in codes:
        time.sleep(rng.uniform(0.2, 1.2))  # at any moment, not in step with B's poll
        verdict = a.submit_code(code).result(timeout=60)
        assert str(verdict.verdict.reason) == "ok", verdict
        admitted = time.perf_counter()
        while not knows(b, verdict.entry_id):
            if time.perf_counter() - admitted > 60:
                raise RuntimeError("door B never heard of door A's admission")
            time.sleep(0.002)
        delays.append(time.perf_counter() - admitted)
    return delays


def measured(
    folder: Path, url: str, event: SeededEvent, codes: list[str], push: bool
) -> list[float]:
    mode = "pushed" if push else "polled"
    a = door(folder, url, event, f"{mode}-a", push)
    b = door(folder, url, event, f"{mode}-b", push)
    try:
        return door_to_door(a, b, codes)
    finally:
        for session in (a, b):
            session.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_url = sqlite_url(folder)
        event = seed_event(db_url, tickets_per_type=ROUNDS, ticket_types=("ga", "vip"))
        codes = [event.codes[t] for t in event.ticket_ids]
        with server_process(db_url) as (url, _child):
            polled = measured(folder, url, event, codes[:ROUNDS], push=False)
            pushed = measured(folder, url, event, codes[ROUNDS:], push=True)
    before, after = ms_percentiles(polled), ms_percentiles(pushed)
    emit(
        "door_to_door",
        rounds=ROUNDS,
        polled=before,
        pushed=after,
        p95_polled_over_pushed=round(before["p95_ms"] / max(after["p95_ms"], 0.001), 1),
        targets={"pushed_p95_ms": 300, "done_when_p95_ms": 500},
    )


if __name__ == "__main__":
    main()
