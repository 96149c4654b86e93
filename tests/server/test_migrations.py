"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server_stub.db import migrate, open_database
from server_stub.models import Base


def test_migrations_match_the_models(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    migrate(db)
    migrate(db)  # a second run finds nothing to do
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    db.dispose()
