"""Manual search on a 100,000-ticket event: name prefixes, e-mails, order codes, ticket ids.

Target (issue 2): p95 under 20 ms per search.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from _common import emit, loaded_store, ms_percentiles, sized, write_large_snapshot

from scanner.app.demo import iter_tickets, make_event
from scanner.store.store import Store

TICKETS = sized(100_000, 300)
QUERIES = sized(600, 50)


def queries(rows: list, rng: random.Random) -> list[str]:  # type: ignore[type-arg]
    out = []
    for _ in range(QUERIES):
        row = rng.choice(rows)
        first, _, last = row.holder_name.partition(" ")
        out.append(
            rng.choice(
                [
                    first[: rng.randint(2, len(first))].lower(),  # "jü", "jurg"
                    f"{first} {last[:3]}",  # "Ana Kow"
                    last,
                    (row.email or "")[: rng.randint(3, 12)],
                    row.order_code or "",
                    row.ticket_id,
                    row.ticket_id[:6],
                ]
            )
        )
    return out


def main() -> None:
    event = make_event(0, event_id="evt_bench")
    rows = [row for row, _ in iter_tickets(event, TICKETS, seed=3, mint=False)]
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = write_large_snapshot(event, Path(tmp) / "s.jsonl", TICKETS, rows=rows)
        store = Store(loaded_store(Path(tmp), event, snapshot))
        samples, found = [], 0
        for query in queries(rows, random.Random(4)):
            begin = time.perf_counter()
            found += bool(store.search(query))
            samples.append(time.perf_counter() - begin)
        store.close()
    emit(
        "search",
        tickets=TICKETS,
        queries=len(samples),
        found=found,
        target_p95_ms=20,
        **ms_percentiles(samples),
    )


if __name__ == "__main__":
    main()
