"""Alembic environment: migrations run on the connection the store hands over.

That connection is already inside the store's one BEGIN EXCLUSIVE transaction
(database.upgrade), so alembic opens no transaction of its own, per migration or otherwise.
"""

from __future__ import annotations

from alembic import context

from scanner.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # only `alembic revision --autogenerate` during development
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite://"
    connection = create_engine(url).connect()
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
