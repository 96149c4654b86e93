"""checkins.door and checkins.operator as text: the server stores what a door recorded

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


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.alter_column("door", type_=sa.Text(), existing_type=sa.String(64))
        batch.alter_column("operator", type_=sa.Text(), existing_type=sa.String(200))


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.alter_column("door", type_=sa.String(64), existing_type=sa.Text())
        batch.alter_column("operator", type_=sa.String(200), existing_type=sa.Text())
