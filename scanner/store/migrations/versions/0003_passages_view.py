"""passages view: admissions and exits that stand, from this device and from others

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# A local entry stands unless an undo names it; a remote one unless annulled. A remote copy of a
# local entry (our own upload echoed back by the server) is counted once.
PASSAGES_VIEW = """
CREATE VIEW passages AS
SELECT j.event_id, j.ticket_id, j.direction, j.scanned_at AS at, j.door, j.device_id, j.day,
       j.id AS entry_id
  FROM journal j
 WHERE j.kind = 'scan' AND j.outcome IN ('admitted', 'exited')
   AND NOT EXISTS (SELECT 1 FROM journal u WHERE u.annuls = j.id)
UNION ALL
SELECT r.event_id, r.ticket_id, r.direction, r.at, r.door, r.device_id, r.day, r.entry_id
  FROM remote_passages r
 WHERE NOT r.annulled AND NOT EXISTS (SELECT 1 FROM journal l WHERE l.id = r.entry_id)
"""


def upgrade() -> None:
    op.execute(PASSAGES_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW passages")
