"""checkins.offline: the door decided the scan without reaching the server, as it recorded it
(null for entries stored before, and from doors that do not send it); devices: what a door told
at its last upload (its version, entries still waiting, its clock against the server's)

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server_stub.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("offline", sa.Boolean(), nullable=True))
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("last_seen_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("app_version", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("waiting", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("clock_offset_s", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        for column in ("clock_offset_s", "waiting", "app_version", "last_seen_at"):
            batch.drop_column(column)
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("offline")
