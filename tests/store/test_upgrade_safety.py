"""A schema upgrade that fails or is killed at any step leaves a usable file: the next start
completes the upgrade, with every journal entry and every other row as it was."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from scanner.store.database import HEAD_REVISION, KEEP_COPIES, StoreError
from scanner.store.failures import UpgradeFailed
from scanner.store.store import Store
from tests.store.helpers import change, journal_rows, query
from tests.store.schema_files.make import fixture_path

OLD = "0001"


class Fault(RuntimeError):
    pass


@contextmanager
def each_statement(action: Callable[[int, str], None]) -> Iterator[None]:
    """Call `action(n, sql)` before every statement any engine sends, and before each commit."""
    counter = iter(range(10**6))

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        action(next(counter), statement)

    def on_commit(_conn: Any) -> None:
        action(next(counter), "COMMIT")

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "commit", on_commit)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "commit", on_commit)


def old_file(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture_path(OLD), directory / "scanner.sqlite3")
    return directory


def contents(directory: Path, like: dict[str, Any] | None = None) -> dict[str, Any]:
    """`like`: the contents before an upgrade, whose journal columns are compared."""
    return {
        "revision": query(directory, "SELECT version_num FROM alembic_version"),
        "journal": journal_rows(directory, like["journal"] if like else None),
        "tickets": query(directory, "SELECT event_id, ticket_id, holder_name FROM tickets"),
        "settings": query(directory, "SELECT * FROM settings ORDER BY key"),
        "integrity": query(directory, "PRAGMA integrity_check"),
    }


def upgrade_steps(tmp_path: Path) -> list[str]:
    """The statements (and commits) of a whole upgrade from the old revision, in order."""
    seen: list[str] = []
    directory = old_file(tmp_path / "count")
    with each_statement(lambda _n, sql: seen.append(sql)):
        Store(directory, synchronous=True).close()
    return seen


def test_the_upgrade_is_one_exclusive_transaction(tmp_path: Path) -> None:
    steps = upgrade_steps(tmp_path)
    begin = steps.index("BEGIN EXCLUSIVE")
    assert any("CREATE VIRTUAL TABLE ticket_search" in sql for sql in steps[begin:])
    first_commit = steps.index("COMMIT", begin)
    assert any("alembic_version" in sql for sql in steps[begin:first_commit])
    assert not any(sql.startswith(("CREATE", "ALTER", "DROP")) for sql in steps[:begin])


def test_an_upgrade_failing_at_each_step_keeps_the_old_file_and_completes_later(
    tmp_path: Path,
) -> None:
    steps = upgrade_steps(tmp_path)
    before = contents(old_file(tmp_path / "reference"))
    migration = range(steps.index("BEGIN EXCLUSIVE") + 1, steps.index("COMMIT") + 1)
    for step in migration:
        directory = old_file(tmp_path / f"fail{step}")

        def fail(n: int, _sql: str, step: int = step) -> None:
            if n == step:
                raise Fault(f"step {step}")

        for _attempt in range(2):  # a start that fails, then another one that fails the same way
            with each_statement(fail), pytest.raises(UpgradeFailed, match="left as it was"):
                Store(directory, synchronous=True)
            assert contents(directory) == before, f"failing at step {step}: {steps[step][:60]}"
        Store(directory, synchronous=True).close()
        after = contents(directory, before)
        assert after["revision"] == [(HEAD_REVISION,)]
        assert after["journal"] == before["journal"]
        assert after["integrity"] == [("ok",)]


def test_an_upgrade_killed_at_each_step_completes_at_the_next_start(tmp_path: Path) -> None:
    steps = upgrade_steps(tmp_path)
    before = contents(old_file(tmp_path / "reference"))
    for step in range(len(steps)):
        directory = old_file(tmp_path / f"kill{step}")
        child = os.fork()
        if child == 0:  # pragma: no cover - the child dies by SIGKILL

            def kill(n: int, _sql: str, step: int = step) -> None:
                if n == step:
                    os.kill(os.getpid(), signal.SIGKILL)

            try:
                with each_statement(kill):
                    Store(directory, synchronous=True).close()
            finally:
                os._exit(3)
        _pid, status = os.waitpid(child, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, steps[step]
        store = Store(directory, synchronous=True)  # the next start
        store.close()
        after = contents(directory, before)
        assert after["revision"] == [(HEAD_REVISION,)], f"killed at step {step}"
        assert after["journal"] == before["journal"], f"killed at step {step}: {steps[step][:60]}"
        assert after["tickets"] == before["tickets"]
        assert after["integrity"] == [("ok",)]


def test_a_copy_is_made_before_each_upgrade_and_only_a_few_are_kept(tmp_path: Path) -> None:
    directory = old_file(tmp_path / "data")
    journal = contents(directory)["journal"]
    for _n in range(KEEP_COPIES + 2):
        shutil.copyfile(fixture_path(OLD), directory / "scanner.sqlite3")
        Store(directory, synchronous=True).close()
    copies = sorted(directory.glob("scanner-before-upgrade-0001-to-*.sqlite3"))
    assert len(copies) == KEEP_COPIES
    shutil.copyfile(copies[-1], tmp_path / "scanner.sqlite3")
    assert journal_rows(tmp_path, journal) == journal
    assert all(copy.stat().st_mode & 0o077 == 0 for copy in copies)


def test_a_file_without_a_schema_version_is_not_taken_for_a_new_one(tmp_path: Path) -> None:
    directory = old_file(tmp_path / "data")
    change(directory, "DROP TABLE alembic_version")
    with pytest.raises(StoreError, match="not a scanner data file"):
        Store(directory, synchronous=True)
    assert query(directory, "SELECT COUNT(*) FROM journal") == [(7,)]
