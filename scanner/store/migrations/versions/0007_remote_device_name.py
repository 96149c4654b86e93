"""other doors' passages keep their device's enrolment name, so staff read "North gate" in
"first in at ..." and not a device id

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# 0003's view with the name as its last column (journal rows: the name is this door's setting).
PASSAGES_VIEW = """
CREATE VIEW passages AS
SELECT j.event_id, j.ticket_id, j.direction, j.scanned_at AS at, j.door, j.device_id, j.day,
       j.id AS entry_id, NULL AS device_name
  FROM journal j
 WHERE j.kind = 'scan' AND j.outcome IN ('admitted', 'exited')
   AND NOT EXISTS (SELECT 1 FROM journal u WHERE u.annuls = j.id)
UNION ALL
SELECT r.event_id, r.ticket_id, r.direction, r.at, r.door, r.device_id, r.day, r.entry_id,
       r.device_name
  FROM remote_passages r
 WHERE NOT r.annulled AND NOT EXISTS (SELECT 1 FROM journal l WHERE l.id = r.entry_id)
"""


def upgrade() -> None:
    # ADD COLUMN, not a batch copy of the table: the view names remote_passages, and the
    # passages synced before keep a null name (the device id shows until a snapshot resends them).
    op.add_column("remote_passages", sa.Column("device_name", sa.Text(), nullable=True))
    op.execute("DROP VIEW passages")
    op.execute(PASSAGES_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW passages")
    op.drop_column("remote_passages", "device_name")
    before = importlib.import_module("scanner.store.migrations.versions.0003_passages_view")
    op.execute(before.PASSAGES_VIEW)
