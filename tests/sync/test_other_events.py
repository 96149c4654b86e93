"""A real ticket of another event on the same platform is refused as "for another event", not
called a forgery: key ids are unique across the platform and doors learn which kid is whose."""

from __future__ import annotations

import pytest

from scanner.checkin.base32 import b32encode
from scanner.checkin.codes import verify_code
from scanner.checkin.keyring import KeyringError, keyring_from_json
from scanner.checkin.reasons import Reason
from scanner.checkin.wording import describe
from server_stub.testing import seed_event
from tests.store_jobs import write_sql
from tests.sync.conftest import Device, Platform


def test_a_ticket_of_another_event_says_so(platform: Platform, enrolled: Device) -> None:
    other = seed_event(platform.server.database_url, tickets_per_type=2, event_id="autumn-fair")
    mine = {k for k in platform.event.keyring.keys}
    theirs = {k for k in other.keyring.keys}
    assert mine.isdisjoint(theirs), (mine, theirs)  # no two events share a key id

    enrolled.sync()  # a door learns the platform's other kids with its list (here: the sync)
    write_sql(enrolled.store, "UPDATE events SET cursor = NULL")
    enrolled.sync()
    code = other.codes[other.ticket_ids[0]]
    result = enrolled.door.check(code, source="test")
    assert result.verdict.reason is Reason.WRONG_EVENT
    assert describe(result.verdict).reason == "Ticket is for another event"

    forged = code[:-4] + ("AAAA" if not code.endswith("AAAA") else "BBBB")
    own_kid = next(iter(mine))
    unknown = code.replace(f"TK1.{next(iter(theirs))}.", "TK1.ZZ9.", 1)
    assert enrolled.door.check(unknown, source="test").verdict.reason is Reason.UNKNOWN_KEY
    # a code under this event's own kid with a bad signature is still a forgery
    tampered = forged.replace(f"TK1.{next(iter(theirs))}.", f"TK1.{own_kid}.", 1)
    assert enrolled.door.check(tampered, source="test").verdict.reason is Reason.BAD_SIGNATURE


def test_the_keyring_carries_other_events_kids() -> None:
    keyring = keyring_from_json({"keys": [], "other_events": {"E7": "autumn-fair"}})
    assert keyring.event_of("E7") == "autumn-fair" and keyring.to_json()["other_events"]
    part = b32encode(b"{}")
    assert verify_code(f"TK1.E7.{part}.{part}", keyring).reason is Reason.WRONG_EVENT
    with pytest.raises(KeyringError, match="other_events"):
        keyring_from_json({"keys": [], "other_events": {"e7 lower": "x"}})
