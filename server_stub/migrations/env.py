"""Alembic environment: the connection comes from server_stub.db.migrate (or alembic's -x url)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from server_stub.models import Base

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Command-line use (e.g. `alembic revision --autogenerate -x url=sqlite:///x.db`).
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///autogen.sqlite3")
    with create_engine(url).connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()


run()
