"""records from the server a door cannot apply are set aside (kept, counted), and each event
has a grace before its first and after its last day outside which ordinary tickets are refused

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "set_aside",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),  # changes / snapshot
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_set_aside")),
    )
    op.create_index("ix_set_aside_event_id", "set_aside", ["event_id"])
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("grace_before_s", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("grace_after_s", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("grace_after_s")
        batch.drop_column("grace_before_s")
    op.drop_index("ix_set_aside_event_id", "set_aside")
    op.drop_table("set_aside")
