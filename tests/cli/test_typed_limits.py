"""Text typed at the door is held to the platform's rules where it is typed: a ticket id the
server would refuse, a 10 kB door name or reason, never reach the journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.run import scanner
from tests.store.helpers import query


def _journal_count(data_dir: Path) -> int:
    return int(query(data_dir, "SELECT COUNT(*) FROM journal")[0][0])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("check", "--ticket", "x" * 10_240), "--ticket: the ticket id is longer than 64"),
        (("check", "--ticket", " evil"), "--ticket: the ticket id has leading or trailing spaces"),
        (("check", "--ticket", "a\x00b"), "--ticket: the ticket id contains a NUL character"),
        (("check", "--ticket", "T1", "--door", "d" * 201), "--door is longer than 200"),
        (("check", "--ticket", "T1", "--door", "  "), "--door is empty"),
        (("check", "--ticket", "\udcff"), "--ticket: the ticket id is not valid Unicode"),
    ],
)
def test_text_the_platform_would_refuse_is_refused_at_the_door(
    capsys: pytest.CaptureFixture[str], data_dir: Path, args: tuple[str, ...], words: str
) -> None:
    ran = scanner(capsys, data_dir, *args)
    assert ran.code == 2
    assert ran.err.startswith(f"error: {words}") and len(ran.err.splitlines()) == 1
    assert "x" * 100 not in ran.err  # the bad text is not echoed back
    assert _journal_count(data_dir) == 0


def test_an_operator_name_too_long_is_refused(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCANNER_OPERATOR", "o" * 500)
    ran = scanner(capsys, data_dir, "check", "--ticket", "T1")
    assert ran.code == 2 and "SCANNER_OPERATOR (the operator's name) is longer than 200" in ran.err
    assert _journal_count(data_dir) == 0


def test_an_undo_reason_too_long_is_refused(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    ran = scanner(capsys, data_dir, "undo", "some-entry", "--reason", "r" * 2001)
    assert ran.code == 2 and "--reason is longer than 2000 characters" in ran.err
