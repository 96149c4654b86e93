"""checkins.door and .operator as text (stored as a door recorded them); standing admissions
index; devices.cursor and cursor_at (what each door holds of the change log, for pruning)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STANDING_ADMISSION = "kind = 'scan' AND outcome = 'admitted' AND annulled_by IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("cursor", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("cursor_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("checkins") as batch:
        batch.alter_column("door", type_=sa.Text(), existing_type=sa.String(64))
        batch.alter_column("operator", type_=sa.Text(), existing_type=sa.String(200))
    op.create_index(
        "ix_checkins_standing_admissions",
        "checkins",
        ["event_id", "ticket_id", "day", "scanned_at", "entry_id"],
        sqlite_where=sa.text(STANDING_ADMISSION),
        postgresql_where=sa.text(STANDING_ADMISSION),
    )


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("cursor_at")
        batch.drop_column("cursor")
    op.drop_index("ix_checkins_standing_admissions", "checkins")
    with op.batch_alter_table("checkins") as batch:
        batch.alter_column("door", type_=sa.String(64), existing_type=sa.Text())
        batch.alter_column("operator", type_=sa.String(200), existing_type=sa.Text())
