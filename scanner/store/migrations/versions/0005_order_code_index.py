"""index on tickets' order codes: an order code typed in full is found at once

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_event_id_order_code", "tickets", ["event_id", "order_code"])


def downgrade() -> None:
    op.drop_index("ix_tickets_event_id_order_code", "tickets")
