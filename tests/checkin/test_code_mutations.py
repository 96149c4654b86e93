"""No mutation of a valid code is ever accepted as something else, and nothing raises.

A mutation may still verify only when it means the same thing: the case-inverted TK1 text a
Caps-Lock scanner types, or SEEDJSON re-spaced. Then ticket and claims must be the original's.
"""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.checkin.codes import CodeCheck, verify_code
from scanner.checkin.issuing import SigningKey, keyring_for, mint_seedjson, mint_tk1
from scanner.checkin.reasons import CODE_REASONS

HS = SigningKey("H1", "HS256", bytes(range(32)))
ED = SigningKey("E1", "Ed25519", bytes(range(1, 33)))
SECRET = "platform-secret"
KEYRING = keyring_for([HS, ED], SECRET)
ORIGINALS = [
    mint_tk1(HS, {"e": "evt", "t": "abc123", "k": "ga", "d": [1, 2], "n": "Zoë"}),
    mint_tk1(ED, {"e": "evt", "t": "xyz789", "k": "vip", "nbf": 1, "exp": 2_000_000_000}),
    mint_seedjson(SECRET, "seed42", 1_761_300_000_000),
]
ALPHABET = string.ascii_letters + string.digits + '.{}":,=-_ \r\n\t\x00é😀'
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_safe(original: str, mutated: str) -> None:
    result = verify_code(mutated, KEYRING)
    assert isinstance(result, CodeCheck)
    if not result.ok:
        assert result.reason in CODE_REASONS
        return
    expected = verify_code(original, KEYRING)
    assert result.code is not None and expected.code is not None
    assert (result.code.ticket_id, result.code.claims) == (
        expected.code.ticket_id,
        expected.code.claims,
    )


@SETTINGS
@given(st.sampled_from(ORIGINALS), st.data())
def test_character_flips_are_never_accepted(original: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(original) - 1))
    replacement = data.draw(st.sampled_from(ALPHABET).filter(lambda c: c != original[index]))
    _assert_safe(original, original[:index] + replacement + original[index + 1 :])


@SETTINGS
@given(st.sampled_from(ORIGINALS), st.data())
def test_bit_flips_in_the_utf8_are_never_accepted(original: str, data: st.DataObject) -> None:
    raw = bytearray(original.encode())
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] ^= 1 << data.draw(st.integers(0, 7))
    _assert_safe(original, raw.decode("utf-8", errors="replace"))


@SETTINGS
@given(st.sampled_from(ORIGINALS), st.data())
def test_truncations_and_insertions_are_never_accepted(original: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(original)))
    _assert_safe(original, original[:cut])
    insert = data.draw(st.text(ALPHABET, min_size=1, max_size=8))
    _assert_safe(original, original[:cut] + insert + original[cut:])


@SETTINGS
@given(st.sampled_from(ORIGINALS[:2]), st.data())
def test_tk1_re_encodings_never_change_meaning(original: str, data: st.DataObject) -> None:
    parts = original.split(".")
    part = data.draw(st.integers(1, 3))
    variants = [
        original.lower(),
        original.swapcase(),
        ".".join(
            p + "=" * data.draw(st.integers(1, 6)) if i == part else p for i, p in enumerate(parts)
        ),
        ".".join(p.lower() if i == part else p for i, p in enumerate(parts)),
        original + "." + parts[part],
        "  " + original + "\r\n",
    ]
    for variant in variants:
        _assert_safe(original, variant)


@SETTINGS
@given(st.data())
def test_seedjson_re_encodings_never_change_meaning(data: st.DataObject) -> None:
    obj = json.loads(ORIGINALS[2])
    tweaks = [
        {**obj, "timestamp": obj["timestamp"] + data.draw(st.integers(1, 10**6))},
        {**obj, "timestamp": str(obj["timestamp"])},
        {**obj, "timestamp": float(obj["timestamp"])},
        {**obj, "ticketId": obj["ticketId"] + data.draw(st.text(ALPHABET, min_size=1, max_size=3))},
        {**obj, "signature": obj["signature"].upper()},
        {**obj, "extra": data.draw(st.integers())},
        {key: value for key, value in obj.items() if key != data.draw(st.sampled_from(list(obj)))},
    ]
    for tweak in tweaks:
        _assert_safe(ORIGINALS[2], json.dumps(tweak, indent=data.draw(st.sampled_from([None, 2]))))


@SETTINGS
@given(st.text(max_size=600))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = verify_code(text, KEYRING)
    assert result.ok is False and result.reason in CODE_REASONS
