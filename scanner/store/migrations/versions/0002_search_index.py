"""search index: folded, prefix-searchable names, e-mails, order codes and ticket ids

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scanner.store.search_index import SEARCH_TABLE_DDL, index_rows

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(SEARCH_TABLE_DDL)
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT event_id, ticket_id, holder_name, email, order_code FROM tickets")
    )
    batch = [index_rows(*row) for row in rows]
    if batch:
        bind.execute(
            sa.text(
                "INSERT INTO ticket_search (event_id, ticket_id, body)"
                " VALUES (:event_id, :ticket_id, :body)"
            ),
            batch,
        )


def downgrade() -> None:
    op.execute("DROP TABLE ticket_search")
