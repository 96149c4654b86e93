"""Any text a camera or a wedge scanner delivers gets a verdict in the journal, and the door goes
on: arbitrary Unicode (lone surrogates included), JSON escapes and raw bytes, through the whole
door (code parser, rules, store and journal), not only the parser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.app.door import Door
from scanner.checkin.base32 import b32encode
from scanner.checkin.codes import verify_code
from scanner.checkin.issuing import SigningKey, keyring_for
from tests.cli.run import scanner
from tests.store_jobs import read_sql

LONE_SURROGATE = '{"ticketId":"\\ud800","timestamp":1761300000000,"signature":"' + "ab" * 32 + '"}'
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, surrogates included
ESCAPES = st.one_of(
    st.integers(0, 0xFFFF).map(lambda n: f"\\u{n:04x}"),
    st.integers(0xD800, 0xDFFF).map(lambda n: f"\\u{n:04X}"),  # lone surrogates
    st.sampled_from(['\\"', "\\\\", "\\/", "\\b", "\\n", "\\t", "\\x", "\\u12", "\\"]),
    ANY_CHAR,
)


def _seedjson(ticket: str, stamp: str = "1761300000000") -> str:
    return f'{{"ticketId":"{ticket}","timestamp":{stamp},"signature":"{"ab" * 32}"}}'


CODE_TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=600),
    st.lists(ESCAPES, max_size=40).map(lambda parts: _seedjson("".join(parts))),
    st.lists(ESCAPES, max_size=20).map(lambda parts: "TK1." + "".join(parts)),
    st.binary(max_size=300).map(lambda raw: raw.decode("utf-8", errors="surrogateescape")),
    st.binary(max_size=300).map(lambda raw: raw.decode("latin-1")),
)


def _journal(door: Door) -> list[tuple[str, str, str | None]]:
    sql = "SELECT outcome, reason, ticket_id FROM journal ORDER BY seq"
    return [tuple(row) for row in read_sql(door.store, sql)]


@pytest.fixture
def hostile_door(door: Door) -> Iterator[Door]:
    yield door


@SETTINGS
@given(CODE_TEXTS)
def test_any_text_gets_a_verdict_in_the_journal_and_the_door_goes_on(
    hostile_door: Door, code_text: str
) -> None:
    before = len(_journal(hostile_door))
    result = hostile_door.check(code_text, source="test")
    entries = _journal(hostile_door)
    assert len(entries) == before + 1
    outcome, reason, ticket_id = entries[-1]
    assert (outcome, reason) == (str(result.verdict.outcome), str(result.verdict.reason))
    if ticket_id is not None:  # whatever is stored can be written to a UTF-8 file
        ticket_id.encode("utf-8")
    json.dumps(result.verdict.to_json(), ensure_ascii=False).encode("utf-8")


def test_a_lone_surrogate_escape_is_malformed_and_journaled(hostile_door: Door) -> None:
    result = hostile_door.check(LONE_SURROGATE, source="test")
    assert str(result.verdict.reason) == "malformed"
    assert _journal(hostile_door)[-1][:2] == ("rejected", "malformed")
    # and the next, ordinary scan is decided as usual
    assert hostile_door.check("not a code", source="test").verdict.reason == "malformed"


def test_the_command_line_refuses_it_and_keeps_it(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    ran = scanner(capsys, data_dir, "check", LONE_SURROGATE, "--json")
    assert ran.code == 1, ran.err
    assert ran.json_lines()[0]["reason"] == "malformed"
    keyring = tmp_path / "keyring.json"
    keyring.write_text(json.dumps({"keys": [], "seed_json_secret": "s"}))
    verified = scanner(capsys, None, "verify-code", "--keyring", str(keyring), LONE_SURROGATE)
    assert verified.code == 1 and verified.json_lines()[0]["reason"] == "malformed"


def test_signed_tk1_claims_with_a_lone_surrogate_are_malformed() -> None:
    key = SigningKey("H1", "HS256", bytes(range(32)))
    payload = json.dumps({"e": "evt", "t": "abc", "k": "ga", "n": "\ud800"}).encode("ascii")
    body = f"TK1.H1.{b32encode(payload)}"  # json.dumps escapes the surrogate as \ud800
    code = f"{body}.{b32encode(key.sign(body.encode('ascii')))}"
    assert verify_code(code, keyring_for([key], None)).reason == "malformed"
