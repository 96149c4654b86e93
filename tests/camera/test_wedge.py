"""Keyboard-wedge scanners: bursts with recorded timings, prefixes, and garbling repairs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.camera.layouts import Garbling, garblings, layout_map
from scanner.camera.synthetic import TicketMint
from scanner.camera.wedge import WedgeAssembler, WedgeScan, clean_scan, identify_with, resolve

MINT = TicketMint(5)
IDENTIFY = identify_with(MINT.keyring)
RNG = np.random.default_rng(5)
CODES = [MINT.code(RNG) for _ in range(6)]  # TK1 Ed25519, TK1 HS256 and SEEDJSON


def type_keys(
    assembler: WedgeAssembler, keys: list[str], start: float, gap: float
) -> list[WedgeScan]:
    scans = []
    for i, key in enumerate(keys):
        scan = assembler.feed(key, start + i * gap)
        if scan is not None:
            scans.append(scan)
    return scans


def test_a_fast_burst_ending_in_enter_is_a_scan() -> None:
    code = CODES[0]
    scans = type_keys(WedgeAssembler(), [*code, "Enter"], 10.0, 0.004)
    assert [s.text for s in scans] == [code]
    assert scans[0].started_at == 10.0 and scans[0].ended_at > 10.0


def test_tab_ends_a_scan_and_modifier_keys_are_ignored() -> None:
    keys = [k for ch in "TK1.ABCDEFGH" for k in ("Shift", ch)] + ["Tab"]
    assert [s.text for s in type_keys(WedgeAssembler(), keys, 0.0, 0.003)] == ["TK1.ABCDEFGH"]


def test_human_typing_is_not_a_scan() -> None:
    # Recorded from a person typing a ticket id and Enter: 90-240 ms between keys.
    gaps = [0.0, 0.21, 0.12, 0.24, 0.09, 0.15, 0.18, 0.11, 0.2, 0.13, 0.16]
    times = np.cumsum(gaps)
    assembler = WedgeAssembler()
    keys = [*"t00000042ab", "Enter"]
    results = [
        assembler.feed(k, float(t)) for k, t in zip(keys, [*times, times[-1] + 0.1], strict=True)
    ]
    assert all(r is None for r in results)


def test_a_short_burst_is_not_a_scan_and_a_slow_start_is_dropped() -> None:
    assembler = WedgeAssembler(min_length=8)
    assert type_keys(assembler, [*"abc", "Enter"], 0.0, 0.005) == []
    # A stray key long before the burst does not end up in the code.
    assert assembler.feed("x", 5.0) is None
    assert [s.text for s in type_keys(assembler, [*CODES[1], "Enter"], 6.0, 0.005)] == [CODES[1]]


def test_scanners_without_a_suffix_end_on_silence() -> None:
    assembler = WedgeAssembler(idle_end_s=0.1)
    assert type_keys(assembler, list(CODES[2]), 0.0, 0.003) == []
    assert assembler.poll(0.003 * len(CODES[2]) + 0.01) is None
    scan = assembler.poll(0.003 * len(CODES[2]) + 0.2)
    assert scan is not None and scan.text == CODES[2]


@pytest.mark.parametrize("prefix", ["]Q1", "]Q3", "\\000026", "]Q2\\000026", "\x02", "\x1d"])
def test_aim_and_eci_prefixes_and_control_characters_are_stripped(prefix: str) -> None:
    assert clean_scan(prefix + CODES[0] + "\x03\r") == CODES[0]


# Braces and quotes need AltGr on German and French layouts, which the tables leave out.
TYPEABLE = [
    pytest.param(code, garbling, id=f"{code[:6]}-{garbling.label}")
    for code in CODES
    for garbling in garblings()
    if garbling.can_type(code)
]


@pytest.mark.parametrize(("code", "garbling"), TYPEABLE)
def test_garbled_codes_are_repaired_and_the_door_is_told(code: str, garbling: Garbling) -> None:
    garbled = garbling.apply(code)
    resolved = resolve(garbled, IDENTIFY)
    assert resolved.text == code
    if garbled != code:
        assert resolved.garbling is not None and resolved.advice is not None


def test_a_garbled_scan_goes_through_the_assembler_with_its_prefix() -> None:
    garbled = Garbling("us", "fr", caps=True).apply("]Q1" + CODES[0])
    scans = type_keys(WedgeAssembler(), [*garbled, "Enter"], 0.0, 0.004)
    assert resolve(scans[0].text, IDENTIFY).text == CODES[0]


def test_a_valid_code_is_taken_as_it_is() -> None:
    assert resolve(CODES[0], IDENTIFY).garbling is None


def test_a_repair_is_refused_when_two_undoings_name_different_tickets() -> None:
    # A stand-in verifier under which two undoings are "valid" for different tickets.
    us_de, us_fr = Garbling("us", "de", False), Garbling("us", "fr", False)
    text = "QZY1"
    tickets = {us_de.undo(text): "t1", us_fr.undo(text): "t2"}
    assert len(tickets) == 2
    assert resolve(text, tickets.get).text == text


def test_layout_tables_are_one_to_one() -> None:
    for garbling in garblings():
        mapping = layout_map(garbling.scanner_layout, garbling.host_layout)
        assert len(set(mapping.values())) == len(mapping)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*'TK1.AZQWYM{}:"&é', "Enter", "Tab", "Shift", "", "\x1b"]),
            st.floats(min_value=0.0, max_value=0.3),
        ),
        max_size=120,
    )
)
def test_fuzzed_keystrokes_never_crash_and_scans_come_only_from_fast_bursts(
    keys: list[tuple[str, float]],
) -> None:
    assembler = WedgeAssembler(max_gap_s=0.05, min_length=4)
    now = 0.0
    for key, gap in keys:
        now += gap
        scan = assembler.feed(key, now)
        if scan is not None:
            assert len(scan.text) >= 4
            assert scan.ended_at - scan.started_at <= 0.05 * (len(keys) + 1)
            assert not any(ch < " " for ch in scan.text)


@settings(max_examples=60, deadline=None)
@given(
    code_index=st.integers(0, len(CODES) - 1),
    position=st.integers(0, 10_000),
    replacement=st.sampled_from([*"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567.{}:\"'Üüäö&é"]),
    garbling=st.sampled_from(list(garblings())),
)
def test_no_repair_turns_a_damaged_code_into_a_valid_one(
    code_index: int, position: int, replacement: str, garbling: Garbling
) -> None:
    code = CODES[code_index]
    at = position % len(code)
    damaged = code[:at] + replacement + code[at + 1 :]
    if IDENTIFY(damaged) is not None:  # the replacement changed nothing (same char or case)
        return
    typed = garbling.apply(damaged)
    if garbling.undo(typed) != damaged:
        # A character this scanner's layout cannot type ("Ü" on a US scanner) is passed on as
        # it is, and the undoing reads it as the key it sits on ("{"): no scanner sends that,
        # and what it gives back is the genuine code the damage started from, not a new one.
        return
    resolved = resolve(typed, IDENTIFY)
    assert IDENTIFY(resolved.text) is None


@pytest.mark.parametrize("gaps", [[0.045], [0.06], [0.045, 0.085, 0.05], [0.046, 0.049]])
def test_fast_typing_near_a_scanners_pace_is_not_a_scan(gaps: list[float]) -> None:
    # 45 ms a key is as fast as people type: within one scan's longest gap, never its pace.
    assembler = WedgeAssembler()
    at, results = 0.0, []
    for index, key in enumerate([*"wrong person", "Enter"]):
        at += gaps[index % len(gaps)]
        results.append(assembler.feed(key, at))
        assert assembler.pending <= 3  # given up at once: the keys can go to the widget
    assert all(r is None for r in results)


@pytest.mark.parametrize("gaps", [[0.001], [0.03], [0.03, 0.045, 0.018, 0.03], [0.0, 0.002]])
def test_scanners_up_to_30_ms_a_key_with_jitter_are_scans(gaps: list[float]) -> None:
    code = CODES[3]
    assembler = WedgeAssembler()
    at, scans = 0.0, []
    for index, key in enumerate([*code, "Enter"]):
        at += gaps[index % len(gaps)]
        scan = assembler.feed(key, at)
        scans += [scan] if scan else []
    assert [s.text for s in scans] == [code]


def test_a_time_going_back_ends_a_burst() -> None:
    assembler = WedgeAssembler()
    type_keys(assembler, list("TK1.ABCD"), 100.0, 0.003)
    assert [s.text for s in type_keys(assembler, [*"EFGH", "Enter"], 0.0, 0.003)] == []
