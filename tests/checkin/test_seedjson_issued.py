"""A door without the platform secret checks a SEEDJSON code against the whole code it was
issued as, so an edited timestamp (which would defeat the maximum code age) is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from scanner.app.demo import DemoEvent
from scanner.app.door import Door
from scanner.checkin.codes import IssuedProof, seed_code_digest, verify_code
from scanner.checkin.issuing import keyring_for, mint_seedjson, seedjson_signature
from scanner.checkin.reasons import Reason
from scanner.checkin.records import DoorSettings, EventPolicy, TicketRecord
from scanner.checkin.rules import decide
from tests.conftest import EVENT_NOW

SECRET = "platform-secret"
ISSUED_MS = 1_761_300_000_000  # 2025-10-24 10:00 UTC
NOW = datetime.fromtimestamp(ISSUED_MS / 1000, UTC) + timedelta(days=2)
SIGNATURE = seedjson_signature(SECRET, "T1", ISSUED_MS)
CODE = mint_seedjson(SECRET, "T1", ISSUED_MS)
NO_SECRET = keyring_for([])  # the default: doors hold the issued signatures, not the secret
DOOR = DoorSettings("north", "dev-1")
TICKET = TicketRecord("T1", "ga")


def _edited(code: str, timestamp_ms: int) -> str:
    obj = json.loads(code)
    obj["timestamp"] = timestamp_ms
    return json.dumps(obj)


def _proof(digest: bool = True) -> IssuedProof:
    code_digest = seed_code_digest("T1", ISSUED_MS, SIGNATURE) if digest else None
    return IssuedProof(seed_signature=SIGNATURE, code_digest=code_digest)


def _verdict(code: str, proof: IssuedProof, max_age_s: int | None = 86_400) -> Reason:
    check = verify_code(code, NO_SECRET, lambda _t: proof)
    policy = EventPolicy("evt", max_code_age_s=max_age_s)
    return decide(check, TICKET, event=policy, door=DOOR, now=NOW).reason


def test_an_edited_timestamp_is_refused_without_the_secret() -> None:
    fresh = _edited(CODE, int(NOW.timestamp() * 1000))
    assert verify_code(fresh, NO_SECRET, lambda _t: _proof()).reason is Reason.BAD_SIGNATURE
    assert _verdict(fresh, _proof()) is Reason.BAD_SIGNATURE


def test_the_age_is_judged_on_the_issued_timestamp() -> None:
    assert _verdict(CODE, _proof()) is Reason.CODE_EXPIRED  # issued two days ago, limit one day
    assert _verdict(CODE, _proof(), max_age_s=None) is Reason.OK
    spaced = CODE.replace(",", ", ").upper().replace("TICKETID", "ticketId")
    spaced = spaced.replace("TIMESTAMP", "timestamp").replace("SIGNATURE", "signature")
    assert _verdict(spaced, _proof(), max_age_s=None) is Reason.OK  # same code, other spelling


def test_without_the_issued_digest_an_age_limit_cannot_be_judged() -> None:
    assert _verdict(CODE, _proof(digest=False), max_age_s=None) is Reason.OK
    fresh = _edited(CODE, int(NOW.timestamp() * 1000))
    assert _verdict(fresh, _proof(digest=False)) is Reason.CODE_EXPIRED


def test_with_the_secret_the_signature_covers_the_timestamp() -> None:
    keyring = keyring_for([], SECRET)
    fresh = _edited(CODE, int(NOW.timestamp() * 1000))
    assert verify_code(fresh, keyring).reason is Reason.BAD_SIGNATURE
    assert verify_code(CODE, keyring).ok


def test_a_door_refuses_a_demo_seedjson_code_with_an_edited_timestamp(
    door: Door, demo_event: DemoEvent
) -> None:
    row = next(
        r
        for r in demo_event.rows
        if r.seed_signature and r.status == "valid" and r.ticket_type in ("ga", "vip")
    )
    original = demo_event.codes[row.ticket_id]
    edited = _edited(original, int(EVENT_NOW.timestamp() * 1000))
    assert door.check(edited, source="test").verdict.reason is Reason.BAD_SIGNATURE
    assert door.check(original, source="test").verdict.reason is Reason.OK
