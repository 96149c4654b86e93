"""the journal keeps whether the door decided each scan without the server's recent word, so the
upload carries it and reports count what the door knew, not a guess from upload delay

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not a batch copy: the passages view names the journal. Older entries: null.
    op.add_column("journal", sa.Column("offline", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.drop_column("journal", "offline")
