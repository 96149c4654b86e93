"""`scanner window --demo`: a companion API on 127.0.0.1 with a demo event, this device
enrolled against it, and codes for a synthetic camera that show every kind of verdict.

Needs the companion API's package (server_stub), which a packaged door build may leave out.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scanner.app.demo import FIRST, LAST, _tampered
from scanner.checkin.attendees import AttendeeRow
from scanner.checkin.issuing import SigningKey, mint_tk1
from scanner.checkin.reasons import TicketStatus

DEMO_TIMEZONE = "Europe/Berlin"
LISTS = (("main", "Main entrance", ("ga", "vip")), ("backstage", "Backstage", ("crew",)))


@dataclass
class DemoSite:
    url: str
    enrolment_code: str
    event_id: str
    codes: list[str]  # in the order the synthetic camera shows them
    labels: list[str]
    second_code: str  # enrols a second door ("North gate", same list)
    search_example: str  # a name to search for


def _people(ids: list[str], kinds: dict[str, str]) -> list[AttendeeRow]:
    rng = random.Random(3)
    rows = []
    for index, ticket_id in enumerate(ids):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append(
            AttendeeRow(
                ticket_id=ticket_id,
                ticket_type=kinds[ticket_id],
                holder_name=f"{first} {last}",
                email=f"{first}.{last}{index}@example.org".lower(),
                order_code=f"ORD-{index // 2:05d}",
                flags=("check_id",) if index == 1 else (),
                seat=f"Row {index // 10 + 1}, seat {index % 10 + 1}"
                if kinds[ticket_id] == "vip"
                else None,
            )
        )
    return rows


@contextlib.contextmanager
def demo_site(folder: Path, per_type: int = 40) -> Iterator[DemoSite]:
    """Start the demo companion API; stopped when the block ends."""
    from server_stub.db import open_database
    from server_stub.services import tickets
    from server_stub.testing import live_server, seed_event, sqlite_url

    url = sqlite_url(folder)
    key_file = folder / "server.key"  # the demo's own: the user's server key stays untouched
    event = seed_event(
        url,
        tickets_per_type=per_type,
        ticket_types=("ga", "vip", "crew"),
        timezone=DEMO_TIMEZONE,
        reentry=True,
        checkin_lists=LISTS,
        key_file=key_file,
    )
    kinds = {
        t: k
        for k, n in zip(("ga", "vip", "crew"), range(3), strict=True)
        for t in event.ticket_ids[n * per_type : (n + 1) * per_type]
    }
    db = open_database(url, key_file)
    try:
        with db.writing() as session:
            tickets.upsert_tickets(session, event.event_id, _people(event.ticket_ids, kinds))
            canceled = event.ticket_ids[5]
            tickets.set_status(session, event.event_id, [canceled], TicketStatus.CANCELED)
            tickets.set_status(session, event.event_id, [event.ticket_ids[6]], TicketStatus.UNPAID)
    finally:
        db.dispose()
    ids = event.ticket_ids
    valid, attention = event.codes[ids[0]], event.codes[ids[1]]
    stranger = mint_tk1(SigningKey.generate("X9", "Ed25519"), {"e": "x", "t": "y", "k": "ga"})
    crew = event.codes[ids[2 * per_type]]
    shown = [
        ("a valid ticket", valid),
        ("a ticket to check ID", attention),
        ("a tampered code", _tampered(valid)),
        ("a code from another platform", stranger),
        ("the first ticket again", valid),
        ("a canceled ticket", event.codes[canceled]),
        ("a crew ticket at the main entrance", crew),
        ("an unpaid ticket", event.codes[ids[6]]),
        ("another valid ticket", event.codes[ids[per_type]]),
    ]
    with live_server(url, key_file=key_file) as server:
        yield DemoSite(
            server.url,
            event.enrollment_code("Main entrance", "main"),
            event.event_id,
            [code for _label, code in shown],
            [label for label, _code in shown],
            event.enrollment_code("North gate", "main"),
            _people(event.ticket_ids, kinds)[3].holder_name.split()[0][:3],
        )
