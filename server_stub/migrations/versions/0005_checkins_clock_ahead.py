"""checkins.clock_ahead_s: a scan time ahead of the server's receive time beyond the tolerance
(the device's clock was wrong; its day was judged by the receive time), with a partial index
for the organizer's list of such devices. Rows stored before are left unflagged.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CLOCK_AHEAD = "clock_ahead_s IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("clock_ahead_s", sa.Integer(), nullable=True))
    op.create_index(
        "ix_checkins_clock_ahead",
        "checkins",
        ["event_id", "device_id"],
        sqlite_where=sa.text(CLOCK_AHEAD),
        postgresql_where=sa.text(CLOCK_AHEAD),
    )


def downgrade() -> None:
    op.drop_index("ix_checkins_clock_ahead", "checkins")
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("clock_ahead_s")
