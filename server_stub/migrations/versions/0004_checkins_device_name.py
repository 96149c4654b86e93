"""checkins.device_name: the uploading device's enrolment name, sent to doors with its passages
(rows stored before are filled from the devices table)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Plain SQL both backends run: a correlated subquery, no UPDATE ... FROM (SQLite before 3.33).
BACKFILL = """
UPDATE checkins SET device_name = (
    SELECT NULLIF(TRIM(devices.name), '') FROM devices WHERE devices.id = checkins.device_id
) WHERE device_id IN (SELECT id FROM devices WHERE NULLIF(TRIM(name), '') IS NOT NULL)
"""


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("device_name", sa.String(length=200), nullable=True))
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("device_name")
