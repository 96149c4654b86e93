"""The pure conflict rules: every node must compute the same pairs from the same passages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scanner.checkin.reasons import Direction
from server_stub.services.ledger import Ledger
from server_stub.services.passages import Mark, conflict_pairs, group_pairs, partner

T0 = datetime(2025, 6, 1, 18, 0, tzinfo=UTC)


def mark(
    n: int, minutes: int, direction: Direction = Direction.ENTRY, day: int | None = None
) -> Mark:
    at = T0 + timedelta(minutes=minutes)
    return Mark(f"e{n}", "t1", direction, at, at.isoformat(), "north", "d1", day)


def ids(pairs: list[tuple[Mark, Mark]]) -> list[tuple[str, str]]:
    return sorted((a.entry_id, b.entry_id) for a, b in pairs)


def test_without_reentry_every_later_admission_conflicts_with_the_first() -> None:
    marks = [mark(1, 30), mark(2, 10), mark(3, 20, Direction.EXIT), mark(4, 40)]
    pairs = conflict_pairs(marks, reentry=False, multi_day=False)
    assert ids(pairs) == [("e2", "e1"), ("e2", "e4")]
    assert partner("e2", pairs) is not None and partner("e2", pairs).entry_id == "e1"  # type: ignore[union-attr]
    assert [(f.entry_id, [o.entry_id for o in others]) for f, others in group_pairs(pairs)] == [
        ("e2", ["e1", "e4"])
    ]


def test_with_reentry_an_exit_in_between_clears_it() -> None:
    marks = [mark(1, 0), mark(2, 10, Direction.EXIT), mark(3, 20), mark(4, 30)]
    assert ids(conflict_pairs(marks, reentry=True, multi_day=False)) == [("e3", "e4")]


def test_days_are_separate_scopes_only_on_multi_day_events() -> None:
    marks = [mark(1, 0, day=1), mark(2, 24 * 60, day=2)]
    assert conflict_pairs(marks, reentry=False, multi_day=True) == []
    assert ids(conflict_pairs(marks, reentry=False, multi_day=False)) == [("e1", "e2")]


passages = st.lists(
    st.tuples(st.integers(0, 50), st.sampled_from(list(Direction)), st.sampled_from([1, 2])),
    max_size=12,
)


@given(passages, st.booleans(), st.randoms())
def test_pairs_do_not_depend_on_arrival_order(
    raw: list[tuple[int, Direction, int]], reentry: bool, rng: object
) -> None:
    marks = [mark(n, minutes, direction, day) for n, (minutes, direction, day) in enumerate(raw)]
    shuffled = list(marks)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    expected = ids(conflict_pairs(marks, reentry=reentry, multi_day=True))
    assert ids(conflict_pairs(shuffled, reentry=reentry, multi_day=True)) == expected
    if not reentry:  # every admission but the first of its day collides
        entries = [m for m in marks if m.direction is Direction.ENTRY]
        assert len(expected) == len(entries) - len({m.day for m in entries})


@given(passages, st.booleans(), st.booleans())
def test_the_upload_ledger_answers_as_the_pairs_do(
    raw: list[tuple[int, Direction, int]], reentry: bool, multi_day: bool
) -> None:
    """The sorted ledger ingest uses gives each arriving passage the partner the full pairing
    would, with undos taking passages back in between."""
    ledger = Ledger(reentry=reentry, multi_day=multi_day)
    standing: list[Mark] = []
    for n, (minutes, direction, day) in enumerate(raw):
        new = mark(n, minutes, direction, day)
        ledger.scope(new.ticket_id, new.day).add(new)
        standing.append(new)
        pairs = conflict_pairs(standing, reentry=reentry, multi_day=multi_day)
        for m in standing:
            assert ledger.partner(m) == partner(m.entry_id, pairs)
        if n % 4 == 3:  # an undo
            gone = standing.pop(n % len(standing))
            assert ledger.scope(gone.ticket_id, gone.day).remove(gone.entry_id) == gone
