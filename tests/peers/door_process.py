"""A door as a process of its own: the door session (the app layer the window drives), started
with its sync thread and its links to the doors nearby. Commands on stdin, one JSON answer a
line on stdout:

    scan CODE          -> {"reason", "outcome", "entry_id", "first": {...} | null, "words"}
    undo ENTRY_ID      -> {"entry_id"}
    knows ENTRY_ID     -> {"known": bool, "annulled": bool | null}   (another door's passage)
    peers              -> {"running", "nearby": [{"id", "name", "offset"}], "refused", "listening"}
    conflicts          -> {"tickets": [ticket ids admitted twice]}
    count              -> {"remote": other doors' passages held, "cpu_s": CPU seconds used}
    sync               -> {"link"}   (and a sync cycle woken)
    quit

    python -m tests.peers.door_process DATA_DIR [--clock-offset SECONDS]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scanner.app.session import DoorSession
from scanner.checkin.wording import describe
from tests.store_jobs import read_sql, store_of


class OffsetClock:
    """This machine's clock, off by a given number of seconds (a door whose clock is wrong)."""

    def __init__(self, seconds: float) -> None:
        self.offset = timedelta(seconds=seconds)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def answer(session: DoorSession, command: str, argument: str) -> dict[str, Any]:
    if command == "scan":
        event = session.submit_code(argument).result(timeout=30)
        verdict = event.verdict
        first = verdict.first_admission
        return {
            "reason": str(verdict.reason),
            "outcome": str(verdict.outcome),
            "entry_id": event.entry_id,
            "first": None
            if first is None
            else {"device_name": first.device_name, "at": first.at.isoformat(), "door": first.door},
            "words": list(describe(verdict).details),
        }
    if command == "undo":
        return {"entry_id": session.undo(argument, "test").result(timeout=30).undo_id}
    if command == "knows":
        rows = read_sql(
            store_of(session),
            "SELECT annulled FROM remote_passages WHERE entry_id = ?",
            argument,
        )
        return {"known": bool(rows), "annulled": bool(rows[0][0]) if rows else None}
    if command == "peers":
        state = session.peers_state
        if state is None:
            return {"running": False, "nearby": [], "refused": 0, "listening": None}
        return {
            "running": state.running,
            "why": state.why,
            "listening": state.listening,
            "refused": state.refused,
            "nearby": [
                {"id": p.device_id, "name": p.name, "offset": p.clock_offset_s} for p in state.peers
            ],
        }
    if command == "count":  # other doors' passages held here, and this process's CPU so far
        (held,) = read_sql(store_of(session), "SELECT COUNT(*) FROM remote_passages")[0]
        return {"remote": int(held), "cpu_s": time.process_time()}
    if command == "conflicts":
        return {"tickets": sorted(c.ticket_id for c in session.conflicts())}
    if command == "sync":  # a cycle now (as the window's "Sync now"), then the state
        session.sync_now()
        return {"link": str(session.sync_state.link)}
    return {"error": f"unknown command {command!r}"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--clock-offset", type=float, default=0.0)
    parser.add_argument("--sync-poll", type=float, default=0.5)
    args = parser.parse_args()
    session = DoorSession(
        args.data_dir, clock=OffsetClock(args.clock_offset), sync_poll_s=args.sync_poll
    )
    session.start()
    print(json.dumps({"ready": True}), flush=True)
    try:
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            if command == "quit":
                break
            try:
                reply = answer(session, command, argument)
            except Exception as exc:  # the test reads it
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(reply), flush=True)
    finally:
        session.close(sync_timeout=5.0)


if __name__ == "__main__":
    main()
