"""Verify + door rules per code, without the journal commit, on one core.

Target (issue 2): at least 20,000 codes/s. The door's realistic mix is four TK1 (Ed25519) codes
to one SEEDJSON code, for tickets on the signed list (which carries each issued code's digest and
SEEDJSON signature). Also reported: each format alone, and TK1 codes of tickets missing from the
list, which need the full Ed25519 verification.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from _common import NOW, emit, one_core, sized

from scanner.app.demo import iter_tickets, make_event
from scanner.checkin.codes import IssuedProof, verify_code
from scanner.checkin.issuing import SigningKey, keyring_for, mint_tk1
from scanner.checkin.keyring import Keyring
from scanner.checkin.records import DoorSettings, EventPolicy, TicketRecord
from scanner.checkin.rules import decide

COUNT = sized(20_000, 300)
Lookup = Callable[[str], IssuedProof | None]


def codes_per_second(
    codes: list[str], keyring: Keyring, records: dict[str, TicketRecord], issued: Lookup
) -> int:
    policy = EventPolicy("evt_bench")
    door = DoorSettings("Main", "dev-bench")
    started = time.perf_counter()
    for text in codes:
        check = verify_code(text, keyring, issued)
        ticket = records.get(check.code.ticket_id) if check.code else None
        decide(check, ticket, event=policy, door=door, now=NOW)
    return round(len(codes) / (time.perf_counter() - started))


def main() -> None:
    one_core()
    event = make_event(0, event_id="evt_bench")
    pairs = list(iter_tickets(event, COUNT, seed=5))
    records = {r.ticket_id: TicketRecord(r.ticket_id, r.ticket_type) for r, _ in pairs}
    proofs = {r.ticket_id: IssuedProof(r.seed_signature, r.code_digest) for r, _ in pairs}
    codes = [code for _, code in pairs if code]
    tk1 = [c for c in codes if c.startswith("TK1")]
    hs = SigningKey.generate("H1", "HS256")
    hs_codes = [mint_tk1(hs, {"e": "evt_bench", "t": f"new{i}", "k": "ga"}) for i in range(COUNT)]
    keyring = keyring_for([*event.keys, hs])
    unlisted: Lookup = lambda _ticket: None  # noqa: E731

    def rate(sample: list[str], lookup: Lookup = proofs.get) -> int:
        return codes_per_second(sample, keyring, records, lookup)

    emit(
        "verify_rules",
        codes=COUNT,
        target_codes_per_s=20_000,
        mix_listed_codes_per_s=rate(codes),
        tk1_listed_codes_per_s=rate(tk1),
        seedjson_listed_codes_per_s=rate([c for c in codes if c.startswith("{")]),
        tk1_ed25519_unlisted_codes_per_s=rate(tk1, unlisted),
        tk1_hs256_unlisted_codes_per_s=rate(hs_codes, unlisted),
        garbage_per_s=rate(["https://example.com/x"] * COUNT),
    )


if __name__ == "__main__":
    main()
